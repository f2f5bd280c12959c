"""The allow-list sanitiser of every page's HTML, and the comparison that says what it removed.

A block list over Markdown source cannot be complete (entities, attr_list, parser differences), so the guarantee
comes from the output: after Markdown, each page's HTML passes through nh3 (the Rust sanitiser ammonia) with only
the tags, attributes and URL schemes that Markdown, pymdown-extensions and Material produce. nh3 reports nothing,
so `sanitize` parses its input and its output with one HTML parser (the standard library's) and compares the tags,
the attributes and the URLs: every difference is a `Removal` that the hook reports as an `unsafe-html` error, so
that `--strict` fails rather than publishing a silently changed page.

What page content may not hold even where the tag is allowed: ids and names starting `__` (Material reads
`#__config`, `#__search`, ...; only pymdown's tab ids `__tabbed_N_M` are kept), `data-md-*` attributes (Material's
own state), classes of Material's chrome (`md-*`, but the documented `md-button`), and every `style` attribute
(tables align with `align=`, see `use_align_attribute` in mkdocs.yml).
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3

__all__ = ["ALLOWED_TAGS", "Removal", "locate", "plain_text", "sanitize", "source_urls", "url_scheme"]

ALLOWED_TAGS = frozenset(
    {
        # Markdown and its extensions (abbr, admonition, attr_list, def_list, footnotes, tables, toc, pymdownx.*)
        "a", "abbr", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em",
        "h1", "h2", "h3", "h4", "h5", "h6", "hr", "img", "input", "ins", "label", "li", "mark", "ol", "p",
        "pre", "section", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "th", "thead", "tr",
        "ul",
        # plain HTML a writer may use for text
        "b", "i", "u", "s", "small", "kbd", "q", "cite", "dfn", "figure", "figcaption", "caption", "time",
        "var", "samp", "wbr", "tfoot", "colgroup", "col",
    }
)  # fmt: skip
GLOBAL_ATTRIBUTES = {"id", "class", "title", "lang", "dir"}
TAG_ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "reversed"},
    "li": {"value"},
    "details": {"open"},
    "input": {"checked", "name", "disabled"},
    "label": {"for"},
    "time": {"datetime"},
    "div": {"data-tabs"},  # pymdownx.tabbed
}
INPUT_TYPES = {"radio"}  # pymdownx.tabbed; no text box can ask a reader for anything
URL_SCHEMES = frozenset({"http", "https", "mailto"})  # and relative and fragment URLs
URL_ATTRIBUTES = ("href", "src")
TAB_ID_RE = re.compile(r"__tabbed_\d+_\d+")
TAB_NAME_RE = re.compile(r"__tabbed_\d+")
ALLOWED_MD_CLASSES = frozenset({"md-button", "md-button--primary"})
# What browsers drop from a URL before reading its scheme: ASCII tab and line breaks anywhere, C0 and space around.
URL_NOISE_RE = re.compile(r"[\t\n\r]")
SCHEME_RE = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")


def _attribute_filter(tag: str, attr: str, value: str) -> str | None:
    """Per-value rules nh3's allow-lists cannot say. Returning None removes the attribute."""
    if attr == "id":
        return value if not value.startswith("__") or TAB_ID_RE.fullmatch(value) else None
    if attr == "name":
        return value if TAB_NAME_RE.fullmatch(value) else None
    if attr == "for":
        return value if TAB_ID_RE.fullmatch(value) or not value.startswith("__") else None
    if attr == "class":
        tokens = value.split()
        bad = [
            t for t in tokens if t.startswith("__") or (t.startswith("md-") and t not in ALLOWED_MD_CLASSES)
        ]
        return None if bad else value
    return value


CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags={"script", "style"},
    attributes={"*": set(GLOBAL_ATTRIBUTES), **{t: set(a) for t, a in TAG_ATTRIBUTES.items()}},
    attribute_filter=_attribute_filter,
    strip_comments=False,  # the hooks' and Material's markers (<!-- material/tags -->) are comments
    link_rel=None,  # links are not rewritten
    generic_attribute_prefixes={"aria-"},
    tag_attribute_values={"input": {"type": set(INPUT_TYPES)}},
    url_schemes=set(URL_SCHEMES),
)


@dataclass(frozen=True, order=True)
class Removal:
    """One thing the sanitiser removed: what (for the message) and the text to look for in the page's source."""

    what: str  # "element <svg>", "attribute 'onload' on <p>", "'javascript:' URL in <a href>"
    needle: str  # a tag or attribute name, or a URL as the parser decoded it
    kind: str  # "tag", "attribute" or "url"


class _Collector(HTMLParser):
    """Start tags with their attributes (entities decoded), in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, [(k, v or "") for k, v in attrs]))


def _parse(html: str) -> list[tuple[str, list[tuple[str, str]]]]:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.tags


def url_scheme(url: str) -> str | None:
    """The scheme a browser reads from a URL as written in an attribute (entities already decoded), lowercased,
    or None for a relative or fragment URL."""
    url = URL_NOISE_RE.sub("", url).strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12"
                                         "\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")  # fmt: skip
    m = SCHEME_RE.match(url)
    return m[1].lower() if m else None


# Where Markdown source puts a URL into the HTML: an href/src (or other URL) attribute of raw HTML, a Markdown link
# or image destination, a reference definition.
SOURCE_URL_RE = re.compile(
    r"(?:\b(?:href|src|action|formaction|xlink:href|poster|background|data)\s*=\s*"
    r"(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))"
    r"|\]\(\s*(?:<([^>\n]*)>|([^\s)]+))"
    r"|^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*(?:<([^>\n]*)>|(\S+)))",
    re.I | re.M,
)


def source_urls(text: str) -> Iterator[tuple[int, str, str | None]]:
    """(offset, URL as written, scheme as a browser reads it or None) of every URL in Markdown source: character
    references are decoded (`jav&#97;script:`, `javascript&colon;`), and so are Markdown's backslash escapes."""
    for m in SOURCE_URL_RE.finditer(text):
        group = next(g for g in range(1, 8) if m[g] is not None)
        raw = m[group]
        yield m.start(group), raw, url_scheme(html.unescape(raw.replace("\\", "")))


def locate(text: str, removal: Removal) -> int | None:
    """Where in the Markdown source the removed thing is written (an offset), or None if it cannot be found."""
    if removal.kind == "tag":
        m = re.search(rf"<\s*{re.escape(removal.needle)}(?![\w-])", text, re.I)
    elif removal.kind == "attribute":
        m = re.search(rf"(?<![\w-]){re.escape(removal.needle)}\s*=", text, re.I)
    elif removal.kind == "value":
        m = re.search(re.escape(removal.needle), text)
    else:
        scheme = url_scheme(removal.needle)
        return next((at for at, _, s in source_urls(text) if s == scheme), None)
    return m.start() if m else None


def _counts(tags: list[tuple[str, list[tuple[str, str]]]]) -> tuple[Counter, Counter, Counter]:
    elements: Counter = Counter()
    attributes: Counter = Counter()
    urls: Counter = Counter()
    for tag, attrs in tags:
        elements[tag] += 1
        for name, value in attrs:
            attributes[(tag, name, value)] += 1
            if name in URL_ATTRIBUTES:
                urls[(tag, name, value)] += 1
    return elements, attributes, urls


def removals(before: str, after: str) -> list[Removal]:
    """What is in `before` but not in `after`: elements, then attributes (with their values) of elements that
    were kept, each kind once, in the order of the document. A URL attribute is reported by its scheme."""
    tags_in = _parse(before)
    el_in, attr_in, _ = _counts(tags_in)
    el_out, attr_out, _ = _counts(_parse(after))
    found: dict[str, Removal] = {}
    gone_elements = {t for t, n in el_in.items() if n > el_out.get(t, 0)}
    for tag, attrs in tags_in:
        if tag in gone_elements:
            found.setdefault(f"tag:{tag}", Removal(f"element <{tag}>", tag, "tag"))
            continue
        for name, value in attrs:
            if attr_in[(tag, name, value)] <= attr_out.get((tag, name, value), 0):
                continue
            if name in URL_ATTRIBUTES and (scheme := url_scheme(value)) not in (None, *URL_SCHEMES):
                found.setdefault(f"url:{scheme}", Removal(f"'{scheme}:' URL in <{tag} {name}>", value, "url"))
            elif name in ("id", "for") and value.startswith("__"):
                found.setdefault(
                    f"value:{name}:{value}",
                    Removal(
                        f"{name} '{value}' on <{tag}> (ids starting '__' belong to the theme)", value, "value"
                    ),
                )
            elif name == "class":
                found.setdefault(
                    f"value:class:{value}",
                    Removal(
                        f"class '{value}' on <{tag}> (classes starting 'md-' belong to the theme; "
                        "only md-button is allowed)",
                        value,
                        "value",
                    ),
                )
            else:
                found.setdefault(
                    f"attr:{tag}:{name}", Removal(f"attribute '{name}' on <{tag}>", name, "attribute")
                )
    return list(found.values())


# A quick first comparison: the start tags, as written, before and after (nh3 writes `<br>` for `<br />`). Anything
# nh3 removes changes or drops a start tag, so when they are the same, nothing was removed. Only a page where they
# differ is compared with the parser, which says exactly what was removed (a difference may be only nh3's
# serialisation, such as an attribute's character references). Every page is sanitised on every build; the parser
# on every page cost a tenth of the build (performance targets in ARCHITECTURE.md).
FAST_TAG_RE = re.compile(r"<[a-zA-Z][^>]*>")
SELF_CLOSE_RE = re.compile(r"\s*/>")


def _fast(text: str) -> Counter:
    return Counter(FAST_TAG_RE.findall(SELF_CLOSE_RE.sub(">", text)))


def _same_decoded(gone: Counter, new: Counter) -> bool:
    """Whether the tags that differ are the same once character references are decoded (nh3 writes `'` for
    `&#x27;`)."""
    return Counter(html.unescape(t) for t in gone.elements()) == Counter(
        html.unescape(t) for t in new.elements()
    )


def sanitize(text: str) -> tuple[str, list[Removal]]:
    """The page's HTML with only what the allow-list admits, and what was removed."""
    clean = CLEANER.clean(text)
    before, after = _fast(text), _fast(clean)
    if clean == text or before == after or _same_decoded(before - after, after - before):
        return clean, []
    return clean, removals(text, clean)


NOT_PLAIN_RE = re.compile(r'[<>"\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]')


def plain_text(value: str) -> str:
    """A title, description or tag made plain text, as the theme needs it (it prints them unescaped, after decoding
    character references): references decoded until none is left, then '<', '>', '"' and control and bidi
    characters removed. The checks reject such values (`not-plain-text`); this keeps a build that goes on anyway
    (`mkdocs serve`, a build without --strict) from printing them as HTML."""
    for _ in range(8):
        decoded = html.unescape(value)
        if decoded == value:
            break
        value = decoded
    value = NOT_PLAIN_RE.sub("", value)
    return value.replace("&", "&amp;") if html.unescape(value) != value else value
