"""Scanning Markdown text: code regions, [[id]] references, heading anchors. Shared by checks and render."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from markdown.extensions.toc import slugify

from .model import Link

WIKILINK_RE = re.compile(r"\[\[([^\[\]|#\n]*)(?:#([^\[\]|\n]*))?(?:\|([^\[\]\n]*))?\]\]")
PARAGRAPH_RE = re.compile(r"[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*")
OPEN_RE = re.compile(r"\[\[(?!\[)")
FENCE_RE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
INLINE_CODE_RE = re.compile(r"(`+)(?:.|\n)*?(?<!`)\1(?!`)")
HEADING_RE = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$")
ATTR_ID_RE = re.compile(r"\{[^}]*#([\w-]+)[^}]*\}\s*$")


def code_spans(text: str) -> list[tuple[int, int]]:
    """Offsets (start, end) of fenced code blocks and inline code spans, in order."""
    spans: list[tuple[int, int]] = []
    offset = 0
    fence: str | None = None
    fence_start = 0
    prose_start = 0
    for line in text.splitlines(keepends=True):
        m = FENCE_RE.match(line)
        if fence is None and m:
            spans.extend(_inline(text, prose_start, offset))
            fence, fence_start = m[1], offset
        elif fence is not None and m and m[1][0] == fence[0] and len(m[1]) >= len(fence):
            spans.append((fence_start, offset + len(line)))
            fence, prose_start = None, offset + len(line)
        offset += len(line)
    if fence is not None:
        spans.append((fence_start, offset))
    else:
        spans.extend(_inline(text, prose_start, offset))
    return spans


def _inline(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Inline code spans, which (as in Python-Markdown) never cross a blank line."""
    if "`" not in text[start:end]:
        return []
    spans = []
    for para in PARAGRAPH_RE.finditer(text, start, end):
        if "`" in para[0]:
            spans += [
                (para.start() + m.start(), para.start() + m.end()) for m in INLINE_CODE_RE.finditer(para[0])
            ]
    return spans


def outside_code(text: str, spans: list[tuple[int, int]], pattern: re.Pattern) -> Iterator[re.Match]:
    """Matches of `pattern` in `text` that do not start inside a code span."""
    i = 0
    for m in pattern.finditer(text):
        while i < len(spans) and spans[i][1] <= m.start():
            i += 1
        if i < len(spans) and spans[i][0] <= m.start() < spans[i][1]:
            continue
        yield m


def line_col(text: str, offset: int) -> tuple[int, int]:
    """0-based (line, column) of an offset."""
    line = text.count("\n", 0, offset)
    col = offset - (text.rfind("\n", 0, offset) + 1)
    return line, col


def iter_wikilinks(text: str, spans: list[tuple[int, int]] | None = None) -> Iterator[Link]:
    """Every [[id]], [[id|label]], [[id#anchor]] and [[id#anchor|label]] outside code."""
    if "[[" not in text:
        return
    if spans is None:
        spans = code_spans(text)
    line, counted = 0, 0  # lines before offset `counted`, so that each newline is counted once
    for m in outside_code(text, spans, WIKILINK_RE) if spans else WIKILINK_RE.finditer(text):
        start = m.start()
        line += text.count("\n", counted, start)
        counted = start
        col = start - (text.rfind("\n", 0, start) + 1)
        # '[[id\\|label]]' is how a link must be written inside a Markdown table cell
        yield Link(start, m.end(), line, col, m[1].strip().rstrip("\\"), m[2], m[3])


def iter_unclosed(
    text: str, spans: list[tuple[int, int]] | None = None, good: set[int] | None = None
) -> Iterator[tuple[int, int]]:
    """0-based (line, col) of each '[[' outside code that does not start a well-formed reference."""
    if "[[" not in text:
        return
    if spans is None:
        spans = code_spans(text)
    if good is None:
        good = {link.start for link in iter_wikilinks(text, spans)}
    for m in outside_code(text, spans, OPEN_RE):
        if m.start() not in good:
            yield line_col(text, m.start())


MD_LINK_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
TAG_RE = re.compile(r"<[^>]+>")


def heading_text(heading: str) -> str:
    """The text of a heading as the toc extension sees it: links, tags and entities resolved."""
    text = WIKILINK_RE.sub(lambda w: w[3] or w[1], heading)
    text = MD_LINK_RE.sub(r"\1", text)
    return html.unescape(TAG_RE.sub("", text))


def heading_anchors(text: str) -> tuple[frozenset[str], str]:
    """The anchor ids of the ATX headings outside code, and the text of the first level-1 heading."""
    anchors: set[str] = set()
    title = ""
    fence: str | None = None
    for line in text.splitlines():
        m = FENCE_RE.match(line)
        if m:
            if fence is None:
                fence = m[1]
            elif m[1][0] == fence[0] and len(m[1]) >= len(fence):
                fence = None
            continue
        if fence is not None or not line.startswith("#"):
            continue
        h = HEADING_RE.match(line)
        if not h:
            continue
        heading = h[2]
        attr = ATTR_ID_RE.search(heading)
        if attr:
            anchors.add(attr[1])
            heading = heading[: attr.start()].rstrip()
        else:
            slug = slugify(heading_text(heading), "-")
            unique, n = slug, 0
            while unique in anchors:  # as toc does for a repeated heading: notes, notes_1, ...
                n += 1
                unique = f"{slug}_{n}"
            anchors.add(unique)
        if len(h[1]) == 1 and not title:
            title = heading
    return frozenset(anchors), title
