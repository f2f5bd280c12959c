"""One page: bytes -> text -> front matter and body -> a Page and, for typed pages, its Entity."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any

from yaml import MappingNode, Node, ScalarNode

from ..model import (
    ENTITY_TYPES,
    EVENT_ID_PATTERN,
    FOLDERS,
    ID_PATTERN,
    KINDS,
    DateField,
    Entity,
    Page,
    Pos,
    Problem,
    Ref,
    Role,
    Source,
    a_or_an,
    did_you_mean,
)
from ..text import code_spans, heading_anchors, iter_unclosed, iter_wikilinks
from .convert import SCHEMAS, convert_fields, fields, kind_of, refs
from .read import Ctx, compose, decode, split_frontmatter

FRONT_REF_FIELDS = ("actors", "issues", "related", "resolves", "sources")


@dataclass(frozen=True)
class Body:
    """What the body scan finds: the [[references]], the '[[' that open none, the headings' anchors, the title."""

    links: tuple
    refs: tuple[Ref, ...]
    unclosed: tuple[tuple[int, int], ...]
    anchors: frozenset[str]
    code: tuple[tuple[int, int], ...]
    title: str


def scan_body(body: str, body_line: int) -> Body:
    spans = code_spans(body)
    links = tuple(iter_wikilinks(body, spans))
    refs = tuple(Ref(lk.target, "text", body_line + lk.line, lk.col + 1, lk.anchor) for lk in links)
    unclosed = tuple(iter_unclosed(body, spans, {lk.start for lk in links}))
    anchors, title = heading_anchors(body)
    return Body(links, refs, unclosed, anchors, tuple(spans), title)


def entity_id(path: str) -> str:
    return path.rsplit("/", 1)[-1].removesuffix(".md")


def read_root(data: bytes, ctx: Ctx) -> tuple[MappingNode | None, str, int] | None:
    """(the front matter's mapping or None if there is none, body, body line), or None if the page is unreadable."""
    text = decode(data, ctx)
    if text is None:
        return None
    fm, body, body_line = split_frontmatter(text, ctx)
    if fm is None or not fm.strip():
        return (None, body, body_line) if not ctx.problems else None
    root = compose(fm, ctx)
    if root is None:
        return None if ctx.problems else (None, body, body_line)
    if not isinstance(root, MappingNode):
        ctx.add(
            root,
            "frontmatter-not-mapping",
            f"The front matter must be a mapping of fields ('key: value' lines), but it is {a_or_an(kind_of(root))}.",
        )
        return None
    return root, body, body_line


def page_type(root: MappingNode | None, ctx: Ctx) -> tuple[str | None, Node | None] | None:
    """(the page's `type`, its node); (None, None) for a plain page; None after reporting a bad type."""
    node = (
        next((v for k, v in root.value if isinstance(k, ScalarNode) and k.value == "type"), None)
        if root
        else None
    )
    if node is None:
        return None, None
    if not isinstance(node, ScalarNode):
        ctx.add(
            node,
            "unknown-type",
            "'type' should be one word: actor, issue, event or source (or "
            f"absent for a plain page), but it is {a_or_an(kind_of(node))}.",
        )
        return None
    if node.value not in SCHEMAS:
        ctx.add(
            node,
            "unknown-type",
            f"'type' is '{node.value}', but it must be one of actor, issue, event, "
            f"source (or absent for a plain page).{did_you_mean(node.value, SCHEMAS)}",
        )
        return None
    return node.value, node


def key_positions(root: MappingNode | None, ctx: Ctx) -> dict[str, Pos]:
    if root is None:
        return {}
    return {k.value: ctx.at(k) for k, _ in root.value if isinstance(k, ScalarNode)}


TEXT_FIELDS = ("title", "description")


def text_fields(root: MappingNode | None, ctx: Ctx) -> tuple[tuple[str, str, Pos], ...]:
    """The `title` and `description` values as written, with their positions (the theme prints them unescaped)."""
    if root is None:
        return ()
    return tuple(
        (k.value, v.value, ctx.at(v))
        for k, v in root.value
        if isinstance(k, ScalarNode) and k.value in TEXT_FIELDS and isinstance(v, ScalarNode)
    )


def plain_tags(root: MappingNode | None, ctx: Ctx) -> tuple[Ref, ...]:
    """A plain page's `tags` (an entity's are converted with its schema)."""
    node = next(
        (v for k, v in (root.value if root else ()) if isinstance(k, ScalarNode) and k.value == "tags"), None
    )
    return (refs("tag")(node, ctx, "tags") or ()) if node is not None else ()


def check_place(path: str, pid: str, kind: str, values: dict, type_at: Node, ctx: Ctx) -> None:
    """The page is in its type's folder, and its file name is a valid id (an event's starts with its date)."""
    folder = FOLDERS[kind]
    if not path.startswith(folder + "/") or path.count("/") != 1:
        ctx.add(
            type_at,
            "wrong-folder",
            f"A page of type '{kind}' belongs in docs/{folder}/, but this one is at docs/{path}.",
        )
    if not ID_PATTERN.fullmatch(pid):
        fixed = re.sub(r"[^a-z0-9]+", "-", pid.lower()).strip("-")
        ctx.add(
            Pos(1, 1),
            "invalid-id",
            f"The file name '{pid}.md' is not a valid id: use lowercase letters, digits "
            f"and single hyphens, e.g. '{fixed}.md'.",
        )
        return
    d = values.get("date")
    if kind != "event" or (d and pid.startswith(d.value.text + "-")):
        return
    m = EVENT_ID_PATTERN.fullmatch(pid)
    if not m:
        example = d.value.text if d else "2021-09-24"
        ctx.add(
            Pos(1, 1),
            "invalid-id",
            f"The event id '{pid}' must start with its date, e.g. '{example}-{pid}.md'.",
        )
    elif d:
        ctx.add(
            d.pos,
            "invalid-id",
            f"The event id '{pid}' starts with '{m[1]}', but its 'date' is "
            f"'{d.value.text}'. Rename the file or fix the date.",
        )


def front_refs(values: dict[str, Any]) -> list[Ref]:
    """The entity references a page's front matter makes, in field order."""
    out = [r for key in FRONT_REF_FIELDS for r in values.get(key, ())]
    for item in values.get("roles", ()):
        out.extend(item.sources if isinstance(item, Role) else (item.actor,))
    for m in values.get("measures", ()):
        out += [m.by, *m.on, *filter(None, [m.ended_by, *(s.suspended_by for s in m.suspended)])]
    return out


def with_event_date(values: dict[str, Any]) -> None:
    """A measure without `from` starts on its event's date."""
    d = values.get("date")
    measures = values.get("measures", ())
    if any(m.start is None for m in measures):
        values["measures"] = tuple(
            m if m.start or d is None else dataclasses.replace(m, start=d) for m in measures
        )
        values["measures"] = tuple(m for m in values["measures"] if m.start is not None)


def build_entity(page: Page, kind: str, values: dict[str, Any]) -> Entity:
    cls = KINDS[kind]
    own = {
        k: values[k]
        for k in cls.__dataclass_fields__
        if k in values and k not in ("page", "id", "type", "name")
    }
    if cls is Source and not isinstance(values.get("published"), DateField):
        own["published"] = None  # 'unknown'
    return cls(page=page, id=page.id, type=kind, name=page.title, **own)


def parse_page(path: str, data: bytes) -> tuple[Page | None, Entity | None, list[Problem]]:
    """Read one page (path relative to docs/, POSIX). Never raises on bad input: returns what it could read and
    the problems found."""
    ctx = Ctx(path)
    read = read_root(data, ctx)
    if read is None:
        return None, None, ctx.problems
    root, body, body_line = read
    typed = page_type(root, ctx)
    if typed is None:
        return None, None, ctx.problems
    kind, type_at = typed
    scan = scan_body(body, body_line)
    pid = entity_id(path)
    common = dict(
        path=path, type=kind, id=pid, meta_pos=key_positions(root, ctx), body=body, body_line=body_line,
        unclosed=scan.unclosed, links=scan.links, anchors=scan.anchors, code=scan.code,
        text_fields=text_fields(root, ctx),
    )  # fmt: skip
    if kind is None:
        title = next(
            (
                v.value
                for k, v in (root.value if root else ())
                if k.value == "title" and isinstance(v, ScalarNode)
            ),
            "",
        )
        page = Page(refs=scan.refs, title=title or scan.title or pid, tags=plain_tags(root, ctx), **common)
        return page, None, ctx.problems
    schema = SCHEMAS[kind]
    got = fields(root.value, schema, ctx, root, kind)
    values = convert_fields({k: v for k, v in got.items() if k != "type"}, schema, ctx)
    if kind == "event" and values.get("sources") == ():
        ctx.add(got["sources"], "missing-field", "'sources' is empty: an event needs at least one source.")
    check_place(path, pid, kind, values, type_at, ctx)
    with_event_date(values)
    name = values.get("name") or values.get("title") or pid
    page = Page(
        refs=tuple(front_refs(values)) + scan.refs,
        title=name,
        redirect_from=values.get("redirect_from", ()),
        tags=values.get("tags", ()),
        **common,
    )
    return page, build_entity(page, kind, values), ctx.problems


__all__ = ["ENTITY_TYPES", "parse_page", "scan_body"]
