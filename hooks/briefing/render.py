"""Pure render_* functions: Site -> the HTML of infoboxes, notices, timelines, backlinks, generated pages and the
graph. Layout (what to show, in which order) lives here; the HTML itself is in `markup`.

What the hooks add to a page is HTML with final relative URLs, not Markdown: MkDocs copies it into the page and
Python-Markdown never parses it. Only the contributors' own text goes through Markdown: a `[[id]]` in it becomes
a Markdown link to the target's file, which MkDocs resolves (and validates) like any other link.

Every front-matter string is escaped before it reaches the HTML. A list section is a `Block`: an optional `<h2>`
title and its HTML; `assemble` gives the titles ids that do not collide with the page's own.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from . import markup as mk
from .model import FOLDERS, Actor, Entity, Event, Issue, PDate, Site, Source, event_key
from .text import iter_wikilinks, slugify

Block = tuple[str | None, str]  # (an <h2> title or None, the HTML under it)


# --- links ----------------------------------------------------------------------------------


def text(value: str) -> str:
    """Front-matter text made inert in Markdown: no raw HTML, no link or emphasis syntax."""
    out = html.escape(value, quote=False)
    for ch in "\\[]*_`":
        out = out.replace(ch, "\\" + ch)
    return out


def md_link(from_path: str, to_path: str, label: str, anchor: str | None = None) -> str:
    """A Markdown link between two docs/ files: MkDocs resolves it to the target's URL and validates it."""
    from_dir = from_path.rsplit("/", 1)[0] if "/" in from_path else ""
    rel = to_path if not from_dir else "../" * (from_dir.count("/") + 1) + to_path
    return f"[{text(label)}](<{rel}{'#' + anchor if anchor else ''}>)"


def page_url(path: str, use_directory_urls: bool = True) -> str:
    """The site URL of a docs/ path, as MkDocs computes it."""
    stem = path[:-3]
    if not use_directory_urls:
        return stem + ".html"
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


@dataclass(frozen=True)
class Linker:
    """HTML links from one page of the built site to others: up to the site root, then the target's URL."""

    from_path: str
    use_directory_urls: bool = True

    def url(self, to_path: str) -> str:
        prefix = "../" * page_url(self.from_path, self.use_directory_urls).count("/")
        return (prefix + page_url(to_path, self.use_directory_urls)) or "./"

    def a(self, to_path: str, label: str) -> str:
        return mk.a(self.url(to_path), label)


def display_name(e: Entity) -> str:
    """The name a link shows: a source also names its publisher ('Marc Garneau (Wikipedia)')."""
    if isinstance(e, Source) and e.publisher and e.publisher not in e.name:
        return f"{e.name} ({e.publisher})"
    return e.name


@dataclass
class Citations:
    """The numbers of the sources one page cites, in order of first citation (text first, then infobox)."""

    numbers: dict[str, int] = field(default_factory=dict)

    def number(self, source_id: str) -> int:
        return self.numbers.setdefault(source_id, len(self.numbers) + 1)

    def link(self, src: Source) -> str:
        n = self.number(src.id)
        return mk.cite_link(n, display_name(src))


SEPARATOR_RE = re.compile(r"\s*[,;]\s*")
# A page's own "## Sources" section, a list of source references: the numbered Sources list takes its place.
SOURCES_SECTION_RE = re.compile(
    r"^## Sources[ \t]*\n(?:[ \t]*\n|[ \t]*[-*+] \[\[[^\]\n]+\]\][ \t]*\n?)*\Z", re.M
)


def _citation_runs(markdown: str, links: list, is_source) -> list[tuple[int, int]]:
    """Runs of consecutive source references (indexes into `links`) separated only by ',' or ';'."""
    runs, i = [], 0
    while i < len(links):
        j = i
        while is_source(links[i]) and j + 1 < len(links) and is_source(links[j + 1]):
            if not SEPARATOR_RE.fullmatch(markdown[links[j].end : links[j + 1].start]):
                break
            j += 1
        runs.append((i, j))
        i = j + 1
    return runs


def rewrite_wikilinks(markdown: str, site: Site, page_path: str, cites: Citations | None = None) -> str:
    """Turn [[id]], [[id|label]], [[id#anchor]] and [[id#anchor|label]] into Markdown links to the target's file.
    With `cites`, a reference to a source in running text becomes a numbered citation instead (a parenthesis that
    holds only citations is dropped), and a closing "## Sources" list of references is left to the page's
    numbered Sources list. The checks have verified every id and anchor; an unknown id is left as text."""
    listed = []  # the sources of a closing "## Sources" list, numbered after those the text cites
    if cites is not None and (m := SOURCES_SECTION_RE.search(markdown)):
        listed = [lk.target for lk in iter_wikilinks(m[0]) if isinstance(site.entity(lk.target), Source)]
        markdown = markdown[: m.start()]
    links = [lk for lk in iter_wikilinks(markdown) if site.entity(lk.target) is not None]
    is_source = (
        (lambda lk: isinstance(site.entity(lk.target), Source)) if cites is not None else (lambda lk: False)
    )
    out, last = [], 0
    for i, j in _citation_runs(markdown, links, is_source):
        start, end = links[i].start, links[j].end
        if is_source(links[i]):
            pre = markdown[:start].rstrip(" ")
            close = end + len(markdown[end:]) - len(markdown[end:].lstrip(" "))
            if pre.endswith("(") and len(pre) - 1 >= last and markdown[close : close + 1] == ")":
                start, end = len(pre) - 1, close + 1  # a parenthesis of citations only: drop it
            text = markdown[last:start]
            if markdown[start] == "(" and "\n\n" not in text[len(text.rstrip()) :]:
                text = text.rstrip()  # the citation follows the word before the parenthesis
            out.append(text)
            out.append(mk.citations([cites.link(site.entity(lk.target)) for lk in links[i : j + 1]]))
        else:
            out.append(markdown[last:start])
            lk, target = links[i], site.entity(links[i].target)
            out.append(md_link(page_path, target.path, (lk.label or display_name(target)).strip(), lk.anchor))
        last = end
    out.append(markdown[last:])
    for source_id in listed:
        cites.number(source_id)
    return "".join(out)


def render_sources_list(site: Site, cites: Citations, ln: Linker) -> str:
    """The numbered list of the sources a page cites: publisher, title (to the original), date, and the source's
    page on this site."""
    items = []
    for sid, n in sorted(cites.numbers.items(), key=lambda kv: kv[1]):
        src = site.entity(sid)
        if isinstance(src, Source):
            when = src.published.value.human() if src.published else "date not given"
            items.append(mk.SOURCE_ITEM.format(n=n, publisher=mk.esc(src.publisher), title=mk.a(src.url, src.name),
                                               when=when, page=ln.a(src.path, "about this source")))  # fmt: skip
    return mk.SOURCES.format(items="\n".join(items)) if items else ""


# How much search favours a page of each type over pages that merely mention it (Material's `search: boost`).
SEARCH_BOOST = {"issue": 8.0, "actor": 8.0, "event": 2.0, "source": 0.3}


def search_boost(e: Entity | None) -> float | None:
    return SEARCH_BOOST.get(e.type) if e is not None else None


# --- assembling a page ------------------------------------------------------------------------


def assemble(blocks: list[Block], taken: set[str]) -> tuple[str, list[tuple[str, str]]]:
    """The HTML of a list of blocks, and the (id, title) of each heading for the table of contents.

    Ids are slugs of the titles, as Python-Markdown's toc would make them, made unique against `taken` (the ids
    already on the page) with the same `_1`, `_2` suffixes."""
    out: list[str] = []
    heads: list[tuple[str, str]] = []
    for title, body in blocks:
        if title is not None:
            base = slugify(title, "-") or "section"
            hid, n = base, 0
            while hid in taken:
                n += 1
                hid = f"{base}_{n}"
            taken.add(hid)
            heads.append((hid, title))
            out.append(mk.heading(hid, title))
        out.append(body)
    return "".join(out), heads


def place_under_title(content: str, html: str, after: str = "</h1>") -> str:
    """`content` with `html` inserted right after the first `after` (the title, or what follows it), or first."""
    if not html:
        return content
    end = content.find(after)
    return (
        content[: end + len(after)] + "\n" + html + content[end + len(after) :]
        if end != -1
        else html + content
    )


ul = mk.ul


def render_redirects(site: Site, use_directory_urls: bool = True) -> dict[str, str]:
    """The HTML file left at each earlier address of a renamed page (`redirect_from`), by its path in the site."""
    out = {}
    for page in site.pages:
        folder = page.path.rsplit("/", 1)[0]
        for old in page.redirect_from:
            old_path = f"{folder}/{old}.md"
            target = Linker(old_path, use_directory_urls).url(page.path)
            url = page_url(old_path, use_directory_urls)
            out[url + "index.html" if url.endswith("/") else url] = mk.redirect(target, page.title)
    return out


# --- dates ----------------------------------------------------------------------------------


def human(d: PDate | None, unknown: str = "unknown") -> str:
    return d.human() if d else unknown


def tenure(role, reviewed: PDate | None) -> str:
    start = human(role.start.value if role.start else None)
    if role.end:
        end = role.end.value.human()
    elif role.open:
        end = f"present (as of {reviewed.human()})" if reviewed else "present"
    else:
        end = "unknown"
    return f"{start} – {end}"


def _day(d: date) -> str:
    return PDate(d.isoformat(), d, d).human()


# --- per page -------------------------------------------------------------------------------


def render_review_notice(site: Site, e: Entity, today: date) -> str:
    """Last review and next due date; 'may be out of date' when overdue or older than a newer event or a change of
    the issue's measures; 'still in force?' for an event's measures not confirmed within the review interval."""
    out = ""
    if isinstance(e, Event):
        for m in e.measures:
            if site.unconfirmed(m, today):
                out += mk.NOTICE_MEASURE.format(what=mk.esc(m.what), confirmed=m.confirmed.value.human())
    if e.last_reviewed is None:
        return out
    due = site.review_by(e)
    newer = site.events_since_review(e)
    since = mk.SINCE.format(n=len(newer), s="s" if len(newer) != 1 else "") if newer else ""
    changes = site.changes_since_review(e, today) if isinstance(e, Issue) else []
    since += "".join(f" {c.measure.what} {c.what} on {_day(c.day)}." for c in changes)
    reviewed = e.last_reviewed.value.human()
    due_h = _day(due) if due else "unknown"
    if site.overdue(e, today) or newer or changes:
        return out + mk.NOTICE_OVERDUE.format(reviewed=reviewed, due=due_h, since=mk.esc(since))
    return out + mk.NOTICE_OK.format(reviewed=reviewed, due=due_h)


def render_bottom_line(site: Site, e: Entity, today: date, ln: Linker) -> str:
    """An issue's status and the measures of its events in force today, first thing under the title."""
    if not isinstance(e, Issue):
        return ""
    status = e.status + (f" since {e.resolved.value.human()}" if e.resolved else "")
    measures = [(m, ev) for m, ev in site.in_force(today) if any(r.target == e.id for r in ev.issues)]
    items = [f"<li>{measure_text(site, m, ln)} ({ln.a(ev.path, 'event')})</li>" for m, ev in measures]
    in_force = mk.ul(items) if items else "<p>No measure of this issue is in force.</p>\n"
    return mk.BOTTOM_LINE.format(status=mk.esc(status), today=_day(today), measures=in_force)


def _names(site: Site, ln: Linker, refs) -> str:
    return ", ".join(ln.a(t.path, display_name(t)) for t in map(site.entity, (r.target for r in refs)) if t)


Rows = list[tuple[str, str]]  # (label, value HTML)


def _actor_rows(site: Site, e: Actor, ln: Linker, cites: Citations) -> Rows:
    rows = [("Kind", mk.esc(e.kind))]
    for label, d in (("Born", e.born), ("Died", e.died), ("Founded", e.founded), ("Dissolved", e.dissolved)):
        if d:
            rows.append((label, d.value.human()))
    current = [r for r in e.roles if r.open and r.start is not None]
    former = sorted((r for r in e.roles if r not in current), key=_newest_first)
    for role in current:
        rows.append(
            (
                "Office",
                f"{mk.esc(role.title)}, since {role.start.value.human()}"
                + _role_links(site, e, role, ln, cites),
            )
        )
    for role in former:
        rows.append(
            (
                "Former office",
                f"{mk.esc(role.title)}, {mk.esc(tenure(role, None))}" + _role_links(site, e, role, ln, cites),
            )
        )
    return rows


def _newest_first(role) -> tuple:
    return (-(role.start.value.first.toordinal()) if role.start else 0, role.id)


def _role_links(site: Site, e: Actor, role, ln: Linker, cites: Citations) -> str:
    """A role's predecessor and successor in its office, and its sources, as HTML after the tenure."""
    before, after = site.neighbours(e, role) if role.office else (None, None)
    parts = [
        f"{label}: {ln.a(t.actor.path, t.actor.name)}"
        for label, t in (("preceded by", before), ("succeeded by", after))
        if t
    ]
    sources = [t for t in map(site.entity, (r.target for r in role.sources)) if t]
    if sources:
        parts.append("sources: " + ", ".join(cites.link(t) for t in sources))
    unconfirmed = " <em>(unconfirmed)</em>" if role.unconfirmed else ""
    return unconfirmed + (f" ({'; '.join(parts)})" if parts else "")


def _issue_rows(site: Site, e: Issue, ln: Linker, cites: Citations) -> Rows:
    rows = [("Status", mk.esc(e.status + (f" on {e.resolved.value.human()}" if e.resolved else "")))]
    if e.started:
        rows.append(("Started", e.started.value.human()))
    if e.actors:
        rows.append(("Actors", _names(site, ln, e.actors)))
    if e.related:
        rows.append(("Related issues", _names(site, ln, e.related)))
    return rows


def _event_rows(site: Site, e: Event, ln: Linker, cites: Citations) -> Rows:
    when = ln.a(f"timeline/{e.date.value.first.year}.md", e.date.value.human()) if e.date else "unknown"
    rows = [("Date", when + (f" – {e.end.value.human()}" if e.end else ""))]
    if e.announced:
        rows.append(("Announced", e.announced.value.human()))
    if e.place:
        rows.append(("Place", mk.esc(e.place)))
    if e.actors:
        roles = {er.actor.target: er.role for er in e.roles}
        parts = []
        for t in filter(None, map(site.entity, (r.target for r in e.actors))):
            role = next((x for x in getattr(t, "roles", ()) if x.id == roles.get(t.id)), None)
            parts.append(ln.a(t.path, t.name) + (f" ({mk.esc(role.title)})" if role else ""))
        rows.append(("Actors", ", ".join(parts)))
    for label, refs in (("Issues", e.issues), ("Resolves", e.resolves)):
        if refs:
            rows.append((label, _names(site, ln, refs)))
    for m in e.measures:
        rows.append(("Measure", measure_text(site, m, ln)))
    sources = [t for t in map(site.entity, (r.target for r in e.sources)) if isinstance(t, Source)]
    rows.append(("Sources", mk.citations([cites.link(t) for t in sources])))
    if e.unconfirmed:
        rows.insert(
            0, ("Status", "<strong>Unconfirmed</strong>: this event rests on social-media posts only")
        )
    return rows


def measure_text(site: Site, m, ln: Linker) -> str:
    """What a measure is, by whom on whom, and its dates, as HTML."""
    on = ", ".join(ln.a(t.path, t.name) for t in map(site.entity, (r.target for r in m.on)) if t)
    by = site.entity(m.by.target)
    out = f"{mk.esc(m.what)} ({ln.a(by.path, by.name) if by else mk.esc(m.by.target)} on {on}), from {m.start.value.human()}"
    if m.until is not None:
        out += f" to {m.until.value.human()}"
    elif m.until_unknown:
        out += " to an unknown date"
    for sp in m.suspended:
        out += f"; suspended {sp.start.value.human()} to {sp.until.value.human()}"
    return out


SOURCE_KINDS = {
    "primary": "primary (the actor's own statement or document)",
    "secondary": "secondary (reporting or reference)",
    "copy": "copy (another publisher's text, reprinted)",
    "social": "social-media or forum post",
}


def _source_rows(site: Site, e: Source, ln: Linker, cites: Citations) -> Rows:
    published = e.published.value.human() if e.published else "unknown (the document carries no date)"
    rows = [("Publisher", mk.esc(e.publisher)), ("Published", published), ("Address", mk.a(e.url, e.url))]
    if e.archived:
        rows.append(("Archived copy", mk.a(e.archived, e.archived)))
    rows.append(("Read on", e.accessed.value.human() if e.accessed else "not recorded"))
    rows.append(("Kind", SOURCE_KINDS.get(e.kind, mk.esc(e.kind))))
    if e.copy_of:
        original = mk.a(e.original_url, e.copy_of) if e.original_url else mk.esc(e.copy_of)
        rows.append(("Copy of", original))
    return rows


ROWS = {Actor: _actor_rows, Issue: _issue_rows, Event: _event_rows, Source: _source_rows}


def render_infobox(site: Site, e: Entity, ln: Linker | None = None, cites: Citations | None = None) -> str:
    """The key facts of an entity as a definition list."""
    rows = ROWS[type(e)](site, e, ln or Linker(e.path), cites if cites is not None else Citations())
    if e.summary and not isinstance(e, Source):
        rows.insert(0, ("Summary", mk.esc(e.summary)))
    return mk.infobox(rows)


def render_entity_top(site: Site, e: Entity, today: date, ln: Linker) -> str:
    """What goes under an entity page's title: its review notice and its infobox."""
    return render_review_notice(site, e, today) + render_infobox(site, e, ln)


def short_description(e: Entity) -> str:
    """A person's current offices, or their latest former one: shown under the name, and searched as its title."""
    if not isinstance(e, Actor) or not e.roles:
        return ""
    current = [r.title for r in e.roles if r.open and r.start is not None]
    if current:
        return "; ".join(dict.fromkeys(current))
    latest = min(e.roles, key=_newest_first)
    return (
        f"Former {latest.title[0].lower()}{latest.title[1:]}" if latest.title[:1].isupper() else latest.title
    )


def with_subtitle(content: str, subtitle: str) -> str:
    """The page's first heading with a short description under the name (inside the heading, so that search
    takes it as part of the title)."""
    if not subtitle:
        return content
    end = content.find("</h1>")
    if end == -1:
        return content
    link = content.rfind('<a class="headerlink"', 0, end)
    at = link if link != -1 and content.rfind("<h1", 0, end) < link else end
    return content[:at] + mk.SUBTITLE.format(text=mk.esc(subtitle)) + content[at:]


def render_aka(e: Entity) -> str:
    """An actor's other names and offices, in one line under the title: what readers may search for, so it is
    indexed."""
    if not isinstance(e, Actor) or not (e.aliases or e.native_name or e.roles):
        return ""
    parts = []
    if e.aliases:
        parts.append("Also written " + ", ".join(f"<em>{mk.esc(a)}</em>" for a in e.aliases) + ".")
    if e.native_name:
        name = mk.esc(e.native_name)
        if any(ord(c) > 0x2E80 for c in e.native_name):
            name = f'<span lang="zh">{name}</span>'
        parts.append(f"Native name: {name}.")
    titles = list(dict.fromkeys(r.title for r in e.roles))
    if titles:
        parts.append("Offices: " + "; ".join(mk.esc(t) for t in titles) + ".")
    return f'<p class="aka">{" ".join(parts)}</p>\n'


def event_item(site: Site, ln: Linker, ev: Event, tags: bool = True) -> str:
    """A timeline entry: the date (linked to its year), the title, the one-line summary, and the actors and
    issues as quiet tags."""
    when = mk.esc(ev.date.value.human()) if ev.date else "undated"
    if ev.date:
        when = ln.a(f"timeline/{ev.date.value.first.year}.md", ev.date.value.human())
    tag_html = ""
    if tags:
        names = [t for t in map(site.entity, (r.target for r in (*ev.issues, *ev.actors))) if t]
        tag_html = " ".join(mk.tag(ln.url(t.path), t.name, t.type) for t in names)
    return mk.EVENT_ITEM.format(
        when=when,
        title=ln.a(ev.path, ev.name),
        summary=mk.esc(ev.summary),
        unconfirmed=" <em>(unconfirmed)</em>" if ev.unconfirmed else "",
        tags=f'<span class="event-tags">{tag_html}</span>' if tag_html else "",
    )


MAX_LIST = 50  # longest backlink list on one page: pages stay bounded as the site grows


def _capped_events(site: Site, ln: Linker, events: list[Event], tags: bool = False) -> str:
    """The newest MAX_LIST events, oldest first, with a pointer to the timeline for the rest."""
    shown = events[-MAX_LIST:]
    items = [event_item(site, ln, ev, tags) for ev in shown]
    if len(events) > len(shown):
        items.insert(
            0, mk.MORE.format(n=len(events) - len(shown), timeline=mk.esc(ln.url("timeline/index.md")))
        )
    return mk.timeline(items)


def _capped_pages(ln: Linker, pages: list) -> list[str]:
    items = [f"<li>{ln.a(pg.path, pg.title)}</li>" for pg in pages[:MAX_LIST]]
    if len(pages) > MAX_LIST:
        items.append(mk.MORE_PAGES.format(n=len(pages) - MAX_LIST))
    return items


def render_event_neighbours(site: Site, ev: Event, ln: Linker) -> str:
    """The previous and next event overall and within each of the event's issues, and the way back to each
    issue and to the event's year."""
    rows = [("All events", *site.adjacent(ev), None)]
    for issue in filter(None, map(site.entity, (r.target for r in ev.issues))):
        rows.append((issue.name, *site.adjacent(ev, issue.id), issue))
    items = []
    for label, before, after, issue in rows:
        parts = [
            f"← {ln.a(before.path, before.name)}" if before else "",
            f"{ln.a(after.path, after.name)} →" if after else "",
        ]
        back = f" ({ln.a(issue.path, 'the issue')})" if issue else ""
        items.append(mk.NEIGHBOURS.format(label=mk.esc(label), back=back, before=parts[0], after=parts[1]))
    year = (
        f"<p>{ln.a(f'timeline/{ev.date.value.first.year}.md', f'All events of {ev.date.value.first.year}')}</p>\n"
        if ev.date
        else ""
    )
    return mk.ul(items) + year


def render_breadcrumb(site: Site, e: Entity, ln: Linker) -> str:
    """Home › section (› year, for an event): where an entity page sits, above its title."""
    folder = e.path.split("/")[0]
    crumbs = [ln.a("index.md", "Home"), ln.a(f"{folder}/index.md", folder.capitalize())]
    if isinstance(e, Event) and e.date:
        year = e.date.value.first.year
        crumbs.append(ln.a(f"timeline/{year}.md", str(year)))
    return mk.BREADCRUMB.format(items=' <span aria-hidden="true">›</span> '.join(crumbs))


REFERRER_GROUPS = (
    ("issue", "Issues"),
    ("actor", "Actors"),
    ("event", "Events"),
    ("source", "Sources"),
    (None, "Other pages"),
)


def _grouped_referrers(ln: Linker, pages: list) -> str:
    """Pages that link here, grouped by type, each group sorted by title."""
    out = []
    for kind, label in REFERRER_GROUPS:
        mine = sorted((p for p in pages if p.type == kind), key=lambda p: p.title.lower())
        if mine:
            out.append(mk.GROUP.format(label=mk.esc(label), n=len(mine), items=ul(_capped_pages(ln, mine))))
    return "".join(out)


def render_sections(site: Site, e: Entity, ln: Linker | None = None) -> list[Block]:
    """What follows an entity's own text: its events (an issue lists those its text does not already tell),
    the issues an actor is part of, the pages citing a source, and the other pages that link here, by type."""
    ln = ln or Linker(e.path)
    out: list[Block] = []
    events = site.events_of(e.id)
    referrers = [pg for pg in site.referrers(e.id) if pg.id != e.id]
    if isinstance(e, Issue):
        told = {lk.target for lk in e.page.links}
        rest = [ev for ev in events if ev.id not in told]
        if rest:
            title = "Other events of this issue" if len(rest) < len(events) else "Timeline"
            out.append((title, _capped_events(site, ln, rest, tags=True)))
    elif isinstance(e, Actor) and events:
        out.append(("Timeline", _capped_events(site, ln, events, tags=True)))
    if isinstance(e, Source):
        out.append(
            ("Events citing this source", _capped_events(site, ln, events) if events else "<p>None.</p>\n")
        )
        referrers = [pg for pg in referrers if pg.type != "event"]
    if isinstance(e, Actor):
        issue_ids = {pg.id for pg in referrers if pg.type == "issue"} | {
            r.target for ev in events for r in ev.issues
        }
        issues = sorted(
            (i for i in map(site.entity, issue_ids) if isinstance(i, Issue)), key=lambda i: i.name
        )
        if issues:
            items = [f"<li>{ln.a(i.path, i.name)} ({mk.esc(i.status)})</li>" for i in issues]
            out.append(("Issues this actor is part of", ul(items)))
    if isinstance(e, Event):
        out.append(("Before and after", render_event_neighbours(site, e, ln)))
    if not isinstance(e, Source):
        referrers = [pg for pg in referrers if pg.type != "event"]  # events are in the timeline
    if referrers:
        out.append(("What links here", _grouped_referrers(ln, referrers)))
    return out


# --- generated pages ------------------------------------------------------------------------
# Each returns (Markdown, blocks): the Markdown (title and introduction) is the page's source for MkDocs; the
# blocks are added as HTML after it.

Generated = tuple[str, list[Block]]
KIND_HEADINGS = {"state": "States", "organization": "Organizations", "group": "Groups", "person": "People"}


def render_section_index(site: Site, kind: str, use_directory_urls: bool = True) -> Generated:
    ln = Linker(f"{FOLDERS[kind]}/index.md", use_directory_urls)
    blocks: list[Block] = []
    if kind == "actor":
        md = "# Actors\n\nPeople, states, organizations and groups in Canada–China relations.\n"
        groups: dict[str, list[Actor]] = defaultdict(list)
        for a in site.of_type(Actor):
            groups[a.kind].append(a)
        for k in ("state", "person", "organization", "group"):
            if groups[k]:
                items = [
                    f"<li>{ln.a(a.path, a.name)}: {mk.esc(a.summary)}</li>"
                    for a in sorted(groups[k], key=lambda a: a.name)
                ]
                blocks.append((KIND_HEADINGS[k], ul(items)))
        return md, blocks
    if kind == "issue":
        md = "# Issues\n\nThe contested questions between Canada and China, with their status.\n"
        for status in ("active", "dormant", "resolved"):
            issues = sorted((i for i in site.of_type(Issue) if i.status == status), key=lambda i: i.name)
            if issues:
                items = [f"<li>{ln.a(i.path, i.name)}: {mk.esc(i.summary)}</li>" for i in issues]
                blocks.append((status.capitalize(), ul(items)))
        return md, blocks
    if kind == "event":
        md = "# Events\n\nEvery dated event, by year. Each year's page lists its events in order.\n"
        items = [
            f"<li>{ln.a(f'timeline/{y}.md', str(y))}: {n} event{'s' if n != 1 else ''}</li>"
            for y, n in sorted(event_years(site).items(), reverse=True)
        ]
        return md, [(None, ul(items))] if items else []
    md = (
        "# Sources\n\nEvery cited document, by publisher. Each page gives the original address and the "
        "events that cite it.\n"
    )
    by_pub: dict[str, list[Source]] = defaultdict(list)
    for s in site.of_type(Source):
        by_pub[s.publisher].append(s)
    for pub in sorted(by_pub, key=str.lower):
        items = []
        for s in sorted(
            by_pub[pub], key=lambda s: (s.published.value.first if s.published else date.min, s.id)
        ):
            when = s.published.value.human() if s.published else "date unknown"
            items.append(f"<li>{ln.a(s.path, s.name)} ({when})</li>")
        blocks.append((pub, ul(items)))
    return md, blocks


def render_a_to_z(site: Site, use_directory_urls: bool = True) -> Generated:
    """Every actor and issue, and each actor's other names, in one alphabetical list: the way in for a reader
    without JavaScript (no search box), and a quick index for everyone."""
    ln = Linker("a-z.md", use_directory_urls)
    entries: list[tuple[str, str]] = []
    for e in [*site.of_type(Actor), *site.of_type(Issue)]:
        kind = e.kind if isinstance(e, Actor) else "issue"
        entries.append((e.name, f"{ln.a(e.path, e.name)} <small>({mk.esc(kind)})</small>"))
        for alias in getattr(e, "aliases", ()):
            entries.append((alias, f"{mk.esc(alias)}: see {ln.a(e.path, e.name)}"))
    by_letter: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for name, item in entries:
        first = name[:1].upper()
        by_letter[first if first.isalpha() else "#"].append((name, item))
    blocks = [(letter, ul(f"<li>{item}</li>" for _, item in sorted(by_letter[letter], key=lambda x: x[0].lower())))
              for letter in sorted(by_letter)]  # fmt: skip
    md = (
        "# Index A–Z\n\nEvery actor and issue, with the other names readers may know them by. Events are listed "
        "by year on the [timeline](timeline/index.md), sources by publisher on the [sources](sources/index.md) "
        "page.\n"
    )
    return md, blocks


def event_years(site: Site) -> dict[int, int]:
    """The number of dated events in each year, oldest year first."""
    return {y: len(evs) for y, evs in site.events_by_year().items()}


def render_timeline_index(site: Site, use_directory_urls: bool = True) -> Generated:
    ln = Linker("timeline/index.md", use_directory_urls)
    md = (
        "# Timeline\n\nEvents in Canada–China relations, one page per year, oldest first within each year. "
        "Dates are given at the precision the record allows (day, month or year).\n"
    )
    items = [
        f"<li>{ln.a(f'timeline/{y}.md', str(y))}: {n} event{'s' if n != 1 else ''}</li>"
        for y, n in sorted(event_years(site).items())
    ]
    return md, [(None, ul(items))] if items else []


def render_timeline_year(site: Site, year: int, use_directory_urls: bool = True) -> Generated:
    ln = Linker(f"timeline/{year}.md", use_directory_urls)
    by_year = site.events_by_year()
    events = by_year.get(year, ())
    years = list(by_year)
    i = years.index(year)
    nav = []
    if i > 0:
        nav.append(ln.a(f"timeline/{years[i - 1]}.md", f"← {years[i - 1]}"))
    nav.append(ln.a("timeline/index.md", "All years"))
    if i + 1 < len(years):
        nav.append(ln.a(f"timeline/{years[i + 1]}.md", f"{years[i + 1]} →"))
    nav_html = '<p class="timeline-nav">' + " · ".join(nav) + "</p>\n"
    return f"# {year}\n", [(None, nav_html), (None, mk.timeline([event_item(site, ln, ev) for ev in events]))]


def render_needs_review(site: Site, today: date, use_directory_urls: bool = True) -> Generated:
    ln = Linker("needs-review.md", use_directory_urls)
    rows = []
    for e in site.entities.values():
        due = site.review_by(e)
        newer = site.events_since_review(e)
        if (due is not None and due < today) or newer:
            rows.append((e.last_reviewed.value.first, e, due, newer))
    rows.sort(key=lambda r: (r[0], r[1].id))
    md = (
        "# Needs review\n\nPages whose review is overdue or that are older than their newest event, as of "
        f"{_day(today)}, oldest review first.\n"
    )
    if not rows:
        return md, [
            (None, "<p>Every page is within its review interval, and none predates its newest event.</p>\n")
        ]
    head = "".join(
        f"<th>{h}</th>" for h in ("Page", "Type", "Last reviewed", "Review due", "Events since review")
    )
    body = []
    for _, e, due, newer in rows:
        mark = " (overdue)" if due is not None and due < today else ""
        body.append(
            f"<tr><td>{ln.a(e.path, e.name)}</td><td>{e.type}</td><td>{e.last_reviewed.value.human()}</td>"
            f"<td>{_day(due) if due else 'unknown'}{mark}</td><td>{len(newer)}</td></tr>"
        )
    table = f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(body) + "\n</tbody>\n</table>\n"
    return md, [(None, table)]


def render_home_blocks(site: Site, markdown: str, latest: int = 8, today: date | None = None) -> str:
    """The home page's lists, in Markdown (the home page is one page: its cost does not grow with the site)."""
    path = "index.md"
    if mk.MARK_STATE in markdown and today is not None:
        markdown = markdown.replace(mk.MARK_STATE, render_home_state(site, today))
    if mk.MARK_OPEN_ISSUES in markdown:
        issues = sorted((i for i in site.of_type(Issue) if i.status != "resolved"), key=lambda i: i.name)
        block = "\n".join(
            f"- {md_link(path, i.path, i.name)} ({i.status}): {text(i.summary)}" for i in issues
        )
        markdown = markdown.replace(mk.MARK_OPEN_ISSUES, block or "No open issues.")
    if mk.MARK_LATEST_EVENTS in markdown:
        events = sorted(site.of_type(Event), key=event_key, reverse=True)[:latest]
        block = "\n".join(
            f"- **{ev.date.value.human() if ev.date else 'undated'}**: {md_link(path, ev.path, ev.name)}"
            for ev in events
        )
        markdown = markdown.replace(mk.MARK_LATEST_EVENTS, block or "No events yet.")
    return markdown


# --- the state of play ---------------------------------------------------------------------------

SIDES = {"canada": "Canada", "china": "China"}
WATCH_DAYS = 90


@dataclass(frozen=True)
class DateToWatch:
    day: date
    what: str  # plain text
    path: str  # the page it concerns


def dates_to_watch(site: Site, today: date, days: int = WATCH_DAYS) -> list[DateToWatch]:
    """Dated things in the next `days` days: measures starting, ending, suspended or applying again; reviews due."""
    end = today + timedelta(days=days)
    out = [
        DateToWatch(c.day, f"{c.measure.what}: {c.what}", c.event.path)
        for m, ev in site.measures()
        for c in site.measure_changes(m, ev)
        if today < c.day <= end
    ]
    for e in site.entity_list():
        due = site.review_by(e)
        if due is not None and today < due <= end and e.type == "issue":
            out.append(DateToWatch(due, f"review of '{e.name}' due", e.path))
    return sorted(out, key=lambda w: (w.day, w.what))


def _holder_cells(site: Site, office: str, today: date, ln: Linker) -> tuple[str, str, str]:
    """(holder, since, source) of an office on `today`, as HTML cells."""
    holders = site.holding(office, today)
    if not holders:
        return "No holder recorded", "", ""
    t = holders[-1]
    src = next(filter(None, map(site.entity, (r.target for r in t.role.sources))), None)
    source = ln.a(src.path, display_name(src)) if src else ""
    return ln.a(t.actor.path, t.actor.name), t.role.start.value.human(), source


def render_offices(site: Site, today: date, ln: Linker) -> list[Block]:
    blocks = []
    for side, label in SIDES.items():
        rows = [
            (mk.esc(o.label), *_holder_cells(site, o.id, today, ln))
            for o in site.offices.values()
            if o.side == side
        ]
        if rows:
            blocks.append((f"Offices: {label}", mk.table(("Office", "Holder", "Since", "Source"), rows)))
    return blocks


def _measure_row(site: Site, m, ev: Event, ln: Linker) -> tuple[str, ...]:
    on = ", ".join(ln.a(t.path, t.name) for t in map(site.entity, (r.target for r in m.on)) if t)
    until = m.until.value.human() if m.until else ("unknown" if m.until_unknown else "no end set")
    return (mk.esc(m.what), on, m.start.value.human(), until, ln.a(ev.path, ev.name))


def render_measures(site: Site, today: date, ln: Linker) -> list[Block]:
    head = ("Measure", "On", "Since", "Until", "Event")
    by: dict[str, list] = defaultdict(list)
    for m, ev in site.in_force(today):
        by[m.by.target].append(_measure_row(site, m, ev, ln))
    blocks = []
    for actor_id in sorted(by, key=lambda a: site.entity(a).name if site.entity(a) else a):
        actor = site.entity(actor_id)
        blocks.append(
            (
                f"Measures in force imposed by {actor.name if actor else actor_id}",
                mk.table(head, by[actor_id]),
            )
        )
    if not by:
        blocks.append(("Measures in force", "<p>No measure recorded here is in force on this day.</p>\n"))
    year_ago = today - timedelta(days=365)
    ended = [
        (m, ev) for m, ev in site.measures() if m.until is not None and year_ago <= m.until.value.last < today
    ]
    if ended:
        rows = [_measure_row(site, m, ev, ln) for m, ev in ended]
        blocks.append(("Measures that ended in the last 12 months", mk.table(head, rows)))
    return blocks


def render_now(site: Site, today: date, use_directory_urls: bool = True) -> Generated:
    """The State of play on the build's today: who holds each tracked office, the measures in force and those
    ended in the last year, the open issues, and the dates to watch in the next 90 days."""
    ln = Linker("now.md", use_directory_urls)
    md = (
        f"# State of play as of {_day(today)}\n\nComputed from the dated facts of this site on the day it was "
        "built: who holds each office, which measures apply, and what comes next. Each row links to its page "
        "and its source.\n"
    )
    blocks = render_offices(site, today, ln) + render_measures(site, today, ln)
    issues = sorted((i for i in site.of_type(Issue) if i.status != "resolved"), key=lambda i: i.name)
    rows = [
        (
            ln.a(i.path, i.name),
            mk.esc(i.status),
            mk.esc(i.summary),
            i.last_reviewed.value.human() if i.last_reviewed else "",
        )
        for i in issues
    ]
    blocks.append(("Open issues", mk.table(("Issue", "Status", "In one line", "Last reviewed"), rows)))
    watch = dates_to_watch(site, today)
    items = [f"<li><strong>{_day(w.day)}</strong>: {ln.a(w.path, w.what)}</li>" for w in watch]
    blocks.append(
        (
            f"Dates to watch in the next {WATCH_DAYS} days",
            mk.ul(items) if items else "<p>None recorded.</p>\n",
        )
    )
    return md, blocks


# The home page's box: (row label, Canada's office, China's office), and how many measures of each side it lists.
HOME_OFFICES = (
    ("Foreign minister", "canada-foreign-minister", "china-foreign-minister"),
    ("Ambassador", "canada-ambassador-to-china", "china-ambassador-to-canada"),
)
HOME_MEASURES = 4


def _home_holder(site: Site, office: str, today: date, ln: Linker) -> str:
    if office not in site.offices:
        return ""
    holder, since, _ = _holder_cells(site, office, today, ln)
    return holder + (f" <small>since {since}</small>" if since else "")


def render_home_state(site: Site, today: date) -> str:
    """The compact state of play at the top of the home page: the foreign ministers and ambassadors, the measures
    in force by the side that imposes them (newest first, the first few listed), and the next date to watch."""
    ln = Linker("index.md")
    rows = [
        (label, _home_holder(site, ca, today, ln), _home_holder(site, cn, today, ln))
        for label, ca, cn in HOME_OFFICES
    ]
    measures = sorted(site.in_force(today), key=lambda p: (-p[0].start.value.first.toordinal(), p[0].id))
    groups = []
    for side in ("china", "canada"):
        mine = [(m, ev) for m, ev in measures if m.by.target == side]
        items = [
            f"<li>{ln.a(ev.path, m.what)} <small>since {m.start.value.human()}</small></li>"
            for m, ev in mine[:HOME_MEASURES]
        ]
        if len(mine) > HOME_MEASURES:
            items.append(f"<li>… and {len(mine) - HOME_MEASURES} more</li>")
        if mine:
            groups.append(mk.STATE_GROUP.format(who=SIDES[side], n=len(mine), items=mk.ul(items)))
    watch = dates_to_watch(site, today)
    nxt = (
        f"{_day(watch[0].day)}: {ln.a(watch[0].path, watch[0].what)}" if watch else "none in the next 90 days"
    )
    return mk.STATE_BOX.format(
        today=_day(today),
        people=mk.table(("", "Canada", "China"), rows),
        n=len(measures),
        s="" if len(measures) == 1 else "s",
        measures="".join(groups) or "<p>None recorded.</p>",
        next=nxt,
        more=ln.a("now.md", "Full state of play"),
    )


# The relationship matrix draws at most this many issues, and this many of the actors involved in them: a figure a
# reader can take in, and a page that stays bounded as the site grows.
G_MAX_ISSUES = 40
G_MAX_ACTORS = 120
KIND_ORDER = ("state", "organization", "group", "person")


@dataclass(frozen=True)
class GraphLayout:
    """Which issues (columns) and actors (rows, grouped by kind) the matrix shows, and how strongly each pair is
    linked. `edges` maps (actor id, issue id) to the number of events or listings that join them; `n_issues`
    and `n_actors` count what the site has before the caps."""

    issues: list[Issue]
    groups: list[tuple[str, list[Actor]]]
    edges: dict[tuple[str, str], int]
    n_issues: int
    n_actors: int

    @property
    def actors(self) -> list[Actor]:
        return [a for _, group in self.groups for a in group]


def graph_edges(site: Site) -> dict[tuple[str, str], int]:
    """(actor id, issue id) -> how many issue listings and events join them."""
    edges: dict[tuple[str, str], int] = defaultdict(int)
    for i in site.of_type(Issue):
        for r in i.actors:
            edges[(r.target, i.id)] += 1
    for ev in site.of_type(Event):
        for ir in ev.issues:
            for ar in ev.actors:
                edges[(ar.target, ir.target)] += 1
    issues = {i.id for i in site.of_type(Issue)}
    return {k: v for k, v in edges.items() if isinstance(site.entity(k[0]), Actor) and k[1] in issues}


def graph_layout(site: Site) -> GraphLayout:
    """Issues by how many actors they involve, then by name; actors grouped by kind (states first), each group by
    how involved its actors are, then by name."""
    edges = graph_edges(site)
    issues = sorted(site.of_type(Issue), key=lambda i: i.name)
    n_issues, n_actors = len(issues), len({a for a, _ in edges})
    issues = _most_involved(issues, edges, 1, G_MAX_ISSUES, lambda i: i.id)
    kept = {i.id for i in issues}
    edges = {k: v for k, v in edges.items() if k[1] in kept}
    kept = set(_most_involved(sorted({a for a, _ in edges}), edges, 0, G_MAX_ACTORS, lambda a: a))
    edges = {k: v for k, v in edges.items() if k[0] in kept}
    weight: dict[str, int] = defaultdict(int)
    for (a, _), n in edges.items():
        weight[a] += n
    groups = []
    for kind in KIND_ORDER:
        mine = sorted(
            (site.entity(a) for a in kept if site.entity(a).kind == kind),
            key=lambda a: (-weight[a.id], a.name),
        )
        if mine:
            groups.append((kind, mine))
    return GraphLayout(issues, groups, edges, n_issues, n_actors)


def _dot(n: int) -> str:
    """A dot sized by the number of events or listings (four sizes), with the number for screen readers."""
    size = 1 if n == 1 else 2 if n <= 3 else 3 if n <= 7 else 4
    return mk.DOT.format(size=size, n=n, s="" if n == 1 else "s")


def graph_matrix(site: Site, g: GraphLayout, ln: Linker) -> str:
    """The layout as a table: an actor per row (grouped by kind), an issue per column, a dot where they meet."""
    head = "".join(mk.MATRIX_COL.format(link=ln.a(i.path, i.name)) for i in g.issues)
    rows = []
    for kind, actors in g.groups:
        rows.append(mk.MATRIX_GROUP.format(label=KIND_HEADINGS[kind], span=len(g.issues) + 1))
        for a in actors:
            cells = "".join(
                f"<td>{_dot(g.edges[(a.id, i.id)]) if (a.id, i.id) in g.edges else ''}</td>" for i in g.issues
            )
            rows.append(mk.MATRIX_ROW.format(link=ln.a(a.path, a.name), cells=cells))
    return mk.MATRIX.format(head=head, rows="\n".join(rows), caption=mk.esc(GRAPH_CAPTION))


GRAPH_CAPTION = (
    "Who is involved in which issue: an actor per row, grouped by kind, an issue per column. A dot marks an actor "
    "listed in the issue or taking part in its events; the larger the dot, the more events and listings."
)


def graph_table(site: Site, g: GraphLayout, ln: Linker) -> str:
    """The same links as a list per issue: actor names and counts, in words."""
    by_issue: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    for (a, iss), n in g.edges.items():
        by_issue[iss].append((site.entity(a).name, a, n))
    rows = [
        (
            ln.a(i.path, i.name),
            mk.esc(i.status),
            ", ".join(f"{ln.a(site.entity(a).path, nm)} ({n})" for nm, a, n in sorted(by_issue[i.id])),
        )
        for i in g.issues
    ]
    return mk.table(("Issue", "Status", "Actors involved (number of events or listings)"), rows)


def render_graph_page(site: Site, use_directory_urls: bool = True) -> Generated:
    """Issues and actors as a matrix, and the same links per issue as a table."""
    ln = Linker("graph.md", use_directory_urls)
    g = graph_layout(site)
    md = (
        "# Relationship graph\n\nWho is involved in which issue, derived from the issues' actors and from "
        "every event's actors and issues.\n"
    )
    cut = ""
    if len(g.issues) < g.n_issues or len(g.actors) < g.n_actors:
        cut = mk.GRAPH_CUT.format(
            issues=len(g.issues), n_issues=g.n_issues, actors=len(g.actors), n_actors=g.n_actors,
            issues_index=ln.a("issues/index.md", "Issues"), actors_index=ln.a("actors/index.md", "Actors"),
        )  # fmt: skip
    return md, [(None, cut + graph_matrix(site, g, ln)), ("Each issue's actors", graph_table(site, g, ln))]


def _most_involved(items: list, edges: dict[tuple[str, str], int], side: int, limit: int, key) -> list:
    """At most `limit` of the items (in their order): those with the most links in `edges`, where an item's id is
    the edge key's element `side` (0 the actor, 1 the issue); ties go to the earlier item."""
    if len(items) <= limit:
        return items
    weight: dict[str, int] = defaultdict(int)
    for k, n in edges.items():
        weight[k[side]] += n
    order = sorted(range(len(items)), key=lambda n: (-weight.get(key(items[n]), 0), n))
    return [items[n] for n in sorted(order[:limit])]
