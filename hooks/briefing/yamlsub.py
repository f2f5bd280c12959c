"""Front matter's own nodes, and a fast reader for the plain YAML that front matter is written in.

Nearly every page's front matter is a block mapping of `key: value` lines, lists written `[a, b]` or as `- item`
lines, and role entries (`- id: ...` mappings). `parse` reads exactly that subset in pure Python and gives the
nodes libyaml would compose (same kinds, tags, values and positions), without importing PyYAML at all: that import
costs a command-line check about 80-120 million instructions, 40-60% of what reading the front matter of a
thousand pages costs, and libyaml's composing is no faster than this reader on such pages. For anything outside
the subset (block scalars, anchors, tags, flow mappings, multi-line values, escapes, tabs, odd characters, invalid
YAML...) it returns None, and the caller composes with libyaml (briefing.libyaml), whose nodes it converts to
these. tests/test_yamlsub.py compares the two on fixed and random texts.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import Any

from .model import Pos

STR = "tag:yaml.org,2002:str"
SEQ_TAG = "tag:yaml.org,2002:seq"
MAP_TAG = "tag:yaml.org,2002:map"
NULL = "tag:yaml.org,2002:null"


class Node:
    """A YAML node: its tag, its value (text, list of nodes, or list of (key, value) node pairs) and where it
    starts in the Markdown file: `line` (libyaml's 0-based start_mark line plus the front matter's first line)
    and `col` (1-based)."""

    __slots__ = ("tag", "value", "line", "col")

    def __init__(self, tag: str, value: Any, line: int, col: int) -> None:
        self.tag = tag
        self.value = value
        self.line = line
        self.col = col

    @property
    def pos(self) -> Pos:
        return Pos(self.line, self.col)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.tag!r}, {self.value!r}, {self.line}, {self.col})"


class ScalarNode(Node):
    __slots__ = ()


class SequenceNode(Node):
    __slots__ = ()


class MappingNode(Node):
    __slots__ = ()


# --- tags of plain scalars ---------------------------------------------------------------------------------
# PyYAML's implicit resolvers (yaml/resolver.py, MIT licence), word for word: first character -> [(tag, regex)].
# tests/test_yamlsub.py checks that this table is PyYAML's own, so that an upgrade that changes it fails there.
_RESOLVERS_SOURCE: list[tuple[str, str, int, str | list[str]]] = [
    (
        "tag:yaml.org,2002:bool",
        r"""^(?:yes|Yes|YES|no|No|NO
                    |true|True|TRUE|false|False|FALSE
                    |on|On|ON|off|Off|OFF)$""",
        re.X,
        "yYnNtTfFoO",
    ),
    (
        "tag:yaml.org,2002:float",
        r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?
                    |\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
                    |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
                    |[-+]?\.(?:inf|Inf|INF)
                    |\.(?:nan|NaN|NAN))$""",
        re.X,
        "-+0123456789.",
    ),
    (
        "tag:yaml.org,2002:int",
        r"""^(?:[-+]?0b[0-1_]+
                    |[-+]?0[0-7_]+
                    |[-+]?(?:0|[1-9][0-9_]*)
                    |[-+]?0x[0-9a-fA-F_]+
                    |[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$""",
        re.X,
        "-+0123456789",
    ),
    ("tag:yaml.org,2002:merge", r"^(?:<<)$", 0, ["<"]),
    (
        "tag:yaml.org,2002:null",
        r"""^(?: ~
                    |null|Null|NULL
                    | )$""",
        re.X,
        ["~", "n", "N", ""],
    ),
    (
        "tag:yaml.org,2002:timestamp",
        r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
                    |[0-9][0-9][0-9][0-9] -[0-9][0-9]? -[0-9][0-9]?
                     (?:[Tt]|[ \t]+)[0-9][0-9]?
                     :[0-9][0-9] :[0-9][0-9] (?:\.[0-9]*)?
                     (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$""",
        re.X,
        "0123456789",
    ),
    ("tag:yaml.org,2002:value", r"^(?:=)$", 0, ["="]),
    ("tag:yaml.org,2002:yaml", r"^(?:!|&|\*)$", 0, "!&*"),
]
CLAIMED_FIRST = frozenset(ch for *_, firsts in _RESOLVERS_SOURCE for ch in firsts)
_RESOLVERS: dict[str, list[tuple[str, re.Pattern[str]]]] = {}  # compiled on first use (most text needs none)
_PLAIN_TAGS: dict[str, str] = {}  # tag of a claimable plain scalar by its text; bounded


def implicit_resolvers() -> dict[str, list[tuple[str, re.Pattern[str]]]]:
    if not _RESOLVERS:
        for tag, pattern, flags, firsts in _RESOLVERS_SOURCE:
            regex = re.compile(pattern, flags)
            for ch in firsts:
                _RESOLVERS.setdefault(ch, []).append((tag, regex))
    return _RESOLVERS


def plain_tag(value: str) -> str:
    """The tag PyYAML's Resolver gives a plain (unquoted, untagged) scalar of this text."""
    if value[:1] not in CLAIMED_FIRST:
        return STR
    tag = _PLAIN_TAGS.get(value)
    if tag is None:
        tag = STR
        for candidate, regex in implicit_resolvers().get(value[:1], ()):
            if regex.match(value):
                tag = candidate
                break
        if len(_PLAIN_TAGS) < 10_000 and len(value) <= 100:
            _PLAIN_TAGS[value] = tag
    return tag


# --- the fast reader ---------------------------------------------------------------------------------------


_intern = sys.intern


class _Outside(Exception):
    """The text is outside the subset: let libyaml read it."""


# Characters the reader leaves to libyaml: tabs, carriage returns and other controls, YAML 1.1's other line
# breaks (NEL, LS, PS), byte-order marks, surrogates and non-characters. (Written as the few odd ranges, not as
# the allowed ones: a class of wide ranges cost 57 million instructions to compile, a quarter of reading a
# thousand pages' front matter; the non-ASCII ones are compiled only for text that has some.)
_ODD_ASCII = re.compile("[\x00-\x09\x0b-\x1f\x7f]")
_ODD: list[re.Pattern[str]] = []


def _has_odd_char(text: str) -> bool:
    if text.isascii():
        return _ODD_ASCII.search(text) is not None
    if not _ODD:
        _ODD.append(re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]"))
    return _ODD[0].search(text) is not None


# 'key:' then the end of the line, or spaces and the rest
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]{0,200}):(?: +(.*))?$")
# first characters that are YAML indicators: a plain scalar cannot start with them (some quoting is read below)
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_DOUBLE = re.compile(r'"([^"\\]*)"(?: +#.*)? *$')
_SINGLE = re.compile(r"'((?:[^']|'')*)'(?: +#.*)? *$")
_FLOW_ITEM = r"[^-?:,\[\]{}#&*!|>'\"%@` ][^,\[\]{}#:]*"
_FLOW_SEQ = re.compile(rf"\[ *(?:{_FLOW_ITEM}(?: *, *{_FLOW_ITEM})*)? *\](?: +#.*)? *$")


MAX_NESTING = 10  # below frontmatter.MAX_DEPTH, so that nothing the reader accepts is too deep


def parse(text: str, first_line: int = 0) -> MappingNode | None:
    """The block mapping of `text` as libyaml composes it, or None if the text is outside the subset. The text's
    first line is numbered `first_line` (libyaml: 0), columns from 1."""
    if _has_odd_char(text):
        return None
    lines = []  # (line, indent, content) of each line that is not blank or a comment
    for no, line in enumerate(text.split("\n"), first_line):
        content = line.lstrip(" ")
        if content and content[0] != "#":
            lines.append((no, len(line) - len(content), content))
    if not lines or lines[0][1] != 0:
        return None
    try:
        root, end = _mapping(lines, 0, 0, None, 0)
    except _Outside:
        return None
    return root if end == len(lines) else None


def _mapping(
    lines: list[tuple[int, int, str]], p: int, indent: int, first: tuple[int, int, str] | None, depth: int
) -> tuple[MappingNode, int]:
    """The block mapping whose keys are at column `indent`, from lines[p] on (or from `first`, the rest of a
    '- key: value' line); returns it with the index of the first line after it."""
    if depth > MAX_NESTING:
        raise _Outside  # deep nesting is for libyaml and the hostile-input scan (front matter needs 3 levels)
    pairs: list[tuple[Node, Node]] = []
    n = len(lines)
    start = first or lines[p]
    node = MappingNode(MAP_TAG, pairs, start[0], indent + 1)
    while True:
        if first is not None:
            no, ind, content = first
            first = None
        elif p == n:
            break
        else:
            no, ind, content = lines[p]
            if ind < indent:
                break
            if ind > indent:
                raise _Outside
            p += 1
        m = _KEY.match(content)
        if m is None:
            raise _Outside
        key, rest = m.group(1, 2)
        key = _intern(key)  # a few distinct keys on thousands of pages: one string each
        key_node = ScalarNode(
            STR if key[0] not in CLAIMED_FIRST else _PLAIN_TAGS.get(key) or plain_tag(key), key, no, ind + 1
        )
        if rest and rest[0] != "#":
            value = _inline(rest, no, ind + m.start(2) + 1)
        elif p == n:
            raise _Outside  # an empty value: libyaml reads it
        else:
            ind2, content2 = lines[p][1], lines[p][2]
            if content2[0] == "-" and content2[1:2] in (" ", "") and ind2 >= indent:
                value, p = _sequence(lines, p, ind2, depth + 1)
            elif ind2 > indent:
                value, p = _mapping(lines, p, ind2, None, depth + 1)
            else:
                raise _Outside
        pairs.append((key_node, value))
    return node, p


def _sequence(lines: list[tuple[int, int, str]], p: int, indent: int, depth: int) -> tuple[SequenceNode, int]:
    """The block sequence whose '-' are at column `indent`, from lines[p] on."""
    items: list[Node] = []
    n = len(lines)
    node = SequenceNode(SEQ_TAG, items, lines[p][0], indent + 1)
    while p < n:
        no, ind, content = lines[p]
        if ind < indent:
            break
        if ind > indent:
            raise _Outside
        if content[0] != "-":
            break  # the next key of the mapping this list is the value of
        rest = content[1:].lstrip(" ")
        if content[1:2] != " " or not rest or rest[0] == "#" or rest[0] == "-":
            raise _Outside  # '-x', a nested block under '-', or '- - x': libyaml reads those
        p += 1
        col = ind + len(content) - len(rest)
        if _KEY.match(rest):
            item, p = _mapping(lines, p, col, (no, col, rest), depth + 1)
        else:
            item = _inline(rest, no, col + 1)
        items.append(item)
    return node, p


def _inline(rest: str, line: int, col: int) -> Node:
    """A value written on its line (starting at 1-based column `col`): a plain or simply quoted scalar, or a
    flow list of plain scalars."""
    first = rest[0]
    if first not in _INDICATORS:
        cut = rest.find(" #")
        text = (rest if cut < 0 else rest[:cut]).rstrip(" ")
        if ": " in text or text.endswith(":"):
            raise _Outside  # an error for libyaml ('mapping values are not allowed here')
        return ScalarNode(
            STR if text[0] not in CLAIMED_FIRST else _PLAIN_TAGS.get(text) or plain_tag(text), text, line, col
        )
    if first == "[":
        if not _FLOW_SEQ.match(rest):
            raise _Outside
        inner = rest[1 : rest.index("]")]
        items: list[Node] = []
        if inner.strip(" "):
            at = col + 1
            for part in inner.split(","):
                # an id, which recurs across pages (one string for all); not empty, and its first character,
                # not a space, is the first of it in part
                text = _intern(part.strip(" "))
                tag = STR if text[0] not in CLAIMED_FIRST else _PLAIN_TAGS.get(text) or plain_tag(text)
                items.append(ScalarNode(tag, text, line, at + part.index(text[0])))
                at += len(part) + 1
        return SequenceNode(SEQ_TAG, items, line, col)
    if first == '"':
        m = _DOUBLE.match(rest)
        if m:
            return ScalarNode(STR, m.group(1), line, col)
    elif first == "'":
        m = _SINGLE.match(rest)
        if m:
            return ScalarNode(STR, m.group(1).replace("''", "'"), line, col)
    raise _Outside


# --- values ------------------------------------------------------------------------------------------------

_SPECIAL_KEYS = ("tag:yaml.org,2002:merge", "tag:yaml.org,2002:value")
TIMESTAMP, INT, BOOL = "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:int", "tag:yaml.org,2002:bool"
_BOOLS = {
    "yes": True,
    "no": False,
    "true": True,
    "false": False,
    "on": True,
    "off": False,
}  # SafeConstructor's


def plain_value(node: Node, construct: Callable[[Node], Any]) -> Any:
    """What PyYAML's safe loader makes of a node. Text, lists and mappings are built here (the bulk of any front
    matter); anything else (numbers, dates, booleans, null, merge keys, explicit tags) is left to `construct`
    (briefing.libyaml.safe_construct: PyYAML's own SafeConstructor), so the result is the same. Raises where
    PyYAML would (an unhashable key, say)."""
    cls = type(node)
    if cls is ScalarNode:
        tag, text = node.tag, node.value
        if tag == STR:
            return text
        # the common non-text scalars, as PyYAML's SafeConstructor makes them (a date, a plain decimal, a boolean,
        # null); the rest of each tag's forms (times, octal, '1_000', ...) is left to it
        if (
            tag == TIMESTAMP
            and len(text) == 10
            and text[4] == text[7] == "-"
            and text.replace("-", "").isdecimal()
            and text.isascii()
        ):
            from datetime import date

            return date(int(text[:4]), int(text[5:7]), int(text[8:]))  # raises for 2021-02-30, as PyYAML does
        if tag == INT and text.isdecimal() and text.isascii() and (text == "0" or text[0] != "0"):
            return int(text)
        if tag == BOOL and text.lower() in _BOOLS:
            return _BOOLS[text.lower()]
        if tag == NULL:
            return None
        return construct(node)
    if cls is SequenceNode and node.tag == SEQ_TAG:
        return [plain_value(n, construct) for n in node.value]
    # PyYAML gives a merge key ('<<') and a value key ('=') special treatment in a mapping: leave those to it
    if cls is MappingNode and node.tag == MAP_TAG and all(k.tag not in _SPECIAL_KEYS for k, _ in node.value):
        out = {}
        for k, v in node.value:
            key = plain_value(k, construct)
            hash(key)  # PyYAML refuses an unhashable key (a list or mapping) with an error, too
            out[key] = plain_value(v, construct)
        return out
    return construct(node)
