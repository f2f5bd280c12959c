"""schema.org metadata as JSON-LD: one object per entity page, and a WebSite and a Dataset for the home page.

Types: a person is a `Person` (with `jobTitle` for the offices held as of the last review and `hasOccupation`
for every tenure, dated, in schema.org's Role pattern); a state a `Country`; an organization an `Organization`, or
a `GovernmentOrganization` when its name says it is part of a state; a group of people (no schema.org type fits)
a `Thing`; an issue a `Thing`; an event an `Event` (dates at their own precision, the place, what it concerns in
`about`, its sources as `subjectOf`); a source a `NewsArticle` (reporting), `CreativeWork` (an official document,
an encyclopedia entry or a copy) or `SocialMediaPosting`.

schema.org's Event has no neutral property for those who took part: `attendee` and `performer` claim more than
the record says (a company does not attend the ban placed on it), so an event's actors, like its issues, are what
it is `about`.

The JSON is written into a `<script type="application/ld+json">`, escaped so that no text can end the element or
open a comment there (`<`, `>` and `&` as `\\u003c`, `\\u003e`, `\\u0026`). Page addresses come from the caller.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from .model import Actor, DateField, Entity, Event, Issue, Site, Source

CONTEXT = "https://schema.org"
DATA_PAGE = "data.md"
# The data files (data.py) and their media types, for the Dataset's downloads.
MEDIA_TYPES = {
    "data/briefing.json": "application/json",
    "data/schema.json": "application/schema+json",
    "data/events.csv": "text/csv",
    "data/roles.csv": "text/csv",
    "data/measures.csv": "text/csv",
    "data/sources.csv": "text/csv",
}
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
# Words in an organization's name that make it part of a state (a ministry, an embassy, a parliament's committee).
GOVERNMENT_WORDS = re.compile(
    r"\b(ministry|ministère|department|embassy|consulate|government|parliament|house of commons|senate|"
    r"committee|subcommittee|agency|council|commission|police|court|office of)\b",
    re.IGNORECASE,
)
ENCYCLOPEDIA = re.compile(r"wiki|encyclop", re.IGNORECASE)

PageUrl = Callable[[str], str]


def _date(f: DateField | None) -> str | None:
    return f.value.text if f else None


def _clean(obj: dict) -> dict:
    """The object without empty values (None, '', [])."""
    return {k: v for k, v in obj.items() if v not in (None, "", [])}


def actor_type(a: Actor) -> str:
    if a.kind == "person":
        return "Person"
    if a.kind == "state":
        return "Country"
    if a.kind == "organization":
        return "GovernmentOrganization" if GOVERNMENT_WORDS.search(a.name) else "Organization"
    return "Thing"


def source_type(s: Source) -> str:
    if s.kind == "social":
        return "SocialMediaPosting"
    if s.kind == "secondary" and not ENCYCLOPEDIA.search(s.publisher):
        return "NewsArticle"
    return "CreativeWork"


def _ref(e: Entity, url: PageUrl) -> dict:
    """A short node for an entity named inside another's object: type, name and page (and an event's date)."""
    if isinstance(e, Event):
        return _clean({"@type": "Event", "name": e.name, "url": url(e.path), "startDate": _date(e.date)})
    return {"@type": actor_type(e) if isinstance(e, Actor) else "Thing", "name": e.name, "url": url(e.path)}


def _refs(site: Site, refs, url: PageUrl) -> list[dict]:
    return [_ref(e, url) for e in map(site.entity, dict.fromkeys(r.target for r in refs)) if e is not None]


def _roles(a: Actor) -> tuple[list[str], list[dict]]:
    """(the titles held as of the last review, every tenure as a schema.org Role)."""
    current = [r.title for r in a.roles if r.open and r.start is not None]
    tenures = [
        _clean(
            {
                "@type": "Role",
                "roleName": r.title,
                "startDate": _date(r.start),
                "endDate": _date(r.end),
                "hasOccupation": {"@type": "Occupation", "name": r.title},
            }
        )
        for r in a.roles
    ]
    return list(dict.fromkeys(current)), tenures


def _actor(a: Actor, url: PageUrl) -> dict:
    kind = actor_type(a)
    obj = {
        "@type": kind,
        "name": a.name,
        "alternateName": list(a.aliases) + ([a.native_name] if a.native_name else []),
        "description": a.summary,
        "url": url(a.path),
    }
    if kind == "Person":
        titles, tenures = _roles(a)
        obj.update(birthDate=_date(a.born), deathDate=_date(a.died), jobTitle=titles, hasOccupation=tenures)
    elif kind != "Country":
        obj.update(foundingDate=_date(a.founded), dissolutionDate=_date(a.dissolved))
    return obj


def _source(s: Source, url: PageUrl) -> dict:
    return {
        "@type": source_type(s),
        "name": s.name,
        "headline": s.name if source_type(s) == "NewsArticle" else None,
        "url": s.url,
        "publisher": {"@type": "Organization", "name": s.publisher},
        "datePublished": _date(s.published),
        "isBasedOn": s.original_url or None,
        "mainEntityOfPage": url(s.path),
    }


def _event(site: Site, e: Event, url: PageUrl) -> dict:
    sources = [s for s in map(site.entity, (r.target for r in e.sources)) if isinstance(s, Source)]
    return {
        "@type": "Event",
        "name": e.name,
        "description": e.summary,
        "url": url(e.path),
        "startDate": _date(e.date),
        "endDate": _date(e.end),
        "location": {"@type": "Place", "name": e.place} if e.place else None,
        "about": _refs(site, e.actors, url) + _refs(site, e.issues, url),
        "subjectOf": [_clean(_source(s, url)) for s in sources],
    }


def _issue(site: Site, e: Issue, url: PageUrl) -> dict:
    return {
        "@type": "Thing",
        "name": e.name,
        "description": e.summary,
        "url": url(e.path),
        "subjectOf": [_ref(ev, url) for ev in site.involving(e.id)[-50:]],
    }


def entity_object(site: Site, e: Entity, url: PageUrl) -> dict:
    """The JSON-LD object of an entity's page."""
    if isinstance(e, Actor):
        obj = _actor(e, url)
    elif isinstance(e, Event):
        obj = _event(site, e, url)
    elif isinstance(e, Source):
        obj = _source(e, url)
    else:
        obj = _issue(site, e, url)
    return {"@context": CONTEXT, **_clean(obj)}


def dataset(site: Site, files: dict[str, str], site_name: str, site_url: str, data_page: str) -> dict:
    """The Dataset of the data files: `files` maps each file's path in the site to its media type."""
    days = [ev.date.value for ev in site.of_type(Event) if ev.date]
    reviewed = [e.last_reviewed.value.text for e in site.entity_list() if e.last_reviewed]
    coverage = (
        f"{min(d.first for d in days).isoformat()}/{max(d.last for d in days).isoformat()}" if days else None
    )
    publisher = {"@type": "Organization", "name": site_name, "url": site_url}
    return {
        "@context": CONTEXT,
        **_clean(
            {
                "@type": "Dataset",
                "name": f"{site_name}: events, actors, issues, sources, offices and measures",
                "description": (
                    "The dated, sourced graph behind the briefing: every actor, issue, event, source, role, office "
                    "and measure, with the addresses of the sources, as JSON (with a JSON Schema) and CSV."
                ),
                "url": data_page,
                "license": LICENCE_URL,
                "isAccessibleForFree": True,
                "inLanguage": "en",
                "creator": publisher,
                "publisher": publisher,
                "temporalCoverage": coverage,
                "dateModified": max(reviewed) if reviewed else None,
                "keywords": ["Canada", "China", "international relations", "events", "sanctions", "tariffs"],
                "distribution": [
                    {
                        "@type": "DataDownload",
                        "name": path.rsplit("/", 1)[-1],
                        "url": site_url + path,
                        "contentUrl": site_url + path,
                        "encodingFormat": media,
                    }  # fmt: skip
                    for path, media in files.items()
                ],
            }
        ),
    }


def website(site_name: str, site_url: str, description: str) -> dict:
    return {
        "@context": CONTEXT,
        **_clean(
            {
                "@type": "WebSite",
                "name": site_name,
                "url": site_url,
                "description": description,
                "inLanguage": "en",
                "license": LICENCE_URL,
            }
        ),
    }


def page_objects(
    site: Site,
    entity: Entity | None,
    path: str,
    url: PageUrl,
    site_name: str,
    site_url: str,
    description: str,
) -> list[dict]:
    """The JSON-LD objects of a page: its entity's; the WebSite and the Dataset on the home page; the Dataset on the
    Data page; none elsewhere."""
    if entity is not None:
        return [entity_object(site, entity, url)]
    if path not in ("index.md", DATA_PAGE):
        return []
    ds = dataset(site, MEDIA_TYPES, site_name, site_url, url(DATA_PAGE))
    return [website(site_name, site_url, description), ds] if path == "index.md" else [ds]


def script(objects: list[dict]) -> str:
    """The objects in a JSON-LD script element, escaped so that no value can close it or open a comment."""
    text = json.dumps(
        objects if len(objects) != 1 else objects[0],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return f'<script type="application/ld+json">{text}</script>'
