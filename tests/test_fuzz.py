"""Property tests: whatever a page contains, parse_page and run_checks return Problems, never raise, and every
Problem points at a real position with a known code.

The number of examples per property is BRIEFING_FUZZ_EXAMPLES (default 150); raise it for a long local run:
`BRIEFING_FUZZ_EXAMPLES=5000 .venv/bin/python -m pytest tests/test_fuzz.py -q`.
"""

from __future__ import annotations

import os
from datetime import date

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from briefing.checks import LEVELS, run_checks
from briefing.frontmatter import ROLE_SCHEMA, SCHEMAS, make_site, parse_page
from briefing.model import Problem
from sitekit import BASE, TODAY, dedent

FUZZ = settings(
    max_examples=int(os.environ.get("BRIEFING_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)

# --- the fixed part of the site ---------------------------------------------------------------

_BASE_PARSED = [parse_page(rel, text.encode("utf-8")) for rel, text in sorted(dedent(BASE).items())]


def site_with(path: str, data: bytes):
    """BASE plus one page at `path` (replacing BASE's page there, if any)."""
    pages, entities, problems = [], [], []
    for page, entity, found in _BASE_PARSED:
        if page is not None and page.path == path:
            continue
        pages.append(page)
        if entity is not None:
            entities.append(entity)
        problems += found
    page, entity, found = parse_page(path, data)
    problems += found
    if page is not None:
        pages.append(page)
    if entity is not None:
        entities.append(entity)
    return make_site(pages, entities, problems, "6 months")


def assert_well_formed(problems: list[Problem], paths: set[str]) -> None:
    for p in problems:
        assert isinstance(p, Problem)
        assert p.code in LEVELS, p
        assert isinstance(p.line, int) and p.line >= 1, p
        assert isinstance(p.col, int) and p.col >= 1, p
        assert p.path in paths, p
        assert isinstance(p.message, str) and p.message.strip(), p


# --- strategies -------------------------------------------------------------------------------

FIELD_NAMES = sorted({k for schema in SCHEMAS.values() for k in schema} | set(ROLE_SCHEMA))
IDS = [
    "canada",
    "marc-garneau",
    "two-michaels",
    "cbc-2021-09-24-released",
    "globe-2021-01-12-shuffle",
    "2021-09-24-michaels-released",
    "foreign-minister-2021",
    "marc-garnau",
    "Canada",
    "nope",
]
WORDS = [
    "unknown",
    "6 months",
    "90 days",
    "1 year",
    "person",
    "state",
    "organization",
    "group",
    "resolved",
    "active",
    "dormant",
    "primary",
    "secondary",
    "actor",
    "issue",
    "event",
    "source",
    "robot",
    "https://www.cbc.ca/news/x",
    "http://example.org/a",
    "javascript:alert(1)",
    "Jan 15, 2019",
    "2021-02-30",
    "2021-13",
    "21-09-24",
    "",
    " ",
    "~",
    "null",
    "yes",
    "0x1F",
    "1e3",
    ".inf",
]
RAW_SNIPPETS = [
    "[a, b",
    "{a: 1",
    "&a x",
    "*a",
    "'",
    '"',
    "|",
    ">",
    "!!binary x",
    "!!python/object:x {}",
    "- ",
    "? x",
    ": y",
    "%YAML 1.2",
    "\t",
    "#",
    "@",
    "`",
    "[[x]]",
    "---",
    "...",
    "{{",
    "]]",
    "}",
    "\\",
]


@st.composite
def pdates(draw, min_year: int = 1800, max_year: int = 2100) -> str:
    d = draw(st.dates(min_value=date(min_year, 1, 1), max_value=date(max_year, 12, 31)))
    return d.isoformat()[: draw(st.sampled_from([4, 7, 10]))]


def extreme_dates() -> st.SearchStrategy[str]:
    """Dates over the whole calendar, biased to its ends, and absurdly long review intervals."""
    return st.one_of(
        pdates(min_year=1, max_year=9999),
        st.sampled_from(
            [
                "9999-12-31",
                "9999-12",
                "9999",
                "0001-01-01",
                "0001",
                "99999999 years",
                "999999999 days",
                "1000000 weeks",
            ]
        ),
    )


def scalars(dates: st.SearchStrategy[str]) -> st.SearchStrategy:
    return st.one_of(
        st.sampled_from(IDS + WORDS),
        dates,
        st.integers(min_value=-(10**6), max_value=10**6),
        st.booleans(),
        st.none(),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=25),
    )


def values(dates: st.SearchStrategy[str]) -> st.SearchStrategy:
    keys = st.one_of(st.sampled_from(FIELD_NAMES + IDS), st.text(max_size=8))
    return st.recursive(
        scalars(dates),
        lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)),
        max_leaves=12,
    )


@st.composite
def dumped_frontmatter(draw, dates: st.SearchStrategy[str]) -> str:
    """Valid YAML made by yaml.safe_dump from schema keys and random values, usually with a real 'type'."""
    data = draw(st.dictionaries(st.sampled_from(FIELD_NAMES), values(dates), max_size=12))
    if draw(st.booleans()):
        data = {"type": draw(st.sampled_from(["actor", "issue", "event", "source"])), **data}
    text = yaml.safe_dump(
        data,
        allow_unicode=draw(st.booleans()),
        sort_keys=False,
        default_flow_style=draw(st.sampled_from([None, False, True])),
    )
    return text


@st.composite
def raw_frontmatter(draw, dates: st.SearchStrategy[str]) -> str:
    """Hand-written-looking YAML lines, often invalid: schema keys, plain dates, stray YAML syntax."""
    scalar_text = st.one_of(
        st.sampled_from(IDS + WORDS + RAW_SNIPPETS),
        dates,
        st.builds(lambda xs: "[" + ", ".join(xs) + "]", st.lists(st.sampled_from(IDS), max_size=3)),
        st.text(max_size=20).filter(lambda s: "\n" not in s),
    )
    line = st.one_of(
        st.builds(lambda k, v: f"{k}: {v}", st.sampled_from(FIELD_NAMES), scalar_text),
        st.builds(lambda v: f"  - {v}", scalar_text),
        st.builds(lambda k, v: f"    {k}: {v}", st.sampled_from(sorted(ROLE_SCHEMA) + IDS), scalar_text),
        st.sampled_from(RAW_SNIPPETS),
        st.text(max_size=30).filter(lambda s: "\n" not in s),
    )
    head = draw(st.sampled_from(["", "type: actor\n", "type: issue\n", "type: event\n", "type: source\n"]))
    return head + "\n".join(draw(st.lists(line, max_size=14))) + "\n"


BODY_FRAGMENTS = [
    "[[",
    "]]",
    "[[canada]]",
    "[[marc-garneau#early-life|youth]]",
    "[[nope#x]]",
    "[[two-michaels|",
    "|",
    "#",
    "`",
    "``",
    "```\n",
    "~~~\n",
    "\n",
    "\n\n",
    "# Heading\n",
    "## Early life {#youth}\n",
    "- ",
    "> ",
    "    ",
    "recently",
    "on Monday",
    "Last week",
    " this year",
    "Yesterday",
    "Vaughan Today",
    " 2021 ",
    ". ",
    "? ",
    '"',
    "“",
    "”",
    "«",
    "»",
    "<script>",
    "<a href='javascript:x'>",
    "<img onerror=x>",
    "<!--",
    "-->",
    '--8<-- "../x.md"\n',
    "--8<--\n",
    "[x](data:x)",
    "[x]: javascript:y\n",
    "{",
    "}",
    "\t",
    "\r\n",
    "\r",
    "<",
    ">",
    "&",
    "*",
    "_",
    "\\",
    "é",
    "王毅",
    "\u200b",
    "\x00",
]
bodies = st.lists(st.one_of(st.sampled_from(BODY_FRAGMENTS), st.text(max_size=20)), max_size=30).map("".join)
PATHS = [
    "events/2021-09-24-fuzz.md",
    "events/2021-09-24-michaels-released.md",
    "actors/fuzz.md",
    "actors/canada.md",
    "issues/fuzz.md",
    "sources/fuzz.md",
    "fuzz.md",
    "index.md",
    "actors/Fuzz.md",
    "events/fuzz.md",
    "actors/sub/fuzz.md",
]


@st.composite
def pages(draw, dates: st.SearchStrategy[str] | None = None) -> tuple[str, bytes]:
    """(path, bytes) of a random page: front matter of several kinds, a random body, or random bytes."""
    dates = dates if dates is not None else pdates()
    path = draw(st.sampled_from(PATHS))
    kind = draw(st.sampled_from(["dumped", "raw", "none", "unicode", "bytes"]))
    if kind == "bytes":
        prefix = draw(st.sampled_from([b"", b"---\n", b"\xef\xbb\xbf---\n"]))
        return path, prefix + draw(st.binary(max_size=300))
    if kind == "unicode":
        return path, draw(st.text(max_size=300)).encode("utf-8", "surrogatepass")
    body = draw(bodies)
    if kind == "none":
        return path, body.encode("utf-8", "surrogatepass")
    fm = draw(dumped_frontmatter(dates) if kind == "dumped" else raw_frontmatter(dates))
    close = draw(st.sampled_from(["---", "...", "--- ", "---\r"]))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = f"---\n{fm}{close}\n\n{body}".replace("\n", newline)
    return path, text.encode("utf-8", "surrogatepass")


# --- properties -------------------------------------------------------------------------------


@FUZZ
@given(pages())
@example(("events/2021-09-24-fuzz.md", b"---\ntype: event\ndate: 2021-02-30\n---\n"))
@example(("fuzz.md", b"---\n- - - - x\n---\n"))
@example(("actors/fuzz.md", b"---\ntype: actor\nroles:\n  - id: x\n    start: Jan 15, 2019\n---\n"))
def test_parse_page_never_raises(page):
    """Check that parse_page returns positioned, coded problems for any page, never an exception."""
    path, data = page
    result_page, entity, problems = parse_page(path, data)
    assert_well_formed(problems, {path})
    if result_page is not None:
        assert result_page.path == path and result_page.body_line >= 1
        for ref in result_page.refs:
            assert ref.line >= 1 and ref.col >= 1


@FUZZ
@given(pages(), st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
@example(
    (
        "events/2021-09-24-fuzz.md",
        b"---\ntype: event\ntitle: x\ndate: 2021-09\nactors: [canada]\n"
        b"roles: {canada: x}\nissues: [two-michaels]\nsources: [canada]\n---\n",
    ),
    TODAY,
)
def test_run_checks_never_raise(page, today):
    """Check that run_checks on BASE plus any random page returns well-formed problems, never an exception."""
    path, data = page
    site = site_with(path, data)
    problems = run_checks(site, today)
    assert_well_formed(problems, {p.path for p in site.pages} | {path})
    assert problems == sorted(problems)


@FUZZ
@given(pages(extreme_dates()), st.dates())
@example(
    (
        "actors/canada.md",
        b"---\ntype: actor\nkind: state\nname: Canada\nsummary: s\nlast_reviewed: 9999-12-31\n---\n",
    ),
    TODAY,
)
def test_run_checks_never_raise_on_extreme_dates(page, today):
    """Check that dates anywhere in years 1..9999 and any today never make run_checks raise."""
    path, data = page
    site = site_with(path, data)
    assert_well_formed(run_checks(site, today), {p.path for p in site.pages} | {path})
