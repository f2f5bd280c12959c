"""Tags: only from the allowed list in mkdocs.yml, reported at the tag's position."""

from __future__ import annotations

import textwrap

from sitekit import BASE, check_files, codes

ISSUE = textwrap.dedent(BASE["issues/two-michaels.md"]).replace(
    "last_reviewed:", "tags: [detentions, tarde]\nlast_reviewed:"
)


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
