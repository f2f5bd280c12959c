"""Pure render_* functions: Site -> Markdown/HTML strings for infoboxes, notices, timelines, lists and the graph.

Markup lives in the constants at the top of this module. Links in Markdown are written as relative `.md` paths so
that MkDocs validates and rewrites them; links inside raw HTML (the SVG graph) are written as final URLs.
"""

from __future__ import annotations

import html
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
# Node links use xlink:href, not href: Material's instant navigation rewrites every [href] in the page as
# `el.href = el.href`, which throws on an SVG <a> (its href is read-only) and stops the page's scripts.
# No role="img" on the <svg>: an image cannot contain links (axe: nested-interactive).
SVG_OPEN = (
    '<figure class="briefing-graph"><div class="briefing-graph__scroll">'
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 {w} {h}" '
    'width="{w}" height="{h}" aria-labelledby="graph-title" aria-describedby="graph-desc">'
    '<title id="graph-title">{title}</title><desc id="graph-desc">{desc}</desc>'
)
SVG_EDGE = '<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" class="edge"/>'
SVG_NODE = (
    '<a xlink:href="{href}" class="node node--{kind}"><title>{label}</title>'
    '<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}"/>'
    '<text x="{tx:.1f}" y="{ty:.1f}" text-anchor="{anchor}">{text}</text></a>'
)
SVG_ISSUE = (
    '<a xlink:href="{href}" class="node node--issue node--{status}"><title>{label}</title>'
    '<rect x="{x:.1f}" y="{y:.1f}" width="{w}" height="{h}" rx="6"/>'
    '<text x="{tx:.1f}" y="{ty:.1f}" text-anchor="middle">{lines}</text></a>'
)
SVG_TSPAN = '<tspan x="{x:.1f}" dy="{dy}">{text}</tspan>'
SVG_CLOSE = "</svg></div><figcaption>{caption}</figcaption></figure>\n"
MARK_OPEN_ISSUES = "<!-- briefing:open-issues -->"
MARK_LATEST_EVENTS = "<!-- briefing:latest-events -->"

# --- links ----------------------------------------------------------------------------------


def text(value: str) -> str:
    """Front-matter text made inert in Markdown: no raw HTML, no link syntax."""
    return html.escape(value, quote=False).replace("[", "\\[").replace("]", "\\]")


def md_link(from_path: str, to_path: str, label: str, anchor: str | None = None) -> str:
    rel = posixpath.relpath(to_path, posixpath.dirname(from_path) or ".")
    label = text(label)
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


def display_name(e: Entity) -> str:
    """The name a link shows: a source also names its publisher ('Marc Garneau (Wikipedia)')."""
    if isinstance(e, Source) and e.publisher and e.publisher not in e.name:
        return f"{e.name} ({e.publisher})"
    return e.name


def rewrite_wikilinks(markdown: str, site: Site, page_path: str) -> str:
    """Turn [[id]], [[id|label]], [[id#anchor]] and [[id#anchor|label]] into ordinary Markdown links."""
    out = []
    last = 0
    for link in iter_wikilinks(markdown):
        target = site.entities.get(link.target)
        if target is None:
            continue  # reported by the checks; left as text
        out.append(markdown[last : link.start])
        out.append(md_link(page_path, target.path, (link.label or display_name(target)).strip(), link.anchor))
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
            links.append(md_link(from_path, t.path, display_name(t)))
    return ", ".join(links)


def render_infobox(site: Site, e: Entity) -> str:
    rows: list[tuple[str, str]] = []
    p = e.path
    reviewed = e.last_reviewed.value if e.last_reviewed else None
    if isinstance(e, Actor):
        rows.append(("Kind", text(e.kind)))
        if e.native_name:
            rows.append(
                (
                    "Native name",
                    f'<span lang="zh">{html.escape(e.native_name)}</span>'
                    if any(ord(c) > 0x2E80 for c in e.native_name)
                    else html.escape(e.native_name),
                )
            )
        if e.aliases:
            rows.append(("Also written", text(", ".join(e.aliases))))
        for label, d in (
            ("Born", e.born),
            ("Died", e.died),
            ("Founded", e.founded),
            ("Dissolved", e.dissolved),
        ):
            if d:
                rows.append((label, d.value.human()))
        for role in e.roles:
            srcs = ", ".join(
                md_link(p, site.entities[r.target].path, str(i + 1))
                for i, r in enumerate(role.sources)
                if r.target in site.entities
            )
            rows.append(
                (
                    "Office",
                    f"{text(role.title)}, {tenure(role, reviewed)}" + (f" (sources: {srcs})" if srcs else ""),
                )
            )
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
            rows.append(("Place", text(e.place)))
        if e.actors:
            roles = {ref.target: rid for ref, rid, _ in e.roles}
            parts = []
            for r in e.actors:
                t = site.entities.get(r.target)
                if t is None:
                    continue
                role = next((x for x in getattr(t, "roles", ()) if x.id == roles.get(r.target)), None)
                parts.append(md_link(p, t.path, t.name) + (f" ({text(role.title)})" if role else ""))
            rows.append(("Actors", ", ".join(parts)))
        if e.issues:
            rows.append(("Issues", _names(site, p, e.issues)))
        if e.resolves:
            rows.append(("Resolves", _names(site, p, e.resolves)))
        rows.append(("Sources", _names(site, p, e.sources)))
    elif isinstance(e, Source):
        rows.append(("Publisher", text(e.publisher)))
        rows.append(
            (
                "Published",
                e.published.value.human()
                if e.published
                else "unknown (no publication date was found for this document)",
            )
        )
        rows.append(("Address", f"<{e.url}>"))
        if e.archived:
            rows.append(("Archived copy", f"<{e.archived}>"))
        rows.append(("Read on", e.accessed.value.human() if e.accessed else "not recorded"))
        rows.append(
            (
                "Kind",
                "primary (the actor's own statement or document)"
                if e.kind == "primary"
                else "secondary (reporting or reference)",
            )
        )
    if e.summary and not isinstance(e, Source):
        rows.insert(0, ("Summary", text(e.summary)))
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


MAX_LIST = 50  # longest backlink list on one page: pages stay bounded as the site grows
MORE = "- … and {n} more: see the [timeline]({timeline}) for every event."
MORE_PAGES = "- … and {n} more pages."


def _capped_events(site: Site, p: str, events: list[Event]) -> list[str]:
    """The newest MAX_LIST events, oldest first, and a pointer to the timeline for the rest."""
    shown = events[-MAX_LIST:]
    lines = [_event_line(site, p, ev, with_links=False) for ev in shown]
    if len(events) > len(shown):
        rel = posixpath.relpath("timeline/index.md", posixpath.dirname(p) or ".")
        lines.insert(0, MORE.format(n=len(events) - len(shown), timeline=rel))
    return lines


def _capped_pages(p: str, pages: list) -> list[str]:
    lines = [f"- {md_link(p, pg.path, pg.title)}" for pg in pages[:MAX_LIST]]
    if len(pages) > MAX_LIST:
        lines.append(MORE_PAGES.format(n=len(pages) - MAX_LIST))
    return lines


def render_sections(site: Site, e: Entity) -> str:
    """Typed backlinks and the entity's own timeline, appended to its page."""
    p = e.path
    out: list[str] = []
    events = site.events_of(e.id)
    referrers = site.referrers(e.id)
    if isinstance(e, (Actor, Issue)) and events:
        out.append("## Timeline\n")
        out += _capped_events(site, p, events)
    if isinstance(e, Source):
        out.append("## Cited as source in\n")
        citing_pages = [pg for pg in referrers if pg.type != "event"]
        out += _capped_events(site, p, events)
        out += _capped_pages(p, citing_pages)
        if not events and not citing_pages:
            out.append("No page cites this source.")
    if isinstance(e, Actor):
        issue_ids = {pg.id for pg in referrers if pg.type == "issue"}
        issue_ids |= {r.target for ev in events for r in ev.issues}
        issues = sorted(
            (i for i in map(site.entities.get, issue_ids) if isinstance(i, Issue)), key=lambda i: i.name
        )
        if issues:
            out.append("\n## Issues\n")
            out += [f"- {md_link(p, i.path, i.name)} ({i.status})" for i in issues]
    if isinstance(e, Issue):
        involved = {r.target for r in e.actors} | {r.target for ev in events for r in ev.actors}
        actors = sorted((site.entities[a] for a in involved if a in site.entities), key=lambda a: a.name)
        if actors:
            out.append("\n## Actors\n")
            out += [f"- {md_link(p, a.path, a.name)}" for a in actors]
    others = [pg for pg in referrers if pg.type != "event" and not isinstance(e, Source)]
    if others:
        out.append("\n## What links here\n")
        out += _capped_pages(p, sorted(others, key=lambda x: x.path))
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
                out += [
                    f"- {md_link(path, a.path, a.name)}: {text(a.summary)}"
                    for a in sorted(groups[k], key=lambda a: a.name)
                ]
        return "\n".join(out) + "\n"
    if kind == "issue":
        out = ["# Issues\n", "The contested questions between Canada and China, with their status.\n"]
        for status in ("active", "dormant", "resolved"):
            items = sorted((i for i in site.of_type(Issue) if i.status == status), key=lambda i: i.name)
            if items:
                out.append(f"\n## {status.capitalize()}\n")
                out += [f"- {md_link(path, i.path, i.name)}: {text(i.summary)}" for i in items]
        return "\n".join(out) + "\n"
    if kind == "event":
        years = _years(site)
        out = ["# Events\n", "Every dated event, by year. Each year's page lists its events in order.\n"]
        out += [
            f"- {md_link(path, f'timeline/{y}.md', str(y))}: {n} event{'s' if n != 1 else ''}"
            for y, n in sorted(years.items(), reverse=True)
        ]
        return "\n".join(out) + "\n"
    out = [
        "# Sources\n",
        "Every cited document, by publisher. Each page gives the original address and the "
        "events that cite it.\n",
    ]
    by_pub: dict[str, list[Source]] = defaultdict(list)
    for s in site.of_type(Source):
        by_pub[s.publisher].append(s)
    for pub in sorted(by_pub, key=str.lower):
        out.append(f"\n## {text(pub)}\n")
        for s in sorted(
            by_pub[pub], key=lambda s: (s.published.value.first if s.published else date.min, s.id)
        ):
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
    out = [
        "# Timeline\n",
        "Events in Canada–China relations, one page per year, oldest first within each year. "
        "Dates are given at the precision the record allows (day, month or year).\n",
    ]
    for y, n in sorted(_years(site).items()):
        out.append(
            f"- {md_link('timeline/index.md', f'timeline/{y}.md', str(y))}: {n} event{'s' if n != 1 else ''}"
        )
    return "\n".join(out) + "\n"


def render_timeline_year(site: Site, year: int) -> str:
    path = f"timeline/{year}.md"
    events = sorted(
        (ev for ev in site.of_type(Event) if ev.date and ev.date.value.first.year == year), key=event_key
    )
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
    out = [
        "# Needs review\n",
        f"Pages whose review is overdue or that are older than their newest event, as of "
        f"{PDate(today.isoformat(), today, today).human()}, oldest review first.\n",
    ]
    if not rows:
        out.append("Every page is within its review interval, and none predates its newest event.")
    else:
        out.append("| Page | Type | Last reviewed | Review due | Events since review |")
        out.append("|---|---|---|---|---|")
        for _, e, due, newer in rows:
            due_h = PDate(due.isoformat(), due, due).human() if due else "unknown"
            mark = " (overdue)" if due is not None and due < today else ""
            out.append(
                f"| {md_link('needs-review.md', e.path, e.name)} | {e.type} | "
                f"{e.last_reviewed.value.human()} | {due_h}{mark} | {len(newer)} |"
            )
    return "\n".join(out) + "\n"


def render_home_blocks(site: Site, markdown: str, latest: int = 8) -> str:
    path = "index.md"
    if MARK_OPEN_ISSUES in markdown:
        issues = sorted((i for i in site.of_type(Issue) if i.status != "resolved"), key=lambda i: i.name)
        block = "\n".join(
            f"- {md_link(path, i.path, i.name)} ({i.status}): {text(i.summary)}" for i in issues
        )
        markdown = markdown.replace(MARK_OPEN_ISSUES, block or "No open issues.")
    if MARK_LATEST_EVENTS in markdown:
        events = sorted(site.of_type(Event), key=event_key, reverse=True)[:latest]
        block = "\n".join(_event_line(site, path, ev, with_links=False) for ev in events)
        markdown = markdown.replace(MARK_LATEST_EVENTS, block or "No events yet.")
    return markdown


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _wrap(text: str, n: int, lines: int = 2) -> list[str]:
    """Greedy word wrap into at most `lines` lines of at most `n` characters (the last one clipped)."""
    out: list[str] = []
    rest = text.split()
    while rest and len(out) < lines:
        line = rest.pop(0)
        while rest and len(line) + 1 + len(rest[0]) <= n:
            line += " " + rest.pop(0)
        out.append(line)
    if rest:
        out[-1] = _clip(out[-1] + " " + " ".join(rest), n)
    return [_clip(x, n) for x in out]


# Graph geometry, in SVG units (CSS pixels when the graph is not scaled): 13px labels (briefing.css), actor
# names clipped to fit their column, issue names wrapped on two lines inside their box. The graph is 718 wide,
# about the width of Material's content column on a desktop screen, so it is drawn at nearly full size there;
# on a phone it keeps that size and scrolls sideways inside its own box.
G_LABEL = 180  # width of an actor-name column
G_GAP = 50  # room for the lines between the actor dots and the issue boxes
G_BOX_W, G_BOX_H = 214, 36
G_ROW = 24  # vertical distance between two actors in a column
G_ISSUE_ROW = 46  # minimum vertical distance between two issues
G_MARGIN = 12


def render_graph_page(site: Site, use_directory_urls: bool = True) -> str:
    """Actors and issues as a static SVG (every node a link), with a table as its text alternative.

    Layout: issues in a centre column, actors in a column on each side, each joined by a line to the issues it
    is involved in. Actors are ordered by the mean position of their issues (and dealt to the two sides in
    turn), which keeps most lines short and near-horizontal. Rows never share a height, so no label overlaps
    another."""
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
    issue_rank = {i.id: n for n, i in enumerate(issues)}
    mine: dict[str, list[int]] = defaultdict(list)
    for a, i in edges:
        if i in issue_rank:
            mine[a].append(issue_rank[i])
    actor_ids = sorted(mine, key=lambda a: (sum(mine[a]) / len(mine[a]), site.entities[a].name))
    left, right = actor_ids[0::2], actor_ids[1::2]
    rows = max(len(left), 1)
    col_h = max(rows * G_ROW, len(issues) * G_ISSUE_ROW, 2 * G_ISSUE_ROW)
    w = 2 * (G_MARGIN + G_LABEL + 10 + G_GAP) + G_BOX_W
    h = col_h + 2 * G_MARGIN
    x_left = G_MARGIN + G_LABEL + 10
    x_box = x_left + G_GAP
    x_right = x_box + G_BOX_W + G_GAP
    pos: dict[str, tuple[float, float]] = {}
    for column, x in ((left, x_left), (right, x_right)):
        step = col_h / max(len(column), 1)
        for n, a in enumerate(column):
            pos[a] = (x, G_MARGIN + step * (n + 0.5))
    step = col_h / max(len(issues), 1)
    for n, i in enumerate(issues):
        pos[i.id] = (x_box, G_MARGIN + step * (n + 0.5))
    parts = [
        SVG_OPEN.format(
            w=w,
            h=round(h),
            title="Relationship graph of actors and issues",
            desc=f"{len(issues)} issue{'s' if len(issues) != 1 else ''} in the centre column, "
            f"{len(actor_ids)} actor{'s' if len(actor_ids) != 1 else ''} in the columns on "
            "either side; a line joins an actor to each issue it is involved in. The table "
            "below gives the same information.",
        )
    ]
    for a, i in sorted(edges):
        if a not in pos or i not in pos:
            continue
        x1, y1 = pos[a]
        _, y2 = pos[i]
        x2 = x_box if x1 < x_box else x_box + G_BOX_W
        parts.append(SVG_EDGE.format(x1=x1, y1=y1, x2=x2, y2=y2))
    for i in issues:
        href = html.escape(url_rel(path, i.path, use_directory_urls))
        _, y = pos[i.id]
        lines = _wrap(i.name, 28)
        cx = x_box + G_BOX_W / 2
        first = y - (len(lines) - 1) * 7.5 + 4.5
        spans = "".join(
            SVG_TSPAN.format(x=cx, dy="0" if n == 0 else "15", text=html.escape(t))
            for n, t in enumerate(lines)
        )
        parts.append(
            SVG_ISSUE.format(
                href=href,
                status=html.escape(i.status),
                label=html.escape(f"{i.name} (issue)"),
                x=x_box,
                y=y - G_BOX_H / 2,
                w=G_BOX_W,
                h=G_BOX_H,
                tx=cx,
                ty=first,
                lines=spans,
            )
        )
    for a in actor_ids:
        e = site.entities[a]
        x, y = pos[a]
        on_left = x < x_box
        parts.append(
            SVG_NODE.format(
                href=html.escape(url_rel(path, e.path, use_directory_urls)),
                kind=e.type,
                label=html.escape(f"{e.name} ({e.type})"),
                x=x,
                y=y,
                r=5,
                tx=x - 9 if on_left else x + 9,
                ty=y + 4.5,
                anchor="end" if on_left else "start",
                text=html.escape(_clip(e.name, 27)),
            )
        )
    parts.append(
        SVG_CLOSE.format(
            caption="Issues (boxes, centre) and the actors involved in them (dots, left and "
            "right); a dashed box marks a resolved issue. Select a name to open "
            "its page; the table below gives the same links with full names."
        )
    )
    out = [
        "# Relationship graph\n",
        "Who is involved in which issue, derived from the issues' actors and from "
        "every event's actors and issues.\n",
        "".join(parts),
        "\n## The same information as a table\n",
        "| Issue | Status | Actors involved (number of events or listings) |",
        "|---|---|---|",
    ]
    for i in issues:
        names = sorted(((site.entities[a].name, a, n) for (a, iss), n in edges.items() if iss == i.id))
        cells = ", ".join(f"{md_link(path, site.entities[a].path, nm)} ({n})" for nm, a, n in names)
        out.append(f"| {md_link(path, i.path, i.name)} | {i.status} | {cells} |")
    return "\n".join(out) + "\n"
