"""The fast front-matter reader (briefing.yamlsub) against libyaml: wherever it reads a text, it gives the nodes
libyaml composes (kind, tag, value, line, column) and the values PyYAML's safe loader makes; everything else it
leaves to libyaml. And the command-line check does not import PyYAML for plain pages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from yaml.resolver import Resolver

from briefing import frontmatter, libyaml, yamlsub
from briefing.settings import _read_extra_block, _read_with_pyyaml, read_briefing_settings

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = int(os.environ.get("BRIEFING_FUZZ_EXAMPLES", "0")) or 1500


def shape(node) -> tuple:
    """Kind, tag, value and start position of a node, as yamlsub or libyaml (converted or not) has it."""
    if isinstance(node, yaml.Node):
        line, col = node.start_mark.line, node.start_mark.column
    else:
        line, col = node.line, node.col - 1
    if isinstance(node, (yaml.ScalarNode, yamlsub.ScalarNode)):
        return ("scalar", node.tag, node.value, line, col)
    if isinstance(node, (yaml.SequenceNode, yamlsub.SequenceNode)):
        return ("seq", node.tag, line, col, [shape(n) for n in node.value])
    return ("map", node.tag, line, col, [(shape(k), shape(v)) for k, v in node.value])


def safe_load(text: str) -> tuple:
    try:
        return ("ok", repr(yaml.load(text, Loader=yaml.CSafeLoader)))
    except yaml.YAMLError as exc:
        return ("error", type(exc).__name__)


def assert_agrees(text: str) -> bool:
    """If the fast reader reads `text`, its nodes are libyaml's and its values the safe loader's. Returns whether
    it read the text."""
    fast = yamlsub.parse(text)
    if fast is None:
        return False
    node = yaml.compose(text, Loader=yaml.CSafeLoader)  # raises if the reader accepted invalid YAML
    assert shape(fast) == shape(node), text
    assert shape(libyaml.from_yaml(node)) == shape(node), text
    assert ("ok", repr(frontmatter.plain_value(fast))) == safe_load(text), text
    return True


# --- tags of plain scalars ----------------------------------------------------------------------------------


def test_the_resolver_table_is_pyyamls():
    """yamlsub's copy of PyYAML's implicit resolvers is PyYAML's own: same characters, tags, patterns, order."""
    ours = {
        ch: [(tag, rx.pattern, rx.flags) for tag, rx in pairs]
        for ch, pairs in yamlsub.implicit_resolvers().items()
    }
    theirs = {
        ch: [(tag, rx.pattern, rx.flags) for tag, rx in pairs]
        for ch, pairs in Resolver.yaml_implicit_resolvers.items()
    }
    assert ours == theirs
    assert yamlsub.CLAIMED_FIRST == set(theirs)


SCALARS = [
    *"no yes No YES on Off n y ~ = < . + 0 1 null Null NULL nULL true True TRUE tRUE false .inf -.INF .NaN".split(),
    *".nan nan inf 0o7 0x1F 0b101 0777 08 1_000 1,000 1e3 1E+3 +1 -1 -.5 0. ._ 1__0 1_0.5 190:20:30 12:30".split(),
    *"2021-02-30 2021-1-1 2021-01-01 2021 2021-13 2001-12-14t21:59:43.10-05:00 2002-12-14T00:00:00Z".split(),
    *"unknown david-tremblay-96 type title https://example.org/a?b=c#top x:y << C# a'b a\"b".split(),
    "2001-12-14 21:59:43.10 -5",
    "",
    "Wang Yi",
    "caf\u00e9 \u738b\u6bc5 \U0001f600",
]


@pytest.mark.parametrize("value", SCALARS)
def test_plain_tag_is_the_resolvers(value):
    assert yamlsub.plain_tag(value) == Resolver().resolve(yaml.ScalarNode, value, (True, False))
    assert yamlsub.plain_tag(value) == Resolver().resolve(yaml.ScalarNode, value, (True, False))  # remembered


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.text(alphabet="0123456789-+._:eExXbBoO yYnNtTfF~=<", max_size=14))
def test_plain_tag_agrees_on_random_text(value):
    assert yamlsub.plain_tag(value) == Resolver().resolve(yaml.ScalarNode, value, (True, False))


# --- what the reader reads ------------------------------------------------------------------------------------

READ = [
    "type: actor\nname: Wang Yi\n",
    "a: 1\nb: 2021-01-01\nc: [x, 2021, yes, null]\nd: []\ne: [ ]\nf: [ a ,b  ,  c d ]\n",
    "roles:\n  - id: a\n    title: T\n    start: 2019-08\n    sources: [s1, s2]\n  - id: b\n    title: U\n",
    "roles:\n- id: a\n  sources:\n  - s1\n  - s2\nnext: 1\n",
    "roles:\n    -   id: a\n        title: x\n",
    "k:\n  inner: 1\n  deeper:\n    x: y\nz: 2\n",
    "# a comment\ntitle: A  # trailing\n\n   # indented comment\nlist:   # list follows\n  - a # one\n  - 'b' # two\n",
    "title: \"Human rights: Xinjiang, Tibet\"\nq: 'it''s'\nr: ''\ns: \"\"\n",
    "url: https://example.org/a?b=c#frag\nc: C# and F#\nv: a, b {c} [d]\n",
    "yes: 1\nnull: 2\non: x\n",
    "name: caf\u00e9 \u738b\u6bc5\nalias: [\u738b\u6bc5, Wang]\n",
    "a: x\na: y\n",
    "tags: [detentions, diplomacy, human-rights]\n",
    "title: ends with a space \nb: 1",
]


@pytest.mark.parametrize("text", READ)
def test_the_reader_reads_plain_front_matter_as_libyaml(text):
    assert assert_agrees(text), f"the reader should read {text!r}"


LEFT_TO_LIBYAML = [
    "",
    "# only a comment\n",
    "a: |\n  block\n",
    "a: >-\n  folded\n",
    "a: &x 1\nb: *x\n",
    "a: !!str 1\n",
    "a: {b: 1}\n",
    "a:\n",  # an empty value
    "a:\nb: 1\n",
    "a: multi\n  line\n",
    "a: 'multi\n  line'\n",
    'a: "esc\\"aped"\n',
    "a:\tb\n",
    "a: b\r\n",
    "a: x\u2028y\n",
    "\ufeffa: 1\n",
    "  a: 1\n",
    "- a\n- b\n",
    "just text\n",
    "a: b: c\n",
    "a: b:\n",
    "a:b\n",
    "a : b\n",
    "? a\n: b\n",
    '"a": 1\n',
    "a: [b, [c]]\n",
    "a: [b,]\n",
    "a: [b, 'c']\n",
    "a: [b: c]\n",
    "a: [b] x\n",
    "a:\n  - - x\n",
    "a:\n  -\n    x: 1\n",
    "a:\n  -x\n",
    "a:\n    b: 1\n  c: 2\n",
    "a:\n    - x\n  - y\n",
    "a: 1\n  b: 2\n",
    "<<: {a: 1}\n",
    "a: -1\n",
    "a: @x\n",
    "--- x\n",
    "%YAML 1.1\n",
]


@pytest.mark.parametrize("text", LEFT_TO_LIBYAML)
def test_the_reader_leaves_the_rest_to_libyaml(text):
    assert yamlsub.parse(text) is None, text


def test_a_page_the_reader_leaves_to_libyaml_still_loads():
    """Front matter outside the subset is composed by libyaml, with the same positions and values."""
    data = (
        b"---\ntype: source\ntitle: A\npublisher: P\nurl: https://example.org/\npublished: 2020-01-01\n"
        b"kind: primary\nsummary: >-\n  folded\n  text\n---\n# A\n"
    )
    page, entity, problems = frontmatter.parse_page("sources/a.md", data)
    assert problems == [] and entity.summary == "folded text" and entity.published.value.text == "2020-01-01"
    assert page.meta_pos["summary"] == (8, 1)


# Pieces of front matter: keys, values (plain, quoted, lists, odd), indentation, comments and line ends
KEYS = st.sampled_from(["a", "title", "roles", "id", "sources", "yes", "null", "x_y", "b-c", "on"])
VALUES = st.sampled_from(
    [
        "x",
        "Wang Yi",
        "2021-01-01",
        "2019-08",
        "12",
        "1.5",
        "~",
        "null",
        "no",
        "https://a.org/b#c",
        "a #c",
        "a#c",
        "[a, b]",
        "[]",
        "[ a ,b ]",
        "[a, 2021-01-01, yes]",
        "[a,b",
        "'q'",
        "'it''s'",
        '"d q"',
        '"a: b"',
        "a: b",
        "x:",
        "é 王毅",
        "",
        " ",
        "[a, [b]]",
        "{a: 1}",
        "|",
        "&a x",
        "-1",
        "- x",
        "'open",
    ]
)
INDENTS = st.sampled_from(["", " ", "  ", "   ", "    "])


@st.composite
def front_matters(draw) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.integers(0, 5))
        indent = draw(INDENTS) if draw(st.integers(0, 3)) == 0 else ""
        if kind <= 2:
            lines.append(f"{indent}{draw(KEYS)}: {draw(VALUES)}")
        elif kind == 3:
            lines.append(f"{indent}{draw(KEYS)}:")
        elif kind == 4:
            lines.append(f"{indent}{draw(INDENTS)}- {draw(VALUES)}")
        else:
            lines.append(f"{indent}{draw(INDENTS)}- {draw(KEYS)}: {draw(VALUES)}")
        if draw(st.integers(0, 9)) == 0:
            lines.append(draw(st.sampled_from(["", "# c", "  # c", "   "])))
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n"]))


@settings(max_examples=EXAMPLES, deadline=None)
@given(front_matters())
def test_the_reader_agrees_with_libyaml_on_random_front_matter(text):
    assert_agrees(text)


# Front matter inside the subset, as contributors write it: the reader must read all of it (no needless detour)
GOOD_VALUES = st.sampled_from(
    [
        "x",
        "Wang Yi",
        "2021-01-01",
        "2019-08",
        "12",
        "~",
        "no",
        "https://a.org/b#c",
        "a #c",
        "[a, b]",
        "[]",
        "[ a ,b ]",
        "'it''s'",
        '"a: b"',
        "é 王毅",
        "People's Daily",
    ]
)


@st.composite
def subset_front_matters(draw) -> str:
    lines = []
    for key in draw(st.lists(KEYS, min_size=1, max_size=6)):
        shape_ = draw(st.integers(0, 3))
        if shape_ <= 1:
            lines.append(f"{key}: {draw(GOOD_VALUES)}")
            continue
        lines.append(f"{key}:" + draw(st.sampled_from(["", "  # c"])))
        indent = (
            draw(st.sampled_from(["", "  ", "    "])) if shape_ == 2 else draw(st.sampled_from(["  ", "   "]))
        )
        for _ in range(draw(st.integers(1, 3))):
            if shape_ == 3:  # a nested mapping
                lines.append(f"{indent}{draw(KEYS)}: {draw(GOOD_VALUES)}")
                continue
            fields = draw(st.lists(st.tuples(KEYS, GOOD_VALUES), min_size=1, max_size=3))
            lines.append(f"{indent}- {fields[0][0]}: {fields[0][1]}")
            lines.extend(f"{indent}  {k}: {v}" for k, v in fields[1:])
        if draw(st.integers(0, 4)) == 0:
            lines.append(draw(st.sampled_from(["", "# c", "      # c"])))
    return "\n".join(lines) + "\n"


@settings(max_examples=EXAMPLES, deadline=None)
@given(subset_front_matters())
def test_the_reader_reads_all_plain_front_matter(text):
    assert assert_agrees(text), f"the reader should read {text!r}"


def test_every_page_of_the_site_is_read_by_the_fast_reader():
    """The real pages are all in the subset (so the check never needs PyYAML), and read as libyaml would."""
    docs = REPO / "docs"
    count = 0
    for path in docs.rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        if not text.startswith("---\n"):
            continue
        fm, *_ = frontmatter.split_frontmatter(text, frontmatter.Ctx(str(path), 2, []))
        assert assert_agrees(fm), path
        count += 1
    assert count > 200


# --- mkdocs.yml ---------------------------------------------------------------------------------------------

REAL_CONFIG = (REPO / "mkdocs.yml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "text",
    [
        REAL_CONFIG,
        REAL_CONFIG.replace("    tags: [", "    # the tags\n    tags: ["),
        "site_name: x\nextra:\n  briefing:\n    review_in: 90 days\n    tags:\n    - a\n    - b\nnav: []\n",
        "extra:\n  generator: false\n",
        "site_name: x\n",
        "extra: {briefing: {review_in: 1 year}}\n",
        "extra:\n  briefing:\n    review_in: 90\n",
        "extra:\n  briefing: [a]\n",
        "extra:\n  briefing:\n    tags: [a]\nextra:\n  briefing:\n    tags: [b]\n",
        "extra:\n  briefing:\n    review_in: |\n      90 days\n",
        "extra:\n  briefing:\n    tags: [a]\n  briefing:\n    tags: [b]\n",
    ],
)
def test_settings_are_read_as_pyyaml_reads_them(text, tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    expected = _read_with_pyyaml(text)
    assert read_briefing_settings(config) == expected
    fast = _read_extra_block(text)
    assert fast is None or fast == expected


def test_the_real_settings_are_read_without_pyyaml():
    assert _read_extra_block(REAL_CONFIG) == _read_with_pyyaml(REAL_CONFIG) != {}


def test_the_command_line_check_does_not_import_pyyaml(tmp_path):
    """Checking the real site never imports PyYAML, whose import alone costs some 80-120 million instructions."""
    code = (
        "import sys\n"
        "from briefing.__main__ import main\n"
        "rc = main(['check', '--docs', sys.argv[1], '--config', sys.argv[2], '--today', '2026-11-29'])\n"
        "print(rc, 'yaml' in sys.modules)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO / "hooks")}
    out = subprocess.run(
        [sys.executable, "-c", code, str(REPO / "docs"), str(REPO / "mkdocs.yml")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert out.stdout.split()[-2:] == ["0", "False"], out.stdout + out.stderr
    # and with one page outside the subset, PyYAML is imported and the page still checked
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("---\ntitle: |\n  Block\n---\n# Home\n", encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-c", code, str(docs), str(REPO / "mkdocs.yml")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert out.stdout.split()[-1:] == ["True"], out.stdout + out.stderr


def nested(levels: int) -> str:
    return "".join(f"{'  ' * i}k{i}:\n" for i in range(levels - 1)) + f"{'  ' * (levels - 1)}leaf: x\n"


def test_the_reader_leaves_deep_nesting_to_the_hostile_input_scan():
    """Whatever the reader accepts is shallower than the loader's limit, so the scan it skips has nothing to find."""
    assert yamlsub.MAX_NESTING < frontmatter.MAX_DEPTH
    assert assert_agrees(nested(yamlsub.MAX_NESTING))
    assert yamlsub.parse(nested(yamlsub.MAX_NESTING + 2)) is None
    ctx = frontmatter.Ctx("a.md", 2, [])
    assert frontmatter.compose(nested(frontmatter.MAX_DEPTH + 2), ctx) is None
    assert [p.code for p in ctx.problems] == ["too-deep"]


def test_the_booleans_are_pyyamls():
    from yaml.constructor import SafeConstructor

    assert yamlsub._BOOLS == SafeConstructor.bool_values


@pytest.mark.parametrize(
    "text",
    [
        "a: 2021-02-03",
        "a: 2021-02-30",
        "a: !!timestamp 2021-02-03",
        "a: 0",
        "a: 07",
        "a: 10",
        "a: !!int 12",
        "a: 1_0",
        "a: +3",
        "a: On",
        "a: !!bool yes",
        "a: !!bool maybe",
        "a: ~",
        "a: !!null x",
        "a: !!int ٣",
    ],
)
def test_common_scalars_are_made_as_pyyaml_makes_them(text):
    """plain_value builds dates, decimals, booleans and null itself: the same values, or the same failure."""
    try:
        expected = ("ok", repr(yaml.load(text, Loader=yaml.CSafeLoader)))
    except Exception as exc:  # noqa: BLE001 - a date out of range, a boolean PyYAML does not know...
        expected = ("error", type(exc).__name__)
    try:
        got = ("ok", repr(frontmatter.plain_value(libyaml.compose(text))))
    except Exception as exc:  # noqa: BLE001
        got = ("error", type(exc).__name__)
    assert got[0] == expected[0] and (got[0] == "error" or got == expected), (got, expected)
