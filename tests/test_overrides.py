"""The theme overrides stay copies of the installed Material's partials, apart from the lines they exist for."""

from __future__ import annotations

import re
from pathlib import Path

import material
import pytest

from sitekit import ROOT

UPSTREAM = Path(material.__file__).parent / "templates" / "partials"
HEADER_RE = re.compile(r"\A\{#-.*?-#\}\n", re.S)
# The one change each copy makes: accessible names (axe: aria-dialog-name, link-name).
ADDED_RE = re.compile(r' aria-label="\{\{ lang\.t\([^)]*\) \}\}"')


def without_change(text: str) -> str:
    return ADDED_RE.sub("", HEADER_RE.sub("", text))


@pytest.mark.parametrize("name", ["search.html", "actions.html"])
def test_override_is_upstream_plus_accessible_names(name: str) -> None:
    """Check that each override adds aria-labels to the installed Material's partial and, aria-labels and comment
    headers aside, is that partial line for line: when Material changes the partial, this fails, and the copy is
    redone."""
    ours = (ROOT / "overrides" / "partials" / name).read_text(encoding="utf-8")
    theirs = (UPSTREAM / name).read_text(encoding="utf-8")
    assert len(ADDED_RE.findall(ours)) > len(ADDED_RE.findall(theirs)), "the override adds no aria-label"
    assert without_change(ours) == without_change(theirs)
