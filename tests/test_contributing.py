"""The contributor docs and the code agree on the rules."""

from __future__ import annotations

import re

from briefing.model import LEVELS
from sitekit import ROOT


def test_contributing_table_matches_levels() -> None:
    """Check that CONTRIBUTING.md lists every rule code with the level the code gives it, and no other."""
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `([a-z0-9-]+)` \| (error|warning|notice) \|", text, re.M))
    assert rows == dict(LEVELS)
