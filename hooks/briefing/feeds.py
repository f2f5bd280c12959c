"""Atom feeds of events, made with feedgen: `feed.xml` for the whole site and `issues/<id>/feed.xml` per issue.

Newest first, at most MAX_ENTRIES. Each entry is an event: its title, its summary as the text, its page as the
link and the id, its actors and issues as categories, and as `updated` (and `published`) the first day of its
date, never the build's clock, so that the same content always gives the same bytes. A feed's own `updated` is
its newest entry's. Page addresses come from the caller (`page_url`: a docs/ path -> an absolute URL).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time

from feedgen.feed import FeedGenerator

from . import markup as mk
from .model import Entity, Event, Issue, Site, event_key

MAX_ENTRIES = 50
SITE_FEED = "feed.xml"
EPOCH = date(1970, 1, 1)  # the `updated` of a feed with no dated event and no review

PageUrl = Callable[[str], str]


def issue_feed_path(issue_id: str) -> str:
    return f"issues/{issue_id}/{SITE_FEED}"


def _stamp(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=UTC)


def _newest(events: list[Event]) -> list[Event]:
    dated = [ev for ev in events if ev.date is not None]
    return sorted(dated, key=event_key, reverse=True)[:MAX_ENTRIES]


def _categories(site: Site, ev: Event, site_url: str) -> list[dict]:
    out = []
    for folder, refs in (("actors", ev.actors), ("issues", ev.issues)):
        for target in dict.fromkeys(r.target for r in refs):
            e: Entity | None = site.entity(target)
            if e is not None:
                out.append({"term": e.id, "label": e.name, "scheme": f"{site_url}{folder}/"})
    return out


def atom_feed(
    site: Site, page_url: PageUrl, site_name: str, site_url: str, issue: Issue | None = None
) -> bytes:
    """The Atom feed of the site's events, or of one issue's, as UTF-8 XML."""
    events = _newest(site.involving(issue.id) if issue else site.of_type(Event))
    path = issue_feed_path(issue.id) if issue else SITE_FEED
    fg = FeedGenerator()
    fg.id(site_url + path)
    fg.title(f"{site_name}: {issue.name}" if issue else f"{site_name}: events")
    fg.subtitle(
        issue.summary if issue and issue.summary else f"The newest dated events recorded by {site_name}."
    )
    fg.author({"name": site_name, "uri": site_url})
    fg.link(href=page_url(issue.path) if issue else site_url, rel="alternate", type="text/html")
    fg.link(href=site_url + path, rel="self", type="application/atom+xml")
    fg.language("en")
    fg.rights("CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)")
    fg.generator("feedgen")  # no version: the feed's bytes do not change with the library's
    fallback = issue.last_reviewed.value.first if issue and issue.last_reviewed else EPOCH
    fg.updated(_stamp(events[0].date.value.first if events else fallback))
    for ev in events:
        fe = fg.add_entry(order="append")
        url = page_url(ev.path)
        fe.id(url)
        fe.title(ev.name)
        fe.link(href=url, rel="alternate", type="text/html")
        fe.updated(_stamp(ev.date.value.first))
        fe.published(_stamp(ev.date.value.first))
        fe.summary(ev.summary or ev.name)
        for c in _categories(site, ev, site_url):
            fe.category(**c)
    return fg.atom_str(pretty=True)


# Material for MkDocs takes every <link rel="alternate"> for another language's edition of the site and fetches the
# sitemap.xml beside it (to map pages between editions). Beside an issue's feed there is none: the request would
# fail, and a static host would answer it with the whole 404 page. An empty sitemap there answers it in 100 bytes,
# and maps nothing. (The site's feed sits beside the site's own sitemap.xml.)
EMPTY_SITEMAP = b'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>\n'


def feeds(site: Site, page_url: PageUrl, site_name: str, site_url: str) -> dict[str, bytes]:
    """Every feed, by its path in the built site: the site's, and one per issue (with an empty sitemap.xml beside
    it, for Material: see EMPTY_SITEMAP)."""
    out = {SITE_FEED: atom_feed(site, page_url, site_name, site_url)}
    for issue in sorted(site.of_type(Issue), key=lambda i: i.id):
        path = issue_feed_path(issue.id)
        out[path] = atom_feed(site, page_url, site_name, site_url, issue)
        out[path.rsplit("/", 1)[0] + "/sitemap.xml"] = EMPTY_SITEMAP
    return out


def alternate_links(site: Site, entity: Entity | None, path: str, root: str, site_name: str) -> str:
    """The `<link rel="alternate">` of the feeds a page offers: the site's on the home page; an issue's page, its
    own and the site's. `root` leads from the page up to the site's root ('../../')."""
    links = []
    if isinstance(entity, Issue):
        links.append((issue_feed_path(entity.id), f"{site_name}: {entity.name}"))
    if path == "index.md" or isinstance(entity, Issue):
        links.append((SITE_FEED, f"{site_name}: events"))
    return "".join(
        f'<link rel="alternate" type="application/atom+xml" title="{mk.esc(title)}" href="{mk.esc(root + href)}">'
        for href, title in links
    )
