"""Read pages: bytes -> front matter nodes with positions -> typed entities, plus the problems found on the way.

Front matter is parsed here, not by MkDocs (which silently ignores invalid YAML), into nodes (briefing.yamlsub's
fast reader, or libyaml where the YAML is not plain) so that every key and list item keeps its line and column.
Values are converted by this module, never by PyYAML's constructors: an impossible date such as 2021-02-30 becomes
a problem at its line instead of an exception, and aliases are rejected before they could be expanded.
"""

from __future__ import annotations

import gc
import os
import re
from collections.abc import Callable, Iterator
from typing import Any

from .model import (
    ENTITY_TYPES,
    EVENT_ID_PATTERN,
    FOLDERS,
    ID_PATTERN,
    Actor,
    DateField,
    Entity,
    Event,
    Issue,
    KeyPositions,
    Page,
    Pos,
    Problem,
    Ref,
    Role,
    Site,
    Source,
    close_matches,
    parse_date,
)
from .text import code_spans, heading_anchors, iter_unclosed, iter_wikilinks
from .yamlsub import MappingNode, Node, ScalarNode, SequenceNode
from .yamlsub import parse as parse_subset
from .yamlsub import plain_value as _plain_value

# Building the model's NamedTuples with tuple.__new__ skips their __new__, a Python function: they are made by the
# hundred thousand on a large site
_new = tuple.__new__

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_FRONTMATTER_CHARS = 256 * 1024
MAX_LINE_CHARS = 20_000
MAX_DEPTH = 20
# Cheap signs of deep nesting, which then gets the careful event scan
DEEP_BLOCK_RE = re.compile(rf"(?:-[ \t]+){{{MAX_DEPTH - 1}}}")


def _flow_depth(fm: str) -> int:
    """Maximum bracket nesting, counted only when there are enough brackets to matter."""
    if fm.count("[") + fm.count("{") < MAX_DEPTH:
        return 0
    depth = deepest = 0
    for ch in fm:
        if ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth = max(depth - 1, 0)
    return deepest


FM_END_RE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.M)
# MkDocs' own front-matter pattern (mkdocs.utils.meta.YAML_RE, equal by a test), copied so that the check does not
# import MkDocs (and with it PyYAML).
MKDOCS_YAML_RE = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.UNICODE | re.DOTALL)
STR, INT, SEQ, MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "sequence", "mapping"


class Ctx:
    """Per-page parsing state: where we are, and the problems found."""

    def __init__(self, path: str, line_offset: int, problems: list[Problem]) -> None:
        self.path = path
        self.line_offset = line_offset
        self.problems = problems

    def add(self, at: Node | Pos | tuple[int, int], code: str, message: str) -> None:
        line, col = at if type(at) is tuple else (at.line, at.col)
        self.problems.append(Problem(self.path, line, col, code, message))


def kind_of(node: Node) -> str:
    if isinstance(node, SequenceNode):
        return SEQ
    if isinstance(node, MappingNode):
        return MAP
    return {
        "tag:yaml.org,2002:str": "text",
        "tag:yaml.org,2002:int": "number",
        "tag:yaml.org,2002:float": "number",
        "tag:yaml.org,2002:bool": "true/false",
        "tag:yaml.org,2002:null": "empty value",
        "tag:yaml.org,2002:timestamp": "date",
    }.get(node.tag, "value")


# --- reading the file -------------------------------------------------------------------------


def split_frontmatter(text: str, ctx: Ctx) -> tuple[str | None, int, str, int]:
    """Return (front matter text or None, its first line, body, the body's first line), all lines 1-based."""
    if not text.startswith("---"):
        return None, 1, text, 1
    first_nl = text.find("\n")
    if first_nl == -1 or text[:first_nl].strip() != "---":
        return None, 1, text, 1
    m = FM_END_RE.search(text, first_nl + 1)
    if not m:
        ctx.add(
            (1, 1),
            "frontmatter-unclosed",
            "The front matter opened by '---' on line 1 is never closed. "
            "Add a line '---' after the last field.",
        )
        return None, 1, "", 1
    fm = text[first_nl + 1 : m.start()]
    end = text.find("\n", m.end())
    body_start = len(text) if end == -1 else end + 1
    return fm, 2, text[body_start:], text.count("\n", 0, body_start) + 1


def _scan_hostile(fm: str, ctx: Ctx) -> bool:
    """Walk the YAML events of unusual front matter: reject aliases and excessive nesting without building it."""
    from .libyaml import scan

    found = scan(fm)
    if found is None:
        return True
    what, line, col = found
    if what == "alias":
        ctx.add(
            (line + ctx.line_offset, col + 1),
            "yaml-alias",
            "The front matter uses a YAML anchor or alias ('&name' / '*name'). Front matter "
            "needs none: write the values out.",
        )
    else:
        ctx.add(
            (line + ctx.line_offset, col + 1),
            "too-deep",
            f"The front matter nests lists or mappings more than {MAX_DEPTH} levels deep. Flatten it.",
        )
    return False


def compose(fm: str, ctx: Ctx) -> Node | None:
    """The front matter's nodes: read by the fast reader where it can, else composed by libyaml."""
    if len(fm) > MAX_FRONTMATTER_CHARS:
        ctx.add(
            (ctx.line_offset, 1),
            "too-large",
            f"The front matter is {len(fm):,} characters long; the limit is {MAX_FRONTMATTER_CHARS:,}. "
            "Move long text into the page body.",
        )
        return None
    root = parse_subset(fm, ctx.line_offset)  # which reads no anchor, alias or deep nesting
    if root is not None:
        return root
    unusual = (
        "&" in fm
        or "*" in fm
        or fm.count("[") + fm.count("{") > 200
        or "\n" + " " * 40 in fm
        or _flow_depth(fm) > MAX_DEPTH
        or DEEP_BLOCK_RE.search(fm) is not None
    )
    if unusual and not _scan_hostile(fm, ctx):
        return None
    from . import libyaml

    try:
        return libyaml.compose(fm, ctx.line_offset)
    except libyaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + ctx.line_offset, mark.column + 1) if mark else (ctx.line_offset, 1)
        what = (exc.problem or "syntax error").strip()
        ctx.add(
            (line, col),
            "invalid-yaml",
            f"The front matter is not valid YAML: {what}. Check quoting and "
            "indentation on this line (a value containing ': ' or starting with '[' needs quotes).",
        )
    except libyaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        ctx.add((ctx.line_offset, 1), "invalid-yaml", f"The front matter is not valid YAML: {exc}.")
    return None


def decode(data: bytes, ctx: Ctx) -> str | None:
    if len(data) > MAX_FILE_BYTES:
        ctx.add(
            (1, 1),
            "too-large",
            f"The file is {len(data):,} bytes; the limit is {MAX_FILE_BYTES:,}. Split it into several pages.",
        )
        return None
    # A byte-order mark is dropped, as the utf-8-sig codec does (but that codec is Python code, run per file).
    raw = data[3:] if data[:3] == b"\xef\xbb\xbf" else data
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        ctx.add(
            (line, col),
            "not-utf8",
            f"The file is not UTF-8 text (byte 0x{raw[exc.start]:02x}). Save it as UTF-8.",
        )
        return None
    if not text or text.isspace():
        ctx.add(
            (1, 1),
            "empty-file",
            "The file is empty. Delete it, or start it with front matter and a "
            "'# Title' heading (`make new` writes a template).",
        )
        return None
    for lineno, line in enumerate(text.split("\n") if len(text) > MAX_LINE_CHARS else (), 1):
        if len(line) > MAX_LINE_CHARS:
            ctx.add(
                (lineno, 1),
                "too-large",
                f"Line {lineno} is {len(line):,} characters long; the limit is "
                f"{MAX_LINE_CHARS:,}. Break it into paragraphs.",
            )
            return None
    return text.replace("\r\n", "\n")


# --- field conversion -------------------------------------------------------------------------

Conv = Callable[[Node, Ctx, str], Any]
MISSING = object()


def c_str(v: Node, ctx: Ctx, name: str) -> str | None:
    if isinstance(v, ScalarNode) and v.tag in (STR, INT, "tag:yaml.org,2002:float"):
        text = v.value.strip()
        if text:
            return text
    ctx.add(v, "wrong-type", f"'{name}' should be a line of text, but it is {_a(kind_of(v))}.")
    return None


def _a(kind: str) -> str:
    return ("an " if kind[0] in "aeiou" else "a ") + kind


def c_date(node: Node, ctx: Ctx, name: str, allow_unknown: bool = False) -> DateField | str | None:
    if isinstance(node, ScalarNode) and node.tag != "tag:yaml.org,2002:null":
        text = node.value.strip()
        if allow_unknown and text == "unknown":
            return "unknown"
        d = parse_date(text)
        if d:
            return _new(DateField, (d, _new(Pos, (node.line, node.col))))
        if re.fullmatch(r"\d{4}-\d{1,2}(-\d{1,2})?", text) or re.fullmatch(r"\d{4}(-\d{2}){0,2}", text):
            ctx.add(
                node,
                "invalid-date",
                f"'{name}' is '{text}', which is not a day of the calendar. "
                "Write a real date as YYYY-MM-DD (or YYYY-MM, YYYY).",
            )
            return None
        hint = " or 'unknown'" if allow_unknown else ""
        ctx.add(
            node,
            "invalid-date",
            f"'{name}' is '{text}', which is not a date. Write YYYY-MM-DD, YYYY-MM or "
            f"YYYY{hint} (e.g. '2019-01-15' for 'Jan 15, 2019').",
        )
        return None
    ctx.add(
        node,
        "invalid-date",
        f"'{name}' should be a date (YYYY-MM-DD, YYYY-MM or YYYY), but it is {_a(kind_of(node))}.",
    )
    return None


def c_date_or_unknown(v: Node, ctx: Ctx, name: str) -> DateField | str | None:
    return c_date(v, ctx, name, allow_unknown=True)


def c_list(v: Node, ctx: Ctx, name: str) -> list[Node] | None:
    if isinstance(v, SequenceNode):
        return list(v.value)
    if isinstance(v, ScalarNode) and v.tag == "tag:yaml.org,2002:null":
        return []
    ctx.add(v, "wrong-type", f"'{name}' should be a list (e.g. [a, b]), but it is {_a(kind_of(v))}.")
    return None


def c_strs(v: Node, ctx: Ctx, name: str) -> tuple[str, ...] | None:
    items = c_list(v, ctx, name)
    if items is None:
        return None
    out = [c_str(i, ctx, name) for i in items]
    return tuple(s for s in out if s)


def refs(expected: tuple[str, ...]) -> Conv:
    def conv(node: Node, ctx: Ctx, name: str) -> tuple[Ref, ...] | None:
        if type(node) is SequenceNode:
            # the usual list of ids
            out = []
            seen: set[str] = set()
            for item in node.value:
                text = item.value.strip() if type(item) is ScalarNode and item.tag == STR else ""
                if not text:
                    text = c_str(item, ctx, name)  # a number is an id too; c_str reports the rest
                    if not text:
                        continue
                if text in seen:
                    ctx.add(
                        (item.line, item.col),
                        "duplicate-reference",
                        f"'{text}' is listed twice in '{name}'. Remove this one.",
                    )
                    continue
                seen.add(text)
                out.append(_new(Ref, (text, name, item.line, item.col, None, expected)))
            return tuple(out)
        return () if c_list(node, ctx, name) is not None else None  # null is an empty list; else reported

    return conv


def enum(*allowed: str) -> Conv:
    def conv(v: Node, ctx: Ctx, name: str) -> str | None:
        s = c_str(v, ctx, name)
        if s is None:
            return None
        if s not in allowed:
            close = close_matches(s, allowed, 1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            ctx.add(v, "wrong-type", f"'{name}' is '{s}', but it must be one of {', '.join(allowed)}.{hint}")
            return None
        return s

    return conv


def c_url(v: Node, ctx: Ctx, name: str) -> str | None:
    s = c_str(v, ctx, name)
    if s is not None and not re.fullmatch(r"https?://[^\s/<>\"'`]+[^\s<>\"'`]*", s):
        ctx.add(
            v,
            "wrong-type",
            f"'{name}' is '{s}', which is not a web address. Write the full https:// address.",
        )
        return None
    return s


def c_review(v: Node, ctx: Ctx, name: str) -> str | None:
    from .model import REVIEW_RE

    s = c_str(v, ctx, name)
    if s is not None and not REVIEW_RE.fullmatch(s):
        ctx.add(
            v,
            "wrong-type",
            f"'{name}' is '{s}'; write an interval such as '90 days', '6 months' or '1 year'.",
        )
        return None
    return s


def mapping_items(v: Node, ctx: Ctx, name: str) -> list[tuple[Node, Node]] | None:
    if isinstance(v, MappingNode):
        return list(v.value)
    if isinstance(v, ScalarNode) and v.tag == "tag:yaml.org,2002:null":
        return []
    ctx.add(v, "wrong-type", f"'{name}' should be a mapping, but it is {_a(kind_of(v))}.")
    return None


ROLE_FIELDS = {"id": True, "title": True, "start": True, "end": False, "sources": True, "note": False}


def c_roles(v: Node, ctx: Ctx, name: str) -> tuple[Role, ...] | None:
    items = c_list(v, ctx, name)
    if items is None:
        return None
    roles = []
    seen: dict[str, Node] = {}
    for item in items:
        if type(item) is MappingNode:
            pairs = item.value
        elif mapping_items(item, ctx, "roles entry") is None:
            continue  # reported
        else:
            pairs = []  # an empty entry: its missing fields are reported
        got = _fields(pairs, ROLE_FIELDS, ctx, item, "role")
        rid = c_str(got["id"], ctx, "id") if "id" in got else None
        if rid and not ID_PATTERN.fullmatch(rid):
            ctx.add(
                got["id"],
                "invalid-id",
                f"Role id '{rid}' is not lowercase kebab-case (e.g. 'foreign-minister-2021').",
            )
        if rid in seen:
            ctx.add(
                got["id"],
                "duplicate-role",
                f"Role id '{rid}' is used twice on this actor (first on line "
                f"{seen[rid].line}). Give each tenure its own id, e.g. with its start year.",
            )
        if rid:
            seen[rid] = got["id"]
        title = c_str(got["title"], ctx, "title") if "title" in got else None
        start = c_date_or_unknown(got["start"], ctx, "start") if "start" in got else None
        end = c_date_or_unknown(got["end"], ctx, "end") if "end" in got else None
        sources = refs(("source",))(got["sources"], ctx, "roles.sources") if "sources" in got else ()
        if "sources" in got and sources == ():
            ctx.add(
                got["sources"],
                "missing-field",
                "'sources' is empty: a role needs at least one source that gives its tenure.",
            )
        if rid and title:
            roles.append(
                Role(
                    rid,
                    title,
                    start if isinstance(start, DateField) else None,
                    end if isinstance(end, DateField) else None,
                    "end" not in got,
                    sources or (),
                    item.pos,
                )
            )
    return tuple(roles)


def c_rolemap(v: Node, ctx: Ctx, name: str) -> tuple | None:
    pairs = mapping_items(v, ctx, name)
    if pairs is None:
        return None
    out = []
    for k, val in pairs:
        actor = c_str(k, ctx, "roles key")
        role = c_str(val, ctx, f"roles: {actor}")
        if actor and role:
            out.append((Ref(actor, "roles", k.line, k.col, None, ("actor",)), role, val.pos))
    return tuple(out)


# field name -> (required, converter); per page type
COMMON = {
    "type": (True, c_str),
    "summary": (True, c_str),
    "last_reviewed": (True, c_date),
    "review_in": (False, c_review),
    "tags": (False, refs(("tag",))),
}
SCHEMAS: dict[str, dict[str, tuple[bool, Conv]]] = {
    "actor": {
        **COMMON,
        "kind": (True, enum("person", "state", "organization", "group")),
        "name": (True, c_str),
        "native_name": (False, c_str),
        "aliases": (False, c_strs),
        "born": (False, c_date),
        "died": (False, c_date),
        "founded": (False, c_date),
        "dissolved": (False, c_date),
        "roles": (False, c_roles),
    },
    "issue": {
        **COMMON,
        "title": (True, c_str),
        "status": (True, enum("active", "resolved", "dormant")),
        "started": (True, c_date),
        "resolved": (False, c_date),
        "actors": (True, refs(("actor",))),
        "related": (False, refs(("issue",))),
    },
    "event": {
        "type": (True, c_str),
        "title": (True, c_str),
        "date": (True, c_date),
        "end": (False, c_date),
        "announced": (False, c_date),
        "place": (False, c_str),
        "actors": (True, refs(("actor",))),
        "roles": (False, c_rolemap),
        "issues": (True, refs(("issue",))),
        "resolves": (False, refs(("issue",))),
        "sources": (True, refs(("source",))),
        "summary": (False, c_str),
        "tags": (False, refs(("tag",))),
    },
    "source": {
        "type": (True, c_str),
        "title": (True, c_str),
        "publisher": (True, c_str),
        "url": (True, c_url),
        "published": (True, c_date_or_unknown),
        "accessed": (False, c_date),
        "archived": (False, c_url),
        "kind": (True, enum("primary", "secondary")),
        "summary": (False, c_str),
        "tags": (False, refs(("tag",))),
    },
}
# Keys MkDocs and Material understand on any page.
PLAIN_KEYS = {"title", "description", "hide", "search", "template", "icon", "status", "tags", "subtitle"}


def _fields(pairs: list[tuple[Node, Node]], schema: dict, ctx: Ctx, at: Node, what: str) -> dict[str, Node]:
    """Map key -> value; report unknown, duplicate and missing keys. `pairs` are a mapping's (key, value) nodes."""
    got: dict[str, Node] = {}
    for k, val in pairs:
        key = k.value if type(k) is ScalarNode else None
        if key is None:
            ctx.add(k, "wrong-type", "A front-matter key must be a plain word.")
            continue
        if key not in schema:
            close = close_matches(key, list(schema), 1, 0.6)
            hint = f" Did you mean '{close[0]}'?" if close else f" Known fields: {', '.join(schema)}."
            ctx.add(k, "unknown-field", f"{_a(what).capitalize()} has no field '{key}'.{hint}")
            continue
        if key in got:
            ctx.add(
                k,
                "wrong-type",
                f"Field '{key}' is given twice (first on line {got[key].line}). Keep one.",
            )
            continue
        got[key] = val
    for key, spec in schema.items():
        required = spec[0] if isinstance(spec, tuple) else spec
        if required and key not in got:
            ctx.add(at, "missing-field", f"This {what} has no '{key}' field, which is required.")
    return got


def entity_id(path: str) -> str:
    return path.rsplit("/", 1)[-1].removesuffix(".md")


def parse_page(
    path: str, data: bytes, keep: list | None = None
) -> tuple[Page | None, Entity | None, list[Problem]]:
    """Parse one page (path relative to docs/, POSIX). Never raises on bad input.

    With a `keep` list, the front-matter text, its composed mapping and whether MkDocs would read the same front
    matter and body (_as_mkdocs_reads) are appended to it (see FrontMatter)."""
    ctx = Ctx(path, 2, [])
    text = decode(data, ctx)
    if text is None:
        return None, None, ctx.problems
    fm, fm_line, body, body_line = split_frontmatter(text, ctx)
    ctx.line_offset = fm_line
    root = compose(fm, ctx) if fm and fm.strip() else None
    if fm and fm.strip() and root is None and ctx.problems:
        return None, None, ctx.problems
    if root is not None and not isinstance(root, MappingNode):
        ctx.add(
            root,
            "frontmatter-not-mapping",
            "The front matter must be a mapping of fields "
            f"('key: value' lines), but it is {_a(kind_of(root))}.",
        )
        return None, None, ctx.problems
    if keep is not None and root is not None:
        keep += (fm, root, _as_mkdocs_reads(text, fm, body))
    pairs = root.value if root is not None else []  # (key node, value node)
    page_type = None
    flat: list = []  # key, line, col of each key (see KeyPositions)
    for k, v in pairs:
        if type(k) is not ScalarNode:
            continue
        flat += (k.value, k.line, k.col)
        if k.value == "type":
            type_at = v
            if type(v) is not ScalarNode:
                ctx.add(
                    type_at,
                    "unknown-type",
                    "'type' should be one word: actor, issue, event or source (or "
                    f"absent for a plain page), but it is {_a(kind_of(v))}.",
                )
                return None, None, ctx.problems
            page_type = v.value

    meta_pos = KeyPositions(flat)
    spans = code_spans(body) if "[[" in body else []
    links = tuple(iter_wikilinks(body, spans))
    body_refs = tuple(
        _new(Ref, (lk.target, "text", body_line + lk.line, lk.col + 1, lk.anchor, ENTITY_TYPES))
        for lk in links
    )
    unclosed = tuple(iter_unclosed(body, spans, {lk.start for lk in links})) if "[[" in body else ()
    pid = entity_id(path)
    if page_type is None:
        title = next(
            (v.value for k, v in pairs if k.value == "title" and type(v) is ScalarNode),
            heading_anchors(body)[1] or pid,
        )
        return (
            Page(path, None, pid, meta_pos, body, body_line, body_refs, title, unclosed, links),
            None,
            ctx.problems,
        )
    if page_type not in SCHEMAS:
        close = close_matches(str(page_type), list(SCHEMAS), 1)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        ctx.add(
            type_at,
            "unknown-type",
            f"'type' is '{page_type}', but it must be one of actor, issue, event, "
            f"source (or absent for a plain page).{hint}",
        )
        return None, None, ctx.problems

    schema = SCHEMAS[page_type]
    got = _fields(pairs, schema, ctx, root, page_type)
    values: dict[str, Any] = {}
    for key, (_, conv) in schema.items():
        if key in got and key != "type":
            out = conv(got[key], ctx, key)
            if out is not None:
                values[key] = out
    if page_type == "event" and values.get("sources") == ():
        ctx.add(got["sources"], "missing-field", "'sources' is empty: an event needs at least one source.")

    folder = FOLDERS[page_type]
    if not path.startswith(folder + "/") or path.count("/") != 1:
        ctx.add(
            type_at,
            "wrong-folder",
            f"A page of type '{page_type}' belongs in docs/{folder}/, but this one is at docs/{path}.",
        )
    check_id(pid, page_type, values, ctx)

    name = values.get("name") or values.get("title") or pid
    fm_refs = [
        r for key in ("actors", "issues", "related", "resolves", "sources") for r in values.get(key, ())
    ]
    for item in values.get("roles", ()):
        fm_refs.extend(item.sources if isinstance(item, Role) else (item[0],))
    page = Page(
        path, page_type, pid, meta_pos, body, body_line, tuple(fm_refs) + body_refs, name, unclosed, links
    )
    return page, build_entity(page, page_type, pid, name, values), ctx.problems


def check_id(pid: str, page_type: str, values: dict, ctx: Ctx) -> None:
    at = (1, 1)
    if not ID_PATTERN.fullmatch(pid):
        fixed = re.sub(r"[^a-z0-9]+", "-", pid.lower()).strip("-")
        ctx.add(
            at,
            "invalid-id",
            f"The file name '{pid}.md' is not a valid id: use lowercase letters, digits "
            f"and single hyphens, e.g. '{fixed}.md'.",
        )
    elif page_type == "event":
        m = EVENT_ID_PATTERN.fullmatch(pid)
        d = values.get("date")
        if d and pid.startswith(d.value.text + "-") and len(pid) > len(d.value.text) + 1:
            return  # '2019-24-hours-in-beijing' with date 2019: the id does start with its date
        if not m:
            ctx.add(
                at,
                "invalid-id",
                f"The event id '{pid}' must start with its date, e.g. "
                f"'{d.value.text if d else '2021-09-24'}-{pid}.md'.",
            )
        elif d and m[1] != d.value.text:
            ctx.add(
                d.pos,
                "invalid-id",
                f"The event id '{pid}' starts with '{m[1]}', but its 'date' is "
                f"'{d.value.text}'. Rename the file or fix the date.",
            )


KINDS: dict[str, type[Entity]] = {"actor": Actor, "issue": Issue, "event": Event, "source": Source}


def build_entity(page: Page, page_type: str, pid: str, name: str, v: dict) -> Entity:
    cls = KINDS[page_type]
    fields = {key: v[key] for key in cls.FIELDS if key in v}
    if cls is Source:  # 'published: unknown' is a flag, not a date
        pub = v.get("published")
        fields["published"] = pub if isinstance(pub, DateField) else None
        fields["published_unknown"] = pub == "unknown"
    return cls(
        page,
        pid,
        page_type,
        name,
        v.get("summary", ""),
        v.get("last_reviewed"),
        v.get("review_in"),
        v.get("tags", ()),
        **fields,
    )


# --- the whole site ---------------------------------------------------------------------------


class FrontMatter:
    """A page's front matter as MkDocs would load it, for the build hook to hand to MkDocs instead of letting it
    parse the YAML a second time. `text` is the front matter exactly as in the file (between the `---` lines),
    `value` what `yaml.load(text, CSafeLoader)` returns. `same` is true when MkDocs, reading the file, would find
    this front matter and then exactly the page's body (see _as_mkdocs_reads): the hook can then hand MkDocs the body
    the loader already has, without reading the file again. MkDocs and its plugins may change a page's meta in
    place, so the value is handed out once as it is and as a copy after that (`mkdocs serve` rebuilds)."""

    __slots__ = ("text", "value", "same", "handed")

    def __init__(self, text: str, value: dict, same: bool = False) -> None:
        self.text, self.value, self.same, self.handed = text, value, same, False

    def take(self) -> dict:
        if not self.handed:
            self.handed = True
            return self.value
        import copy

        return copy.deepcopy(self.value)


def plain_value(node: Node) -> Any:
    """What PyYAML's safe loader makes of the front matter's nodes (see yamlsub.plain_value)."""
    return _plain_value(node, _safe_construct)


def _safe_construct(node: Node) -> Any:
    from .libyaml import safe_construct

    return safe_construct(node)


# path -> ((size, mtime_ns), parse result, FrontMatter, None if there is none, or False if not asked for); reused
# by `mkdocs serve` rebuilds so that only changed files are parsed
_CACHE: dict[str, tuple[tuple[int, int], tuple, FrontMatter | None | bool]] = {}
STATS = {"parsed": 0, "cached": 0}


def iter_markdown(docs_dir: os.PathLike[str] | str) -> Iterator[tuple[str, str]]:
    """(path relative to docs_dir, POSIX; path to open) of each Markdown file, folder by folder, sorted."""
    top = os.fspath(docs_dir)
    for root, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        folder = os.path.relpath(root, top)
        prefix = "" if folder == "." else folder.replace(os.sep, "/") + "/"
        for f in sorted(files):
            if f.endswith(".md"):
                yield prefix + f, os.path.join(root, f)


CHUNK = 1 << 16  # nearly every page is shorter: one read


def read_bytes(path: str) -> bytes:
    """The file's bytes. (os.open and os.read: a buffered file object costs more to set up than a page takes to
    read, about 6 microseconds of some 20 per file here.) A read of a regular file returns less than it asked for
    only at the end of the file, so a short first read is the whole page."""
    fd = os.open(path, os.O_RDONLY)
    try:
        data = os.read(fd, CHUNK)
        if len(data) < CHUNK:
            return data
        parts = [data]
        while chunk := os.read(fd, 1 << 20):
            parts.append(chunk)
        return b"".join(parts)
    finally:
        os.close(fd)


def load_site(
    docs_dir: os.PathLike[str] | str,
    review_in: str = "6 months",
    skip: frozenset[str] = frozenset(),
    meta: dict[str, FrontMatter] | None = None,
    cache: bool = True,
) -> Site:
    """Read every Markdown page under docs_dir (except `skip`) into one Site.

    Given a `meta` dict, also fill it with the FrontMatter of each page (path relative to docs_dir) whose front
    matter PyYAML's safe loader would load as a mapping. With `cache=False` (a process that loads the site once,
    such as the command-line check) files are neither looked up in the parse cache nor added to it, which also
    spares a stat() of every file."""
    pages: list[Page] = []
    entities: list[Entity] = []
    problems: list[Problem] = []
    # Parsing allocates many small objects that reference counting frees; the cyclic collector, which
    # would rescan them about every 700 allocations, has nothing to find there. Pause it for the loop.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for rel, full in iter_markdown(docs_dir):
            if rel in skip:
                continue
            try:
                if cache:
                    st = os.stat(full)
                    key = (st.st_size, st.st_mtime_ns)
                    hit = _CACHE.get(full)
                else:
                    hit = None
                if hit and hit[0] == key and (meta is None or hit[2] is not False):
                    result, front = hit[1], hit[2]
                    STATS["cached"] += 1
                else:
                    data = read_bytes(full)
                    keep: list | None = [] if meta is not None else None
                    result = parse_page(rel, data, keep)
                    front = (_front_matter(*keep) if keep else None) if meta is not None else False
                    if cache:
                        _CACHE[full] = (key, result, front)
                    STATS["parsed"] += 1
                if meta is not None and front:
                    meta[rel] = front
            except OSError as exc:
                problems.append(Problem(rel, 1, 1, "not-utf8", f"The file cannot be read: {exc.strerror}."))
                continue
            page, entity, found = result
            problems.extend(found)
            if page is not None:
                pages.append(page)
            if entity is not None:
                entities.append(entity)
    finally:
        if collecting:
            gc.enable()
    return make_site(pages, entities, problems, review_in)


def _as_mkdocs_reads(text: str, fm: str, body: str) -> bool:
    """Whether MkDocs, reading this file, would find `fm` as its front matter and `body` right after it. MkDocs
    opens files in text mode, which turns every \r\n and every lone \r into \n. `decode` turned the \r\n into \n
    already; a page with a lone \r left does not qualify."""
    if "\r" in text:
        return False
    m = MKDOCS_YAML_RE.match(text)
    return m is not None and m.group(1) == fm and m.end() == len(text) - len(body)


def _front_matter(text: str, root: Node, same: bool) -> FrontMatter | None:
    try:
        value = plain_value(root)
    except Exception:  # noqa: BLE001 - whatever PyYAML would stumble on, MkDocs parses (and reports) itself
        return None
    return FrontMatter(text, value, same) if isinstance(value, dict) else None


def make_site(pages: list[Page], entities: list[Entity], problems: list[Problem], review_in: str) -> Site:
    from types import MappingProxyType

    by_id: dict[str, Entity] = {}
    by_folded: dict[str, Entity] = {}
    # a well-formed id keeps its name; the mis-cased duplicate is the one reported
    for e in sorted(entities, key=lambda e: (ID_PATTERN.fullmatch(e.id) is None, e.path)):
        other = by_folded.get(e.id.lower())
        if other is not None:
            same = "the same id" if other.id == e.id else f"an id that differs only in case ('{other.id}')"
            problems.append(
                Problem(
                    e.path,
                    1,
                    1,
                    "duplicate-id",
                    f"This page has {same} as "
                    f"docs/{other.path}. Ids are unique across all types: rename one.",
                )
            )
            continue
        by_folded[e.id.lower()] = e
        by_id[e.id] = e
    return Site(tuple(pages), MappingProxyType(by_id), review_in=review_in, problems=tuple(problems))
