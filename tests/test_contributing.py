"""The contributor docs and the code agree on the rules."""

from __future__ import annotations

from briefing.__main__ import rules_table
from briefing.checks import RULES
from sitekit import ROOT


def test_contributing_has_the_rules_table_of_the_registry() -> None:
    """Check that CONTRIBUTING.md holds the rules table exactly as `python -m briefing rules` prints it."""
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert rules_table() in text


def test_rules_table_lists_every_rule_with_its_level() -> None:
    """Check that the printed table has one row per registered code, with that code's level."""
    rows = [line for line in rules_table().splitlines()[2:]]
    assert [row.split(" | ")[0].strip("| `") for row in rows] == sorted(RULES)
    assert all(f"| {RULES[row.split(' | ')[0].strip('| `')].level} |" in row for row in rows)
