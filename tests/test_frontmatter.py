"""Loader tests: bad input becomes a Problem (never an exception), positions are lines of the Markdown file,
files are never modified, and unchanged files are not parsed twice.
"""

from __future__ import annotations

import hashlib
import os
import textwrap
from pathlib import Path

import pytest

from briefing import frontmatter
from briefing.checks import LEVELS
from briefing.frontmatter import load_site, parse_page
from briefing.model import Actor, Event, Pos
from sitekit import BASE, write_site

PATH = "events/2021-09-24-x.md"


def parse(data: str | bytes, path: str = PATH):
    """parse_page on text (encoded as UTF-8) or bytes."""
    return parse_page(path, data.encode("utf-8") if isinstance(data, str) else data)


def found(data: str | bytes, path: str = PATH) -> list[tuple[int, int, str]]:
    return [(p.line, p.col, p.code) for p in parse(data, path)[2]]


# --- unreadable input -------------------------------------------------------------------------


def test_invalid_yaml_at_its_line():
    """Check that invalid YAML is one invalid-yaml problem at the offending line of the Markdown file."""
    page, entity, problems = parse("---\ntype: event\ntitle: Talks: day one\n---\n\n# Talks\n")
    assert [(p.line, p.code) for p in problems] == [(3, "invalid-yaml")]
    assert page is None and entity is None
    assert problems[0].message.startswith("The front matter is not valid YAML: ")


def test_invalid_yaml_tab_indentation():
    """Check that a tab used for indentation is invalid-yaml on its line."""
    assert [(line, code) for line, _, code in found("---\ntype: actor\nroles:\n\t- id: x\n---\n")] == [
        (4, "invalid-yaml")
    ]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("---\n- type\n- event\n---\n\n# Talks\n", "a sequence"),
        ("---\njust a line of text\n---\n\n# Talks\n", "text"),
        ("---\n42\n---\n", "a number"),
    ],
)
def test_frontmatter_not_mapping(text, kind):
    """Check that front matter which is a list, a string or a number is frontmatter-not-mapping at line 2."""
    page, entity, problems = parse(text)
    assert [(p.line, p.col, p.code) for p in problems] == [(2, 1, "frontmatter-not-mapping")]
    assert kind in problems[0].message
    assert entity is None


def test_frontmatter_unclosed():
    """Check that a front matter opened by '---' and never closed is an error at line 1."""
    problems = parse("---\ntype: event\ntitle: Talks\n\n# Talks\n")[2]
    assert [(p.line, p.col, p.code) for p in problems] == [(1, 1, "frontmatter-unclosed")]
    assert problems[0].message.startswith("The front matter opened by '---' on line 1 is never closed.")


def test_frontmatter_closed_by_dots_passes():
    """Check that '...' closes a front matter as well as '---'."""
    page, entity, problems = parse("---\ntitle: Home\n...\n\n# Home\n", "index.md")
    assert problems == [] and page.title == "Home" and page.body_line == 4


@pytest.mark.parametrize(
    ("data", "where"),
    [
        (b"---\ntype: event\ntitle: Caf\xe9\n---\n", (3, 11)),
        (b"\xff\xfe-\x00-\x00-\x00", (1, 1)),
        (b"---\ntitle: Home\n---\n\n# Home\n\nCaf\xc3\xa9 and caf\xe9\n", (7, 14)),
        (b"\xef\xbb\xbf---\ntype: event\ntitle: Caf\xe9\n---\n", (3, 11)),  # a byte-order mark is not counted
        (b"\xef\xbb\xbfCaf\xe9\n", (1, 4)),
    ],
)
def test_not_utf8(data, where):
    """Check that bytes that are not UTF-8 are a not-utf8 problem at the first bad byte."""
    page, entity, problems = parse(data)
    assert [(p.line, p.col, p.code) for p in problems] == [(*where, "not-utf8")]
    assert page is None


def test_utf8_with_bom_and_crlf_passes():
    """Check that a UTF-8 byte order mark and CRLF line ends are read like plain LF text."""
    text = "\ufeff---\r\ntitle: Café\r\n---\r\n\r\n# Café\r\n"
    page, entity, problems = parse(text, "about.md")
    assert problems == [] and page.title == "Café"


@pytest.mark.parametrize("data", [b"", b"\n", b"  \n\t\n", "\ufeff".encode()])
def test_empty_file(data):
    """Check that an empty or whitespace-only file is an empty-file error at 1:1."""
    assert found(data) == [(1, 1, "empty-file")]


def test_too_large_frontmatter_value():
    """Check that a 300 KB front-matter value is too-large at the start of the front matter."""
    value = ("  " + "x" * 98 + "\n") * 3100  # 310 KB over 3100 short lines
    page, entity, problems = parse("---\ntype: event\nsummary: >\n" + value + "---\n\n# Big\n")
    assert [(p.line, p.col, p.code) for p in problems] == [(2, 1, "too-large")]
    assert "313,123 characters" in problems[0].message


def test_too_large_line():
    """Check that a line of 1 MB is too-large at that line (and the call returns)."""
    text = "---\ntype: event\n---\n\n# T\n\n" + "x" * 1_000_000 + "\n"
    page, entity, problems = parse(text)
    assert [(p.line, p.col, p.code) for p in problems] == [(7, 1, "too-large")]
    assert problems[0].message.startswith("Line 7 is 1,000,000 characters long")


def test_too_large_line_in_frontmatter():
    """Check that a 1 MB front-matter value on one line is too-large at its line."""
    assert found("---\ntype: event\ntitle: " + "x" * 1_000_000 + "\n---\n") == [(3, 1, "too-large")]


def test_too_large_file():
    """Check that a file over the size limit is too-large at 1:1 without being decoded."""
    assert found(b"x" * (3 * 1024 * 1024)) == [(1, 1, "too-large")]


def test_large_but_acceptable_page_passes():
    """Check that a long page under every limit (100 KB body of short lines) has no problem."""
    body = "A line of prose about trade in 2019.\n" * 2800
    page, entity, problems = parse("---\ntitle: Long\n---\n\n" + body, "long.md")
    assert problems == [] and page is not None


# --- hostile YAML -----------------------------------------------------------------------------

BILLION_LAUGHS = (
    "---\n"
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    + "".join(
        f"{c}: &{c} [" + ",".join([f"*{p}"] * 9) + "]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + "---\n\n# Laughs\n"
)


def test_billion_laughs_is_rejected_not_expanded():
    """Check that a nested-alias 'billion laughs' document is a yaml-alias problem at the first anchor."""
    page, entity, problems = parse(BILLION_LAUGHS)
    assert [(p.line, p.col, p.code) for p in problems] == [(2, 4, "yaml-alias")]
    assert page is None and entity is None


@pytest.mark.parametrize(
    ("fm", "where"),
    [
        ("title: &t Home", (2, 8)),
        ("title: Home\ndescription: [*t]", (3, 15)),
        ("base: &b {a: 1}\nother:\n  <<: *b", (2, 7)),
    ],
)
def test_anchors_and_aliases_rejected(fm, where):
    """Check that any YAML anchor or alias, even on a plain page, is yaml-alias at its position."""
    assert found(f"---\n{fm}\n---\n\n# Home\n", "index.md") == [(*where, "yaml-alias")]


def test_ampersand_and_asterisk_in_text_pass():
    """Check that '&' and '*' inside ordinary quoted or plain text are not mistaken for YAML anchors."""
    text = '---\ntitle: "Trade & *tariffs*"\ndescription: Q&A on 5*3 rules\n---\n\n# Q&A\n'
    page, entity, problems = parse(text, "faq.md")
    assert problems == [] and page.title == "Trade & *tariffs*"


def test_nesting_50_deep_block_style():
    """Check that block mappings nested 50 deep are too-deep at the 21st level."""
    fm = "".join("  " * i + f"k{i}:\n" for i in range(50)) + "  " * 50 + "x\n"
    assert found("---\n" + fm + "---\n", "index.md") == [(22, 41, "too-deep")]


def test_nesting_20_deep_passes():
    """Check that nesting exactly 20 levels deep is accepted by the loader."""
    fm = "".join("  " * i + f"k{i}:\n" for i in range(19)) + "  " * 19 + "x: 1\n"
    assert found("---\n" + fm + "---\n", "index.md") == []


@pytest.mark.parametrize(
    "fm", ["tags: " + "[" * 50 + "]" * 50, "tags:\n" + "- " * 50 + "x", "a: " + "{a: " * 50 + "1" + "}" * 50]
)
def test_nesting_50_deep_flow_style(fm):
    """Check that 50 levels of flow or compact nesting are too-deep too."""
    assert [code for _, _, code in found("---\n" + fm + "\n---\n", "index.md")] == ["too-deep"]


@pytest.mark.parametrize(
    "data",
    [
        "---\ntags:\n" + "- " * 9000 + "x\n---\n",
        "---\ntags: " + "[" * 5000 + "]" * 5000 + "\n---\n",
        "---\n!!python/object:os.system {}\n---\n",
        "---\ntype: !!python/name:os.system event\n---\n",
        "---\n? [a, b]\n: c\n---\n",
        "---\ntype: actor\n? [a]\n: b\n---\n",
        "---\n%YAML 1.1\n---\na: 1\n",
        "---\ntype: event\ndate: 2021-02-30\nend: 99999-01-01\n---\n",
        "---\ntype: event\ntype: actor\n---\n",
        '---\ntype: ""\n---\n',
        "---\ntype: 5\n---\n",
        "---\ntitle: \x00\n---\n",
        "---\ntitle: \x07bell\n---\n",
        "\r\r---\r\r",
        "---\r\ntitle: a\r---\r\n",
    ],
)
def test_hostile_input_gives_problems_not_exceptions(data):
    """Check that odd and hostile YAML returns normally, with every problem positioned and coded."""
    page, entity, problems = parse(data)
    for p in problems:
        assert p.line >= 1 and p.col >= 1 and p.code in LEVELS


def test_python_tags_are_not_executed():
    """Check that a python/object tag is never constructed (the value is treated as data and rejected)."""
    page, entity, problems = parse("---\ntype: event\ntitle: !!python/object/apply:os.getcwd []\n---\n")
    assert (3, 8, "wrong-type") in [(p.line, p.col, p.code) for p in problems]


# --- positions --------------------------------------------------------------------------------

EVENT = """\
---
type: event
title: Kovrig and Spavor released
date: 2021-09-24
actors:
  - canada
  - marc-garneau
roles:
  marc-garneau: foreign-minister-2021
issues: [two-michaels]
sources: [cbc-2021-09-24-released]
summary: Both flew home.
---

# Kovrig and Spavor released

Both [[canada]] and [[marc-garneau#early-life|Garneau]] spoke.
"""


@pytest.mark.parametrize("variant", ["lf", "crlf", "bom"])
def test_positions_are_lines_of_the_markdown_file(variant):
    """Check that keys, list items, role ids, dates and [[...]] keep 1-based positions of the file."""
    text = EVENT.replace("\n", "\r\n") if variant == "crlf" else EVENT
    text = "\ufeff" + text if variant == "bom" else text
    page, ev, problems = parse(text, "events/2021-09-24-kovrig-and-spavor-released.md")
    assert problems == []
    assert isinstance(ev, Event)
    assert page.meta_pos["type"] == Pos(2, 1)
    assert page.meta_pos["sources"] == Pos(11, 1)
    assert [(r.target, r.line, r.col) for r in ev.actors] == [("canada", 6, 5), ("marc-garneau", 7, 5)]
    assert [
        (r.target, r.line, r.col, role, pos) for r, role, pos in ((x.actor, x.role, x.pos) for x in ev.roles)
    ] == [("marc-garneau", 9, 3, "foreign-minister-2021", Pos(9, 17))]
    assert [(r.target, r.line, r.col) for r in ev.issues] == [("two-michaels", 10, 10)]
    assert [(r.target, r.line, r.col) for r in ev.sources] == [("cbc-2021-09-24-released", 11, 11)]
    assert ev.date.pos == Pos(4, 7) and ev.date.value.text == "2021-09-24"
    text_refs = [(r.target, r.anchor, r.line, r.col) for r in page.refs if r.field == "text"]
    assert text_refs == [("canada", None, 17, 6), ("marc-garneau", "early-life", 17, 21)]
    assert page.body_line == 14


def test_positions_of_roles_on_an_actor():
    """Check that a role keeps the position of its entry, and its sources their items."""
    text = textwrap.dedent(BASE["actors/marc-garneau.md"])
    page, actor, problems = parse(text, "actors/marc-garneau.md")
    assert problems == [] and isinstance(actor, Actor)
    (role,) = actor.roles
    assert role.pos == Pos(9, 5)
    assert (role.start.pos, role.end.pos) == (Pos(11, 12), Pos(12, 10))
    assert [(r.target, r.line, r.col) for r in role.sources] == [("globe-2021-01-12-shuffle", 13, 15)]
    assert (role.start.value.text, role.end.value.text, role.open) == ("2021-01-12", "2021-10-26", False)


def test_positions_without_frontmatter():
    """Check that a page without front matter counts body lines from 1."""
    page, entity, problems = parse("# Home\n\nSee [[canada]].\n", "index.md")
    assert [(r.line, r.col) for r in page.refs] == [(3, 5)]
    assert page.body_line == 1 and page.title == "Home"


def test_dates_keep_their_precision():
    """Check that YYYY (an int to YAML), YYYY-MM (a string) and YYYY-MM-DD (a date) all load with precision."""
    for day, first, last in [
        ("2021", "2021-01-01", "2021-12-31"),
        ("2021-02", "2021-02-01", "2021-02-28"),
        ("2020-02", "2020-02-01", "2020-02-29"),
        ("2021-09-24", "2021-09-24", "2021-09-24"),
    ]:
        text = EVENT.replace("date: 2021-09-24", f"date: {day}")
        ev = parse(text, f"events/{day}-x.md")[1]
        assert (ev.date.value.first.isoformat(), ev.date.value.last.isoformat()) == (first, last)


# --- the loader over a folder -----------------------------------------------------------------


def digest(root: Path) -> dict[str, tuple[str, int]]:
    return {
        str(p.relative_to(root)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_loader_never_modifies_files(tmp_path):
    """Check that load_site leaves every file's bytes and mtime as they were, even odd ones."""
    root = write_site(
        tmp_path,
        {
            "crlf.md": "---\r\ntitle: CRLF\r\n---\r\n\r\n# CRLF\r\n",
            "bom.md": "\ufeff# BOM\n",
            "latin1.md": b"# Caf\xe9\n",
            "bad.md": "---\ntitle: a: b\n---\n",
            "empty.md": "",
            "unclosed.md": "---\ntitle: x\n",
        },
    )
    before = digest(root)
    site = load_site(root / "docs")
    assert {p.code for p in site.problems} == {
        "not-utf8",
        "invalid-yaml",
        "empty-file",
        "frontmatter-unclosed",
    }
    assert digest(root) == before


def test_load_site_reads_the_folder(tmp_path):
    """Check that load_site finds every page under docs/ with its POSIX path relative to docs/."""
    root = write_site(tmp_path, {})
    site = load_site(root / "docs")
    assert sorted(p.path for p in site.pages) == sorted(BASE)
    assert sorted(site.entities) == [
        "2021-09-24-michaels-released",
        "canada",
        "cbc-2021-09-24-released",
        "globe-2021-01-12-shuffle",
        "marc-garneau",
        "two-michaels",
    ]


def test_cache_reuses_parsed_pages(tmp_path):
    """Check that a second load_site re-parses nothing, and after touching one file only that file is re-parsed."""
    root = write_site(tmp_path, {"bad.md": "---\ntitle: a: b\n---\n"})
    docs = root / "docs"
    first = load_site(docs)
    second = load_site(docs)
    assert all(a is b for a, b in zip(first.pages, second.pages, strict=True))
    assert [p.code for p in second.problems] == ["invalid-yaml"]  # cached problems are still reported
    assert second.entities["canada"] is first.entities["canada"]

    touched = docs / "actors" / "canada.md"
    st = touched.stat()
    os.utime(touched, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))
    third = load_site(docs)
    changed = [b.path for a, b in zip(second.pages, third.pages, strict=True) if a is not b]
    assert changed == ["actors/canada.md"]


def test_load_without_cache_parses_every_page_and_keeps_none(tmp_path):
    """Check that cache=False (the command-line check) parses every page and leaves the cache as it was, with the
    same result as a cached load."""
    root = write_site(tmp_path, {})
    docs = root / "docs"
    frontmatter._CACHE.clear()
    site = load_site(docs, cache=False)
    assert frontmatter._CACHE == {}
    cached = load_site(docs)
    assert not any(a is b for a, b in zip(site.pages, cached.pages, strict=True))
    assert sorted(site.entities) == sorted(cached.entities)
    assert [p.refs for p in site.pages] == [p.refs for p in cached.pages]


def test_cache_sees_changed_content(tmp_path):
    """Check that after editing a file the new content is loaded, not the cached one."""
    root = write_site(tmp_path, {})
    docs = root / "docs"
    assert load_site(docs).entities["canada"].name == "Canada"
    page = docs / "actors" / "canada.md"
    st = page.stat()
    page.write_text(page.read_text().replace("name: Canada", "name: Kanada eh"), encoding="utf-8")
    os.utime(page, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert load_site(docs).entities["canada"].name == "Kanada eh"


def test_load_site_skip(tmp_path):
    """Check that pages in `skip` are not loaded."""
    root = write_site(tmp_path, {"graph.md": "---\ntitle: [\n---\n"})
    site = load_site(root / "docs", skip=frozenset({"graph.md"}))
    assert site.problems == () and "graph.md" not in [p.path for p in site.pages]


def test_unreadable_file_is_one_problem_and_the_rest_loads(tmp_path, monkeypatch):
    """Check that a page that cannot be opened (its permissions) is one 'unreadable-file' error at 1:1, and
    every other page still loads."""
    root = write_site(tmp_path, {"gone.md": "# Gone\n"})
    real = Path.read_bytes

    def read_bytes(self):
        if self.name == "gone.md":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    site = load_site(root / "docs", cache=False)
    assert [(p.path, p.line, p.col, p.code) for p in site.problems] == [("gone.md", 1, 1, "unreadable-file")]
    assert "canada" in site.entities


def test_links_and_special_files_are_never_read(tmp_path):
    """Check that the loader reads no symbolic link (a page linked to /proc/self/environ published the build's
    environment) and no special file (a named pipe would hang it): briefing.publish reports them instead."""
    root = write_site(tmp_path, {})
    (root / "docs" / "env.md").symlink_to("/proc/self/environ")
    (root / "docs" / "gone.md").symlink_to(root / "docs" / "no-such-file.md")
    os.mkfifo(root / "docs" / "pipe.md")
    site = load_site(root / "docs", cache=False)
    assert site.problems == ()
    assert not {"env.md", "gone.md", "pipe.md"} & {p.path for p in site.pages}


FILES_AROUND_THE_DELIMITERS = [
    b"---\ntitle: A\n---\n\n# A\n",
    b"---\ntitle: A\n...\n\n# A\n",  # YAML's end-of-document line
    b"---  \ntitle: A\n---\t\n# A\n",  # blanks after the delimiters
    b"\xef\xbb\xbf---\ntitle: A\n---\nbody\n",  # a byte-order mark
    b"---\ntitle: A\n---\n",  # no body
    b"---\r\ntitle: A\r\n---\r\n\r\n# A\r\n",  # Windows line ends
    b"---\ntitle: A\n---\n\n# A\r\n",  # one \r\n in the body
    b"---\ntitle: A\rb: 1\n---\n\n# A\n",  # a lone \r
    b"---\ntitle: A\n---\n---\nb: 1\n---\n",  # a second block after the first
    b"# No front matter\n\n---\ntitle: A\n---\n",
]


@pytest.mark.parametrize("raw", FILES_AROUND_THE_DELIMITERS)
def test_the_loader_splits_front_matter_and_body_as_mkdocs_does(raw):
    """Check that the loader finds the front matter and body that MkDocs itself will read from the same file (it
    reads in text mode, dropping a byte-order mark and turning every line end into \\n), so positions and checks
    are about the text MkDocs renders."""
    import io

    from mkdocs.utils.meta import get_data

    page, _, problems = parse_page("notes.md", raw)
    text = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8-sig").read()
    body, meta = get_data(text)
    assert problems == [] and page is not None
    assert page.body.lstrip("\n") == body
    assert (page.meta_pos != {}) == (meta != {})


@pytest.mark.parametrize(
    ("raw", "start"),
    [
        (b"---\ntitle: A\n---", "The front matter is empty or its closing"),  # no line break after it
        (b"---\n---\n# A\n", "The front matter is empty or its closing"),
        (b"---\ntitle: A\n# A\n", "The front matter opened by '---' on line 1 is never closed."),
    ],
)
def test_front_matter_mkdocs_would_not_read_is_an_error(raw, start):
    """Check that a front matter MkDocs would show as text (empty, or closed at the very end of the file without a
    line break) or never closed is one 'frontmatter-unclosed' error at 1:1."""
    _, _, problems = parse_page("notes.md", raw)
    assert [(p.line, p.col, p.code) for p in problems] == [(1, 1, "frontmatter-unclosed")]
    assert problems[0].message.startswith(start)
