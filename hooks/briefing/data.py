"""The typed graph as open data: `data/briefing.json`, four CSV files, and the JSON Schema that describes them.

Every field is declared once, in FIELDS: its JSON Schema, its description, and whether it is a CSV column. The
JSON, the CSV files, the schema and the Data page's tables are all made from those declarations, so they cannot
drift apart. Dates keep the precision they were written with (`2019-08` stays a month); `unknown` stays the word.

Output is deterministic: records in a fixed order (events by date, the rest by id), keys sorted, no build clock.
Page addresses come from a function the caller passes in (`page_url`: a docs/ path -> an absolute URL), so this
room reads the model only.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from . import markup as mk
from .model import ID_PATTERN, Actor, DateField, Event, Issue, Measure, Role, Site, Source, event_key

SCHEMA_VERSION = "1.0.0"
LICENCE = {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}
JSON_FILE = "data/briefing.json"
SCHEMA_FILE = "data/schema.json"
CSV_FILES = {  # file -> the JSON list whose records it holds
    "data/events.csv": "events",
    "data/roles.csv": "roles",
    "data/measures.csv": "measures",
    "data/sources.csv": "sources",
}
SEP = " "  # between the items of a list in a CSV cell: ids and URLs never contain a space

PageUrl = Callable[[str], str]


# --- the fields -------------------------------------------------------------------------------

DATE_PATTERN = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
ID = {"type": "string", "pattern": "^" + ID_PATTERN.pattern + "$"}
TEXT = {"type": "string"}
URL = {"type": "string", "format": "uri"}
BOOL = {"type": "boolean"}
DATE = {"type": "string", "pattern": DATE_PATTERN}
N_TEXT = {"type": ["string", "null"]}
N_ID = {"type": ["string", "null"], "pattern": ID["pattern"]}
N_URL = {"type": ["string", "null"], "format": "uri"}
N_DATE = {"type": ["string", "null"], "pattern": DATE_PATTERN}
DATE_OR_UNKNOWN = {"anyOf": [DATE, {"const": "unknown"}]}
N_DATE_OR_UNKNOWN = {"anyOf": [DATE, {"const": "unknown"}, {"type": "null"}]}


def array(items: dict) -> dict:
    return {"type": "array", "items": items}


def enum(*values: str) -> dict:
    return {"type": "string", "enum": list(values)}


@dataclass(frozen=True)
class Field:
    name: str
    schema: dict
    doc: str
    csv: bool = True  # also a column of the kind's CSV file
    cell: Callable[[object], str] | None = (
        None  # how the CSV writes a value that is not text, a list or a flag
    )


def intervals(periods: object) -> str:
    """Suspension periods as ISO 8601 intervals ('2026-03-01/2026-12-31'), space-separated."""
    return SEP.join(f"{p['from']}/{p['until']}" for p in periods)  # type: ignore[attr-defined]


SUSPENSION = {
    "type": "object",
    "properties": {"from": DATE, "until": DATE, "suspended_by": N_ID},
    "required": ["from", "until", "suspended_by"],
    "additionalProperties": False,
}


F = Field
PAGE = F("page_url", URL, "Address of the page on this site.")
REVIEW = [
    F("last_reviewed", DATE, "Day the page was last reviewed."),
    F("review_in", N_TEXT, "Review interval of the page, when not the site's default ('6 months')."),
    F("tags", array(TEXT), "Topics."),
]
FIELDS: dict[str, list[Field]] = {
    "actors": [
        F("id", ID, "Identifier, unique across all kinds (the page's file name)."),
        F("name", TEXT, "Display name."),
        F("kind", enum("person", "state", "organization", "group"), "Kind of actor."),
        F("summary", TEXT, "One sentence."),
        F("native_name", N_TEXT, "Name in its own script."),
        F("aliases", array(TEXT), "Other spellings."),
        F("born", N_DATE, "Person: date of birth."),
        F("died", N_DATE, "Person: date of death."),
        F("founded", N_DATE, "Organization or state: date founded."),
        F("dissolved", N_DATE, "Organization or state: date dissolved."),
        F("roles", array(TEXT), "Ids of the actor's roles (see roles)."),
        *REVIEW,
        PAGE,
    ],
    "issues": [
        F("id", ID, "Identifier."),
        F("title", TEXT, "Title."),
        F("summary", TEXT, "One sentence."),
        F("status", enum("active", "resolved", "dormant"), "Status as of the last review."),
        F("started", DATE, "When the issue started."),
        F("resolved", N_DATE, "When it was resolved (status resolved only)."),
        F("actors", array(ID), "Ids of the actors involved."),
        F("related", array(ID), "Ids of related issues."),
        *REVIEW,
        PAGE,
    ],
    "events": [
        F("id", ID, "Identifier: the date at its precision, then a slug."),
        F("date", DATE, "Day, month or year it happened or was announced, at the precision known."),
        F("end", N_DATE, "Last day, for an event that spans days."),
        F("announced", N_DATE, "When it was announced, if before it took effect."),
        F("title", TEXT, "Title."),
        F("summary", N_TEXT, "One line."),
        F("place", N_TEXT, "Where it happened."),
        F("actors", array(ID), "Ids of the actors involved."),
        F("roles", array(TEXT), "Office an actor acted in, as 'actor=role id' (see roles)."),
        F("issues", array(ID), "Ids of the issues it belongs to."),
        F("resolves", array(ID), "Ids of the issues it ends."),
        F("measures", array(ID), "Ids of the measures it puts in force (see measures)."),
        F("sources", array(ID), "Ids of the sources it rests on."),
        F("source_urls", array(URL), "Addresses of those sources, in the same order."),
        F("unconfirmed", BOOL, "True when it rests on social-media posts only."),
        F("tags", array(TEXT), "Topics."),
        PAGE,
    ],
    "sources": [
        F("id", ID, "Identifier."),
        F("title", TEXT, "Headline or document title."),
        F("publisher", TEXT, "Publisher."),
        F("url", URL, "Address of the document at its original publisher (for a copy, of the copy cited)."),
        F("published", DATE_OR_UNKNOWN, "Publication date, or 'unknown'."),
        F("accessed", N_DATE, "When it was read."),
        F("archived", N_URL, "Address of a preserved copy."),
        F("kind", enum("primary", "secondary", "copy", "social"), "Kind of source."),
        F("copy_of", N_TEXT, "For a copy: the original publisher."),
        F("original_url", N_URL, "For a copy: the original's address, when known."),
        F("summary", N_TEXT, "What the document is, when given."),
        F("tags", array(TEXT), "Topics.", csv=False),
        PAGE,
    ],
    "roles": [
        F("actor", ID, "Id of the actor who held it."),
        F("id", TEXT, "Identifier, unique on its actor."),
        F("title", TEXT, "Title of the office as held."),
        F("office", N_ID, "Id of the public office, shared by all its holders (see offices)."),
        F("start", DATE_OR_UNKNOWN, "First day, or 'unknown'."),
        F(
            "end",
            N_DATE_OR_UNKNOWN,
            "Last day, 'unknown', or empty when still held as of the actor's review.",
        ),
        F("unconfirmed", BOOL, "True when the tenure rests on social-media posts only."),
        F("sources", array(ID), "Ids of the sources for the tenure."),
        F("source_urls", array(URL), "Addresses of those sources, in the same order."),
        F("page_url", URL, "Address of the actor's page."),
    ],
    "offices": [
        F("id", ID, "Identifier of the office."),
        F("label", N_TEXT, "Display label (tracked offices)."),
        F("label_fr", N_TEXT, "French label (tracked offices)."),
        F("side", {"type": ["string", "null"], "enum": ["canada", "china", None]}, "Whose office it is."),
        F("tracked", BOOL, "True for the offices the State of play lists."),
        F("holders", array(TEXT), "Its holders in order of start, as 'actor=role id'."),
    ],
    "measures": [
        F("id", ID, "Identifier."),
        F("event", ID, "Id of the event that puts it in force."),
        F("by", ID, "Id of the actor that imposes it."),
        F("on", array(ID), "Ids of the actors it applies to."),
        F("what", TEXT, "What it is."),
        F("from", DATE, "First day in force."),
        F("until", N_DATE_OR_UNKNOWN, "Last day in force, 'unknown', or empty when still in force."),
        F("confirmed", N_DATE, "Last day a source or review confirmed it still stands."),
        F("ended_by", N_ID, "Id of the event that ended it."),
        F(
            "suspended",
            array(SUSPENSION),
            "Periods it did not apply: from, until, and the event that suspended it (in the CSV file, the periods "
            "only, as ISO 8601 intervals 'from/until').",
            cell=intervals,
        ),
        F("source_urls", array(URL), "Addresses of the event's sources."),
        F("page_url", URL, "Address of the event's page."),
    ],
}


# --- records ----------------------------------------------------------------------------------


def _d(f: DateField | None) -> str | None:
    return f.value.text if f else None


def _ids(refs) -> list[str]:
    return [r.target for r in refs]


def _urls(site: Site, refs) -> list[str]:
    return [s.url for s in map(site.entity, _ids(refs)) if isinstance(s, Source)]


def _review(e) -> dict:
    return {
        "last_reviewed": _d(e.last_reviewed),
        "review_in": e.review_in,
        "tags": _ids(e.tags),
    }


def _actor(e: Actor, url: PageUrl) -> dict:
    return {
        "id": e.id, "name": e.name, "kind": e.kind, "summary": e.summary, "native_name": e.native_name or None,
        "aliases": list(e.aliases), "born": _d(e.born), "died": _d(e.died), "founded": _d(e.founded),
        "dissolved": _d(e.dissolved), "roles": [r.id for r in e.roles], **_review(e), "page_url": url(e.path),
    }  # fmt: skip


def _issue(e: Issue, url: PageUrl) -> dict:
    return {
        "id": e.id, "title": e.name, "summary": e.summary, "status": e.status, "started": _d(e.started),
        "resolved": _d(e.resolved), "actors": _ids(e.actors), "related": _ids(e.related), **_review(e),
        "page_url": url(e.path),
    }  # fmt: skip


def _event(site: Site, e: Event, url: PageUrl) -> dict:
    return {
        "id": e.id, "date": _d(e.date), "end": _d(e.end), "announced": _d(e.announced), "title": e.name,
        "summary": e.summary or None, "place": e.place or None, "actors": _ids(e.actors),
        "roles": [f"{r.actor.target}={r.role}" for r in e.roles], "issues": _ids(e.issues),
        "resolves": _ids(e.resolves), "measures": [m.id for m in e.measures], "sources": _ids(e.sources),
        "source_urls": _urls(site, e.sources), "unconfirmed": e.unconfirmed, "tags": _ids(e.tags),
        "page_url": url(e.path),
    }  # fmt: skip


def _source(e: Source, url: PageUrl) -> dict:
    return {
        "id": e.id, "title": e.name, "publisher": e.publisher, "url": e.url,
        "published": _d(e.published) or "unknown", "accessed": _d(e.accessed), "archived": e.archived or None,
        "kind": e.kind, "copy_of": e.copy_of or None, "original_url": e.original_url or None,
        "summary": e.summary or None, "tags": _ids(e.tags), "page_url": url(e.path),
    }  # fmt: skip


def _role(site: Site, a: Actor, r: Role, url: PageUrl) -> dict:
    end = _d(r.end) if r.end else (None if r.open else "unknown")
    return {
        "actor": a.id, "id": r.id, "title": r.title, "office": r.office or None,
        "start": _d(r.start) or "unknown", "end": end, "unconfirmed": r.unconfirmed,
        "sources": _ids(r.sources), "source_urls": _urls(site, r.sources), "page_url": url(a.path),
    }  # fmt: skip


def _measure(site: Site, m: Measure, ev: Event, url: PageUrl) -> dict:
    until = _d(m.until) or ("unknown" if m.until_unknown else None)
    return {
        "id": m.id, "event": ev.id, "by": m.by.target, "on": _ids(m.on), "what": m.what,
        "from": _d(m.start), "until": until, "confirmed": _d(m.confirmed),
        "ended_by": m.ended_by.target if m.ended_by else None,
        "suspended": [
            {"from": s.start.value.text, "until": s.until.value.text,
             "suspended_by": s.suspended_by.target if s.suspended_by else None}
            for s in m.suspended
        ],
        "source_urls": _urls(site, ev.sources), "page_url": url(ev.path),
    }  # fmt: skip


def _offices(site: Site) -> list[dict]:
    ids = set(site.offices) | {r.office for a in site.of_type(Actor) for r in a.roles if r.office}
    out = []
    for oid in sorted(ids):
        o = site.offices.get(oid)
        out.append(
            {
                "id": oid,
                "label": o.label if o else None,
                "label_fr": (o.label_fr or None) if o else None,
                "side": (o.side or None) if o else None,
                "tracked": o is not None,
                "holders": [f"{t.actor.id}={t.role.id}" for t in site.holders(oid)],
            }
        )
    return out


def records(site: Site, page_url: PageUrl) -> dict[str, list[dict]]:
    """Every entity, role, office and measure of the site as plain records, by list name, in a fixed order."""
    by_id = lambda cls: sorted(site.of_type(cls), key=lambda e: e.id)  # noqa: E731
    actors = by_id(Actor)
    return {
        "actors": [_actor(e, page_url) for e in actors],
        "issues": [_issue(e, page_url) for e in by_id(Issue)],
        "events": [_event(site, e, page_url) for e in sorted(site.of_type(Event), key=event_key)],
        "sources": [_source(e, page_url) for e in by_id(Source)],
        "roles": [_role(site, a, r, page_url) for a in actors for r in a.roles],
        "offices": _offices(site),
        "measures": [_measure(site, m, ev, page_url) for m, ev in site.measures()],
    }


# --- files ------------------------------------------------------------------------------------


def dump(value: object) -> str:
    """JSON as the data files write it: UTF-8 text, sorted keys, two-space indent, a final newline."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def briefing_json(site: Site, page_url: PageUrl, site_name: str, site_url: str) -> str:
    """data/briefing.json: the whole graph, with the schema's version and address and the licence."""
    return dump(
        {
            "schema_version": SCHEMA_VERSION,
            "schema_url": site_url + SCHEMA_FILE,
            "site": {"name": site_name, "url": site_url},
            "licence": LICENCE,
            **records(site, page_url),
        }
    )


def csv_text(rows: Iterable[dict], fields: list[Field]) -> str:
    """A CSV file (RFC 4180: comma, double quotes, CRLF) with a header row; lists joined with a space, true/false,
    and an empty cell for a missing value."""
    out = io.StringIO()
    columns = [f for f in fields if f.csv]
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([f.name for f in columns])
    for row in rows:
        writer.writerow([(f.cell or cell)(row[f.name]) for f in columns])
    return out.getvalue()


def cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return SEP.join(value)
    return str(value)


def data_files(site: Site, page_url: PageUrl, site_name: str, site_url: str) -> dict[str, str]:
    """Every data file, by its path in the built site: the JSON, its schema, and the CSV files."""
    recs = records(site, page_url)
    files = {
        JSON_FILE: briefing_json(site, page_url, site_name, site_url),
        SCHEMA_FILE: dump(schema(site_url)),
    }
    for path, name in CSV_FILES.items():
        files[path] = csv_text(recs[name], FIELDS[name])
    return files


# --- the schema -------------------------------------------------------------------------------


def _object(fields: list[Field], title: str) -> dict:
    return {
        "type": "object",
        "description": title,
        "properties": {f.name: {**f.schema, "description": f.doc} for f in fields},
        "required": [f.name for f in fields],
        "additionalProperties": False,
    }


LIST_DOCS = {
    "actors": "People, states, organizations and groups.",
    "issues": "Contested questions between the two countries.",
    "events": "Dated events, oldest first.",
    "sources": "Cited documents.",
    "roles": "Offices held by actors, one record per tenure.",
    "offices": "Public offices: the tracked ones, and any other office a role names.",
    "measures": "Measures (tariffs, sanctions, bans...) that events put in force, in order of their start.",
}


def schema(site_url: str) -> dict:
    """The JSON Schema (2020-12) of data/briefing.json."""
    props: dict = {
        "schema_version": {"const": SCHEMA_VERSION, "description": "Version of this schema (semantic)."},
        "schema_url": {**URL, "description": "Address of this schema."},
        "site": {
            "type": "object",
            "properties": {"name": TEXT, "url": URL},
            "required": ["name", "url"],
            "additionalProperties": False,
        },
        "licence": {
            "type": "object",
            "properties": {"name": {"const": LICENCE["name"]}, "url": {"const": LICENCE["url"]}},
            "required": ["name", "url"],
            "additionalProperties": False,
        },
    }
    for name in FIELDS:
        props[name] = {"type": "array", "description": LIST_DOCS[name], "items": {"$ref": f"#/$defs/{name}"}}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": site_url + SCHEMA_FILE,
        "title": "Canada–China briefing: the typed graph",
        "type": "object",
        "properties": props,
        "required": list(props),
        "additionalProperties": False,
        "$defs": {name: _object(fields, LIST_DOCS[name]) for name, fields in FIELDS.items()},
    }


# --- the Data page ----------------------------------------------------------------------------

PANDAS_EXAMPLE = """\
```python
import pandas as pd
events = pd.read_csv("{base}data/events.csv", dtype=str, keep_default_na=False)
print(events[events.issues.str.contains("canola-trade")][["date", "title"]])
```
"""


def render_data_page(site_url: str) -> tuple[str, list[tuple[str | None, str]]]:
    """The Data page: what the files are, the licence, how to load them, and a table of every field."""
    md = (
        "# Data\n\nEverything this site states as a dated fact is also published as data: every actor, issue, "
        "event, source, role, office and measure, with the addresses of the sources each rests on. The files "
        "are made from the same pages as the site at each build.\n\n"
        f"- [briefing.json](data/briefing.json): the whole graph as JSON, with `schema_version` {SCHEMA_VERSION}.\n"
        "- [schema.json](data/schema.json): its JSON Schema (draft 2020-12).\n"
        "- [events.csv](data/events.csv), [roles.csv](data/roles.csv), [measures.csv](data/measures.csv) and "
        "[sources.csv](data/sources.csv): the same records as CSV, one row each, with a header row.\n"
        "- [feed.xml](feed.xml): an Atom feed of the 50 newest events; each issue has its own "
        "(`issues/<id>/feed.xml`).\n\n"
        "## Licence\n\nThe data, like the text, is published under the "
        "[Creative Commons Attribution 4.0 licence (CC BY 4.0)](https://creativecommons.org/licenses/by/4.0/): "
        "reuse it, with attribution to the Canada–China Briefing and a link to this page.\n\n"
        "## Conventions\n\n"
        "- Dates keep the precision of the record: `2021-09-24` is a day, `2019-08` a month, `2019` a year. "
        "Read them as text, not as timestamps, or a month becomes its first day.\n"
        "- `unknown` means the date is not known; an empty cell (or `null` in the JSON) means the field does not "
        "apply: a role with no `end` is still held as of the actor's last review, a measure with no `until` is "
        "still in force as of its `confirmed` date.\n"
        "- In the CSV files, a list is one cell with its items separated by a space (ids and addresses never "
        "contain one), and `true`/`false` are written out.\n"
        "- A change that breaks a reader of the files raises the major number of `schema_version`.\n\n"
        "## Load it\n\nWith pandas, keeping every value as text:\n\n" + PANDAS_EXAMPLE.format(base=site_url)
    )
    blocks: list[tuple[str | None, str]] = []
    for name, fields in FIELDS.items():
        where = next((p.rsplit("/", 1)[1] for p, n in CSV_FILES.items() if n == name), None)
        title = f"Fields of {name}" + (f" (also {where})" if where else "")
        rows = [(f"<code>{mk.esc(f.name)}</code>", mk.esc(f.doc)) for f in fields]
        blocks.append((title, f"<p>{mk.esc(LIST_DOCS[name])}</p>\n" + mk.table(("Field", "Meaning"), rows)))
    return md, blocks
