"""Rule tests: for each rule code, a tiny site that breaks it (exact path, line, column, code) and one that passes.

Every site is sitekit.BASE (a clean site) with one or two pages edited. Positions are 1-based lines and
columns of the Markdown file, counted by hand from the page texts below; BASE's pages are reproduced in the
comments where a test edits them.
"""

from __future__ import annotations

import re
import textwrap
from datetime import date
from pathlib import Path

import pytest

from briefing.checks import LEVELS
from sitekit import BASE, check_files, codes

EV = "events/2021-09-24-michaels-released.md"
# 1 ---
# 2 type: event
# 3 title: Kovrig and Spavor released
# 4 date: 2021-09-24
# 5 actors: [canada, marc-garneau]
# 6 roles:
# 7   marc-garneau: foreign-minister-2021
# 8 issues: [two-michaels]
# 9 resolves: [two-michaels]
# 10 sources: [cbc-2021-09-24-released]
# 11 ---
# 12
# 13 # Kovrig and Spavor released
# 14
# 15 On 24 September 2021 both men flew home.
GARNEAU = "actors/marc-garneau.md"
# 1 ---            6 born: 1949-02-23             11     start: 2021-01-12
# 2 type: actor    7 last_reviewed: 2026-11-01    12     end: 2021-10-26
# 3 kind: person   8 roles:                       13     sources: [globe-2021-01-12-shuffle]
# 4 name: ...      9   - id: foreign-minister-2021 14 ---
# 5 summary: ...  10     title: Minister of Foreign Affairs   18 ## Early life
CANADA = "actors/canada.md"
# 1 --- 2 type: actor 3 kind: state 4 name: Canada 5 summary: A state. 6 last_reviewed: 2026-11-01 7 ---
ISSUE = "issues/two-michaels.md"
# 1 ---  2 type: issue  3 title  4 summary  5 status: resolved  6 started: 2018-12-10
# 7 resolved: 2021-09-24  8 actors: [canada, marc-garneau]  9 last_reviewed: 2026-11-01  10 ---
CBC = "sources/cbc-2021-09-24-released.md"
# 1 ---  2 type: source  3 title  4 publisher: CBC News  5 url: https://www.cbc.ca/news/x
# 6 published: 2021-09-24  7 kind: secondary  8 ---
GLOBE = "sources/globe-2021-01-12-shuffle.md"
INDEX_HEAD = "# Home\n\nSee [[canada]] and [[two-michaels]].\n\n"  # lines 1-4 of index.md


def edit(path: str, old: str, new: str) -> str:
    """BASE's page `path` with the one occurrence of `old` replaced by `new`."""
    text = textwrap.dedent(BASE[path])
    assert text.count(old) == 1, f"{old!r} is not once in {path}"
    return text.replace(old, new)


def only(problems, code: str) -> list[tuple[str, int, int, str]]:
    return [c for c in codes(problems) if c[3] == code]


def messages(problems, code: str) -> list[str]:
    return [p.message for p in problems if p.code == code]


def assert_single(problems, code: str, where: tuple, start: str) -> None:
    """Exactly one problem of `code`, at `where` (path, line, col), whose message starts with `start`."""
    assert only(problems, code) == [(*where, code)]
    assert messages(problems, code)[0].startswith(start)


# A minimal valid event: only the required fields.
TALKS = """
        type: event
        title: Talks
        date: 2021-09-24
        actors: [canada]
        issues: []
        sources: [cbc-2021-09-24-released]
        summary: They talked.
        """


def index(body: str) -> dict[str, str]:
    """index.md with BASE's first four lines (which reference canada and two-michaels), then `body` from line 5."""
    return {"index.md": INDEX_HEAD + body}


def event(path: str, fm: str, body: str = "") -> dict[str, str]:
    """An event page: '---' on line 1, `fm` from line 2, then '---', a blank line and `body`."""
    return {path: "---\n" + textwrap.dedent(fm).strip("\n") + "\n---\n\n" + body}


def test_base_site_is_clean():
    """Check that the BASE fixture site produces no problem at all (the passing variant of every rule)."""
    assert check_files({}) == []


def test_every_rule_code_has_a_test():
    """Check that every rule code in LEVELS is named in this module, test_frontmatter.py or test_state.py."""
    here = Path(__file__).read_text(encoding="utf-8")
    for other in ("test_frontmatter.py", "test_state.py"):
        here += (Path(__file__).parent / other).read_text(encoding="utf-8")
    missing = [code for code in LEVELS if f'"{code}"' not in here]
    assert missing == []


# --- unknown-reference ------------------------------------------------------------------------

UNKNOWN_REFS = [
    pytest.param(
        {EV: edit(EV, "actors: [canada, marc-garneau]", "actors: [canada, marc-garnau]")},
        (EV, 5, 18),
        "'actors' refers to 'marc-garnau', but no actor has that id. Did you mean 'marc-garneau'?",
        id="event-actors",
    ),
    pytest.param(
        {ISSUE: edit(ISSUE, "actors: [canada, marc-garneau]", "actors: [canada, marc-garnau]")},
        (ISSUE, 8, 18),
        "'actors' refers to 'marc-garnau', but no actor has that id. Did you mean 'marc-garneau'?",
        id="issue-actors",
    ),
    pytest.param(
        {EV: edit(EV, "  marc-garneau: foreign", "  marc-garnau: foreign")},
        (EV, 7, 3),
        "'roles' refers to 'marc-garnau', but no actor has that id. Did you mean 'marc-garneau'?",
        id="roles-key",
    ),
    pytest.param(
        index("Also [[marc-garnau]] spoke.\n"),
        ("index.md", 5, 6),
        "The text refers to 'marc-garnau', but no page has that id. Did you mean 'marc-garneau'?",
        id="text",
    ),
    pytest.param(
        {EV: edit(EV, "both men flew home.", "both men flew home with [[marc-garnau|him]].")},
        (EV, 16, 46),
        "The text refers to 'marc-garnau', but no page has that id. Did you mean 'marc-garneau'?",
        id="text-with-label-in-entity-page",
    ),
    pytest.param(
        {ISSUE: edit(ISSUE, "last_reviewed", "related: [two-michael]\nlast_reviewed")},
        (ISSUE, 9, 11),
        "'related' refers to 'two-michael', but no issue has that id. Did you mean 'two-michaels'?",
        id="issue-related",
    ),
    pytest.param(
        {EV: edit(EV, "issues: [two-michaels]", "issues: [two-michael]")},
        (EV, 8, 10),
        "'issues' refers to 'two-michael', but no issue has that id. Did you mean 'two-michaels'?",
        id="event-issues",
    ),
    pytest.param(
        {EV: edit(EV, "resolves: [two-michaels]", "resolves: [two-michael]")},
        (EV, 9, 12),
        "'resolves' refers to 'two-michael', but no issue has that id. Did you mean 'two-michaels'?",
        id="event-resolves",
    ),
    pytest.param(
        {EV: edit(EV, "sources: [cbc-2021-09-24-released]", "sources: [cbc-2021-09-24-release]")},
        (EV, 10, 11),
        "'sources' refers to 'cbc-2021-09-24-release', but no source has that id. "
        "Did you mean 'cbc-2021-09-24-released'?",
        id="event-sources",
    ),
    pytest.param(
        {GARNEAU: edit(GARNEAU, "sources: [globe-2021-01-12-shuffle]", "sources: [globe-2021-01-12-shufle]")},
        (GARNEAU, 13, 15),
        "'roles.sources' refers to 'globe-2021-01-12-shufle', but no source has that id. "
        "Did you mean 'globe-2021-01-12-shuffle'?",
        id="role-sources",
    ),
]


@pytest.mark.parametrize(("files", "where", "message"), UNKNOWN_REFS)
def test_unknown_reference(files, where, message):
    """Check that an unknown id in each reference field is an error at the item, with the nearest id suggested."""
    problems = check_files(files)
    assert only(problems, "unknown-reference") == [(*where, "unknown-reference")]
    assert messages(problems, "unknown-reference") == [message]
    assert [LEVELS[p.code] for p in problems if p.code == "unknown-reference"] == ["error"]


@pytest.mark.parametrize(
    "files",
    [
        pytest.param(
            {
                ISSUE: edit(ISSUE, "last_reviewed", "related: [other-issue]\nlast_reviewed"),
                "issues/other-issue.md": edit(ISSUE, "title: The two Michaels", "title: Other").replace(
                    "related: [other-issue]\n", ""
                ),
            },
            id="related",
        ),
        pytest.param(index("Also [[marc-garneau]] and [[marc-garneau|Garneau]] spoke.\n"), id="text"),
        pytest.param({}, id="every-front-matter-field-of-base"),
    ],
)
def test_known_reference_passes(files):
    """Check that references to existing ids of the right type produce no reference problem."""
    problems = check_files(files)
    assert [c for c in codes(problems) if c[3] in ("unknown-reference", "wrong-type-reference")] == []


def test_unknown_reference_without_close_match_has_no_suggestion():
    """Check that an id resembling nothing gets no 'Did you mean' hint."""
    problems = check_files(index("Also [[zzzzqqq]].\n"))
    assert only(problems, "unknown-reference") == [("index.md", 5, 6, "unknown-reference")]
    assert messages(problems, "unknown-reference") == [
        "The text refers to 'zzzzqqq', but no page has that id."
    ]


# --- wrong-type-reference ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("files", "where", "start"),
    [
        pytest.param(
            {EV: edit(EV, "actors: [canada, marc-garneau]", "actors: [two-michaels, marc-garneau]")},
            (EV, 5, 10),
            "'actors' refers to 'two-michaels', which is an issue, not an actor.",
            id="issue-in-actors",
        ),
        pytest.param(
            {EV: edit(EV, "issues: [two-michaels]", "issues: [canada]")},
            (EV, 8, 10),
            "'issues' refers to 'canada', which is an actor, not an issue.",
            id="actor-in-issues",
        ),
        pytest.param(
            {
                EV: edit(
                    EV, "sources: [cbc-2021-09-24-released]", "sources: [cbc-2021-09-24-released, canada]"
                )
            },
            (EV, 10, 36),
            "'sources' refers to 'canada', which is an actor, not a source.",
            id="actor-in-sources",
        ),
        pytest.param(
            {ISSUE: edit(ISSUE, "last_reviewed", "related: [canada]\nlast_reviewed")},
            (ISSUE, 9, 11),
            "'related' refers to 'canada', which is an actor, not an issue.",
            id="actor-in-related",
        ),
    ],
)
def test_wrong_type_reference(files, where, start):
    """Check that an existing id of the wrong type for its field is an error at the item."""
    assert_single(check_files(files), "wrong-type-reference", where, start)


def test_text_reference_may_name_any_type():
    """Check that [[id]] in text may link to an actor, issue, event or source alike."""
    problems = check_files(
        index("[[marc-garneau]], [[2021-09-24-michaels-released]], [[cbc-2021-09-24-released]].\n")
    )
    assert problems == []


# --- anchors and code -------------------------------------------------------------------------


def test_unknown_anchor():
    """Check that [[id#anchor]] naming no heading of the target is an error with the nearest anchor suggested."""
    problems = check_files(index("Read [[marc-garneau#early-lif|his youth]].\n"))
    assert codes(problems) == [("index.md", 5, 6, "unknown-anchor")]
    assert problems[0].message == (
        "The text links to 'marc-garneau#early-lif', but docs/actors/marc-garneau.md "
        "has no heading with that anchor. Did you mean '#early-life'?"
    )


def test_known_anchor_passes():
    """Check that [[id#anchor]] and [[id#anchor|label]] naming an existing heading pass."""
    problems = check_files(
        index("Read [[marc-garneau#early-life]] and [[marc-garneau#early-life|his youth]].\n")
    )
    assert problems == []


def test_anchor_from_attr_list_passes():
    """Check that an explicit heading id written with attr_list ({#id}) is a known anchor."""
    files = {
        GARNEAU: edit(GARNEAU, "## Early life", "## Early life {#youth}"),
        **index("Read [[marc-garneau#youth]].\n"),
    }
    assert check_files(files) == []


def test_references_inside_code_are_ignored():
    """Check that [[...]] inside inline code, ``` fences and ~~~ fences is text, not a reference."""
    body = (
        "Write `[[marc-garnau]]` or ``[[zzz#x]]`` to link.\n\n"
        "```markdown\n[[marc-garnau]]\n```\n\n"
        "~~~\n[[marc-garnau#nowhere]]\n~~~\n"
    )
    assert check_files(index(body)) == []


def test_reference_after_code_is_still_checked():
    """Check that a reference following a closed fence and inline code on the same line is still checked."""
    body = "```\n[[a]]\n```\n\nSee `code` and [[marc-garnau]].\n"
    #       5    6     7    8 9: col of [[ is 16
    problems = check_files(index(body))
    assert only(problems, "unknown-reference") == [("index.md", 9, 16, "unknown-reference")]


def test_malformed_reference():
    """Check that a '[[' not closed by ']]' on its line is an error at the '[[' (and fenced code is exempt)."""
    problems = check_files(index("See [[marc-garneau and more.\n\nAlso [[canada\n]] here.\n"))
    assert codes(problems) == [
        ("index.md", 5, 5, "malformed-reference"),
        ("index.md", 7, 6, "malformed-reference"),
    ]
    assert problems[0].message.startswith(
        "'[[' opens a reference that is not closed by ']]' on the same line."
    )


def test_well_formed_references_are_not_malformed():
    """Check that [[id]], [[id|label]], [[id#anchor|label]] and '[[' in code are not malformed."""
    body = (
        "[[canada]], [[canada|Ottawa]], [[marc-garneau#early-life|youth]], `[[x`.\n\n```\n[[unclosed\n```\n"
    )
    assert check_files(index(body)) == []


def test_unmatched_backtick_does_not_hide_later_paragraphs():
    """Check that a stray backtick in one paragraph does not hide a broken reference in the next one."""
    problems = check_files(index("A stray ` backtick.\n\nSee [[marc-garnau]] and `x`.\n"))
    assert only(problems, "unknown-reference") == [("index.md", 7, 5, "unknown-reference")]


def test_anchor_ids_match_mkdocs_toc():
    """Check that anchors MkDocs generates for a linked heading and a repeated heading are known."""
    headings = "## Early life\n\n## See [CBC](https://www.cbc.ca)\n\n## Notes\n\n## Notes"
    files = {
        GARNEAU: edit(GARNEAU, "## Early life", headings),
        **index("[[marc-garneau#see-cbc]] and [[marc-garneau#notes_1]].\n"),
    }
    assert check_files(files) == []


# --- event roles ------------------------------------------------------------------------------


def test_role_actor_not_listed():
    """Check that a roles entry for an actor missing from 'actors' is an error at the roles key."""
    problems = check_files({EV: edit(EV, "actors: [canada, marc-garneau]", "actors: [canada]")})
    assert only(problems, "role-actor-not-listed") == [(EV, 7, 3, "role-actor-not-listed")]
    assert messages(problems, "role-actor-not-listed") == [
        "'roles' gives a role for 'marc-garneau', who is not in this event's 'actors'. "
        "Add 'marc-garneau' to 'actors' or remove the role."
    ]


def test_role_actor_listed_passes():
    """Check that a roles entry for a listed actor with an existing role id passes."""
    assert only(check_files({}), "role-actor-not-listed") == []
    assert only(check_files({}), "unknown-role") == []


def test_unknown_role():
    """Check that a role id the actor does not have is an error at the role id, suggesting the nearest one."""
    problems = check_files(
        {EV: edit(EV, "marc-garneau: foreign-minister-2021", "marc-garneau: foreign-minister-2012")}
    )
    assert codes(problems) == [(EV, 7, 17, "unknown-role")]
    assert problems[0].message == (
        "'roles' gives 'marc-garneau' the role 'foreign-minister-2012', but "
        "docs/actors/marc-garneau.md has no role with that id. "
        "Did you mean 'foreign-minister-2021'?"
    )


def test_unknown_role_of_actor_without_roles():
    """Check that giving a role to an actor with no roles at all says that it has none."""
    files = {EV: edit(EV, "  marc-garneau: foreign-minister-2021", "  canada: foreign-minister-2021")}
    problems = check_files(files)
    assert codes(problems) == [(EV, 7, 11, "unknown-role")]
    assert problems[0].message.endswith("That actor has no 'roles'.")


# --- ids, fields, folders ---------------------------------------------------------------------

WANG = """\
---
type: actor
kind: person
name: Wang Yi
summary: A foreign minister.
last_reviewed: 2026-11-01
---

# Wang Yi
"""


def test_duplicate_id_across_types():
    """Check that two pages of different types with the same id are a duplicate-id error on the second."""
    src = edit(CBC, "title: Kovrig and Spavor released", "title: Canada")
    problems = check_files({"sources/canada.md": src})
    assert only(problems, "duplicate-id") == [("sources/canada.md", 1, 1, "duplicate-id")]
    assert messages(problems, "duplicate-id") == [
        "This page has the same id as docs/actors/canada.md. Ids are unique across all types: rename one."
    ]


def test_duplicate_id_differing_in_case():
    """Check that Marc-Garneau.md next to marc-garneau.md is reported (invalid-id and a duplicate-id)."""
    problems = check_files({"actors/Marc-Garneau.md": BASE[GARNEAU]})
    found = codes(problems)
    assert ("actors/Marc-Garneau.md", 1, 1, "invalid-id") in found
    dups = only(problems, "duplicate-id")
    assert len(dups) == 1 and dups[0][0] in ("actors/Marc-Garneau.md", GARNEAU) and dups[0][1:3] == (1, 1)
    assert "marc-garneau.md" in messages(problems, "invalid-id")[0]


def test_case_collision_keeps_the_valid_id():
    """Check that a case-only duplicate does not break references to the correctly named page."""
    problems = check_files({"actors/Marc-Garneau.md": BASE[GARNEAU]})
    assert only(problems, "unknown-reference") == []
    assert only(problems, "duplicate-id") == [("actors/Marc-Garneau.md", 1, 1, "duplicate-id")]


def test_unique_ids_pass():
    """Check that distinct ids produce no duplicate-id."""
    problems = check_files({"actors/wang-yi.md": WANG, **index("And [[wang-yi]].\n")})
    assert problems == []


def test_duplicate_role():
    """Check that one role id used twice on an actor is an error at the second id."""
    text = edit(
        GARNEAU,
        "---\n\n# Marc",
        "  - id: foreign-minister-2021\n    title: Again\n    start: 2022\n"
        "    sources: [globe-2021-01-12-shuffle]\n---\n\n# Marc",
    )
    problems = check_files({GARNEAU: text})
    assert only(problems, "duplicate-role") == [(GARNEAU, 14, 9, "duplicate-role")]
    assert "first on line 9" in messages(problems, "duplicate-role")[0]


def test_duplicate_reference_in_a_list():
    """Check that one id listed twice in a reference list is a warning at the second entry, and in role sources."""
    text = edit(
        EV,
        "sources: [cbc-2021-09-24-released]",
        "sources: [cbc-2021-09-24-released, cbc-2021-09-24-released]",
    )
    problems = check_files({EV: text})
    assert only(problems, "duplicate-reference") == [(EV, 10, 36, "duplicate-reference")]
    assert (
        "'cbc-2021-09-24-released' is listed twice in 'sources'"
        in messages(problems, "duplicate-reference")[0]
    )
    text = edit(
        GARNEAU,
        "sources: [globe-2021-01-12-shuffle]",
        "sources: [globe-2021-01-12-shuffle, globe-2021-01-12-shuffle]",
    )
    assert [p.code for p in check_files({GARNEAU: text})] == ["duplicate-reference"]


def test_distinct_references_pass():
    """Check that a list naming each id once passes."""
    text = edit(EV, "actors: [canada, marc-garneau]", "actors: [marc-garneau, canada]")
    assert check_files({EV: text}) == []


def test_distinct_roles_pass():
    """Check that two tenures with their own ids pass."""
    text = edit(
        GARNEAU,
        "---\n\n# Marc",
        "  - id: transport-minister-2015\n    title: Minister of Transport\n"
        "    start: 2015-11-04\n    end: 2021-01-12\n"
        "    sources: [globe-2021-01-12-shuffle]\n---\n\n# Marc",
    )
    assert check_files({GARNEAU: text}) == []


def test_unknown_field_with_suggestion():
    """Check that a misspelt field is an error at its key, suggesting the right name."""
    problems = check_files({EV: edit(EV, "sources: [cbc", "sorces: [cbc")})
    assert only(problems, "unknown-field") == [(EV, 10, 1, "unknown-field")]
    assert messages(problems, "unknown-field")[0].endswith(" has no field 'sorces'. Did you mean 'sources'?")


def test_unknown_field_message_article():
    """Check that the unknown-field message uses 'An' before a vowel ('An event has no field ...')."""
    problems = check_files({EV: edit(EV, "sources: [cbc", "sorces: [cbc")})
    assert messages(problems, "unknown-field") == ["An event has no field 'sorces'. Did you mean 'sources'?"]


def test_unknown_field_in_role_entry():
    """Check that an unknown key inside a roles entry is an error at that key."""
    problems = check_files({GARNEAU: edit(GARNEAU, "    end: 2021-10-26", "    ende: 2021-10-26")})
    assert only(problems, "unknown-field") == [(GARNEAU, 12, 5, "unknown-field")]
    assert messages(problems, "unknown-field")[0].endswith("Did you mean 'end'?")


def test_unknown_field_without_close_match_lists_fields():
    """Check that an unknown field resembling none gets the list of known fields."""
    problems = check_files({CANADA: edit(CANADA, "summary:", "zzqx: 1\nsummary:")})
    assert only(problems, "unknown-field") == [(CANADA, 5, 1, "unknown-field")]
    message = messages(problems, "unknown-field")[0]
    assert "no field 'zzqx'. Known fields: type, summary, last_reviewed," in message


def test_missing_field():
    """Check that a missing required field is an error at the start of the front matter (or of the role)."""
    problems = check_files({CANADA: edit(CANADA, "summary: A state.\n", "")})
    assert codes(problems) == [(CANADA, 2, 1, "missing-field")]
    assert problems[0].message == "This actor has no 'summary' field, which is required."
    problems = check_files({GARNEAU: edit(GARNEAU, "    sources: [globe-2021-01-12-shuffle]\n", "")})
    assert only(problems, "missing-field") == [(GARNEAU, 9, 5, "missing-field")]
    assert messages(problems, "missing-field") == ["This role has no 'sources' field, which is required."]


def test_optional_fields_may_be_absent():
    """Check that an event without the optional end, announced, place, roles and resolves passes."""
    text = event("events/2021-09-24-talks.md", TALKS)
    assert check_files(text) == []


def test_event_without_sources_is_an_error():
    """Check that an event citing no source is an error at its 'sources' field."""
    problems = check_files({EV: edit(EV, "sources: [cbc-2021-09-24-released]", "sources: []")})
    errors = [c for c in codes(problems) if c[0] == EV]
    assert len(errors) == 1 and errors[0][1] == 10 and errors[0][3] in ("missing-field", "wrong-type")


def test_role_without_sources_is_an_error():
    """Check that a role tenure citing no source is an error at the role's 'sources'."""
    problems = check_files({GARNEAU: edit(GARNEAU, "sources: [globe-2021-01-12-shuffle]", "sources: []")})
    errors = [c for c in codes(problems) if c[0] == GARNEAU and c[3] != "unreferenced"]
    assert len(errors) == 1 and errors[0][1] == 13 and errors[0][3] in ("missing-field", "wrong-type")


@pytest.mark.parametrize(
    ("files", "where", "code", "message"),
    [
        pytest.param(
            {CANADA: edit(CANADA, "kind: state", "kind: robot")},
            (CANADA, 3, 7),
            "invalid-value",
            "'kind' is 'robot', but it must be one of person, state, organization, group.",
            id="enum",
        ),
        pytest.param(
            {CANADA: edit(CANADA, "kind: state", "kind: stat")},
            (CANADA, 3, 7),
            "invalid-value",
            "'kind' is 'stat', but it must be one of person, state, organization, group. "
            "Did you mean 'state'?",
            id="enum-typo",
        ),
        pytest.param(
            {EV: edit(EV, "actors: [canada, marc-garneau]", 'actors: "canada"\nplace: [a, b]')},
            (EV, 5, 9),
            "wrong-type",
            None,
            id="string-for-list",
        ),
        pytest.param(
            {CBC: edit(CBC, "url: https://www.cbc.ca/news/x", "url: www.cbc.ca/news/x")},
            (CBC, 5, 6),
            "invalid-value",
            "'url' is 'www.cbc.ca/news/x', which is not a web address. Write the full https:// address.",
            id="url",
        ),
        pytest.param(
            {CANADA: edit(CANADA, "name: Canada", "name: [Canada]")},
            (CANADA, 4, 7),
            "wrong-type",
            None,
            id="list-for-text",
        ),
        pytest.param(
            {CANADA: edit(CANADA, "last_reviewed", "review_in: half a year\nlast_reviewed")},
            (CANADA, 6, 12),
            "invalid-value",
            None,
            id="review-in",
        ),
        pytest.param(
            {CANADA: edit(CANADA, "kind: state", "kind: state\nkind: state")},
            (CANADA, 4, 1),
            "duplicate-field",
            "Field 'kind' is given twice (first on line 3). Keep one.",
            id="duplicate-key",
        ),
    ],
)
def test_wrong_type(files, where, code, message):
    """Check that a value of the wrong kind (wrong-type), outside its allowed set (invalid-value) or given twice
    (duplicate-field) is an error at the value."""
    problems = check_files(files)
    found = only(problems, code)
    assert found[0] == (*where, code)
    if message:
        assert messages(problems, code)[0] == message


@pytest.mark.parametrize(
    ("item", "col", "what"),
    [
        ('""', 18, "a text"),
        ("[canada]", 18, "a sequence"),
        ("{a: b}", 18, "a mapping"),
        ("null", 18, "an empty value"),
    ],
)
def test_wrong_item_in_a_reference_list(item, col, what):
    """Check that an item of a reference list that is not an id (empty, a list, a mapping, null) is an error at
    that item, and the other items still count; a number is read as an id."""
    problems = check_files({EV: edit(EV, "actors: [canada, marc-garneau]", f"actors: [canada, {item}]")})
    assert only(problems, "wrong-type") == [(EV, 5, col, "wrong-type")]
    assert f"'actors' should be a line of text, but it is {what}." in messages(problems, "wrong-type")[0]
    numbered = check_files({EV: edit(EV, "actors: [canada, marc-garneau]", "actors: [canada, 2021]")})
    assert only(numbered, "unknown-reference") == [(EV, 5, 18, "unknown-reference")]


def test_wrong_type_string_for_list_message():
    """Check that the wording for a string where a list is expected is fixed ('actors: "canada"')."""
    problems = check_files({EV: edit(EV, "actors: [canada, marc-garneau]", 'actors: "canada"')})
    assert only(problems, "wrong-type") == [(EV, 5, 9, "wrong-type")]
    assert messages(problems, "wrong-type")[0].startswith(
        "'actors' should be a list (e.g. [a, b]), but it is "
    )


def test_unknown_type():
    """Check that a misspelt 'type' is an error at its value, suggesting the right type."""
    problems = check_files({EV: edit(EV, "type: event", "type: evnt")})
    assert only(problems, "unknown-type") == [(EV, 2, 7, "unknown-type")]
    assert messages(problems, "unknown-type")[0].endswith("Did you mean 'event'?")


def test_type_that_is_a_list_is_reported():
    """Check that a 'type' which is a list is reported, not silently treated as a plain page."""
    problems = check_files({EV: edit(EV, "type: event", "type: [event]")})
    assert [c for c in codes(problems) if c[0] == EV and c[1] == 2] != []


@pytest.mark.parametrize(
    ("files", "where", "hint"),
    [
        pytest.param(
            {"actors/Wang-Yi.md": WANG, **index("[[Wang-Yi]]\n")},
            ("actors/Wang-Yi.md", 1, 1),
            "'wang-yi.md'",
            id="uppercase",
        ),
        pytest.param(
            {"actors/wang_yi.md": WANG, **index("[[wang_yi]]\n")},
            ("actors/wang_yi.md", 1, 1),
            "'wang-yi.md'",
            id="underscore",
        ),
        pytest.param(
            {EV: None, "events/michaels-released.md": BASE[EV]},
            ("events/michaels-released.md", 1, 1),
            "'2021-09-24-michaels-released.md'",
            id="event-without-date",
        ),
        pytest.param(
            {EV: None, "events/2021-09-25-michaels-released.md": BASE[EV]},
            ("events/2021-09-25-michaels-released.md", 4, 7),
            "'2021-09-25'",
            id="event-date-differs",
        ),
        pytest.param(
            {EV: None, "events/2021-09-michaels-released.md": BASE[EV]},
            ("events/2021-09-michaels-released.md", 4, 7),
            "'2021-09'",
            id="event-id-less-precise",
        ),
    ],
)
def test_invalid_id(files, where, hint):
    """Check that ids breaking the pattern, and event ids not starting with their date, are errors."""
    problems = check_files(files)
    assert only(problems, "invalid-id") == [(*where, "invalid-id")]
    assert hint in messages(problems, "invalid-id")[0]


@pytest.mark.parametrize(
    ("path", "day"),
    [
        ("events/2021-09-24-talks.md", "2021-09-24"),
        ("events/2021-09-talks.md", "2021-09"),
        ("events/2021-talks.md", "2021"),
        ("events/2021-09-24-g7-2021-summit.md", "2021-09-24"),
    ],
)
def test_valid_ids_pass(path, day):
    """Check that event ids starting with their date at each precision pass."""
    files = event(
        path,
        f"""
        type: event
        title: Talks
        date: {day}
        actors: [canada]
        issues: []
        sources: [globe-2021-01-12-shuffle]
        summary: S.
        """,
    )
    assert only(check_files(files), "invalid-id") == []


def test_year_event_slug_starting_with_digits():
    """Check that '2019-24-hours-in-beijing.md' with date 2019 starts with its date and passes."""
    files = event(
        "events/2019-24-hours-in-beijing.md",
        """
        type: event
        title: 24 hours in Beijing
        date: 2019
        actors: [canada]
        issues: []
        sources: [globe-2021-01-12-shuffle]
        summary: S.
        """,
    )
    assert only(check_files(files), "invalid-id") == []


def test_wrong_folder():
    """Check that a page outside its type's folder (or in a subfolder) is an error at its type."""
    problems = check_files({"issues/wang-yi.md": WANG, **index("[[wang-yi]]\n")})
    assert codes(problems) == [("issues/wang-yi.md", 2, 7, "wrong-folder")]
    assert problems[0].message == (
        "A page of type 'actor' belongs in docs/actors/, but this one is at docs/issues/wang-yi.md."
    )
    problems = check_files({"actors/china/wang-yi.md": WANG, **index("[[wang-yi]]\n")})
    assert codes(problems) == [("actors/china/wang-yi.md", 2, 7, "wrong-folder")]


def test_right_folder_passes():
    """Check that an actor in docs/actors/ is in the right folder."""
    assert only(check_files({"actors/wang-yi.md": WANG}), "wrong-folder") == []


# --- unreferenced -----------------------------------------------------------------------------


def test_unreferenced_is_a_warning():
    """Check that an actor nobody references is a warning at line 1, even if it links to itself."""
    problems = check_files({"actors/wang-yi.md": WANG + "\nSee [[wang-yi]].\n"})
    assert codes(problems) == [("actors/wang-yi.md", 1, 1, "unreferenced")]
    assert [LEVELS[p.code] for p in problems] == ["warning"]
    assert problems[0].message.startswith("No page references this actor 'wang-yi'.")


def test_referenced_from_text_or_front_matter_passes():
    """Check that a [[id]] in any page's text, or a front-matter reference, counts as a reference."""
    assert check_files({"actors/wang-yi.md": WANG, **index("And [[wang-yi]].\n")}) == []
    files = {
        "actors/wang-yi.md": WANG,
        ISSUE: edit(ISSUE, "actors: [canada, marc-garneau]", "actors: [canada, marc-garneau, wang-yi]"),
    }
    assert check_files(files) == []


def test_unreferenced_event_is_exempt():
    """Check that an event nobody references gets no unreferenced warning (the timelines list it)."""
    files = event("events/2021-09-24-talks.md", TALKS)
    assert check_files(files) == []


# --- issue status -----------------------------------------------------------------------------


def test_issue_resolved_without_date():
    """Check that 'status: resolved' without 'resolved' is an error at 'status'."""
    problems = check_files({ISSUE: edit(ISSUE, "resolved: 2021-09-24\n", "")})
    assert only(problems, "issue-status") == [(ISSUE, 5, 1, "issue-status")]


def test_issue_resolved_date_while_active():
    """Check that a 'resolved' date on an issue that is not resolved is an error at that date."""
    problems = check_files({ISSUE: edit(ISSUE, "status: resolved", "status: active")})
    assert only(problems, "issue-status") == [(ISSUE, 7, 11, "issue-status")]
    assert messages(problems, "issue-status") == [
        "'resolved' is set, but 'status' is 'active'. Set 'status: resolved' or remove 'resolved'."
    ]


def test_issue_status_consistent_passes():
    """Check that resolved-with-date and active-without-date both pass."""
    assert only(check_files({}), "issue-status") == []
    files = {
        ISSUE: edit(
            ISSUE,
            "status: resolved\nstarted: 2018-12-10\nresolved: 2021-09-24",
            "status: dormant\nstarted: 2018-12-10",
        ),
        EV: edit(EV, "resolves: [two-michaels]\n", ""),
    }
    assert check_files(files) == []


# --- tags -----------------------------------------------------------------------------------


def test_unknown_tag():
    """Check that a tag outside mkdocs.yml's allowed list is an error at the tag, suggesting the nearest."""
    files = {EV: edit(EV, "issues: [two-michaels]", "issues: [two-michaels]\ntags: [detentions, tarde]")}
    problems = check_files(files, settings={"tags": ["detentions", "trade"]})
    assert codes(problems) == [(EV, 9, 20, "unknown-tag")]
    assert problems[0].message == (
        "'tags' has 'tarde', which is not in the allowed list in mkdocs.yml "
        "(extra: briefing: tags). Did you mean 'trade'?"
    )


def test_allowed_or_unrestricted_tags_pass():
    """Check that allowed tags pass, and any tag passes when mkdocs.yml gives no list."""
    files = {EV: edit(EV, "issues: [two-michaels]", "issues: [two-michaels]\ntags: [detentions, trade]")}
    assert check_files(files, settings={"tags": ["detentions", "trade"]}) == []
    files = {EV: edit(EV, "issues: [two-michaels]", "issues: [two-michaels]\ntags: [anything]")}
    assert check_files(files) == []


# --- source URLs ------------------------------------------------------------------------------


def test_insecure_url():
    """Check that an http:// url without an https archived copy is a warning at 'url'."""
    problems = check_files({CBC: edit(CBC, "https://www.cbc.ca", "http://www.cbc.ca")})
    assert codes(problems) == [(CBC, 5, 1, "insecure-url")]
    assert LEVELS[problems[0].code] == "warning"
    assert problems[0].message.startswith(
        "'url' is 'http://www.cbc.ca/news/x', an unencrypted http:// address."
    )
    archived_http = edit(
        CBC, "url: https://www.cbc.ca/news/x", "url: http://www.cbc.ca/news/x\narchived: http://archive.org/x"
    )
    assert codes(check_files({CBC: archived_http})) == [(CBC, 5, 1, "insecure-url")]


def test_http_url_with_https_archive_passes():
    """Check that an http:// url with an https 'archived' copy passes."""
    text = edit(
        CBC,
        "url: https://www.cbc.ca/news/x",
        "url: http://www.cbc.ca/news/x\narchived: https://web.archive.org/web/2021/https://www.cbc.ca/news/x",
    )
    assert check_files({CBC: text}) == []


def test_duplicate_url():
    """Check that two sources with the same url (modulo scheme, www and trailing slash) warn on the second."""
    copy = edit(CBC, "url: https://www.cbc.ca/news/x", "url: http://cbc.ca/news/x/")
    problems = check_files({"sources/cbc-copy.md": copy, **index("[[cbc-copy]]\n")})
    assert only(problems, "duplicate-url") == [("sources/cbc-copy.md", 5, 1, "duplicate-url")]
    assert messages(problems, "duplicate-url") == [
        "This source has the same 'url' as docs/sources/cbc-2021-09-24-released.md. Cite "
        "'cbc-2021-09-24-released' instead and delete this page."
    ]


def test_distinct_urls_pass():
    """Check that two sources with different urls do not warn."""
    copy = edit(CBC, "url: https://www.cbc.ca/news/x", "url: https://www.cbc.ca/news/y")
    assert check_files({"sources/cbc-copy.md": copy, **index("[[cbc-copy]]\n")}) == []


# --- dates: syntax and order ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "where", "text"),
    [
        ("date: 2021-09-24", "date: 2021-02-30", (EV, 4, 7), "'2021-02-30'"),
        ("date: 2021-09-24", 'date: "Jan 15, 2019"', (EV, 4, 7), "'Jan 15, 2019'"),
        ("date: 2021-09-24", "date: Jan 15, 2019", (EV, 4, 7), "'Jan 15, 2019'"),
        ("date: 2021-09-24", "date: 2021-13", (EV, 4, 7), "'2021-13'"),
        ("date: 2021-09-24", "date: 21-09-24", (EV, 4, 7), "'21-09-24'"),
        ("date: 2021-09-24", "date: [2021]", (EV, 4, 7), "should be a date"),
    ],
)
def test_invalid_date(old, new, where, text):
    """Check that an impossible or malformed date is an error at its value, not an exception."""
    problems = check_files({EV: edit(EV, old, new)})
    assert only(problems, "invalid-date") == [(*where, "invalid-date")]
    assert text in messages(problems, "invalid-date")[0]


def test_invalid_date_in_role_and_unknown_where_not_allowed():
    """Check that a role date and a born date are checked, and 'unknown' is refused where not allowed."""
    text = edit(GARNEAU, "start: 2021-01-12", "start: 2021-02-29")
    text = text.replace("born: 1949-02-23", "born: unknown")
    problems = check_files({GARNEAU: text})
    assert only(problems, "invalid-date") == [
        (GARNEAU, 6, 7, "invalid-date"),
        (GARNEAU, 11, 12, "invalid-date"),
    ]


def test_valid_dates_pass():
    """Check that 2020-02-29 (a leap day), a month and a year, and 'unknown' where allowed, are valid dates."""
    text = edit(GARNEAU, "start: 2021-01-12", "start: unknown").replace("born: 1949-02-23", "born: 1949-02")
    cbc = edit(CBC, "published: 2021-09-24", "published: unknown")
    files = {
        GARNEAU: text,
        CBC: cbc,
        **event(
            "events/2020-02-29-leap.md",
            """
        type: event
        title: Leap
        date: 2020-02-29
        actors: [canada]
        issues: []
        sources: [globe-2021-01-12-shuffle]
        summary: S.
        """,
        ),
    }
    assert only(check_files(files), "invalid-date") == []


@pytest.mark.parametrize(
    ("files", "where", "message"),
    [
        pytest.param(
            {EV: edit(EV, "date: 2021-09-24", "date: 2021-09-24\nend: 2021-09-23")},
            (EV, 5, 6),
            "'end' (2021-09-23) is before 'date' (2021-09-24). Swap them or correct one.",
            id="event-end",
        ),
        pytest.param(
            {EV: edit(EV, "date: 2021-09-24", "date: 2021-09-24\nannounced: 2021-09-25")},
            (EV, 4, 7),
            "'date' (2021-09-24) is before 'announced' (2021-09-25). Swap them or correct one.",
            id="event-announced",
        ),
        pytest.param(
            {ISSUE: edit(ISSUE, "started: 2018-12-10", "started: 2021-10")},
            (ISSUE, 7, 11),
            "'resolved' (2021-09-24) is before 'started' (2021-10). Swap them or correct one.",
            id="issue-resolved",
        ),
        pytest.param(
            {GARNEAU: edit(GARNEAU, "end: 2021-10-26", "end: 2020-10-26")},
            (GARNEAU, 12, 10),
            "Role 'foreign-minister-2021' ends (2020-10-26) before it starts (2021-01-12). "
            "Correct one of the dates.",
            id="role-end",
        ),
        pytest.param(
            {GARNEAU: edit(GARNEAU, "born: 1949-02-23", "born: 1949-02-23\ndied: 1948")},
            (GARNEAU, 7, 7),
            "'died' (1948) is before 'born' (1949-02-23). Swap them or correct one.",
            id="died-born",
        ),
        pytest.param(
            {CANADA: edit(CANADA, "kind: state", "kind: state\nfounded: 1867-07-01\ndissolved: 1867-06")},
            (CANADA, 5, 12),
            "'dissolved' (1867-06) is before 'founded' (1867-07-01). Swap them or correct one.",
            id="dissolved-founded",
        ),
    ],
)
def test_date_order(files, where, message):
    """Check that an end certainly before its start is an error at the end."""
    problems = check_files(files)
    assert only(problems, "date-order") == [(*where, "date-order")]
    assert messages(problems, "date-order") == [message]


@pytest.mark.parametrize(
    "files",
    [
        pytest.param(
            {EV: edit(EV, "date: 2021-09-24", "date: 2021-09-24\nend: 2021-09")}, id="end-same-month"
        ),
        pytest.param({EV: edit(EV, "date: 2021-09-24", "date: 2021-09-24\nend: 2021-09-24")}, id="same-day"),
        pytest.param({ISSUE: edit(ISSUE, "started: 2018-12-10", "started: 2021")}, id="started-same-year"),
        pytest.param({GARNEAU: edit(GARNEAU, "end: 2021-10-26", "end: 2021-01")}, id="role-end-same-month"),
        pytest.param(
            {GARNEAU: edit(GARNEAU, "born: 1949-02-23", "born: 1949-02-23\ndied: 1949")}, id="died-same-year"
        ),
    ],
)
def test_date_order_when_possible_passes(files):
    """Check that an order that is merely possible at the dates' precision is not reported."""
    assert only(check_files(files), "date-order") == []


# --- future dates -----------------------------------------------------------------------------

FUTURE_EVENT = """
    type: event
    title: Summit
    date: {day}
    end: 2027-03-01
    actors: [canada]
    issues: []
    sources: [globe-2021-01-12-shuffle]
    summary: S.
    """


@pytest.mark.parametrize(
    ("files", "where", "start"),
    [
        pytest.param(
            event("events/2026-11-30-summit.md", FUTURE_EVENT.format(day="2026-11-30")),
            ("events/2026-11-30-summit.md", 4, 7),
            "'date' is 2026-11-30, after today (2026-11-29).",
            id="event-date",
        ),
        pytest.param(
            event("events/2026-12-summit.md", FUTURE_EVENT.format(day="2026-12")),
            ("events/2026-12-summit.md", 4, 7),
            "'date' is 2026-12, after today (2026-11-29).",
            id="event-month",
        ),
        pytest.param(
            {GARNEAU: edit(GARNEAU, "start: 2021-01-12\n    end: 2021-10-26", "start: 2026-12-01")},
            (GARNEAU, 11, 12),
            "start of role 'foreign-minister-2021' is 2026-12-01, after today (2026-11-29).",
            id="role-start",
        ),
        pytest.param(
            {CBC: edit(CBC, "published: 2021-09-24", "published: 2027")},
            (CBC, 6, 12),
            "'published' is 2027, after today (2026-11-29).",
            id="source-published",
        ),
        pytest.param(
            {CANADA: edit(CANADA, "last_reviewed: 2026-11-01", "last_reviewed: 2026-11-30")},
            (CANADA, 6, 16),
            "'last_reviewed' is 2026-11-30, after today (2026-11-29).",
            id="last-reviewed",
        ),
    ],
)
def test_future_date(files, where, start):
    """Check that an event date, role start, publication or review after today is an error at that date."""
    assert_single(check_files(files), "future-date", where, start)


def test_future_end_and_today_pass():
    """Check that an event dated today (or this month) whose 'end' lies after today is not a future date."""
    files = {
        **event("events/2026-11-29-summit.md", FUTURE_EVENT.format(day="2026-11-29")),
        **event("events/2026-11-summit.md", FUTURE_EVENT.format(day="2026-11")),
    }
    assert only(check_files(files), "future-date") == []


def test_future_date_depends_on_injected_today():
    """Check that the same page is a future date one day and fine the next, by the injected today."""
    files = {CANADA: edit(CANADA, "last_reviewed: 2026-11-01", "last_reviewed: 2026-11-30")}
    assert only(check_files(files, today=date(2026, 11, 29)), "future-date") != []
    assert only(check_files(files, today=date(2026, 11, 30)), "future-date") == []


# --- role tenure, lifespan --------------------------------------------------------------------

TENURE_EVENT = """
    type: event
    title: Visit
    date: {day}
    actors: [canada, marc-garneau]
    roles:
      marc-garneau: foreign-minister-2021
    issues: []
    sources: [gac-2026-01-05-record]
    summary: S.
    """
LATE_SOURCE = {
    "sources/gac-2026-01-05-record.md": """\
    ---
    type: source
    title: Ministers of Foreign Affairs since 1909
    publisher: Global Affairs Canada
    url: https://www.international.gc.ca/ministers
    published: 2026-01-05
    kind: primary
    ---
    """
}


def tenure_event(path: str, day: str) -> dict[str, str]:
    """An event on `day` with marc-garneau acting as foreign-minister-2021 (role id on line 7, col 17)."""
    return {**LATE_SOURCE, **event(path, TENURE_EVENT.format(day=day))}


def test_role_tenure_month_containing_the_end_passes():
    """Check that an event dated 2021-10 with a role that ended 2021-10-26 is possibly in office: no problem."""
    problems = check_files(tenure_event("events/2021-10-visit.md", "2021-10"))
    assert problems == []


def test_role_tenure_after_end():
    """Check that an event dated 2021-11 is after a role ending 2021-10-26, naming the office and dates."""
    problems = check_files(tenure_event("events/2021-11-visit.md", "2021-11"))
    assert codes(problems) == [("events/2021-11-visit.md", 7, 17, "role-tenure")]
    assert problems[0].message == (
        "This event (November 2021) is after 'marc-garneau' left office: the role 'foreign-minister-2021' is "
        "Minister of Foreign Affairs from 12 January 2021 to 26 October 2021. Check the date or the role."
    )


def test_role_tenure_before_start():
    """Check that an event before a role's start is an error; the month of the start passes."""
    problems = check_files(tenure_event("events/2020-12-visit.md", "2020-12"))
    assert codes(problems) == [("events/2020-12-visit.md", 7, 17, "role-tenure")]
    assert "(December 2020) is before 'marc-garneau' took office" in problems[0].message
    assert check_files(tenure_event("events/2021-01-visit.md", "2021-01")) == []


def test_role_with_unknown_start_checked_only_against_its_end():
    """Check that a role with start 'unknown' accepts any early event but still rejects one after its end."""
    files = {GARNEAU: edit(GARNEAU, "start: 2021-01-12", "start: unknown")}
    early = {**files, **tenure_event("events/1990-visit.md", "1990")}
    assert only(check_files(early), "role-tenure") == []
    late = {**files, **tenure_event("events/2022-01-05-visit.md", "2022-01-05")}
    problems = check_files(late)
    assert only(problems, "role-tenure") == [("events/2022-01-05-visit.md", 7, 17, "role-tenure")]
    assert "from an unknown date to 26 October 2021" in messages(problems, "role-tenure")[0]


def test_open_role_has_no_end():
    """Check that a role without 'end' (still held) accepts events after its start."""
    files = {
        GARNEAU: edit(GARNEAU, "    end: 2021-10-26\n", ""),
        **tenure_event("events/2025-visit.md", "2025"),
    }
    assert only(check_files(files), "role-tenure") == []


def test_lifespan_person_born_after_event():
    """Check that an event involving a person born after it is an error at the actor in 'actors'."""
    problems = check_files({GARNEAU: edit(GARNEAU, "born: 1949-02-23", "born: 2021-09-25")})
    assert only(problems, "lifespan") == [(EV, 5, 18, "lifespan")]
    assert messages(problems, "lifespan") == [
        "This event (24 September 2021) involves 'marc-garneau', who was born on 25 September 2021. "
        "Check the date or the actor."
    ]


def test_lifespan_person_died_before_event():
    """Check that an event involving a person who died before it is an error; dying that day passes."""
    problems = check_files({GARNEAU: edit(GARNEAU, "born: 1949-02-23", "born: 1949-02-23\ndied: 2021-09-23")})
    assert only(problems, "lifespan") == [(EV, 5, 18, "lifespan")]
    same_day = {GARNEAU: edit(GARNEAU, "born: 1949-02-23", "born: 1949-02-23\ndied: 2021-09-24")}
    assert only(check_files(same_day), "lifespan") == []


def test_lifespan_organization_dissolved_before_event():
    """Check that an event involving an organization dissolved before it is an error at that actor."""
    problems = check_files({CANADA: edit(CANADA, "kind: state", "kind: organization\ndissolved: 2021-09-23")})
    assert only(problems, "lifespan") == [(EV, 5, 10, "lifespan")]
    assert messages(problems, "lifespan") == [
        "This event (24 September 2021) involves 'canada', dissolved on 23 September 2021. "
        "Check the date or the actor."
    ]


def test_lifespan_possible_passes():
    """Check that dissolution in the event's month, or founding in its year, is not reported."""
    files = {CANADA: edit(CANADA, "kind: state", "kind: organization\nfounded: 2021\ndissolved: 2021-09")}
    assert only(check_files(files), "lifespan") == []


# --- sources, issues, resolves ----------------------------------------------------------------


def test_source_before_event():
    """Check that a cited source published before the event is an error at the source id."""
    problems = check_files({CBC: edit(CBC, "published: 2021-09-24", "published: 2021-09-23")})
    assert codes(problems) == [(EV, 10, 11, "source-before-event")]
    assert problems[0].message == (
        "Source 'cbc-2021-09-24-released' was published on 23 September 2021, before this event (dated "
        "24 September 2021). Cite a later source, or set 'announced' if the event was announced in advance."
    )


def test_source_before_event_exemptions():
    """Check that 'announced', 'published: unknown' and a source of the event's month are exempt."""
    early = {CBC: edit(CBC, "published: 2021-09-24", "published: 2021-09-23")}
    announced = {**early, EV: edit(EV, "date: 2021-09-24", "date: 2021-09-24\nannounced: 2021-09-20")}
    assert check_files(announced) == []
    unknown = {CBC: edit(CBC, "published: 2021-09-24", "published: unknown")}
    assert check_files(unknown) == []
    month = {CBC: edit(CBC, "published: 2021-09-24", "published: 2021-09")}
    assert check_files(month) == []


def test_source_before_announcement():
    """Check that with 'announced', a source published before the announcement is still an error."""
    files = {
        CBC: edit(CBC, "published: 2021-09-24", "published: 2021-09-19"),
        EV: edit(EV, "date: 2021-09-24", "date: 2021-09-24\nannounced: 2021-09-20"),
    }
    problems = check_files(files)
    assert codes(problems) == [(EV, 11, 11, "source-before-event")]
    assert "before this event (announced 20 September 2021)" in problems[0].message


def test_event_before_issue():
    """Check that an event of an issue dated before the issue started is an error at the issue id."""
    files = {
        ISSUE: edit(ISSUE, "started: 2018-12-10", "started: 2021-09-25\nresolved: 2021-09-25").replace(
            "resolved: 2021-09-24\n", ""
        )
    }
    problems = check_files(files)
    assert only(problems, "event-before-issue") == [(EV, 8, 10, "event-before-issue")]
    assert messages(problems, "event-before-issue")[0].startswith(
        "This event (24 September 2021) is part of 'two-michaels', which started on 25 September 2021."
    )


def test_event_in_issue_start_month_passes():
    """Check that an issue started '2021-09' may contain an event of 24 September 2021."""
    files = {ISSUE: edit(ISSUE, "started: 2018-12-10", "started: 2021-09")}
    assert check_files(files) == []


def test_resolves_issue_not_resolved():
    """Check that resolving an issue whose status is not 'resolved' is an error at the resolves item."""
    files = {
        ISSUE: edit(
            ISSUE,
            "status: resolved\nstarted: 2018-12-10\nresolved: 2021-09-24",
            "status: active\nstarted: 2018-12-10",
        )
    }
    problems = check_files(files)
    assert codes(problems) == [(EV, 9, 12, "resolves-mismatch")]
    assert problems[0].message == (
        "This event resolves 'two-michaels', but that issue's status is 'active'. "
        "Set 'status: resolved' and 'resolved: 2021-09-24' on the issue."
    )


def test_resolves_dates_differ():
    """Check that resolving an issue whose 'resolved' date differs from the event's is an error."""
    problems = check_files({ISSUE: edit(ISSUE, "resolved: 2021-09-24", "resolved: 2021-09-25")})
    assert codes(problems) == [(EV, 9, 12, "resolves-mismatch")]
    assert problems[0].message == (
        "This event (24 September 2021) resolves 'two-michaels', but the issue says "
        "it was resolved on 25 September 2021. Make the two dates agree."
    )


def test_resolves_matching_at_precision_passes():
    """Check that an issue resolved '2021-09' matches an event of 24 September 2021."""
    assert check_files({ISSUE: edit(ISSUE, "resolved: 2021-09-24", "resolved: 2021-09")}) == []


# --- relative time ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "col", "word"),
    [
        ("The minister spoke on Monday about trade.", 20, "on Monday"),
        ("Talks recently resumed.", 7, "recently"),
        ("Canada protested last week.", 18, "last week"),
        ("Exports fell this year.", 14, "this year"),
        ("Two envoys are currently posted.", 16, "currently"),
        ("Yesterday the embassy closed.", 1, "Yesterday"),
        ("The embassy closed yesterday.", 20, "yesterday"),
    ],
)
def test_relative_time_flagged(line, col, word):
    """Check that relative time in a sentence without a year is a warning at the word."""
    problems = check_files(index(line + "\n"))
    assert codes(problems) == [("index.md", 5, col, "relative-time")]
    assert LEVELS[problems[0].code] == "warning"
    assert problems[0].message.startswith(f"'{word}' is relative time in a sentence with no date")


def test_relative_time_position_in_entity_page():
    """Check that the line counts the front matter and the column is of the word within its line."""
    files = {EV: edit(EV, "both men flew home.", "both men flew home.\n\nThe envoy recently left.")}
    assert codes(check_files(files)) == [(EV, 18, 11, "relative-time")]


@pytest.mark.parametrize(
    "line",
    [
        "The minister spoke on Monday, 15 March 2021, about trade.",
        "As of 2021 two envoys are currently posted.",
        'He said "talks recently resumed" to reporters.',
        "He said “talks recently resumed” to reporters.",
        "Write `recently` in code.",
        "See [recently published](https://example.org/a) for more.",
        "Vaughan Today reported the visit.",
        "The paper USA Today reported it.",
    ],
)
def test_relative_time_not_flagged(line):
    """Check that a year in the sentence, a quotation, code, link text or a capitalised name is not flagged."""
    assert check_files(index(line + "\n")) == []


def test_relative_time_in_fenced_code_not_flagged():
    """Check that relative words inside a fenced code block are not flagged."""
    assert check_files(index("```\nrecently on Monday\n```\n")) == []


def test_relative_time_is_per_sentence():
    """Check that a year in the previous sentence does not anchor the next one."""
    problems = check_files(index("Talks began in 2019. They recently stalled.\n"))
    assert codes(problems) == [("index.md", 5, 27, "relative-time")]


def test_relative_time_capitalised_after_heading_or_in_list():
    """Check that 'Recently ...' at the start of a paragraph after a heading, or of a list item, is flagged."""
    problems = check_files(index("## Latest\n\nRecently the talks stalled.\n\n- Currently, nothing moves.\n"))
    assert codes(problems) == [("index.md", 7, 1, "relative-time"), ("index.md", 9, 3, "relative-time")]


# --- review notices ---------------------------------------------------------------------------

LATER_EVENT = """
    type: event
    title: Talks
    date: {day}
    actors: [canada]
    issues: []
    sources: [{src}]
    summary: S.
    """


def later_source(day: str) -> dict[str, str]:
    text = edit(CBC, "url: https://www.cbc.ca/news/x", f"url: https://www.cbc.ca/news/{day}")
    return {f"sources/cbc-{day}.md": text.replace("published: 2021-09-24", f"published: {day}")}


def test_events_since_review():
    """Check that events after an actor's last review give a notice at 'last_reviewed' with their count."""
    files = {
        **later_source("2026-11-10"),
        **later_source("2026-11-20"),
        **event("events/2026-11-10-talks.md", LATER_EVENT.format(day="2026-11-10", src="cbc-2026-11-10")),
        **event("events/2026-11-20-talks.md", LATER_EVENT.format(day="2026-11-20", src="cbc-2026-11-20")),
    }
    problems = check_files(files)
    assert codes(problems) == [(CANADA, 6, 16, "events-since-review")]
    assert LEVELS[problems[0].code] == "notice"
    assert problems[0].message.startswith(
        "2 events since the last review (1 November 2026); the newest is '2026-11-20-talks'."
    )


def test_one_event_since_review_is_singular():
    """Check that one newer event is counted in the singular."""
    files = {
        **later_source("2026-11-10"),
        **event("events/2026-11-10-talks.md", LATER_EVENT.format(day="2026-11-10", src="cbc-2026-11-10")),
    }
    problems = check_files(files)
    assert [p.message.split(";")[0] for p in problems] == ["1 event since the last review (1 November 2026)"]


def test_event_on_review_day_or_its_month_is_not_since_review():
    """Check that an event on the review day, or of the review's month, is not counted as newer."""
    files = {
        **later_source("2026-11-01"),
        **event("events/2026-11-01-talks.md", LATER_EVENT.format(day="2026-11-01", src="cbc-2026-11-01")),
        **event("events/2026-11-talks.md", LATER_EVENT.format(day="2026-11", src="cbc-2026-11-01")),
    }
    assert check_files(files) == []


def test_review_overdue():
    """Check that last_reviewed + 6 months before today is a notice at 'last_reviewed' (pinned today)."""
    problems = check_files({}, today=date(2027, 5, 2))
    assert codes(problems) == [
        (CANADA, 6, 16, "review-overdue"),
        (GARNEAU, 7, 16, "review-overdue"),
        (ISSUE, 9, 16, "review-overdue"),
    ]
    assert {LEVELS[p.code] for p in problems} == {"notice"}
    assert problems[0].message == (
        "The review was due on 2027-05-01 (last reviewed 1 November 2026, every "
        "6 months). Check the page against new events and update 'last_reviewed'."
    )


def test_review_not_overdue_on_due_day():
    """Check that on the due day itself (one day earlier) there is no notice."""
    assert check_files({}, today=date(2027, 5, 1)) == []


def test_review_in_of_the_page_wins():
    """Check that a page's own review_in (90 days) replaces the site default."""
    files = {CANADA: edit(CANADA, "last_reviewed", "review_in: 90 days\nlast_reviewed")}
    assert check_files(files, today=date(2027, 1, 30)) == []
    problems = check_files(files, today=date(2027, 1, 31))
    assert codes(problems) == [(CANADA, 7, 16, "review-overdue")]
    assert "due on 2027-01-30" in problems[0].message and "every 90 days" in problems[0].message


@pytest.mark.parametrize(
    "files",
    [
        pytest.param(
            {CANADA: edit(CANADA, "last_reviewed", "review_in: 99999999 years\nlast_reviewed")},
            id="huge-years",
        ),
        pytest.param(
            {CANADA: edit(CANADA, "last_reviewed", "review_in: 999999999 days\nlast_reviewed")},
            id="huge-days",
        ),
        pytest.param(
            {CANADA: edit(CANADA, "last_reviewed: 2026-11-01", "last_reviewed: 9999-12-31")}, id="year-9999"
        ),
    ],
)
def test_review_interval_overflow_is_a_problem_not_a_crash(files):
    """Check that an absurd review interval or last_reviewed gives problems, never an exception."""
    problems = check_files(files)
    assert all(p.code in LEVELS for p in problems)


# --- unsafe HTML ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "col", "what"),
    [
        ("<script>alert(1)</script>", 1, "element <script>"),
        ('Text <iframe src="https://example.org"></iframe>', 6, "element <iframe>"),
        ('<OBJECT data="x.swf"></OBJECT>', 1, "element <object>"),
        ('A <embed src="x.swf">', 3, "element <embed>"),
        ('<form action="/x"><input></form>', 1, "element <form>"),
        ("<style>body{display:none}</style>", 1, "element <style>"),
        ('<span onclick="steal()">x</span>', 7, "event-handler attribute 'onclick'"),
        ('<img src="x.png" onerror="steal()">', 18, "event-handler attribute 'onerror'"),
        ('<a href="javascript:alert(1)">x</a>', 10, "'javascript:' URL"),
        ('<img src="data:image/svg+xml;base64,PHN2Zz4=">', 11, "'data:' URL"),
        ("A [link](javascript:alert(1)).", 10, "'javascript:' URL"),
        ("An ![image](data:text/html;base64,PHNjcmlwdD4=).", 13, "'data:' URL"),
        ("A [link](<JavaScript:alert(1)>).", 11, "'javascript:' URL"),
    ],
)
def test_unsafe_html(line, col, what):
    """Check that active elements, event handlers and script/data URLs are errors at their position."""
    problems = check_files(index(line + "\n"))
    assert codes(problems) == [("index.md", 5, col, "unsafe-html")]
    assert problems[0].message.startswith(f"The page contains the {what}, which is not allowed")


def test_safe_html_passes():
    """Check that <abbr>, <br>, <span>, https links and HTML shown as code are allowed."""
    body = (
        '<abbr title="Canadian Security Intelligence Service">CSIS</abbr> said so.<br>\n\n'
        '<span class="note">A note</span> and [a link](https://example.org/javascript).\n\n'
        'Write `<script>` or\n\n```html\n<iframe src="x"></iframe>\n```\n'
    )
    assert check_files(index(body)) == []


def test_unsafe_url_in_reference_definition():
    """Check that a reference-style link definition with a javascript: URL is an error."""
    problems = check_files(index("A [link][x].\n\n[x]: javascript:alert(1)\n"))
    assert codes(problems) == [("index.md", 7, 6, "unsafe-html")]


def test_unsafe_url_entity_encoded():
    """Check that href="&#106;avascript:..." is an error."""
    problems = check_files(index('<a href="&#106;avascript:alert(1)">x</a>\n'))
    assert [c[3] for c in codes(problems)] == ["unsafe-html"]


# --- includes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "col"),
    [
        ('--8<-- "../../etc/passwd"', 9),
        ('--8<-- "/etc/passwd"', 9),
        ("--8<-- docs/../../secret.md", 8),
        ('--8<-- "https://example.org/x.md"', 9),
    ],
)
def test_include_outside_repo(line, col):
    """Check that a snippet include leaving the repository is an error at its path."""
    problems = check_files(index(line + "\n"))
    assert codes(problems) == [("index.md", 5, col, "include-outside-repo")]
    assert "names a file outside docs/snippets/" in problems[0].message


def test_include_inside_repo_passes():
    """Check that an include of a snippet by its path in docs/snippets/ (also with a line range), and an escaped
    include (';--8<--'), pass."""
    body = '--8<-- "note.md"\n\n--8<-- "sub/part.md:2:3"\n\n```\n;--8<-- "../../etc/passwd"\n```\n'
    files = {**index(body), "snippets/note.md": "A note.\n", "snippets/sub/part.md": "One.\nTwo.\nThree.\n"}
    assert check_files(files) == []


@pytest.mark.parametrize(
    ("line", "col", "code"),
    [
        ('--8<-- ".git/config"', 9, "include-outside-repo"),
        ('--8<-- "sub/.hidden.md"', 9, "include-outside-repo"),
        ('--8<-- "docs/snippets/note.md"', 9, "include-not-found"),
        ('--8<-- "missing.md"', 9, "include-not-found"),
        ('--8<-- "../index.md"', 9, "include-outside-repo"),
    ],
)
def test_include_must_name_a_snippet(line, col, code):
    """Check that an include names a .md file of docs/snippets/ by its path there: not a hidden file (.git/config
    passed the old check), not a path from the repository root, not a missing file."""
    problems = check_files({**index(line + "\n"), "snippets/note.md": "A note.\n"})
    assert codes(problems) == [("index.md", 5, col, code)]


def test_include_inside_code_block_is_checked():
    """Check that an include inside a fenced code block is checked: snippets expands it before fences."""
    problems = check_files(index('```\n--8<-- "../../etc/passwd"\n```\n'))
    assert codes(problems) == [("index.md", 6, 9, "include-outside-repo")]


def test_include_outside_repo_block_form():
    """Check that a path inside a block-form include ('--8<--' ... '--8<--') is checked too."""
    problems = check_files(index("--8<--\n../../etc/passwd\n--8<--\n"))
    assert codes(problems) == [("index.md", 6, 1, "include-outside-repo")]


def test_problems_are_sorted_by_position():
    """Check that run_checks returns problems sorted by path, then numeric line and column."""
    body = "".join(f"Line {i} recently.\n" for i in range(5, 16))
    problems = check_files(index(body))
    assert [p.line for p in problems] == list(range(5, 16))
    assert re.fullmatch(r"(index\.md)+", "".join(p.path for p in problems))


def test_event_without_summary_is_an_error():
    """Check that an event without its one-line summary is a missing-field error (timelines show the summary)."""
    problems = check_files({EV: edit(EV, "summary: Both men flew home.\n", "")})
    assert codes(problems) == [(EV, 2, 1, "missing-field")]
    assert problems[0].message == "This event has no 'summary' field, which is required."


# --- security: page text, titles, published files ----------------------------------------------

PLAIN = "hostile.md"


@pytest.mark.parametrize(
    ("text", "where", "why"),
    [
        ('---\ntitle: "<b>Bold</b>"\n---\n\n# Page\n', (2, 8), "'<', which the theme would print as HTML"),
        ("---\ntitle: Q&amp;A\n---\n\n# Page\n", (2, 8), "a character reference"),
        (
            "---\ndescription: 'x\" onload=\"y'\n---\n\n# Page\n",
            (2, 14),
            "'\"', which can end an HTML attribute",
        ),
        ('---\ntitle: "bell\\a"\n---\n\n# Page\n', (2, 8), "the control character U+0007"),
        ("# &lt;script&gt;\n", (1, 3), "a character reference"),
        ("Intro.\n\n# A <em>title</em>\n", (3, 3), "'<'"),
        ("---\ntags: ['a\"b']\n---\n\n# Page\n", (2, 8), "'\"'"),
    ],
)
def test_not_plain_text(text, where, why):
    """Check that a title (front matter, else the first # heading), a description or a tag with '<', '>', '"', a
    character reference or a control character is an error at the value."""
    problems = [p for p in check_files({PLAIN: text}) if p.code == "not-plain-text"]
    assert [(p.line, p.col) for p in problems] == [where]
    assert why in problems[0].message


def test_plain_text_passes_ampersands_apostrophes_and_headings_in_code():
    """Check that '&' and "'" (64 real titles use them), typographic quotes, and a heading inside code pass."""
    files = {
        PLAIN: "---\ntitle: Trade & tariffs: Canada's “view”\ndescription: Q&A on 5*3 rules\n---\n\n# Page\n",
        "other.md": "```\n# <not> a heading\n```\n\n# Canada's & China's talks\n",
    }
    assert [p for p in check_files(files) if p.code == "not-plain-text"] == []


def test_plain_pages_tags_come_from_the_allowed_list():
    """Check that a plain page's tags are checked against the allowed list like an entity's."""
    files = {PLAIN: "---\ntags: [trade, tarde]\n---\n\n# Page\n"}
    problems = check_files(files, settings={"tags": ["law", "trade"]})
    assert codes(problems) == [(PLAIN, 2, 15, "unknown-tag")]
    assert "Did you mean 'trade'?" in problems[0].message
    files = {PLAIN: "---\ntags: [trade]\n---\n\n# Page\n"}
    assert check_files(files, settings={"tags": ["law", "trade"]}) == []


@pytest.mark.parametrize(
    "path", ["timeline/1999.md", "timeline/index.md", "actors/index.md", "graph.md", "now.md"]
)
def test_generated_path(path):
    """Check that a page where the build generates one is an error naming the path."""
    problems = [p for p in check_files({path: "# Mine\n"}) if p.code == "generated-path"]
    assert codes(problems) == [(path, 1, 1, "generated-path")]
    assert f"docs/{path} is a page the build generates" in problems[0].message


def test_pages_beside_generated_ones_pass():
    """Check that pages next to generated ones, and with similar names, pass."""
    files = {"timelines.md": "# T\n\nSee [[canada]].\n", "actors/notes.md": "# N\n", "graphs/x.md": "# X\n"}
    assert [p for p in check_files(files) if p.code in ("generated-path", "url-collision")] == []


def test_url_collision_names_both_pages():
    """Check that a page at an entity's address (actors/canada/index.md silently replaced actors/canada.md) and
    a redirect at another page's address are errors naming both files."""
    problems = check_files(
        {"actors/canada/index.md": "# Canada\n", "notes/README.md": "# R\n", "notes.md": "# N\n"}
    )
    assert codes(problems) == [
        ("actors/canada/index.md", 1, 1, "url-collision"),
        ("notes/README.md", 1, 1, "url-collision"),
    ]
    assert (
        "docs/actors/canada/index.md and docs/actors/canada.md have the same address" in problems[0].message
    )
    src = textwrap.dedent(BASE["sources/cbc-2021-09-24-released.md"]).replace(
        "kind: secondary", "kind: secondary\nredirect_from: [globe-2021-01-12-shuffle]"
    )
    problems = [
        p for p in check_files({"sources/cbc-2021-09-24-released.md": src}) if p.code == "url-collision"
    ]
    assert codes(problems) == [("sources/cbc-2021-09-24-released.md", 8, 1, "url-collision")]
    assert "which is the address of docs/sources/globe-2021-01-12-shuffle.md" in problems[0].message


def test_distinct_addresses_pass():
    """Check that an index page and a page of the same folder, and a redirect to a free address, pass."""
    src = textwrap.dedent(BASE["sources/cbc-2021-09-24-released.md"]).replace(
        "kind: secondary", "kind: secondary\nredirect_from: [cbc-old-name]"
    )
    files = {"notes/index.md": "# N\n", "notes/a.md": "# A\n", "sources/cbc-2021-09-24-released.md": src}
    assert [p for p in check_files(files) if p.code == "url-collision"] == []


@pytest.mark.parametrize(
    ("text", "line", "col", "what"),
    [
        ('<svg width="1"></svg>', 5, 1, "element <svg>"),
        ('<base href="https://evil.example/">', 5, 1, "element <base>"),
        ('<meta http-equiv="refresh" content="0">', 5, 1, "element <meta>"),
        ('<link rel="stylesheet" href="x.css">', 5, 1, "element <link>"),
        ('<div style="position:fixed">x</div>', 5, 6, "attribute 'style'"),
        ('Text\n{: onmouseover="x()" }', 6, 4, "event-handler attribute 'onmouseover'"),
        (
            '<a href="java&#x09;script:x()">x</a>',
            5,
            10,
            "'javascript:' URL written with character references",
        ),
        ("[x](jav&#97;script:x())", 5, 5, "'javascript:' URL written with character references"),
        ("Text `a\n<script>x()</script>\nb`.", 6, 1, "element <script>"),
        ("```!!!\n<script>x()</script>\n```", 6, 1, "element <script>"),
    ],
)
def test_unsafe_html_that_the_first_scan_missed(text, line, col, what):
    """Check that the source scan reports what it used to miss (issue 16): <svg>, <base>, <meta>, <link>, style=,
    attr_list handlers, entity-encoded schemes, and <script> starting a line inside a seeming code span or a
    pseudo-fence (Markdown opens an HTML block there)."""
    problems = check_files(index(text + "\n"))
    assert [(p.line, p.col, p.code) for p in problems] == [(line, col, "unsafe-html")]
    assert what in problems[0].message


def test_html_in_real_code_and_safe_links_pass():
    """Check that the same constructs inside real code blocks and spans, and http(s), mailto and relative links,
    pass the source scan."""
    body = (
        "```html\n<svg/onload=x()>\n<script>x()</script>\n```\n\n`<base href=x>` and `style=`\n\n"
        '[a](https://x.org) [b](mailto:a@b.org) [c](../x.md) [d](#top) <a href="https://x.org/&amp;">e</a>\n'
    )
    assert check_files(index(body)) == []


def test_files_that_may_not_be_published(tmp_path):
    """Check that briefing.publish reports a symbolic link, a bad file name and an unpublishable file type, each
    at 1:1 of its path, and passes the files docs/ may hold."""
    from briefing import publish

    docs = tmp_path / "docs"
    (docs / "assets").mkdir(parents=True)
    (docs / "ok.md").write_text("# Ok\n")
    (docs / "assets" / "map.png").write_bytes(b"\x89PNG")
    assert publish.scan(docs) == []
    (docs / "env.md").symlink_to("/proc/self/environ")
    (docs / "page.html").write_text("<script>x()</script>")
    (docs / "evil\u202egnp.md").write_text("# X\n")
    found = [(p.path, p.line, p.col, p.code) for p in publish.scan(docs)]
    assert sorted(found) == [
        ("env.md", 1, 1, "symlink"),
        ("evil\u202egnp.md", 1, 1, "bad-file-name"),
        ("page.html", 1, 1, "unpublishable-file"),
    ]
