"""Report tests: the exact text and GitHub formats, sorting, and the `python -m briefing` command line."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from briefing import report
from briefing.__main__ import main, make_parser
from briefing.frontmatter import parse_page
from briefing.model import Problem
from briefing.report import format_all, format_github, format_text, sort_problems
from briefing.settings import TodayError, resolve_today
from sitekit import ROOT, check_files, codes, write_site

UNKNOWN = Problem(
    "events/2021-09-24-x.md",
    7,
    3,
    "unknown-reference",
    "'actors' refers to 'marc-garnau', but no actor has that id. Did you mean 'marc-garneau'?",
)


# --- formats ----------------------------------------------------------------------------------


def test_format_text():
    """Check that the text line is exactly path:line:col: level: message [code]."""
    assert format_text(UNKNOWN) == (
        "events/2021-09-24-x.md:7:3: error: 'actors' refers to 'marc-garnau', but no actor has that id. "
        "Did you mean 'marc-garneau'? [unknown-reference]"
    )


def test_format_text_levels():
    """Check that the level word comes from the code: warning for unreferenced, notice for review-overdue."""
    warn = Problem("actors/x.md", 1, 1, "unreferenced", "No page references this actor 'x'.")
    note = Problem("actors/x.md", 6, 16, "review-overdue", "The review was due.")
    assert format_text(warn) == "actors/x.md:1:1: warning: No page references this actor 'x'. [unreferenced]"
    assert format_text(note) == "actors/x.md:6:16: notice: The review was due. [review-overdue]"


def test_format_github():
    """Check that the GitHub workflow command is exact, with the docs/ prefix on the file."""
    assert format_github(UNKNOWN) == (
        "::error file=docs/events/2021-09-24-x.md,line=7,col=3,title=unknown-reference::'actors' refers to "
        "'marc-garnau', but no actor has that id. Did you mean 'marc-garneau'?"
    )
    warn = Problem("actors/x.md", 1, 1, "unreferenced", "Unused.")
    assert format_github(warn) == "::warning file=docs/actors/x.md,line=1,col=1,title=unreferenced::Unused."
    note = Problem("actors/x.md", 2, 5, "events-since-review", "1 event since the last review.")
    assert format_github(note, docs_prefix="site/docs/") == (
        "::notice file=site/docs/actors/x.md,line=2,col=5,title=events-since-review::1 event since the last "
        "review."
    )


def test_format_github_escapes():
    """Check that % is escaped in the message, and % : , in the properties; a line break in the message is shown
    as '\\n' (so no value can start a workflow command on a line of its own)."""
    p = Problem("a,b:c%d.md", 3, 4, "unknown-reference", "100% sure,\nsee: x\r\nend")
    assert format_github(p) == (
        "::error file=docs/a%2Cb%3Ac%25d.md,line=3,col=4,title=unknown-reference::100%25 sure,\\nsee: x\\r\\nend"
    )


def test_format_of_a_real_problem():
    """Check that a problem found by the checks in a fixture site formats to the exact lines."""
    problems = check_files(
        {"index.md": "# Home\n\nSee [[canada]] and [[two-michaels]].\n\nAlso [[marc-garnau]].\n"}
    )
    assert format_all(problems, github=True) == [
        "index.md:5:6: error: The text refers to 'marc-garnau', but no page has that id. Did you mean "
        "'marc-garneau'? [unknown-reference]",
        "::error file=docs/index.md,line=5,col=6,title=unknown-reference::The text refers to 'marc-garnau', but "
        "no page has that id. Did you mean 'marc-garneau'?",
    ]


def test_sort_by_position_and_dedupe():
    """Check that problems sort by path, then numeric line and column, and duplicates are dropped."""
    a10 = Problem("a.md", 10, 1, "relative-time", "m")
    a9 = Problem("a.md", 9, 5, "relative-time", "m")
    a9c2 = Problem("a.md", 9, 2, "unknown-reference", "m")
    b1 = Problem("b.md", 1, 1, "unreferenced", "m")
    ev = Problem("events/x.md", 2, 1, "missing-field", "m")
    assert sort_problems([ev, b1, a10, a9, a9c2, a10]) == [a9c2, a9, a10, b1, ev]
    assert [line.split(":")[1] for line in format_all([a10, a9])] == ["9", "10"]


def test_summary_and_failing():
    """Check that the summary counts each level and that only errors and warnings fail."""
    err, warn = UNKNOWN, Problem("a.md", 1, 1, "unreferenced", "m")
    note = Problem("a.md", 1, 1, "review-overdue", "m")
    assert report.summary([err, note, note]) == "1 error, 0 warnings, 2 notices"
    assert report.summary([]) == "0 errors, 0 warnings, 0 notices"
    assert report.failing([note]) is False
    assert report.failing([note, warn]) is True
    assert report.failing([err]) is True


# --- today ------------------------------------------------------------------------------------

EPOCH_2026_11_29_23H = "1795993200"  # 2026-11-29 23:00 UTC: already 30 November east of UTC+1


def test_resolve_today_precedence():
    """Check that --today beats BRIEFING_TODAY, which beats SOURCE_DATE_EPOCH, read as a UTC date."""
    env = {"BRIEFING_TODAY": "2027-06-01", "SOURCE_DATE_EPOCH": EPOCH_2026_11_29_23H}
    assert resolve_today(env, override="2025-01-02") == date(2025, 1, 2)
    assert resolve_today(env) == date(2027, 6, 1)
    assert resolve_today({"SOURCE_DATE_EPOCH": EPOCH_2026_11_29_23H}) == date(2026, 11, 29)
    assert resolve_today({"BRIEFING_TODAY": " 2027-06-01\n"}) == date(2027, 6, 1)


def test_resolve_today_defaults_to_the_utc_clock():
    """Check that with nothing set, today is the current UTC date."""
    before = datetime.now(UTC).date()
    got = resolve_today({})
    assert got in (before, datetime.now(UTC).date())


@pytest.mark.parametrize(
    ("env", "override", "message"),
    [
        ({}, "2026-13-01", "'today' is '2026-13-01', which is not a date: write YYYY-MM-DD."),
        (
            {"BRIEFING_TODAY": "tomorrow"},
            None,
            "'today' is 'tomorrow', which is not a date: write YYYY-MM-DD.",
        ),
        (
            {"SOURCE_DATE_EPOCH": "soon"},
            None,
            "SOURCE_DATE_EPOCH is 'soon', which is not a number of seconds.",
        ),
        (
            {"SOURCE_DATE_EPOCH": "9" * 30},
            None,
            f"SOURCE_DATE_EPOCH is '{'9' * 30}', which is not a number of seconds.",
        ),
    ],
)
def test_resolve_today_rejects_bad_values(env, override, message):
    """Check that a bad today is a TodayError with a readable message."""
    with pytest.raises(TodayError) as info:
        resolve_today(env, override=override)
    assert str(info.value) == message


# --- the command line -------------------------------------------------------------------------

SUMMARY_RE = re.compile(r"checked (\d+) pages \((\d+) entities\) as of (\S+) in [\d.]+ s: (.*)\n")


def run(root: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """`python -m briefing ARGS` in `root`, with today/CI variables only from `env`."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("BRIEFING_TODAY", "SOURCE_DATE_EPOCH", "GITHUB_ACTIONS", "TZ")
    }
    clean["PYTHONPATH"] = str(ROOT / "hooks")
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-m", "briefing", *args],
        cwd=root,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def summary_of(proc: subprocess.CompletedProcess) -> tuple[str, ...]:
    m = SUMMARY_RE.fullmatch(proc.stderr)
    assert m, proc.stderr
    return m.groups()


BROKEN_INDEX = {"index.md": "# Home\n\nSee [[canada]] and [[two-michaels]].\n\nAlso [[marc-garnau]].\n"}
ERROR_LINE = (
    "index.md:5:6: error: The text refers to 'marc-garnau', but no page has that id. Did you mean "
    "'marc-garneau'? [unknown-reference]"
)
GITHUB_LINE = (
    "::error file=docs/index.md,line=5,col=6,title=unknown-reference::The text refers to "
    "'marc-garnau', but no page has that id. Did you mean 'marc-garneau'?"
)


def test_cli_clean_site_exits_0(tmp_path):
    """Check that a clean site prints nothing on stdout, a summary on stderr, and exits 0."""
    proc = run(write_site(tmp_path, {}), "check", "--today", "2026-11-29")
    assert (proc.returncode, proc.stdout) == (0, "")
    assert summary_of(proc) == ("7", "6", "2026-11-29", "0 errors, 0 warnings, 0 notices")


def test_cli_error_exits_1(tmp_path):
    """Check that an error is printed in the text format and the exit status is 1."""
    proc = run(write_site(tmp_path, BROKEN_INDEX), "check", "--today", "2026-11-29")
    assert (proc.returncode, proc.stdout) == (1, ERROR_LINE + "\n")
    assert summary_of(proc)[3] == "1 error, 0 warnings, 0 notices"


def test_cli_warning_exits_1(tmp_path):
    """Check that a warning alone also fails the check."""
    wang = "---\ntype: actor\nkind: person\nname: Wang Yi\nsummary: A minister.\nlast_reviewed: 2026-11-01\n---\n"
    proc = run(write_site(tmp_path, {"actors/wang-yi.md": wang}), "check", "--today", "2026-11-29")
    assert proc.returncode == 1
    assert proc.stdout.startswith("actors/wang-yi.md:1:1: warning: No page references this actor 'wang-yi'.")


def test_cli_notices_exit_0(tmp_path):
    """Check that notices alone are printed but do not fail (review overdue on 2027-06-01)."""
    proc = run(write_site(tmp_path, {}), "check", "--today", "2027-06-01")
    assert proc.returncode == 0
    assert [line.split(": ")[0:2] for line in proc.stdout.splitlines()] == [
        ["actors/canada.md:6:16", "notice"],
        ["actors/marc-garneau.md:7:16", "notice"],
        ["issues/two-michaels.md:9:16", "notice"],
    ]
    assert summary_of(proc)[2:] == ("2027-06-01", "0 errors, 0 warnings, 3 notices")


def test_cli_today_option_beats_environment(tmp_path):
    """Check that --today wins over BRIEFING_TODAY, which wins over SOURCE_DATE_EPOCH (a UTC date)."""
    root = write_site(tmp_path, {})
    proc = run(root, "check", "--today", "2026-11-29", BRIEFING_TODAY="2027-06-01")
    assert (proc.returncode, summary_of(proc)[2]) == (0, "2026-11-29")
    proc = run(root, "check", BRIEFING_TODAY="2027-06-01", SOURCE_DATE_EPOCH=EPOCH_2026_11_29_23H)
    assert summary_of(proc)[2:] == ("2027-06-01", "0 errors, 0 warnings, 3 notices")
    proc = run(root, "check", SOURCE_DATE_EPOCH=EPOCH_2026_11_29_23H, TZ="Pacific/Kiritimati")
    assert summary_of(proc)[2] == "2026-11-29"


@pytest.mark.parametrize(
    ("args", "env"),
    [(("--format", "github"), {}), ((), {"GITHUB_ACTIONS": "true"})],
    ids=["format-github", "github-actions-env"],
)
def test_cli_github_annotations(tmp_path, args, env):
    """Check that --format github, or GITHUB_ACTIONS=true, adds the ::error line after each text line."""
    proc = run(write_site(tmp_path, BROKEN_INDEX), "check", "--today", "2026-11-29", *args, **env)
    assert (proc.returncode, proc.stdout) == (1, ERROR_LINE + "\n" + GITHUB_LINE + "\n")


def test_cli_format_text_overrides_github_actions(tmp_path):
    """Check that --format text prints no annotations even on GitHub Actions."""
    proc = run(
        write_site(tmp_path, BROKEN_INDEX),
        "check",
        "--today",
        "2026-11-29",
        "--format",
        "text",
        GITHUB_ACTIONS="true",
    )
    assert (proc.returncode, proc.stdout) == (1, ERROR_LINE + "\n")


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (
            ("--today", "29/11/2026"),
            {},
            "error: 'today' is '29/11/2026', which is not a date: write YYYY-MM-DD.\n",
        ),
        (
            (),
            {"BRIEFING_TODAY": "2026-02-30"},
            "error: 'today' is '2026-02-30', which is not a date: write YYYY-MM-DD.\n",
        ),
        (
            (),
            {"SOURCE_DATE_EPOCH": "yesterday"},
            "error: SOURCE_DATE_EPOCH is 'yesterday', which is not a number of seconds.\n",
        ),
        (("--docs", "nowhere"), {}, "error: 'nowhere' is not a folder of Markdown pages.\n"),
    ],
    ids=["bad-option", "bad-env", "bad-epoch", "no-docs"],
)
def test_cli_bad_input_exits_2_without_traceback(tmp_path, args, env, message):
    """Check that a bad today or docs folder is exit status 2 with one message, not a traceback."""
    proc = run(write_site(tmp_path, {}), "check", *args, **env)
    assert (proc.returncode, proc.stdout, proc.stderr) == (2, "", message)


# --- reading the arguments of a plain check without argparse ------------------------------------


def test_check_arguments():
    """Check that the check's options are read by argparse, with their defaults."""
    args = make_parser().parse_args(
        ["check", "--docs", "my docs", "--today", "2026-11-29", "--format", "github"]
    )
    assert (args.docs, args.config, args.today, args.format) == (
        "my docs",
        "mkdocs.yml",
        "2026-11-29",
        "github",
    )
    with pytest.raises(SystemExit):
        make_parser().parse_args(["check", "--format", "html"])


# --- python -m briefing new -------------------------------------------------------------------

EVENT_PATH = "events/2021-09-24-kovrig-and-spavor-released.md"


def loaded(rel: str, text: str) -> list[tuple[str, int, int, str]]:
    """Problems of the BASE site with the new page added."""
    return codes(check_files({rel: text}))


def test_cli_new_event(tmp_path):
    """Check that `new event` writes the dated page, which loads cleanly into the site and is refused twice."""
    root = write_site(tmp_path, {})
    new_event = ("new", "event", "--date", "2021-09-24", "--title", "Kovrig and Spavor released")
    proc = run(root, *new_event, BRIEFING_TODAY="2026-11-29")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == (f"wrote docs/{EVENT_PATH}: fill in the commented fields, then run 'make check'.\n")
    page = root / "docs" / EVENT_PATH
    text = page.read_text(encoding="utf-8")
    _, ev, problems = parse_page(EVENT_PATH, text.encode())
    assert [(p.line, p.code) for p in problems] == [(13, "missing-field")]
    assert (ev.type, ev.name, ev.date.value.text, ev.date.pos.line) == (
        "event",
        "Kovrig and Spavor released",
        "2021-09-24",
        5,
    )
    assert "\n# Kovrig and Spavor released\n" in text
    # 'sources: []' (line 13) is the one thing the editor must still fill in
    assert [c for c in loaded(EVENT_PATH, text) if c[1] != 13] == []

    page.write_text(text + "\nEdited by hand.\n", encoding="utf-8")
    again = run(root, *new_event, BRIEFING_TODAY="2026-11-29")
    assert (again.returncode, again.stdout) == (1, "")
    assert "already exists" in again.stderr and "Traceback" not in again.stderr
    assert page.read_text(encoding="utf-8") == text + "\nEdited by hand.\n"


@pytest.mark.parametrize(
    ("kind", "title", "rel", "allowed_lines"),
    [
        ("actor", "Wang Yi", "actors/wang-yi.md", {10, 14}),  # the role template: its entry and 'sources: []'
        ("issue", "Canola tariffs", "issues/canola-tariffs.md", set()),
        ("source", "Canola tariff notice", "sources/canola-tariff-notice.md", set()),
    ],
)
def test_new_page_of_each_type(tmp_path, monkeypatch, capsys, kind, title, rel, allowed_lines):
    """Check that `new actor|issue|source` writes a page that loads with only the expected warning."""
    root = write_site(tmp_path, {})
    monkeypatch.setenv("BRIEFING_TODAY", "2026-11-29")
    docs = str(root / "docs")
    assert main(["new", kind, "--title", title, "--docs", docs]) == 0
    page = root / "docs" / rel
    text = page.read_text(encoding="utf-8")
    _, entity, problems = parse_page(rel, text.encode())
    assert [(p.line, p.code) for p in problems if p.line not in allowed_lines] == []
    assert all(p.code == "missing-field" for p in problems)
    assert (entity.type, entity.name) == (kind, title)
    assert [c for c in loaded(rel, text) if c[1] not in allowed_lines] == [(rel, 1, 1, "unreferenced")]
    if kind != "source":
        assert entity.last_reviewed.value.text == "2026-11-29"
    capsys.readouterr()

    page.write_text("changed\n", encoding="utf-8")
    assert main(["new", kind, "--title", title, "--docs", docs]) == 1
    assert "already exists" in capsys.readouterr().err
    assert page.read_text(encoding="utf-8") == "changed\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["new", "event", "--title", "Talks"],
            "error: an event needs DATE=YYYY-MM-DD (or YYYY-MM, YYYY); got ''.",
        ),
        (["new", "event", "--date", "2021-02-30", "--title", "Talks"], "got '2021-02-30'"),
        (["new", "actor", "--title", "  "], "error: give a title"),
        (["new", "actor", "--title", "王毅"], "error: cannot make an id from the title '王毅'"),
    ],
)
def test_new_refuses_bad_arguments(tmp_path, monkeypatch, capsys, args, message):
    """Check that `new` without a usable date or title exits 2 and writes nothing."""
    root = write_site(tmp_path, {})
    monkeypatch.setenv("BRIEFING_TODAY", "2026-11-29")
    before = sorted(p for p in (root / "docs").rglob("*"))
    assert main([*args, "--docs", str(root / "docs")]) == 2
    assert message in capsys.readouterr().err
    assert sorted(p for p in (root / "docs").rglob("*")) == before


@pytest.mark.parametrize("title", ["Trudeau: no apology", "Canada #1 partner"])
def test_new_with_punctuation_in_title(tmp_path, monkeypatch, capsys, title):
    """Check that `new` writes any title so that it loads back unchanged."""
    root = write_site(tmp_path, {})
    monkeypatch.setenv("BRIEFING_TODAY", "2026-11-29")
    assert main(["new", "issue", "--title", title, "--docs", str(root / "docs")]) == 0
    rel = next(
        str(p.relative_to(root / "docs"))
        for p in (root / "docs" / "issues").glob("*.md")
        if p.name != "two-michaels.md"
    )
    _, entity, problems = parse_page(rel, (root / "docs" / rel).read_bytes())
    assert problems == [] and entity.name == title
