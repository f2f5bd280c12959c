"""Tags: only from the allowed list in mkdocs.yml, reported at the tag's position."""

from __future__ import annotations

from sitekit import check_files, codes

ISSUE = """\
---
type: issue
title: The two Michaels
summary: Two Canadians detained in China.
status: resolved
started: 2018-12-10
resolved: 2021-09-24
actors: [canada, marc-garneau]
tags: [detentions, tarde]
last_reviewed: 2026-11-01
---

# The two Michaels
"""


def test_unknown_tag_is_reported_with_suggestion() -> None:
    """Check that a tag outside the allowed list is an error at its position, with the nearest allowed tag."""
    problems = check_files({"issues/two-michaels.md": ISSUE}, settings={"tags": ["detentions", "trade"]})
    assert codes(problems) == [("issues/two-michaels.md", 9, 20, "unknown-tag")]
    assert "Did you mean 'trade'?" in problems[0].message


def test_allowed_tags_pass() -> None:
    """Check that tags from the allowed list, or any tag when no list is configured, raise nothing."""
    fixed = ISSUE.replace("tarde", "trade")
    assert (
        codes(check_files({"issues/two-michaels.md": fixed}, settings={"tags": ["detentions", "trade"]}))
        == []
    )
    assert codes(check_files({"issues/two-michaels.md": ISSUE})) == []
