"""The state of play: offices and measures, their rules, and the State of play page on pinned days."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from briefing.checks import LEVELS
from sitekit import BASE, check_files, codes, mkdocs_build, write_site

OFFICES = {
    "offices": {
        "canada-foreign-minister": {"label": "Minister of Foreign Affairs", "side": "canada"},
        "china-foreign-minister": {"label": "Minister of Foreign Affairs of China", "side": "china"},
    },
    "office_gap": "90 days",
}


def person(pid: str, name: str, roles: str) -> str:
    return (
        textwrap.dedent(f"""\
        ---
        type: actor
        kind: person
        name: {name}
        summary: A minister.
        last_reviewed: 2026-11-01
        roles:
        """)
        + textwrap.indent(textwrap.dedent(roles), "  ")
        + f"---\n\n# {name}\n\nSee [[{pid}]].\n"
    )


def role(rid: str, start: str, end: str | None = None, office: str = "canada-foreign-minister") -> str:
    end_line = f"  end: {end}\n" if end else ""
    return (
        f"- id: {rid}\n  title: Minister of Foreign Affairs\n  office: {office}\n  start: {start}\n{end_line}"
        "  sources: [globe-2021-01-12-shuffle]\n"
    )


GARNEAU = "actors/marc-garneau.md"
JOLY = "actors/melanie-joly.md"
# The BASE Garneau role, now with its office (lines 9-14 of the file)
GARNEAU_OFFICE = textwrap.dedent(BASE[GARNEAU]).replace(
    "    title: Minister of Foreign Affairs\n",
    "    title: Minister of Foreign Affairs\n    office: canada-foreign-minister\n",
)


def joly(start: str, end: str | None = None) -> dict:
    return {
        GARNEAU: GARNEAU_OFFICE,
        JOLY: person("melanie-joly", "Mélanie Joly", role("foreign-minister-2021", start, end)),
    }


def only(problems, code):
    return [c for c in codes(problems) if c[3] == code]


# --- offices ------------------------------------------------------------------------------------


def test_consecutive_holders_pass():
    """Check that a successor starting the day the predecessor left raises nothing."""
    assert check_files(joly("2021-10-26"), settings=OFFICES) == []


def test_overlapping_holders_are_an_error_at_the_earlier_role():
    """Check that two holders overlapping by more than the hand-over day are an error naming both pages."""
    problems = check_files(joly("2021-10-01"), settings=OFFICES)
    assert only(problems, "office-overlap") == [(GARNEAU, 9, 5, "office-overlap")]
    assert "actors/melanie-joly.md:8" in problems[0].message and LEVELS["office-overlap"] == "error"


def test_partial_dates_overlap_only_when_certain():
    """Check that a successor starting in the month the predecessor left (2021-10) is not a certain overlap."""
    assert only(check_files(joly("2021-10"), settings=OFFICES), "office-overlap") == []


def test_holder_without_end_once_a_successor_started_is_an_error():
    """Check that an earlier holder with no 'end' while a later holder has started is an error."""
    files = joly("2021-10-26")
    files[GARNEAU] = GARNEAU_OFFICE.replace("    end: 2021-10-26\n", "")
    problems = check_files(files, settings=OFFICES)
    assert only(problems, "office-end-missing") == [(GARNEAU, 9, 5, "office-end-missing")]


def test_end_unknown_is_never_a_certain_overlap_nor_missing():
    """Check that 'end: unknown' (ended on a day not known) raises neither overlap nor a missing end."""
    files = joly("2021-10-26")
    files[GARNEAU] = GARNEAU_OFFICE.replace("    end: 2021-10-26\n", "    end: unknown\n")
    assert [c for c in codes(check_files(files, settings=OFFICES)) if c[3].startswith("office")] == []


def test_long_gap_in_a_tracked_office_is_a_notice():
    """Check that more than `office_gap` between two holders of a tracked office is a notice, not a failure."""
    problems = check_files(joly("2022-03-01"), settings=OFFICES)
    assert only(problems, "office-gap") == [(GARNEAU, 9, 5, "office-gap")]
    assert LEVELS["office-gap"] == "notice"
    assert only(check_files(joly("2021-12-01"), settings=OFFICES), "office-gap") == []


def test_acting_roles_without_office_raise_nothing():
    """Check that an overlapping role without `office` (an acting minister) is not an office holder."""
    acting = role("acting-2021", "2021-10-01").replace("  office: canada-foreign-minister\n", "")
    files = {GARNEAU: GARNEAU_OFFICE, JOLY: person("melanie-joly", "Mélanie Joly", acting)}
    files["index.md"] = textwrap.dedent(BASE["index.md"]) + "\nAlso [[melanie-joly]].\n"
    assert check_files(files, settings=OFFICES) == []


# --- measures -----------------------------------------------------------------------------------

EVENT = "events/2024-08-26-surtax.md"
ISSUE = "issues/two-michaels.md"


def surtax(measure: str, actors: str = "[canada, marc-garneau]", date: str = "2021-09-24") -> dict:
    text = (
        textwrap.dedent(f"""\
        ---
        type: event
        title: Surtax
        date: {date}
        actors: {actors}
        issues: [two-michaels]
        sources: [cbc-2021-09-24-released]
        measures:
        """)
        + textwrap.indent(textwrap.dedent(measure), "  ")
        + "summary: A surtax.\n---\n\n# Surtax\n"
    )
    return {EVENT.replace("2024-08-26", date): text}


MEASURE = """\
- id: canada-surtax
  by: canada
  on: [marc-garneau]
  what: 100% surtax
  confirmed: 2026-11-01
"""


def test_a_well_formed_measure_passes():
    """Check that a measure with its actors listed and a recent confirmation raises nothing."""
    assert check_files(surtax(MEASURE)) == []


def test_measure_actor_not_in_event_actors():
    """Check that `on` naming an actor missing from the event's actors is an error at that id."""
    problems = check_files(surtax(MEASURE, actors="[canada]"))
    assert only(problems, "measure-actor-not-listed") == [
        ("events/2021-09-24-surtax.md", 11, 10, "measure-actor-not-listed")
    ]


@pytest.mark.parametrize(
    ("extra", "line"),
    [
        ("  until: 2021-01-01\n", 14),  # ends before it starts (the event's date)
        (
            "  until: 2022-01-01\n  suspended:\n    - from: 2021-01-01\n      until: 2021-02-01\n",
            16,
        ),  # before it
        (
            "  suspended:\n    - from: 2022-01-01\n      until: 2022-06-30\n    - from: 2022-06-01\n"
            "      until: 2022-07-31\n",
            17,
        ),  # two suspensions overlap
    ],
)
def test_measure_dates(extra, line):
    """Check that an end before the start, a suspension outside the span, and overlapping suspensions are errors."""
    problems = check_files(surtax(MEASURE + extra))
    assert [c[1] for c in only(problems, "measure-dates")] == [line]


def test_duplicate_measure_id():
    """Check that one measure id on two events is an error on the later one."""
    files = surtax(MEASURE) | surtax(MEASURE, date="2021-09-25")
    problems = check_files(files)
    assert only(problems, "duplicate-measure") == [("events/2021-09-25-surtax.md", 9, 5, "duplicate-measure")]


def test_unconfirmed_measure_is_a_notice_after_the_review_interval():
    """Check that a measure with no end, last confirmed more than six months ago, is a 'still in force?' notice."""
    old = MEASURE.replace("confirmed: 2026-11-01", "confirmed: 2026-01-01")
    problems = check_files(surtax(old))
    assert only(problems, "measure-unconfirmed") == [
        ("events/2021-09-24-surtax.md", 13, 16, "measure-unconfirmed")
    ]
    assert LEVELS["measure-unconfirmed"] == "notice"


def test_measure_change_after_the_issue_review_is_a_notice_on_the_issue():
    """Check that a measure of an issue's event that ceased to apply after the issue's last review is a notice on the
    issue from the day after its `until`, and that an end still in the future is not."""
    ended = MEASURE.replace("confirmed: 2026-11-01", "until: 2026-11-10")
    problems = check_files(surtax(ended))
    assert only(problems, "measure-since-review") == [(ISSUE, 9, 16, "measure-since-review")]
    assert "ceased to apply on 11 November 2026" in problems[0].message
    later = MEASURE.replace("confirmed: 2026-11-01", "until: 2026-11-29")  # its last day is today
    assert only(check_files(surtax(later)), "measure-since-review") == []


# --- sources and wording -------------------------------------------------------------------------

CBC = "sources/cbc-2021-09-24-released.md"


def test_copy_without_original_is_a_warning():
    """Check that `kind: copy` without `copy_of` is a warning at 'kind', and with it passes."""
    text = textwrap.dedent(BASE[CBC]).replace("kind: secondary", "kind: copy")
    assert only(check_files({CBC: text}), "copy-without-original") == [(CBC, 7, 1, "copy-without-original")]
    fixed = text.replace("kind: copy", "kind: copy\ncopy_of: The Canadian Press")
    assert check_files({CBC: fixed}) == []


def test_event_resting_only_on_social_posts():
    """Check that an event whose only source is social is a warning unless it says `unconfirmed: true`."""
    social = textwrap.dedent(BASE[CBC]).replace("kind: secondary", "kind: social")
    problems = check_files({CBC: social})
    assert only(problems, "social-only") == [("events/2021-09-24-michaels-released.md", 10, 1, "social-only")]
    ev = textwrap.dedent(BASE["events/2021-09-24-michaels-released.md"]).replace(
        "type: event", "type: event\nunconfirmed: true"
    )
    assert only(check_files({CBC: social, "events/2021-09-24-michaels-released.md": ev}), "social-only") == []


def test_process_talk_on_reader_pages():
    """Check that a listed process phrase is a warning on a reader page and allowed on about.md."""
    settings = {"process_phrases": ["the research", "stored pages"]}
    page = "# Notes\n\nAs the research shows, [[canada]] acted.\n"
    problems = check_files({"notes.md": page}, settings=settings)
    assert only(problems, "process-talk") == [("notes.md", 3, 4, "process-talk")]
    assert check_files({"about.md": page}, settings=settings) == []
    assert check_files({"notes.md": page.replace("the research", "the report")}, settings=settings) == []


# --- the State of play page on pinned days -------------------------------------------------------

CFG_OFFICES = """\
    offices:
      canada-foreign-minister: {label: Minister of Foreign Affairs, side: canada}
"""
SUSPENDED = """\
- id: canada-surtax
  by: canada
  on: [marc-garneau]
  what: 100% surtax on things
  from: 2021-10-01
  confirmed: 2021-11-01
  suspended:
    - from: 2021-11-01
      until: 2021-11-30
"""


def state_site(tmp_path: Path) -> Path:
    files = surtax(SUSPENDED) | {
        GARNEAU: GARNEAU_OFFICE,
        JOLY: person("melanie-joly", "Mélanie Joly", role("foreign-minister-2021", "2021-10-26")),
        "index.md": "# Home\n\n<!-- briefing:state-of-play -->\n\nSee [[canada]] and [[two-michaels]].\n",
    }
    root = write_site(tmp_path, files)
    cfg = root / "mkdocs.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + CFG_OFFICES, encoding="utf-8")
    return root


def text_of(path: Path) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")))


@pytest.mark.build
@pytest.mark.parametrize(
    ("today", "holder", "in_force"),
    [
        ("2021-09-30", "Marc Garneau", False),  # before the measure starts
        ("2021-10-01", "Marc Garneau", True),  # its first day
        ("2021-10-27", "Mélanie Joly", True),  # the office changed hands on 26 October
        ("2021-11-15", "Mélanie Joly", False),  # suspended
        ("2021-12-01", "Mélanie Joly", True),  # applies again the day after the suspension
    ],
)
def test_state_of_play_moves_with_today(tmp_path, today, holder, in_force):
    """Check that the State of play page and the home page's box follow BRIEFING_TODAY: the office holder changes
    on the hand-over, and the measure is in force from its start, out during its suspension, back after it."""
    root = state_site(tmp_path)
    run = mkdocs_build(root, today=today, strict=False)
    assert run.returncode == 0, run.stderr
    now = text_of(root / "site" / "now" / "index.html")
    human = {"2021-09-30": "30 September 2021", "2021-10-01": "1 October 2021", "2021-10-27": "27 October 2021",
             "2021-11-15": "15 November 2021", "2021-12-01": "1 December 2021"}[today]  # fmt: skip
    assert f"State of play as of {human}" in now
    assert f"Minister of Foreign Affairs {holder}" in now
    assert ("100% surtax on things" in now.rsplit("Open issues", 1)[0]) is in_force
    home = text_of(root / "site" / "index.html")
    assert f"Foreign minister {holder} since" in home
    assert f"{int(in_force)} measure{'' if in_force else 's'} in force" in home


def test_issue_page_notice_the_day_after_a_measure_ceased():
    """Check that an issue's page says it may be out of date from the day after one of its measures' `until`, and
    names the change, while the day before it does not."""
    from datetime import date

    from briefing.frontmatter import make_site, parse_page
    from briefing.render import render_review_notice

    files = {k: textwrap.dedent(v) for k, v in BASE.items()}
    files |= surtax(MEASURE.replace("confirmed: 2026-11-01", "until: 2026-11-20"))
    parsed = [parse_page(rel, text.encode()) for rel, text in sorted(files.items())]
    site = make_site([p for p, _, _ in parsed if p], [e for _, e, _ in parsed if e], [])
    issue = site.entity("two-michaels")
    assert "may be out of date" not in render_review_notice(site, issue, date(2026, 11, 20))
    after = render_review_notice(site, issue, date(2026, 11, 21))
    assert "may be out of date" in after and "100% surtax ceased to apply on 21 November 2026." in after
