"""Bytes to front-matter nodes: decoding, size limits, the `---` delimiters, and PyYAML's composer.

This room and its sibling `convert` are the only code that imports `yaml`. Front matter is composed into nodes
(`yaml.compose`, with libyaml where present), never constructed: nodes keep their line and column, and an
impossible date such as 2021-02-30 stays text for `convert` to report at its line. Before composing, PyYAML's own
event stream is scanned for what a hostile page could use: anchors and aliases (expansion bombs) and nesting deep
enough to exhaust the composer's recursion.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml
from mkdocs.utils.meta import YAML_RE

from ..model import Pos, Problem
from ..text import line_col

try:  # libyaml is much faster; PyYAML's pure-Python parser is the fallback
    from yaml import CSafeLoader as Loader
except ImportError:  # pragma: no cover - every supported platform has the wheel with libyaml
    from yaml import SafeLoader as Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_FRONTMATTER_CHARS = 256 * 1024
MAX_LINE_CHARS = 20_000
MAX_DEPTH = 20
FM_END_RE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)
STARTS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
ENDS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


@dataclass
class Ctx:
    """Per-page reading state: the page, the file line of the front matter's first line, the problems found."""

    path: str
    line_offset: int = 2
    problems: list[Problem] = field(default_factory=list)

    def at(self, node: yaml.Node) -> Pos:
        """The 1-based position in the Markdown file of a node (PyYAML's marks are 0-based, within the front
        matter)."""
        return Pos(node.start_mark.line + self.line_offset, node.start_mark.column + 1)

    def add(self, where: yaml.Node | Pos, code: str, message: str) -> None:
        pos = where if isinstance(where, Pos) else self.at(where)
        self.problems.append(Problem(self.path, pos.line, pos.col, code, message))


def decode(data: bytes, ctx: Ctx) -> str | None:
    """The page's text with every line end made '\\n' (as MkDocs reads it), or None after reporting why not."""
    if len(data) > MAX_FILE_BYTES:
        ctx.add(
            Pos(1, 1),
            "too-large",
            f"The file is {len(data):,} bytes; the limit is {MAX_FILE_BYTES:,}. Split it into several pages.",
        )
        return None
    data = data.removeprefix(b"\xef\xbb\xbf")  # a byte-order mark, which MkDocs drops too
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = line_col(data.decode("latin-1"), exc.start)
        ctx.add(
            Pos(line + 1, col + 1),
            "not-utf8",
            f"The file is not UTF-8 text (byte 0x{data[exc.start]:02x}). Save it as UTF-8.",
        )
        return None
    if not text.strip():
        ctx.add(
            Pos(1, 1),
            "empty-file",
            "The file is empty. Delete it, or start it with front matter and a "
            "'# Title' heading (`make new` writes a template).",
        )
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for lineno, line in enumerate(text.split("\n"), 1):
        if len(line) > MAX_LINE_CHARS:
            ctx.add(
                Pos(lineno, 1),
                "too-large",
                f"Line {lineno} is {len(line):,} characters long; the limit is "
                f"{MAX_LINE_CHARS:,}. Break it into paragraphs.",
            )
            return None
    return text


def split_frontmatter(text: str, ctx: Ctx) -> tuple[str | None, str, int]:
    """(front matter or None, body, the body's first line, 1-based), split with MkDocs' own pattern, so that the
    checks see the front matter and body that MkDocs will render: from a first line '---' to the next line '---'
    or '...', each followed by a line break."""
    m = YAML_RE.match(text)
    if m is not None:
        return m.group(1), text[m.end() :], text.count("\n", 0, m.end()) + 1
    first, _, rest = text.partition("\n")
    if first.rstrip() == "---":
        closed = FM_END_RE.search(rest) is not None
        ctx.add(
            Pos(1, 1),
            "frontmatter-unclosed",
            "The front matter is empty or its closing '---' ends the file, so MkDocs would show it as text. "
            "Write its fields, and end the closing '---' with a line break."
            if closed
            else "The front matter opened by '---' on line 1 is never closed. Add a line '---' after the last field.",
        )
        return None, "", 1
    return None, text, 1


def _scan_events(fm: str, ctx: Ctx) -> bool:
    """False (after reporting it) where the front matter uses an anchor or alias, or nests too deep."""
    depth = 0
    for event in yaml.parse(fm, Loader=Loader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            ctx.add(
                ctx.at(event),
                "yaml-alias",
                "The front matter uses a YAML anchor or alias ('&name' / '*name'). Front matter "
                "needs none: write the values out.",
            )
            return False
        if isinstance(event, STARTS):
            depth += 1
            if depth > MAX_DEPTH:
                ctx.add(
                    ctx.at(event),
                    "too-deep",
                    f"The front matter nests lists or mappings more than {MAX_DEPTH} levels deep. Flatten it.",
                )
                return False
        elif isinstance(event, ENDS):
            depth -= 1
    return True


def compose(fm: str, ctx: Ctx) -> yaml.Node | None:
    """The front matter's root node, or None after reporting why it cannot be read."""
    if len(fm) > MAX_FRONTMATTER_CHARS:
        ctx.add(
            Pos(ctx.line_offset, 1),
            "too-large",
            f"The front matter is {len(fm):,} characters long; the limit is {MAX_FRONTMATTER_CHARS:,}. "
            "Move long text into the page body.",
        )
        return None
    try:
        return yaml.compose(fm, Loader=Loader) if _scan_events(fm, ctx) else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Pos(mark.line + ctx.line_offset, mark.column + 1) if mark else Pos(ctx.line_offset, 1)
        ctx.add(
            where,
            "invalid-yaml",
            f"The front matter is not valid YAML: {(exc.problem or 'syntax error').strip()}. Check quoting and "
            "indentation on this line (a value containing ': ' or starting with '[' needs quotes).",
        )
    except yaml.YAMLError as exc:  # pragma: no cover - libyaml marks its errors
        ctx.add(Pos(ctx.line_offset, 1), "invalid-yaml", f"The front matter is not valid YAML: {exc}.")
    return None
