"""Re-checking only what can have changed (`mkdocs serve`): after each edit, the incremental run must return
exactly what a full run returns, while re-running the rules on fewer pages."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from briefing import frontmatter
from briefing.checks import IncrementalChecks, run_checks
from sitekit import BASE, TODAY, dedent

EV = "events/2021-09-24-michaels-released.md"
GM = "actors/marc-garneau.md"
CBC = "sources/cbc-2021-09-24-released.md"
GLOBE = "sources/globe-2021-01-12-shuffle.md"
EXTRA = {  # unrelated pages, so that a scope can be smaller than the site
    f"actors/person-{i}.md": f"""\
        ---
        type: actor
        kind: person
        name: Person {i}
        summary: Someone.
        last_reviewed: 2026-11-01
        ---

        # Person {i}
        """
    for i in range(6)
}
EXTRA["notes.md"] = "# Notes\n\n" + " ".join(f"[[person-{i}]]" for i in range(6)) + "\n"
EXTRA["youth.md"] = "# Youth\n\nSee [[marc-garneau#early-life|his early life]].\n"

# (file, old text, new text, the problem codes the edit must produce)
EDITS = [
    (EV, "actors: [canada, marc-garneau]", "actors: [canda, marc-garneau]", {"unknown-reference"}),
    (EV, "date: 2021-09-24", "date: 2021-11-24", {"role-tenure", "invalid-id"}),
    (GM, "end: 2021-10-26", "end: 2021-08-26", {"role-tenure"}),
    (GM, "born: 1949-02-23", "born: 2022-02-23", {"lifespan"}),
    (GM, "## Early life", "## Youth", {"unknown-anchor"}),
    (CBC, "published: 2021-09-24", "published: 2021-09-20", {"source-before-event"}),
    (
        CBC,
        "url: https://www.cbc.ca/news/x",
        "url: https://www.theglobeandmail.com/politics/x",
        {"duplicate-url"},
    ),
    (
        GLOBE,
        "url: https://www.theglobeandmail.com/politics/x/",
        "url: https://cbc.ca/news/x",
        {"duplicate-url"},
    ),
    ("index.md", "See [[canada]] and", "See", set()),
    ("issues/two-michaels.md", "actors: [canada, marc-garneau]", "actors: [marc-garneau]", set()),
    ("issues/two-michaels.md", "resolved: 2021-09-24", "resolved: 2021-09-25", {"resolves-mismatch"}),
    (EV, "On 24 September 2021 both men", "Recently both men", {"relative-time"}),
    ("actors/canada.md", "last_reviewed: 2026-11-01", "last_reviewed: 2021-01-01", {"review-overdue"}),
]


def write(root: Path, rel: str, text: str, tick: list[int]) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    tick[0] += 1_000_000_000  # a later mtime, as an editor's save gives: the loader's cache sees a change
    os.utime(path, ns=(tick[0], tick[0]))


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    frontmatter._CACHE.clear()
    tick = [1_700_000_000_000_000_000]
    for rel, text in dedent({**BASE, **EXTRA}).items():
        write(tmp_path, rel, text, tick)
    return tmp_path


def codes_of(problems) -> set[str]:
    return {p.code for p in problems}


@pytest.mark.parametrize(("path", "old", "new", "expect"), EDITS, ids=[f"{e[0]}:{e[2]}" for e in EDITS])
def test_incremental_run_equals_full_run_after_an_edit(docs: Path, path, old, new, expect) -> None:
    """Check that after one edit, and after undoing it, the incremental run returns exactly the full run's
    problems, re-checking fewer pages than the site has."""
    checker = IncrementalChecks()
    site = frontmatter.load_site(docs)
    assert checker.run(site, TODAY) == run_checks(site, TODAY) == []
    assert checker.last_scope is None  # the first run checks everything
    tick = [1_800_000_000_000_000_000]
    original = dedent(BASE)[path]
    assert old in original
    for text in (original.replace(old, new), original):
        write(docs, path, text, tick)
        site = frontmatter.load_site(docs)
        got = checker.run(site, TODAY)
        assert got == run_checks(site, TODAY)
        assert checker.last_scope is not None and checker.last_scope < len(site.pages)
        assert expect <= codes_of(got) if text != original else got == []


def test_added_page_and_new_today_run_everything(docs: Path) -> None:
    """Check that adding a page (new ids change every suggestion) or a new 'today' re-checks the whole site."""
    checker = IncrementalChecks()
    checker.run(frontmatter.load_site(docs), TODAY)
    write(
        docs, "actors/person-9.md", dedent(EXTRA)["actors/person-1.md"].replace("Person 1", "Person 9"), [2]
    )
    site = frontmatter.load_site(docs)
    assert checker.run(site, TODAY) == run_checks(site, TODAY)
    assert checker.last_scope is None
    later = date(2027, 6, 1)
    assert checker.run(site, later) == run_checks(site, later)
    assert checker.last_scope is None
    assert "review-overdue" in codes_of(checker.run(site, later))


def test_unchanged_rebuild_rechecks_nothing(docs: Path) -> None:
    """Check that a rebuild with no edit re-runs the rules on no page and returns the same problems."""
    write(docs, EV, dedent(BASE)[EV].replace("[canada,", "[canda,"), [1_750_000_000_000_000_000])
    checker = IncrementalChecks()
    first = checker.run(frontmatter.load_site(docs), TODAY)
    assert "unknown-reference" in codes_of(first)
    again = checker.run(frontmatter.load_site(docs), TODAY)
    assert again == first and checker.last_scope == 0
