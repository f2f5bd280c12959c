"""Front-matter nodes to typed values: one converter per kind of field, and the schema of each page type.

A converter takes (node, ctx, field name) and returns the value, or None after reporting what is wrong at the
node's position. Converters never raise on bad input.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from yaml import MappingNode, Node, ScalarNode, SequenceNode

from ..model import (
    ID_PATTERN,
    REVIEW_RE,
    DateField,
    EventRole,
    Measure,
    Ref,
    Role,
    Suspension,
    a_or_an,
    did_you_mean,
    parse_date,
)
from .read import Ctx

STR, NULL = "tag:yaml.org,2002:str", "tag:yaml.org,2002:null"
TEXT_TAGS = (STR, "tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
TAG_KINDS = {
    STR: "text",
    "tag:yaml.org,2002:int": "number",
    "tag:yaml.org,2002:float": "number",
    "tag:yaml.org,2002:bool": "true/false",
    NULL: "empty value",
    "tag:yaml.org,2002:timestamp": "date",
}
URL_RE = re.compile(r"https?://[^\s/<>\"'`]+[^\s<>\"'`]*")
Conv = Callable[[Node, Ctx, str], Any]


def kind_of(node: Node) -> str:
    """How a message names what a node is: 'a list', 'a mapping', 'a number', ..."""
    if isinstance(node, SequenceNode):
        return "sequence"
    if isinstance(node, MappingNode):
        return "mapping"
    return TAG_KINDS.get(node.tag, "value")


def is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == NULL


def c_str(node: Node, ctx: Ctx, name: str) -> str | None:
    if isinstance(node, ScalarNode) and node.tag in TEXT_TAGS and node.value.strip():
        return node.value.strip()
    ctx.add(node, "wrong-type", f"'{name}' should be a line of text, but it is {a_or_an(kind_of(node))}.")
    return None


def c_date(node: Node, ctx: Ctx, name: str, allow_unknown: bool = False) -> DateField | str | None:
    if not isinstance(node, ScalarNode) or node.tag == NULL:
        ctx.add(
            node,
            "invalid-date",
            f"'{name}' should be a date (YYYY-MM-DD, YYYY-MM or YYYY), but it is {a_or_an(kind_of(node))}.",
        )
        return None
    text = node.value.strip()
    if allow_unknown and text == "unknown":
        return "unknown"
    d = parse_date(text)
    if d:
        return DateField(d, ctx.at(node))
    if re.fullmatch(r"\d{4}-\d{1,2}(-\d{1,2})?", text):
        problem = (
            f"'{name}' is '{text}', which is not a day of the calendar. Write a real date as YYYY-MM-DD."
        )
    else:
        hint = " or 'unknown'" if allow_unknown else ""
        problem = (
            f"'{name}' is '{text}', which is not a date. Write YYYY-MM-DD, YYYY-MM or "
            f"YYYY{hint} (e.g. '2019-01-15' for 'Jan 15, 2019')."
        )
    ctx.add(node, "invalid-date", problem)
    return None


def c_date_or_unknown(node: Node, ctx: Ctx, name: str) -> DateField | str | None:
    return c_date(node, ctx, name, allow_unknown=True)


def c_list(node: Node, ctx: Ctx, name: str) -> list[Node] | None:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if is_null(node):
        return []
    ctx.add(
        node, "wrong-type", f"'{name}' should be a list (e.g. [a, b]), but it is {a_or_an(kind_of(node))}."
    )
    return None


def c_strs(node: Node, ctx: Ctx, name: str) -> tuple[str, ...] | None:
    items = c_list(node, ctx, name)
    if items is None:
        return None
    return tuple(s for s in (c_str(i, ctx, name) for i in items) if s)


def refs(*expected: str) -> Conv:
    """A converter for a list of ids of the `expected` types (each listed once)."""

    def conv(node: Node, ctx: Ctx, name: str) -> tuple[Ref, ...] | None:
        items = c_list(node, ctx, name)
        if items is None:
            return None
        out: dict[str, Ref] = {}
        for item in items:
            text = c_str(item, ctx, name)
            if not text:
                continue
            pos = ctx.at(item)
            if text in out:
                ctx.add(pos, "duplicate-reference", f"'{text}' is listed twice in '{name}'. Remove this one.")
                continue
            out[text] = Ref(text, name, pos.line, pos.col, None, expected)
        return tuple(out.values())

    return conv


def enum(*allowed: str) -> Conv:
    def conv(node: Node, ctx: Ctx, name: str) -> str | None:
        s = c_str(node, ctx, name)
        if s is not None and s not in allowed:
            hint = did_you_mean(s, allowed)
            ctx.add(
                node, "invalid-value", f"'{name}' is '{s}', but it must be one of {', '.join(allowed)}.{hint}"
            )
            return None
        return s

    return conv


def c_url(node: Node, ctx: Ctx, name: str) -> str | None:
    s = c_str(node, ctx, name)
    if s is not None and not URL_RE.fullmatch(s):
        ctx.add(
            node,
            "invalid-value",
            f"'{name}' is '{s}', which is not a web address. Write the full https:// address.",
        )
        return None
    return s


def c_review(node: Node, ctx: Ctx, name: str) -> str | None:
    s = c_str(node, ctx, name)
    if s is not None and not REVIEW_RE.fullmatch(s):
        ctx.add(
            node,
            "invalid-value",
            f"'{name}' is '{s}'; write an interval such as '90 days', '6 months' or '1 year'.",
        )
        return None
    return s


def c_bool(node: Node, ctx: Ctx, name: str) -> bool | None:
    if isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:bool":
        return node.value.lower() in ("true", "yes", "on")
    ctx.add(node, "wrong-type", f"'{name}' should be true or false, but it is {a_or_an(kind_of(node))}.")
    return None


def c_id(node: Node, ctx: Ctx, name: str) -> str | None:
    """One kebab-case id that names no page (an office, a measure)."""
    value = c_str(node, ctx, name)
    if value is not None and not ID_PATTERN.fullmatch(value):
        ctx.add(
            node,
            "invalid-id",
            f"'{name}' is '{value}', which is not lowercase kebab-case (e.g. 'canada-prime-minister').",
        )
        return None
    return value


def c_ref(*expected: str) -> Conv:
    """A converter for one id of the `expected` types."""

    def conv(node: Node, ctx: Ctx, name: str) -> Ref | None:
        value = c_str(node, ctx, name)
        if value is None:
            return None
        at = ctx.at(node)
        return Ref(value, name, at.line, at.col, None, expected)

    return conv


def c_ids(node: Node, ctx: Ctx, name: str) -> tuple[str, ...] | None:
    """A list of earlier page ids (`redirect_from`)."""
    ids = c_strs(node, ctx, name)
    for item, value in zip(node.value if isinstance(node, SequenceNode) else (), ids or (), strict=False):
        if not ID_PATTERN.fullmatch(value):
            ctx.add(item, "invalid-id", f"'{value}' in '{name}' is not an id (lowercase kebab-case).")
    return ids


def mapping_pairs(node: Node, ctx: Ctx, name: str) -> list[tuple[Node, Node]] | None:
    if isinstance(node, MappingNode):
        return list(node.value)
    if is_null(node):
        return []
    ctx.add(node, "wrong-type", f"'{name}' should be a mapping, but it is {a_or_an(kind_of(node))}.")
    return None


def fields(pairs: list[tuple[Node, Node]], schema: dict, ctx: Ctx, at: Node, what: str) -> dict[str, Node]:
    """Key -> value node; reports unknown, duplicate and missing keys."""
    got: dict[str, Node] = {}
    for k, val in pairs:
        if not isinstance(k, ScalarNode):
            ctx.add(k, "wrong-type", "A front-matter key must be a plain word.")
        elif k.value not in schema:
            hint = did_you_mean(k.value, schema) or f" Known fields: {', '.join(schema)}."
            ctx.add(k, "unknown-field", f"{a_or_an(what).capitalize()} has no field '{k.value}'.{hint}")
        elif k.value in got:
            first = ctx.at(got[k.value]).line
            ctx.add(
                k, "duplicate-field", f"Field '{k.value}' is given twice (first on line {first}). Keep one."
            )
        else:
            got[k.value] = val
    for key, (required, _) in schema.items():
        if required and key not in got:
            ctx.add(at, "missing-field", f"This {what} has no '{key}' field, which is required.")
    return got


def convert_fields(got: dict[str, Node], schema: dict, ctx: Ctx) -> dict[str, Any]:
    """Each given field converted by its schema's converter (fields that fail conversion are left out)."""
    values = {}
    for key, node in got.items():
        out = schema[key][1](node, ctx, key)
        if out is not None:
            values[key] = out
    return values


ROLE_SCHEMA: dict[str, tuple[bool, Conv]] = {
    "id": (True, c_str),
    "title": (True, c_str),
    "start": (True, c_date_or_unknown),
    "end": (False, c_date_or_unknown),
    "sources": (True, refs("source")),
    "note": (False, c_str),
    "office": (False, c_id),
    "unconfirmed": (False, c_bool),
}


def c_roles(node: Node, ctx: Ctx, name: str) -> tuple[Role, ...] | None:
    items = c_list(node, ctx, name)
    if items is None:
        return None
    roles: list[Role] = []
    seen: dict[str, int] = {}
    for item in items:
        pairs = mapping_pairs(item, ctx, "roles entry")
        if pairs is None:
            continue
        got = fields(pairs, ROLE_SCHEMA, ctx, item, "role")
        v = convert_fields({k: n for k, n in got.items() if k != "sources"}, ROLE_SCHEMA, ctx)
        if "sources" in got:
            v["sources"] = refs("source")(got["sources"], ctx, "roles.sources")
        rid = v.get("id")
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
                f"Role id '{rid}' is used twice on this actor (first on line {seen[rid]}). "
                "Give each tenure its own id, e.g. with its start year.",
            )
        if rid:
            seen[rid] = ctx.at(got["id"]).line
        if "sources" in v and not v["sources"]:
            ctx.add(
                got["sources"],
                "missing-field",
                "'sources' is empty: a role needs at least one source that gives its tenure.",
            )
        if rid and v.get("title"):
            start, end = v.get("start"), v.get("end")
            roles.append(
                Role(
                    rid,
                    v["title"],
                    start if isinstance(start, DateField) else None,
                    end if isinstance(end, DateField) else None,
                    "end" not in got,
                    v.get("sources", ()),
                    ctx.at(item),
                    v.get("office", ""),
                    bool(v.get("unconfirmed")),
                )
            )
    return tuple(roles)


SUSPENSION_SCHEMA: dict[str, tuple[bool, Conv]] = {
    "from": (True, c_date),
    "until": (True, c_date),
    "suspended_by": (False, c_ref("event")),
}
MEASURE_SCHEMA: dict[str, tuple[bool, Conv]] = {
    "id": (True, c_id),
    "by": (True, c_ref("actor")),
    "on": (True, refs("actor")),
    "what": (True, c_str),
    "from": (False, c_date),
    "until": (False, c_date_or_unknown),
    "confirmed": (False, c_date),
    "ended_by": (False, c_ref("event")),
    "suspended": (False, lambda node, ctx, name: c_suspensions(node, ctx, name)),
}


def c_entries(
    node: Node, ctx: Ctx, name: str, schema: dict, what: str
) -> list[tuple[Node, dict, dict]] | None:
    """A list of mappings: (item node, its field nodes, its converted values) for each."""
    items = c_list(node, ctx, name)
    if items is None:
        return None
    out = []
    for item in items:
        pairs = mapping_pairs(item, ctx, f"{name} entry")
        if pairs is not None:
            got = fields(pairs, schema, ctx, item, what)
            out.append((item, got, convert_fields(got, schema, ctx)))
    return out


def c_suspensions(node: Node, ctx: Ctx, name: str) -> tuple[Suspension, ...] | None:
    entries = c_entries(node, ctx, name, SUSPENSION_SCHEMA, "suspension")
    if entries is None:
        return None
    return tuple(
        Suspension(v["from"], v["until"], v.get("suspended_by"), ctx.at(item))
        for item, _, v in entries
        if "from" in v and "until" in v
    )


def c_measures(node: Node, ctx: Ctx, name: str) -> tuple[Measure, ...] | None:
    """An event's measures. A measure without `from` starts on the event's date (filled in by page.py)."""
    entries = c_entries(node, ctx, name, MEASURE_SCHEMA, "measure")
    if entries is None:
        return None
    out = []
    for item, got, v in entries:
        if not all(k in v for k in ("id", "by", "on", "what")):
            continue  # reported
        until = v.get("until")
        if "until" not in got and "confirmed" not in got:
            ctx.add(item, "missing-field", "This measure has neither 'until' nor 'confirmed': give the last day it "
                    "applied, or the last day a source confirmed it still stands.")  # fmt: skip
        out.append(
            Measure(
                v["id"],
                v["by"],
                v["on"],
                v["what"],
                v.get("from"),
                until if isinstance(until, DateField) else None,
                until == "unknown",
                v.get("confirmed"),
                v.get("ended_by"),
                v.get("suspended", ()),
                ctx.at(item),
            )  # fmt: skip
        )
    return tuple(out)


def c_event_roles(node: Node, ctx: Ctx, name: str) -> tuple[EventRole, ...] | None:
    pairs = mapping_pairs(node, ctx, name)
    if pairs is None:
        return None
    out = []
    for k, val in pairs:
        actor = c_str(k, ctx, "roles key")
        role = c_str(val, ctx, f"roles: {actor}")
        if actor and role:
            at = ctx.at(k)
            out.append(EventRole(Ref(actor, "roles", at.line, at.col, None, ("actor",)), role, ctx.at(val)))
    return tuple(out)


# field name -> (required, converter), per page type
COMMON = {
    "type": (True, c_str),
    "summary": (True, c_str),
    "last_reviewed": (True, c_date),
    "review_in": (False, c_review),
    "tags": (False, refs("tag")),
    "redirect_from": (False, c_ids),
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
        "actors": (True, refs("actor")),
        "related": (False, refs("issue")),
    },
    "event": {
        "type": (True, c_str),
        "title": (True, c_str),
        "date": (True, c_date),
        "end": (False, c_date),
        "announced": (False, c_date),
        "place": (False, c_str),
        "actors": (True, refs("actor")),
        "roles": (False, c_event_roles),
        "issues": (True, refs("issue")),
        "resolves": (False, refs("issue")),
        "sources": (True, refs("source")),
        "summary": (True, c_str),
        "tags": (False, refs("tag")),
        "redirect_from": (False, c_ids),
        "measures": (False, c_measures),
        "unconfirmed": (False, c_bool),
    },
    "source": {
        "type": (True, c_str),
        "title": (True, c_str),
        "publisher": (True, c_str),
        "url": (True, c_url),
        "published": (True, c_date_or_unknown),
        "accessed": (False, c_date),
        "archived": (False, c_url),
        "kind": (True, enum("primary", "secondary", "copy", "social")),
        "copy_of": (False, c_str),
        "original_url": (False, c_url),
        "summary": (False, c_str),
        "tags": (False, refs("tag")),
        "redirect_from": (False, c_ids),
    },
}
