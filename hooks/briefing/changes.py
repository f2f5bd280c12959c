"""The generated 'Recent changes' page: the events dated, and the pages reviewed, in the WINDOW_DAYS days up to the
build's today, newest first, so that a returning reader sees what moved.

Both come from front matter (an event's `date`, a page's `last_reviewed`), never from file times or git, so the
page is the same for the same commit and the same day. Links come from the caller (`link`: a docs/ path and a
label -> an HTML link from this page), so this room reads the model only.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from . import markup as mk
from .model import Entity, Event, PDate, Site

PATH = "changes.md"
WINDOW_DAYS = 60
MAX_ITEMS = 200  # the page stays bounded however busy the window was

Link = Callable[[str, str], str]


def _day(d: date) -> str:
    return PDate(d.isoformat(), d, d).human()


def recent_events(site: Site, today: date, days: int = WINDOW_DAYS) -> list[Event]:
    """Events whose date may fall in the window (today - days .. today), newest first."""
    start = today - timedelta(days=days)
    events = [
        ev
        for ev in site.of_type(Event)
        if ev.date and ev.date.value.last >= start and ev.date.value.first <= today
    ]
    return sorted(events, key=lambda ev: (-ev.date.value.first.toordinal(), ev.id))


def recent_reviews(site: Site, today: date, days: int = WINDOW_DAYS) -> list[Entity]:
    """Pages whose last review falls in the window, newest first."""
    start = today - timedelta(days=days)
    pages = [
        e
        for e in site.entity_list()
        if e.last_reviewed and start <= e.last_reviewed.value.first and e.last_reviewed.value.last <= today
    ]
    return sorted(pages, key=lambda e: (-e.last_reviewed.value.first.toordinal(), e.name, e.id))


def _capped(items: list[str], n: int) -> str:
    if n > len(items):
        items = items + [f"<li>… and {n - len(items)} more.</li>"]
    return mk.ul(items)


def render_changes(site: Site, today: date, link: Link) -> tuple[str, list[tuple[str | None, str]]]:
    """The Recent changes page as (Markdown, blocks)."""
    start = today - timedelta(days=WINDOW_DAYS)
    md = (
        f"# Recent changes\n\nWhat moved in the {WINDOW_DAYS} days from {_day(start)} to {_day(today)}: the events "
        "dated in that time, and the pages reviewed in it, newest first. Dates are those of the events and of the "
        "reviews. The [feed of events](feed.xml) brings new events to a feed reader.\n"
    )
    events = recent_events(site, today)
    items = [
        f"<li><strong>{ev.date.value.human()}</strong>: {link(ev.path, ev.name)}"
        + (f"<br>{mk.esc(ev.summary)}" if ev.summary else "")
        + "</li>"
        for ev in events[:MAX_ITEMS]
    ]
    reviews = recent_reviews(site, today)
    pages = [
        f"<li><strong>{e.last_reviewed.value.human()}</strong>: {link(e.path, e.name)} ({e.type})</li>"
        for e in reviews[:MAX_ITEMS]
    ]
    return md, [
        ("Events", _capped(items, len(events)) if items else "<p>No event is dated in this period.</p>\n"),
        (
            "Pages reviewed",
            _capped(pages, len(reviews)) if pages else "<p>No page was reviewed in this period.</p>\n",
        ),
    ]
