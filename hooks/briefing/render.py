"""Pure render_* functions: Site -> Markdown/HTML strings for infoboxes, notices, timelines, lists and the graph.

Markup lives in the constants at the top of this module. Links in Markdown are written as relative `.md` paths so
that MkDocs validates and rewrites them; links inside raw HTML (the SVG graph) are written as final URLs.
"""

from __future__ import annotations

import html
import math
import posixpath
from collections import defaultdict
from datetime import date

from .checks import events_since_review
from .model import FOLDERS, Actor, Entity, Event, Issue, PDate, Site, Source, event_key
from .text import iter_wikilinks

# --- markup ---------------------------------------------------------------------------------

INFOBOX = '<aside class="infobox" aria-label="Key facts" markdown="1">\n\n{rows}\n\n</aside>\n'
ROW = "{label}\n:   {value}\n"
NOTICE_OK = '<p class="review-notice" role="note">Last reviewed on {reviewed}; next review due {due}.</p>\n'
NOTICE_OVERDUE = (
    '<p class="review-notice review-notice--overdue" role="note"><strong>Last reviewed on {reviewed}; this page '
    "may be out of date.</strong> Its review was due on {due}.{since}</p>\n"
)
SINCE = " {n} event{s} since the last review."
SVG_OPEN = (
    '<figure class="briefing-graph"><div class="briefing-graph__scroll">'
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
    'aria-labelledby="graph-title graph-desc"><title id="graph-title">{title}</title>'
    '<desc id="graph-desc">{desc}</desc>'
)
SVG_EDGE = '<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" class="edge"/>'
SVG_NODE = (
    '<a href="{href}" class="node node--{kind}"><title>{label}</title>'
    '<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}"/>'
    '<text x="{tx:.1f}" y="{ty:.1f}" text-anchor="{anchor}">{text}</text></a>'
)
SVG_CLOSE = "</svg></div><figcaption>{caption}</figcaption></figure>\n"
MARK_OPEN_ISSUES = "<!-- briefing:open-issues -->"
MARK_LATEST_EVENTS = "<!-- briefing:latest-events -->"

# --- links ----------------------------------------------------------------------------------


def md_link(from_path: str, to_path: str, label: str, anchor: str | None = None) -> str:
    rel = posixpath.relpath(to_path, posixpath.dirname(from_path) or ".")
    label = label.replace("[", "\\[").replace("]", "\\]")
    return f"[{label}]({rel}{'#' + anchor if anchor else ''})"


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


def url_rel(from_path: str, to_path: str, use_directory_urls: bool = True) -> str:
    """Relative URL from one page to another in the built site."""
    a, b = page_url(from_path, use_directory_urls), page_url(to_path, use_directory_urls)
    base = a if (a == "" or a.endswith("/")) else posixpath.dirname(a) + "/"
    rel = posixpath.relpath("/" + b, "/" + base)
    if b == "" or b.endswith("/"):
        rel = "./" if rel == "." else rel + "/"
    return rel


def rewrite_wikilinks(markdown: str, site: Site, page_path: str) -> str:
    """Turn [[id]], [[id|label]], [[id#anchor]] and [[id#anchor|label]] into ordinary Markdown links."""
    out = []
    last = 0
    for link in iter_wikilinks(markdown):
        target = site.entities.get(link.target)
        if target is None:
            continue  # reported by the checks; left as text
        out.append(markdown[last : link.start])
        out.append(md_link(page_path, target.path, (link.label or target.name).strip(), link.anchor))
        last = link.end
    out.append(markdown[last:])
    return "".join(out)


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


# --- per page -------------------------------------------------------------------------------


def render_review_notice(site: Site, e: Entity, today: date) -> str:
    if e.last_reviewed is None:
        return ""
    due = site.review_by(e)
    newer = events_since_review(site, e)
    since = SINCE.format(n=len(newer), s="s" if len(newer) != 1 else "") if newer else ""
    reviewed = e.last_reviewed.value.human()
    due_h = PDate(due.isoformat(), due, due).human() if due else "unknown"
    if (due is not None and due < today) or newer:
        return NOTICE_OVERDUE.format(reviewed=reviewed, due=due_h, since=since)
    return NOTICE_OK.format(reviewed=reviewed, due=due_h)


def _names(site: Site, from_path: str, refs) -> str:
    links = []
    for r in refs:
        t = site.entities.get(r.target)
        if t is not None:
            links.append(md_link(from_path, t.path, t.name))
    return ", ".join(links)


def render_infobox(site: Site, e: Entity) -> str:
    rows: list[tuple[str, str]] = []
    p = e.path
    reviewed = e.last_reviewed.value if e.last_reviewed else None
    if isinstance(e, Actor):
        rows.append(("Kind", e.kind))
        if e.native_name:
            rows.append(("Native name", f'<span lang="zh">{html.escape(e.native_name)}</span>'
                         if any(ord(c) > 0x2E80 for c in e.native_name) else html.escape(e.native_name)))
        if e.aliases:
            rows.append(("Also written", ", ".join(e.aliases)))
        for label, d in (("Born", e.born), ("Died", e.died), ("Founded", e.founded), ("Dissolved", e.dissolved)):
            if d:
                rows.append((label, d.value.human()))
        for role in e.roles:
            srcs = ", ".join(md_link(p, site.entities[r.target].path, str(i + 1))
                             for i, r in enumerate(role.sources) if r.target in site.entities)
            rows.append(("Office", f"{role.title}, {tenure(role, reviewed)}" + (f" (sources: {srcs})" if srcs
                                                                                   else "")))
    elif isinstance(e, Issue):
        status = e.status + (f" on {e.resolved.value.human()}" if e.resolved else "")
        rows.append(("Status", status))
        if e.started:
            rows.append(("Started", e.started.value.human()))
        if e.actors:
            rows.append(("Actors", _names(site, p, e.actors)))
        if e.related:
            rows.append(("Related issues", _names(site, p, e.related)))
    elif isinstance(e, Event):
        when = e.date.value.human() if e.date else "unknown"
        if e.end:
            when += f" – {e.end.value.human()}"
        rows.append(("Date", when))
        if e.announced:
            rows.append(("Announced", e.announced.value.human()))
        if e.place:
            rows.append(("Place", e.place))
        if e.actors:
            roles = {ref.target: rid for ref, rid, _ in e.roles}
            parts = []
            for r in e.actors:
                t = site.entities.get(r.target)
                if t is None:
                    continue
                role = next((x for x in getattr(t, "roles", ()) if x.id == roles.get(r.target)), None)
                parts.append(md_link(p, t.path, t.name) + (f" ({role.title})" if role else ""))
            rows.append(("Actors", ", ".join(parts)))
        if e.issues:
            rows.append(("Issues", _names(site, p, e.issues)))
        if e.resolves:
            rows.append(("Resolves", _names(site, p, e.resolves)))
        rows.append(("Sources", _names(site, p, e.sources)))
    elif isinstance(e, Source):
        rows.append(("Publisher", e.publisher))
        rows.append(("Published", e.published.value.human() if e.published else
                     "unknown (no publication date was found for this document)"))
        rows.append(("Address", f"<{e.url}>"))
        if e.archived:
            rows.append(("Archived copy", f"<{e.archived}>"))
        if e.accessed:
            rows.append(("Read on", e.accessed.value.human()))
        rows.append(("Kind", "primary (the actor's own statement or document)" if e.kind == "primary"
                     else "secondary (reporting or reference)"))
    if e.summary and not isinstance(e, Source):
        rows.insert(0, ("Summary", e.summary))
    return INFOBOX.format(rows="\n".join(ROW.format(label=k, value=v) for k, v in rows))


def _event_line(site: Site, from_path: str, ev: Event, with_links: bool = True) -> str:
    when = ev.date.value.human() if ev.date else "undated"
    line = f"- **{when}**: {md_link(from_path, ev.path, ev.name)}"
    if with_links:
        actors = _names(site, from_path, ev.actors)
        issues = _names(site, from_path, ev.issues)
        if actors:
            line += f"<br>Actors: {actors}"
        if issues:
            line += f"<br>Issues: {issues}"
    return line


def render_sections(site: Site, e: Entity) -> str:
    """Typed backlinks and the entity's own timeline, appended to its page."""
    p = e.path
    out: list[str] = []
    events = site.events_of(e.id)
    if isinstance(e, (Actor, Issue)) and events:
        out.append("## Timeline\n")
        out += [_event_line(site, p, ev, with_links=False) for ev in events]
    if isinstance(e, Source):
        out.append("## Cited as source in\n")
        citing = [ev for ev in events]
        citing_pages = [pg for pg in site.referrers(e.id) if pg.type != "event"]
        out += [_event_line(site, p, ev, with_links=False) for ev in citing]
        out += [f"- {md_link(p, pg.path, pg.title)}" for pg in citing_pages]
        if not citing and not citing_pages:
            out.append("No page cites this source.")
    if isinstance(e, Actor):
        issues = [i for i in site.of_type(Issue) if any(r.target == e.id for r in i.actors)]
        issues += [site.entities[r.target] for ev in events for r in ev.issues
                   if r.target in site.entities and site.entities[r.target] not in issues]
        if issues:
            out.append("\n## Issues\n")
            out += [f"- {md_link(p, i.path, i.name)} ({i.status})" for i in sorted(set(issues),
                                                                                     key=lambda i: i.name)]
    if isinstance(e, Issue):
        involved = {r.target for r in e.actors} | {r.target for ev in events for r in ev.actors}
        actors = sorted((site.entities[a] for a in involved if a in site.entities), key=lambda a: a.name)
        if actors:
            out.append("\n## Actors\n")
            out += [f"- {md_link(p, a.path, a.name)}" for a in actors]
    others = [pg for pg in site.referrers(e.id) if pg.type not in ("event",) and not isinstance(e, Source)]
    if others:
        out.append("\n## What links here\n")
        out += [f"- {md_link(p, pg.path, pg.title)}" for pg in sorted(others, key=lambda x: x.path)]
    return ("\n\n" + "\n".join(out) + "\n") if out else ""


def insert_after_title(markdown: str, block: str) -> str:
    lines = markdown.split("\n")
    for i, line in enumerate(lines):
        if line.startswith("# "):
            return "\n".join(lines[: i + 1] + ["", block] + lines[i + 1 :])
    return block + "\n" + markdown


def render_entity_page(site: Site, e: Entity, markdown: str, today: date) -> str:
    body = rewrite_wikilinks(markdown, site, e.path)
    top = render_review_notice(site, e, today) + "\n" + render_infobox(site, e)
    return insert_after_title(body, top) + render_sections(site, e)


# --- generated pages ------------------------------------------------------------------------

KIND_HEADINGS = {"state": "States", "organization": "Organizations", "group": "Groups", "person": "People"}


def render_section_index(site: Site, kind: str) -> str:
    path = f"{FOLDERS[kind]}/index.md"
    if kind == "actor":
        out = ["# Actors\n", "People, states, organizations and groups in Canada–China relations.\n"]
        groups: dict[str, list[Actor]] = defaultdict(list)
        for a in site.of_type(Actor):
            groups[a.kind].append(a)
        for k in ("state", "person", "organization", "group"):
            if groups[k]:
                out.append(f"\n## {KIND_HEADINGS[k]}\n")
                out += [f"- {md_link(path, a.path, a.name)}: {a.summary}" for a in sorted(groups[k],
                                                                                           key=lambda a: a.name)]
        return "\n".join(out) + "\n"
    if kind == "issue":
        out = ["# Issues\n", "The contested questions between Canada and China, with their status.\n"]
        for status in ("active", "dormant", "resolved"):
            items = sorted((i for i in site.of_type(Issue) if i.status == status), key=lambda i: i.name)
            if items:
                out.append(f"\n## {status.capitalize()}\n")
                out += [f"- {md_link(path, i.path, i.name)}: {i.summary}" for i in items]
        return "\n".join(out) + "\n"
    if kind == "event":
        years = _years(site)
        out = ["# Events\n", "Every dated event, by year. Each year's page lists its events in order.\n"]
        out += [f"- {md_link(path, f'timeline/{y}.md', str(y))}: {n} event{'s' if n != 1 else ''}"
                for y, n in sorted(years.items(), reverse=True)]
        return "\n".join(out) + "\n"
    out = ["# Sources\n", "Every cited document, by publisher. Each page gives the original address and the "
           "events that cite it.\n"]
    by_pub: dict[str, list[Source]] = defaultdict(list)
    for s in site.of_type(Source):
        by_pub[s.publisher].append(s)
    for pub in sorted(by_pub, key=str.lower):
        out.append(f"\n## {pub}\n")
        for s in sorted(by_pub[pub], key=lambda s: (s.published.value.first if s.published else date.min, s.id)):
            when = s.published.value.human() if s.published else "date unknown"
            out.append(f"- {md_link(path, s.path, s.name)} ({when})")
    return "\n".join(out) + "\n"


def _years(site: Site) -> dict[int, int]:
    years: dict[int, int] = defaultdict(int)
    for ev in site.of_type(Event):
        if ev.date:
            years[ev.date.value.first.year] += 1
    return years


def render_timeline_index(site: Site) -> str:
    out = ["# Timeline\n", "Events in Canada–China relations, one page per year, oldest first within each year. "
           "Dates are given at the precision the record allows (day, month or year).\n"]
    for y, n in sorted(_years(site).items()):
        out.append(f"- {md_link('timeline/index.md', f'timeline/{y}.md', str(y))}: "
                   f"{n} event{'s' if n != 1 else ''}")
    return "\n".join(out) + "\n"


def render_timeline_year(site: Site, year: int) -> str:
    path = f"timeline/{year}.md"
    events = sorted((ev for ev in site.of_type(Event) if ev.date and ev.date.value.first.year == year),
                    key=event_key)
    years = sorted(_years(site))
    i = years.index(year)
    nav = []
    if i > 0:
        nav.append(md_link(path, f"timeline/{years[i - 1]}.md", f"← {years[i - 1]}"))
    nav.append(md_link(path, "timeline/index.md", "All years"))
    if i + 1 < len(years):
        nav.append(md_link(path, f"timeline/{years[i + 1]}.md", f"{years[i + 1]} →"))
    out = [f"# {year}\n", " · ".join(nav) + "\n"]
    out += [_event_line(site, path, ev) for ev in events]
    return "\n".join(out) + "\n"


def render_needs_review(site: Site, today: date) -> str:
    rows = []
    for e in site.entities.values():
        due = site.review_by(e)
        newer = events_since_review(site, e)
        if (due is not None and due < today) or newer:
            rows.append((e.last_reviewed.value.first, e, due, newer))
    rows.sort(key=lambda r: (r[0], r[1].id))
    out = ["# Needs review\n", f"Pages whose review is overdue or that are older than their newest event, as of "
           f"{PDate(today.isoformat(), today, today).human()}, oldest review first.\n"]
    if not rows:
        out.append("Every page is within its review interval, and none predates its newest event.")
    else:
        out.append("| Page | Type | Last reviewed | Review due | Events since review |")
        out.append("|---|---|---|---|---|")
        for _, e, due, newer in rows:
            due_h = PDate(due.isoformat(), due, due).human() if due else "unknown"
            mark = " (overdue)" if due is not None and due < today else ""
            out.append(f"| {md_link('needs-review.md', e.path, e.name)} | {e.type} | "
                       f"{e.last_reviewed.value.human()} | {due_h}{mark} | {len(newer)} |")
    return "\n".join(out) + "\n"


def render_home_blocks(site: Site, markdown: str, latest: int = 8) -> str:
    path = "index.md"
    if MARK_OPEN_ISSUES in markdown:
        issues = sorted((i for i in site.of_type(Issue) if i.status != "resolved"), key=lambda i: i.name)
        block = "\n".join(f"- {md_link(path, i.path, i.name)} ({i.status}): {i.summary}" for i in issues)
        markdown = markdown.replace(MARK_OPEN_ISSUES, block or "No open issues.")
    if MARK_LATEST_EVENTS in markdown:
        events = sorted(site.of_type(Event), key=event_key, reverse=True)[:latest]
        block = "\n".join(_event_line(site, path, ev, with_links=False) for ev in events)
        markdown = markdown.replace(MARK_LATEST_EVENTS, block or "No events yet.")
    return markdown


def render_graph_page(site: Site, use_directory_urls: bool = True) -> str:
    """Actors and issues as a static SVG (every node a link), with a table as its text alternative."""
    path = "graph.md"
    issues = sorted(site.of_type(Issue), key=lambda i: i.name)
    edges: dict[tuple[str, str], int] = defaultdict(int)
    for i in issues:
        for r in i.actors:
            edges[(r.target, i.id)] += 1
    for ev in site.of_type(Event):
        for ir in ev.issues:
            for ar in ev.actors:
                edges[(ar.target, ir.target)] += 1
    edges = {k: v for k, v in edges.items() if k[0] in site.entities and k[1] in site.entities}
    actor_ids = sorted({a for a, _ in edges}, key=lambda a: site.entities[a].name)
    w = h = 920
    cx = cy = h / 2
    pos: dict[str, tuple[float, float, float]] = {}
    for n, i in enumerate(issues):
        ang = 2 * math.pi * n / max(len(issues), 1) - math.pi / 2
        pos[i.id] = (cx + 170 * math.cos(ang), cy + 170 * math.sin(ang), ang)
    for n, a in enumerate(actor_ids):
        ang = 2 * math.pi * n / max(len(actor_ids), 1) - math.pi / 2
        pos[a] = (cx + 330 * math.cos(ang), cy + 330 * math.sin(ang), ang)
    parts = [SVG_OPEN.format(w=w, h=h, title="Relationship graph of actors and issues",
                             desc=f"{len(issues)} issues in the inner ring, {len(actor_ids)} actors in the outer "
                                  "ring; a line joins an actor to each issue it is involved in. The table below "
                                  "gives the same information.")]
    for (a, i) in sorted(edges):
        x1, y1, _ = pos[a]
        x2, y2, _ = pos[i]
        parts.append(SVG_EDGE.format(x1=x1, y1=y1, x2=x2, y2=y2))
    for nid, (x, y, ang) in sorted(pos.items()):
        e = site.entities[nid]
        outer = isinstance(e, Actor)
        right = math.cos(ang) >= 0
        tx = x + (10 if right else -10) if outer else x
        ty = y + 4 if outer else y - 12
        anchor = ("start" if right else "end") if outer else "middle"
        label = e.name if len(e.name) <= 28 else e.name[:26] + "…"
        parts.append(SVG_NODE.format(href=html.escape(url_rel(path, e.path, use_directory_urls)),
                                     kind=e.type, label=html.escape(f"{e.name} ({e.type})"), x=x, y=y,
                                     r=9 if not outer else 6, tx=tx, ty=ty, anchor=anchor,
                                     text=html.escape(label)))
    parts.append(SVG_CLOSE.format(caption="Issues (larger dots, inner ring) and the actors involved in them "
                                          "(outer ring). Select a name to open its page."))
    out = ["# Relationship graph\n", "Who is involved in which issue, derived from the issues' actors and from "
           "every event's actors and issues.\n", "".join(parts), "\n## The same information as a table\n",
           "| Issue | Status | Actors involved (number of events or listings) |", "|---|---|---|"]
    for i in issues:
        names = sorted(((site.entities[a].name, a, n) for (a, iss), n in edges.items() if iss == i.id))
        cells = ", ".join(f"{md_link(path, site.entities[a].path, nm)} ({n})" for nm, a, n in names)
        out.append(f"| {md_link(path, i.path, i.name)} | {i.status} | {cells} |")
    return "\n".join(out) + "\n"


