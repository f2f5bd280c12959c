"""Fast paths agree with the slow paths they short-cut: each cheap gate or shortcut is checked against the code
it stands in front of, on ordinary, tricky and hostile input.
"""

from __future__ import annotations

import gc
import io
import os
import re
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from yaml.resolver import Resolver

from briefing import frontmatter, libyaml
from briefing.checks import (
    CASE_TRAPS,
    RELATIVE_RE,
    RELATIVE_WORDS,
    UNSAFE_QUICK_RE,
    UNSAFE_QUICK_WORDS,
    _may_contain,
)

# --- case-insensitive gates in checks ---------------------------------------------------------


def test_case_traps_are_all_non_ascii_letters_of_ignorecase():
    """Every non-ASCII character that re.IGNORECASE matches to an ASCII letter is in CASE_TRAPS."""
    everything = "".join(chr(c) for c in range(0x80, sys.maxunicode + 1) if not 0xD800 <= c < 0xE000)
    as_class = set(re.findall("[a-z]", everything, re.I))
    as_literals = set(re.findall("|".join("abcdefghijklmnopqrstuvwxyz"), everything, re.I))
    assert as_class == as_literals == set(CASE_TRAPS)


GATES = [(RELATIVE_RE, RELATIVE_WORDS), (UNSAFE_QUICK_RE, UNSAFE_QUICK_WORDS)]
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
SNIPPETS = [  # written out, not taken from the gates' own word lists
    "yesterday",
    "today",
    "tomorrow",
    "recently",
    "currently",
    "at present",
    *(f"on {day}" for day in WEEKDAYS),
    *(f"{which} {unit}" for which in ("last", "next", "this") for unit in ("week", "month", "year")),
    "On Monday",
    "LAST YEAR",
    "Yesterday",
    "<script",
    "< IFRAME",
    "<style>",
    " onclick =",
    "\tonLoad=",
    "javascript:",
    "JavaScript:",
    "data:",
    "&#106;",
    "&amp;",
    "&lt;",
]
TRAP_FOR = {"i": ["\u0130", "\u0131"], "s": ["\u017f"], "k": ["\u212a"]}


@st.composite
def disguised(draw) -> str:
    """A snippet with each letter in either case or replaced by a character IGNORECASE folds onto it."""
    out = []
    for ch in draw(st.sampled_from(SNIPPETS)):
        choices = [ch, ch.upper(), ch.lower(), *TRAP_FOR.get(ch.lower(), [])]
        out.append(draw(st.sampled_from(choices)))
    return "".join(out)


NOISE = st.text(alphabet=st.sampled_from(list("aeiknost yd:<>=&#;\n\t–é日KİıſDAY")), max_size=20)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.one_of(disguised(), NOISE), max_size=6))
def test_gates_never_hide_a_match(parts):
    text = "".join(parts)
    for regex, words in GATES:
        if regex.search(text):
            assert _may_contain(text, words), (regex.pattern, text)


@pytest.mark.parametrize(
    "text",
    [
        "On Monday we met",
        "ſcript: x",
        "JAVA\u017fCRIPT:",
        "the meeting ended yeſterday",
        "\u212aEEP",
        "plain text",
    ],
)
def test_gates_on_tricky_text(text):
    for regex, words in GATES:
        assert bool(regex.search(text)) <= _may_contain(text, words)


# --- scanning Markdown bodies: code spans, references, unclosed '[[' ----------------------------------

BODY_BITS = st.sampled_from(
    [
        "[[",
        "]]",
        "[",
        "]",
        "|",
        "#",
        "\\",
        "`",
        "``",
        "```",
        "~~~",
        "    ",
        "\n",
        "\n\n",
        " ",
        "canada",
        "a b",
        "x",
    ]
)


@settings(max_examples=1500, deadline=None)
@given(st.lists(BODY_BITS, max_size=30).map("".join))
def test_body_scans_agree_with_their_slow_paths(body):
    """The gates of code_spans and iter_unclosed and the running line count of iter_wikilinks give what the
    line-by-line scan, the full '[[' scan and line_col give."""
    from briefing import text as t

    spans = t.code_spans(body)
    assert spans == t._code_spans_by_line(body)
    links = list(t.iter_wikilinks(body, spans))
    assert [(lk.line, lk.col) for lk in links] == [t.line_col(body, lk.start) for lk in links]
    good = {lk.start for lk in links}
    assert list(t.iter_unclosed(body, spans, good)) == list(t._unclosed_scan(body, spans, good))


# --- the front-matter loader ------------------------------------------------------------------


def shape(node: yaml.Node, above: frozenset[int] = frozenset()) -> tuple:
    """Everything of a node that parsing could read: kind, tag, text or children, style and positions."""
    marks = (node.start_mark.line, node.start_mark.column, node.end_mark.line, node.end_mark.column)
    if id(node) in above:  # '&a [*a]' composes a node that contains itself
        return ("cycle", marks)
    above |= {id(node)}
    if isinstance(node, yaml.ScalarNode):
        return ("scalar", node.tag, node.value, node.style, marks)
    if isinstance(node, yaml.SequenceNode):
        return ("seq", node.tag, node.flow_style, marks, [shape(n, above) for n in node.value])
    return (
        "map",
        node.tag,
        node.flow_style,
        marks,
        [(shape(k, above), shape(v, above)) for k, v in node.value],
    )


def composed(text: str, loader: type) -> tuple:
    try:
        node = yaml.compose(text, Loader=loader)
    except yaml.YAMLError as exc:
        return ("error", type(exc).__name__, str(exc))
    return ("node", None if node is None else shape(node))


def assert_same_nodes(text: str) -> None:
    expected = composed(text, yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader)
    assert composed(text, libyaml.NodeLoader) == expected, text
    assert composed(text, libyaml.NodeLoader) == expected, text  # again, with the remembered tags


def test_node_loader_is_libyamls():
    assert yaml.__with_libyaml__, "libyaml is part of the dev environment"
    assert issubclass(libyaml.NodeLoader, yaml.cyaml.CParser)


def test_no_path_resolvers_are_registered():
    """NodeLoader skips the path-resolver bookkeeping, which is only right while there are none."""
    assert Resolver.yaml_path_resolvers == {} and yaml.CSafeLoader.yaml_path_resolvers == {}
    assert yaml.CSafeLoader.yaml_implicit_resolvers is Resolver.yaml_implicit_resolvers


TRICKY = [
    *"no yes No YES on Off n y ~ = < - . + 0 1 : ? ! & * | > # % @ ` , [ ] { }".split(),
    *"null Null NULL nULL true True TRUE tRUE false .inf -.INF .NaN .nan nan inf 0o7 0x1F 0b101 0777 08".split(),
    *"1_000 1,000 1e3 1E+3 +1 -1 -.5 0. ._ 1__0 1_0.5 190:20:30 12:30 -12:30:10 1:60 +0x1 0.1e-2".split(),
    *"2021-02-30 2021-1-1 2021-01-01 2021 2021-13 2001-12-14t21:59:43.10-05:00 2002-12-14T00:00:00Z".split(),
    *"unknown david-tremblay-96 type title https://example.org/a?b=c x:y <<".split(),
    "2001-12-14 21:59:43.10 -5",
    "'quoted'",
    '"2021-01-01"',
    "'no'",
    '"~"',
    "!!str 5",
    "!!int x",
    "! 12",
    "!local 3",
    "''",
    '""',
    "[]",
    "{}",
    "[a, 1, null, 2021-01-01]",
    "{a: 1, b: [yes, no]}",
    "|\n  text\n",
    ">-\n  folded\n  text\n",
    "&a x",
    "*a",
    "&a [1, *a]",
    "x # comment",
    "caf\u00e9 \u738b\u6bc5",
]


def in_contexts(scalar: str) -> tuple[str, ...]:
    """Front-matter texts with the scalar as a value, an item, a key, nested, beside a merge key, in a set."""
    return (
        f"key: {scalar}\n",
        f"- {scalar}\n",
        f"{scalar}\n",
        f"[{scalar}]",
        f"{{{scalar}: {scalar}}}",
        f"{scalar}: x\n",  # as a key ('=' and '<<' are special there)
        f"a: [{scalar}, {{b: {scalar}}}]\nc:\n  d: {scalar}\n",
        f"<<: {{a: {scalar}}}\nb: 1\n",
        f"? [{scalar}]\n: x\n",
        f"!!set {{{scalar}}}\n",
    )


@pytest.mark.parametrize("scalar", TRICKY)
def test_node_loader_tags_tricky_scalars_as_safeloader(scalar):
    for text in in_contexts(scalar):
        assert_same_nodes(text)


YAML_BITS = st.sampled_from(
    [*TRICKY, "\n", "\n  ", "\n- ", ": ", ", ", "[", "]", "{", "}", "- ", " ", "key", "\t", "'", '"', "#"]
)


@settings(max_examples=1500, deadline=None)
@given(st.lists(YAML_BITS, max_size=12).map("".join))
def test_node_loader_agrees_with_csafeloader(text):
    """Any text, valid YAML or not: the same nodes, or the same error."""
    assert_same_nodes(text)


# --- the meta handed to MkDocs: plain_value against PyYAML's safe loader --------------------------------


def assert_same_value(text: str) -> None:
    """plain_value of libyaml's nodes is what yaml.load(CSafeLoader) returns, or both fail. (Aliases never
    reach it: the loader rejects them before composing, test_frontmatter.)"""
    if "&" in text and "*" in text:
        return
    try:
        expected = ("ok", yaml.load(text, Loader=yaml.CSafeLoader))
    except Exception as exc:  # noqa: BLE001
        expected = ("error", type(exc).__name__)
    try:
        node = libyaml.compose(text)
        got = ("ok", frontmatter.plain_value(node) if node is not None else None)
    except Exception as exc:  # noqa: BLE001
        got = ("error", type(exc).__name__)
    if expected[0] == "ok" and got[0] == "ok":
        # nan != nan: compare the representations, which also tell 1 from 1.0 and True from 1
        assert repr(got[1]) == repr(expected[1]), text
    else:
        assert got[0] == expected[0] == "error", (text, got, expected)


@pytest.mark.parametrize("scalar", TRICKY)
def test_plain_value_is_what_the_safe_loader_makes(scalar):
    for text in in_contexts(scalar):
        assert_same_value(text)


@settings(max_examples=800, deadline=None)
@given(st.lists(YAML_BITS, max_size=12).map("".join))
def test_plain_value_agrees_with_the_safe_loader(text):
    assert_same_value(text)


def test_the_real_pages_meta_is_what_mkdocs_would_load():
    """Every page of docs/ gets a FrontMatter, and its value is what MkDocs' own front-matter parser returns."""
    from mkdocs.utils.meta import get_data

    docs = Path(__file__).resolve().parent.parent / "docs"
    meta: dict = {}
    frontmatter.load_site(docs, meta=meta)
    with_front_matter = {
        p.relative_to(docs).as_posix()
        for p in docs.rglob("*.md")
        if p.read_text(encoding="utf-8").startswith("---\n")
    }
    assert set(meta) == with_front_matter and len(meta) > 200
    for rel, front in meta.items():
        assert get_data((docs / rel).read_text(encoding="utf-8-sig"))[1] == front.value, rel


# --- the body handed to MkDocs without a second read: _as_mkdocs_reads against MkDocs' own reading --------------


def mkdocs_view(raw: bytes) -> tuple[str, str] | None:
    """What MkDocs makes of a file: (front matter text, the rest after it) when it finds one, as
    File.content_string (text mode, utf-8-sig) and mkdocs.utils.meta.YAML_RE give it."""
    from mkdocs.utils.meta import YAML_RE

    text = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8-sig", errors="strict").read()
    m = YAML_RE.match(text)
    return (m.group(1), text[m.end() :]) if m else None


def kept(raw: bytes) -> tuple | None:
    """What the loader keeps of a page for the hook: (front matter text, body, same), or None."""
    keep: list = []
    page, _, _ = frontmatter.parse_page("actors/x.md", raw, keep)
    return (keep[0], page.body, keep[2]) if keep and page is not None else None


FILES_AROUND_THE_DELIMITERS = [
    b"---\ntitle: A\n---\n\n# A\n",
    b"---\ntitle: A\n...\n\n# A\n",  # YAML's end-of-document line
    b"---  \ntitle: A\n---\t\n# A\n",  # blanks after the delimiters
    b"\xef\xbb\xbf---\ntitle: A\n---\nbody\n",  # a byte-order mark
    b"---\ntitle: A\n---\n",  # no body
    b"---\ntitle: A\n---",  # no newline after the closing line: MkDocs finds no front matter
    b"---\r\ntitle: A\r\n---\r\n\r\n# A\r\n",  # Windows line ends
    b"---\ntitle: A\n---\n\n# A\r\n",  # one \r\n in the body
    b"---\ntitle: A\rb: 1\n---\n\n# A\n",  # a lone \r
    b"---\ntitle: A\n---\n---\nb: 1\n---\n",  # a second block after the first
    b"---\ntitle: A\n----\nb: 1\n---\nbody\n",  # a longer rule is not the end
]


@pytest.mark.parametrize("raw", FILES_AROUND_THE_DELIMITERS)
def test_same_means_mkdocs_reads_that_front_matter_and_body(raw):
    got, view = kept(raw), mkdocs_view(raw)
    if got is not None and got[2]:
        assert view == (got[0], got[1])


def test_same_is_set_for_plain_pages_and_not_where_the_file_has_a_lone_carriage_return():
    """The loader turns \\r\\n into \\n, as MkDocs' text mode does, but leaves a lone \\r, which text mode also
    turns into \\n: such a page is read again by MkDocs."""
    for i in (0, 1, 2, 3, 4, 6, 7):
        assert kept(FILES_AROUND_THE_DELIMITERS[i])[2] is True, FILES_AROUND_THE_DELIMITERS[i]
    assert kept(FILES_AROUND_THE_DELIMITERS[8])[2] is False
    assert kept(b"---\ntitle: A\n---\n\n# A\rB\n")[2] is False


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(["---", "...", "----", "\n", "\r", " ", "\t", "title: A", "b: 1", "x", "#"]),
        max_size=14,
    )
)
def test_same_agrees_with_mkdocs_on_random_files(bits):
    raw = ("---\n" + "".join(bits)).encode()
    got = kept(raw)
    if got is not None and got[2]:
        assert mkdocs_view(raw) == (got[0], got[1])


def test_the_pattern_is_mkdocs_own():
    from mkdocs.utils.meta import YAML_RE

    assert (frontmatter.MKDOCS_YAML_RE.pattern, frontmatter.MKDOCS_YAML_RE.flags) == (
        YAML_RE.pattern,
        YAML_RE.flags,
    )


def test_every_page_of_docs_is_handed_without_a_second_read():
    docs = Path(__file__).resolve().parent.parent / "docs"
    meta: dict = {}
    frontmatter.load_site(docs, meta=meta, cache=False)
    assert meta and all(front.same for front in meta.values())


def test_front_matter_is_handed_once_then_copied():
    front = frontmatter.FrontMatter("a: [1]\n", {"a": [1]})
    first = front.take()
    first["a"].append(2)  # MkDocs or a plugin changing the meta in place
    second = front.take()
    assert first is front.value and second == {"a": [1, 2]} and second["a"] is not first["a"]


def test_no_wildcard_implicit_resolver():
    """NodeLoader decides a plain scalar by its first character, which is only right without wildcards."""
    assert None not in Resolver.yaml_implicit_resolvers


# --- reading files ----------------------------------------------------------------------------


def old_line_check(text: str) -> int | None:
    """The first line longer than the limit, as decode found it before it skipped short files."""
    for lineno, line in enumerate(text.split("\n"), 1):
        if len(line) > frontmatter.MAX_LINE_CHARS:
            return lineno
    return None


@pytest.mark.parametrize(
    "text",
    [
        "x" * frontmatter.MAX_LINE_CHARS,
        "x" * (frontmatter.MAX_LINE_CHARS + 1),
        "x" * (frontmatter.MAX_LINE_CHARS - 1) + "\r\n",  # the \r counts, as before
        "x" * frontmatter.MAX_LINE_CHARS + "\r\n",
        "short\n" * 5000,
        "short\n" * 5000 + "y" * (frontmatter.MAX_LINE_CHARS + 1) + "\nend",
        "a\n" * (frontmatter.MAX_LINE_CHARS + 5),
    ],
)
def test_decode_line_limit_as_before(text):
    ctx = frontmatter.Ctx("x.md", 2, [])
    result = frontmatter.decode(text.encode(), ctx)
    too_long = old_line_check(text)
    assert (result is None) == (too_long is not None)
    assert [(p.line, p.code) for p in ctx.problems] == ([(too_long, "too-large")] if too_long else [])


@pytest.mark.parametrize(
    "size",
    [
        0,
        1,
        frontmatter.CHUNK - 1,
        frontmatter.CHUNK,
        frontmatter.CHUNK + 1,
        3 * frontmatter.CHUNK + 7,
        2_500_000,
    ],
)
def test_read_bytes_reads_the_whole_file(tmp_path, size):
    """read_bytes gives what a buffered read gives, for files shorter than, as long as and longer than its first
    read (the 2.5 MB one is over the file limit, which decode must still see whole)."""
    data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    path = tmp_path / "page.md"
    path.write_bytes(data)
    assert frontmatter.read_bytes(str(path)) == path.read_bytes() == data


def test_read_bytes_errors_are_oserrors(tmp_path):
    """What load_site reports as an unreadable file: a missing file, a folder."""
    with pytest.raises(OSError):
        frontmatter.read_bytes(str(tmp_path / "missing.md"))
    (tmp_path / "folder.md").mkdir()
    with pytest.raises(OSError):
        frontmatter.read_bytes(str(tmp_path / "folder.md"))


def test_unreadable_page_is_reported_not_raised(tmp_path):
    """A page that cannot be opened (here a link to nowhere) is one problem at its line 1, and the rest loads."""
    (tmp_path / "index.md").write_text("# Home\n")
    (tmp_path / "gone.md").symlink_to(tmp_path / "nowhere.md")
    site = frontmatter.load_site(tmp_path, cache=False)
    assert [p.path for p in site.pages] == ["index.md"]
    assert [(p.path, p.line, p.col, p.code, p.message) for p in site.problems] == [
        ("gone.md", 1, 1, "not-utf8", "The file cannot be read: No such file or directory.")
    ]


def test_iter_markdown_as_pathlib_walk(tmp_path):
    """Relative POSIX paths and order as the former Path-based walk gave them; hidden folders skipped."""
    for rel in [
        "b.md",
        "a.md",
        "x.txt",
        "z/c.md",
        "z/y/d.md",
        "a b/e.md",
        ".hidden/f.md",
        "z/.g.md",
        "Z/h.md",
    ]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    expected = []
    for root, dirs, files in os.walk(tmp_path):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in sorted(files):
            if f.endswith(".md"):
                full = Path(root, f)
                expected.append((full.relative_to(tmp_path).as_posix(), full))
    got = list(frontmatter.iter_markdown(tmp_path))
    assert [(rel, Path(full)) for rel, full in got] == expected
    assert [rel for rel, _ in got] == [rel for rel, _ in frontmatter.iter_markdown(str(tmp_path) + os.sep)]


def test_load_site_pauses_the_collector_harmlessly(tmp_path):
    """load_site restores the collector's state, and its pages leave no reference cycles behind to collect."""
    pages = {
        "index.md": "# Home\n\n[[nope]] [[ bad\n",
        "a.md": "---\na: &x [1]\nb: *x\n---\n",
        "b.md": "---\nkey: [1, 2\n---\n",
        "c.md": "---\n" + "- " * 60 + "x\n---\n",
        "events/2021-01-01-x.md": "---\ntype: event\ndate: 2021-02-30\nbogus: 1\n---\n# X\n",
    }
    for rel, text in pages.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    frontmatter._CACHE.clear()
    was = gc.isenabled()
    try:
        gc.collect()
        gc.disable()
        site = frontmatter.load_site(tmp_path)
        assert not gc.isenabled()
        assert gc.collect() == 0
        gc.enable()
        frontmatter._CACHE.clear()
        assert frontmatter.load_site(tmp_path).problems == site.problems
        assert gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()
        frontmatter._CACHE.clear()
