"""Pure render_* functions: Site -> finished HTML for infoboxes, notices, timelines, backlinks, generated pages
and the graph.

What the hooks add to a page is written here as HTML with final relative URLs, not as Markdown: MkDocs only
copies it into the page, and Python-Markdown never parses it. (Rendering the same content as Markdown more than
doubled the build time of a large site: CONTRIBUTING.md, Performance.) Only the contributors' own text goes through
Markdown: a `[[id]]` in it becomes an HTML link to a page the checks have verified.

Every front-matter string is escaped with `esc` before it reaches the HTML. A list section is a `Block`: an
optional `<h2>` title and its HTML; `assemble` gives the titles ids that do not collide with the page's own.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from datetime import date

from .checks import events_since_review
from .model import FOLDERS, Actor, Entity, Event, Issue, PDate, Site, Source, event_key
from .text import iter_wikilinks, slugify

esc = html.escape
Block = tuple[str | None, str]  # (an <h2> title or None, the HTML under it)

# --- markup ---------------------------------------------------------------------------------

INFOBOX = '<aside class="infobox" aria-label="Key facts"><dl>{rows}</dl></aside>\n'
ROW = "<dt>{label}</dt><dd>{value}</dd>"
NOTICE_OK = '<p class="review-notice" role="note">Last reviewed on {reviewed}; next review due {due}.</p>\n'
NOTICE_OVERDUE = (
    '<p class="review-notice review-notice--overdue" role="note"><strong>Last reviewed on {reviewed}; this page '
    "may be out of date.</strong> Its review was due on {due}.{since}</p>\n"
)
SINCE = " {n} event{s} since the last review."
HEADING = '<h2 id="{id}">{title}<a class="headerlink" href="#{id}" title="Permanent link">&para;</a></h2>\n'
MORE = '<li>… and {n} more: see the <a href="{timeline}">timeline</a> for every event.</li>'
MORE_PAGES = "<li>… and {n} more pages.</li>"
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
GRAPH_CUT = (
    '<p class="graph-cut">The site has {n_issues} issues, and {n_actors} actors involved in issues. The graph and '
    "the table show the {issues} issues with the most links to actors, and the {actors} actors most involved in "
    "those. The {issues_index} and {actors_index} pages list them all, and each issue's page gives its actors and "
    "its events.</p>\n"
)
MARK_OPEN_ISSUES = "<!-- briefing:open-issues -->"
MARK_LATEST_EVENTS = "<!-- briefing:latest-events -->"

# --- links ----------------------------------------------------------------------------------


def text(value: str) -> str:
    """Front-matter text made inert in Markdown: no raw HTML, no link syntax."""
    return html.escape(value, quote=False).replace("[", "\\[").replace("]", "\\]")


def md_link(from_path: str, to_path: str, label: str, anchor: str | None = None) -> str:
    """A Markdown link between two docs/ files, for text that Markdown still renders (bodies, the home page)."""
    from_dir = from_path.rsplit("/", 1)[0] if "/" in from_path else ""
    rel = to_path if not from_dir else "../" * (from_dir.count("/") + 1) + to_path
    return f"[{text(label)}]({rel}{'#' + anchor if anchor else ''})"


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


class Linker:
    """Links from one page of the built site: the way up to the site root, then the target's URL."""

    __slots__ = ("prefix", "directory_urls", "links")

    def __init__(self, from_path: str, use_directory_urls: bool = True) -> None:
        self.prefix = "../" * page_url(from_path, use_directory_urls).count("/")
        self.directory_urls = use_directory_urls
        # Links already written from a page at the same depth: every entity page shares one table.
        self.links = _LINKS.setdefault((self.prefix, use_directory_urls), {})

    def url(self, to_path: str) -> str:
        return (self.prefix + page_url(to_path, self.directory_urls)) or "./"

    def a(self, to_path: str, label: str) -> str:
        key = (to_path, label)
        out = self.links.get(key)
        if out is None:
            out = self.links[key] = f'<a href="{esc(self.url(to_path))}">{esc(label)}</a>'
        return out


# (prefix, directory URLs) -> (target path, label) -> link. Holds one entry per link target and label: it grows
# with the site, not with the number of builds (`reset_links` empties it when a build starts).
_LINKS: dict[tuple[str, bool], dict[tuple[str, str], str]] = {}


def reset_links() -> None:
    _LINKS.clear()


def display_name(e: Entity) -> str:
    """The name a link shows: a source also names its publisher ('Marc Garneau (Wikipedia)')."""
    if isinstance(e, Source) and e.publisher and e.publisher not in e.name:
        return f"{e.name} ({e.publisher})"
    return e.name


# A reference in the body becomes a token (private-use characters, which Markdown passes through as plain text)
# and `fill_links` puts its HTML link in place once Markdown is done. Raw HTML in the Markdown would go through
# Python-Markdown's HTML extractor and stash, which was most of what the links cost a build. A page whose own
# text contains those characters gets raw HTML, the old way.
TOKEN_OPEN, TOKEN_CLOSE = "\ue000", "\ue001"
TOKEN_RE = re.compile("\ue000([0-9]+)\ue001")
# A link in a heading stays raw HTML, so that the table of contents and the heading's id see its label.
ATX_RE = re.compile(r"[ ]{0,3}#")
SETEXT_RE = re.compile(r"[ ]{0,3}(?:=+|-+)[ \t]*(?:\n|\Z)")


def _in_heading(markdown: str, offset: int) -> bool:
    """Whether the line at `offset` is a heading: '# ...', or a line underlined with === or --- (setext)."""
    if ATX_RE.match(markdown, markdown.rfind("\n", 0, offset) + 1):
        return True
    end = markdown.find("\n", offset)
    return end != -1 and SETEXT_RE.match(markdown, end + 1) is not None


def rewrite_wikilinks(
    markdown: str,
    site: Site,
    page_path: str,
    use_directory_urls: bool = True,
    links=None,
    shift: int = 0,
    tokens: list[str] | None = None,
) -> str:
    """Turn [[id]], [[id|label]], [[id#anchor]] and [[id#anchor|label]] into HTML links with final URLs.

    Given a `tokens` list, a link outside headings becomes a token (see TOKEN_RE) and its HTML is appended to the
    list for `fill_links`; without one, every link is written as raw HTML. The checks have already verified
    every id and anchor. A label is plain text. `links` are the references if already found (the loader's), at
    offsets `shift` characters later than in `markdown` (MkDocs drops the blank lines that start the body)."""
    if "[[" not in markdown:
        return markdown
    if tokens is not None and (TOKEN_OPEN in markdown or TOKEN_CLOSE in markdown):
        tokens = None  # the page's own text has the token characters: raw HTML, the slower but safe way
    ln = Linker(page_path, use_directory_urls)
    out = []
    last = 0
    for link in iter_wikilinks(markdown) if links is None else links:
        target = site.entities.get(link.target)
        if target is None:
            continue  # reported by the checks; left as text
        start = link.start - shift
        out.append(markdown[last:start])
        label = (link.label or display_name(target)).strip()
        if link.anchor:
            a = f'<a href="{esc(ln.url(target.path) + "#" + link.anchor)}">{esc(label)}</a>'
        else:
            a = ln.a(target.path, label)
        if tokens is not None and not _in_heading(markdown, start):
            out.append(f"{TOKEN_OPEN}{len(tokens)}{TOKEN_CLOSE}")
            tokens.append(a)
        else:
            out.append(a)
        last = link.end - shift
    out.append(markdown[last:])
    return "".join(out)


def fill_links(html_text: str, tokens: list[str]) -> str:
    """Put the HTML links of `rewrite_wikilinks` in place of their tokens in the page's HTML."""
    if not tokens:
        return html_text
    return TOKEN_RE.sub(lambda m: tokens[int(m[1])] if int(m[1]) < len(tokens) else m[0], html_text)


# --- assembling blocks ----------------------------------------------------------------------


def assemble(blocks: list[Block], taken: set[str]) -> tuple[str, list[tuple[str, str]]]:
    """The HTML of a list of blocks, and the (id, escaped title) of each heading for the table of contents.

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
            heads.append((hid, esc(title)))
            out.append(HEADING.format(id=hid, title=esc(title)))
        out.append(body)
    return "".join(out), heads


def ul(items: list[str]) -> str:
    return "<ul>\n" + "\n".join(items) + "\n</ul>\n"


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
    if e.last_reviewed is None:
        return ""
    due = site.review_by(e)
    newer = events_since_review(site, e)
    since = SINCE.format(n=len(newer), s="s" if len(newer) != 1 else "") if newer else ""
    reviewed = e.last_reviewed.value.human()
    due_h = _day(due) if due else "unknown"
    if (due is not None and due < today) or newer:
        return NOTICE_OVERDUE.format(reviewed=reviewed, due=due_h, since=since)
    return NOTICE_OK.format(reviewed=reviewed, due=due_h)


def _names(site: Site, ln: Linker, refs) -> str:
    links = []
    for r in refs:
        t = site.entities.get(r.target)
        if t is not None:
            links.append(ln.a(t.path, display_name(t)))
    return ", ".join(links)


def render_infobox(site: Site, e: Entity, ln: Linker | None = None) -> str:
    """The key facts of an entity as a definition list. Values are HTML; front-matter text is escaped."""
    ln = ln or Linker(e.path)
    rows: list[tuple[str, str]] = []
    reviewed = e.last_reviewed.value if e.last_reviewed else None
    if isinstance(e, Actor):
        rows.append(("Kind", esc(e.kind)))
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
                ln.a(site.entities[r.target].path, str(i + 1))
                for i, r in enumerate(role.sources)
                if r.target in site.entities
            )
            value = f"{esc(role.title)}, {esc(tenure(role, reviewed))}"
            rows.append(("Office", value + (f" (sources: {srcs})" if srcs else "")))
    elif isinstance(e, Issue):
        status = e.status + (f" on {e.resolved.value.human()}" if e.resolved else "")
        rows.append(("Status", esc(status)))
        if e.started:
            rows.append(("Started", e.started.value.human()))
        if e.actors:
            rows.append(("Actors", _names(site, ln, e.actors)))
        if e.related:
            rows.append(("Related issues", _names(site, ln, e.related)))
    elif isinstance(e, Event):
        when = e.date.value.human() if e.date else "unknown"
        if e.end:
            when += f" – {e.end.value.human()}"
        rows.append(("Date", when))
        if e.announced:
            rows.append(("Announced", e.announced.value.human()))
        if e.place:
            rows.append(("Place", esc(e.place)))
        if e.actors:
            roles = {ref.target: rid for ref, rid, _ in e.roles}
            parts = []
            for r in e.actors:
                t = site.entities.get(r.target)
                if t is None:
                    continue
                role = next((x for x in getattr(t, "roles", ()) if x.id == roles.get(r.target)), None)
                parts.append(ln.a(t.path, t.name) + (f" ({esc(role.title)})" if role else ""))
            rows.append(("Actors", ", ".join(parts)))
        if e.issues:
            rows.append(("Issues", _names(site, ln, e.issues)))
        if e.resolves:
            rows.append(("Resolves", _names(site, ln, e.resolves)))
        rows.append(("Sources", _names(site, ln, e.sources)))
    elif isinstance(e, Source):
        rows.append(("Publisher", esc(e.publisher)))
        published = (
            e.published.value.human()
            if e.published
            else "unknown (no publication date was found for this document)"
        )
        rows.append(("Published", published))
        rows.append(("Address", f'<a href="{esc(e.url)}">{esc(e.url)}</a>'))
        if e.archived:
            rows.append(("Archived copy", f'<a href="{esc(e.archived)}">{esc(e.archived)}</a>'))
        rows.append(("Read on", e.accessed.value.human() if e.accessed else "not recorded"))
        kind = (
            "primary (the actor's own statement or document)"
            if e.kind == "primary"
            else "secondary (reporting or reference)"
        )
        rows.append(("Kind", kind))
    if e.summary and not isinstance(e, Source):
        rows.insert(0, ("Summary", esc(e.summary)))
    return INFOBOX.format(rows="".join(ROW.format(label=k, value=v) for k, v in rows))


def render_entity_top(site: Site, e: Entity, today: date, ln: Linker) -> str:
    """What goes under an entity page's title: its review notice and its infobox."""
    return render_review_notice(site, e, today) + render_infobox(site, e, ln)


def render_aka(e: Entity) -> str:
    """An actor's other names, in one line under the title: what readers may search for, so it is indexed."""
    if not isinstance(e, Actor) or not (e.aliases or e.native_name):
        return ""
    parts = []
    if e.aliases:
        parts.append("Also written " + ", ".join(f"<em>{esc(a)}</em>" for a in e.aliases) + ".")
    if e.native_name:
        name = esc(e.native_name)
        if any(ord(c) > 0x2E80 for c in e.native_name):
            name = f'<span lang="zh">{name}</span>'
        parts.append(f"Native name: {name}.")
    return f'<p class="aka">{" ".join(parts)}</p>\n'


def _event_item(site: Site, ln: Linker, ev: Event, with_links: bool = True) -> str:
    when = ev.date.value.human() if ev.date else "undated"
    item = f"<li><strong>{when}</strong>: {ln.a(ev.path, ev.name)}"
    if with_links:
        actors = _names(site, ln, ev.actors)
        issues = _names(site, ln, ev.issues)
        if actors:
            item += f"<br>Actors: {actors}"
        if issues:
            item += f"<br>Issues: {issues}"
    return item + "</li>"


MAX_LIST = 50  # longest backlink list on one page: pages stay bounded as the site grows


def _capped_events(site: Site, ln: Linker, events: list[Event]) -> list[str]:
    """The newest MAX_LIST events, oldest first, and a pointer to the timeline for the rest."""
    shown = events[-MAX_LIST:]
    items = [_event_item(site, ln, ev, with_links=False) for ev in shown]
    if len(events) > len(shown):
        items.insert(0, MORE.format(n=len(events) - len(shown), timeline=esc(ln.url("timeline/index.md"))))
    return items


def _capped_pages(ln: Linker, pages: list) -> list[str]:
    items = [f"<li>{ln.a(pg.path, pg.title)}</li>" for pg in pages[:MAX_LIST]]
    if len(pages) > MAX_LIST:
        items.append(MORE_PAGES.format(n=len(pages) - MAX_LIST))
    return items


def render_sections(site: Site, e: Entity, ln: Linker | None = None) -> list[Block]:
    """Typed backlinks and the entity's own timeline, shown after its text."""
    ln = ln or Linker(e.path)
    out: list[Block] = []
    events = site.events_of(e.id)
    referrers = site.referrers(e.id)
    if isinstance(e, (Actor, Issue)) and events:
        out.append(("Timeline", ul(_capped_events(site, ln, events))))
    if isinstance(e, Source):
        citing_pages = [pg for pg in referrers if pg.type != "event"]
        items = _capped_events(site, ln, events) + _capped_pages(ln, citing_pages)
        out.append(("Cited as source in", ul(items) if items else "<p>No page cites this source.</p>\n"))
    if isinstance(e, Actor):
        issue_ids = {pg.id for pg in referrers if pg.type == "issue"}
        issue_ids |= {r.target for ev in events for r in ev.issues}
        issues = sorted(
            (i for i in map(site.entities.get, issue_ids) if isinstance(i, Issue)), key=lambda i: i.name
        )
        if issues:
            out.append(("Issues", ul([f"<li>{ln.a(i.path, i.name)} ({esc(i.status)})</li>" for i in issues])))
    if isinstance(e, Issue):
        involved = {r.target for r in e.actors} | {r.target for ev in events for r in ev.actors}
        actors = sorted((site.entities[a] for a in involved if a in site.entities), key=lambda a: a.name)
        if actors:
            out.append(("Actors", ul([f"<li>{ln.a(a.path, a.name)}</li>" for a in actors])))
    others = [pg for pg in referrers if pg.type != "event" and not isinstance(e, Source)]
    if others:
        out.append(("What links here", ul(_capped_pages(ln, sorted(others, key=lambda x: x.path)))))
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
                    f"<li>{ln.a(a.path, a.name)}: {esc(a.summary)}</li>"
                    for a in sorted(groups[k], key=lambda a: a.name)
                ]
                blocks.append((KIND_HEADINGS[k], ul(items)))
        return md, blocks
    if kind == "issue":
        md = "# Issues\n\nThe contested questions between Canada and China, with their status.\n"
        for status in ("active", "dormant", "resolved"):
            issues = sorted((i for i in site.of_type(Issue) if i.status == status), key=lambda i: i.name)
            if issues:
                items = [f"<li>{ln.a(i.path, i.name)}: {esc(i.summary)}</li>" for i in issues]
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
    return f"# {year}\n", [(None, nav_html), (None, ul([_event_item(site, ln, ev) for ev in events]))]


def render_needs_review(site: Site, today: date, use_directory_urls: bool = True) -> Generated:
    ln = Linker("needs-review.md", use_directory_urls)
    rows = []
    for e in site.entities.values():
        due = site.review_by(e)
        newer = events_since_review(site, e)
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


def render_home_blocks(site: Site, markdown: str, latest: int = 8) -> str:
    """The home page's lists, in Markdown (the home page is one page: its cost does not grow with the site)."""
    path = "index.md"
    if MARK_OPEN_ISSUES in markdown:
        issues = sorted((i for i in site.of_type(Issue) if i.status != "resolved"), key=lambda i: i.name)
        block = "\n".join(
            f"- {md_link(path, i.path, i.name)} ({i.status}): {text(i.summary)}" for i in issues
        )
        markdown = markdown.replace(MARK_OPEN_ISSUES, block or "No open issues.")
    if MARK_LATEST_EVENTS in markdown:
        events = sorted(site.of_type(Event), key=event_key, reverse=True)[:latest]
        block = "\n".join(
            f"- **{ev.date.value.human() if ev.date else 'undated'}**: {md_link(path, ev.path, ev.name)}"
            for ev in events
        )
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
# The graph draws at most this many issues, and this many of the actors involved in them: a figure a reader can
# take in, and a page that stays bounded as the site grows (10,000 synthetic pages made it 2 MB).
G_MAX_ISSUES = 40
G_MAX_ACTORS = 120


def render_graph_page(site: Site, use_directory_urls: bool = True) -> Generated:
    """Actors and issues as a static SVG (every node a link), with a table as its text alternative.

    Layout: issues in a centre column, actors in a column on each side, each joined by a line to the issues it
    is involved in. Actors are ordered by the mean position of their issues (and dealt to the two sides in
    turn), which keeps most lines short and near-horizontal. Rows never share a height, so no label overlaps
    another."""
    path = "graph.md"
    ln = Linker(path, use_directory_urls)
    issues = sorted(site.of_type(Issue), key=lambda i: i.name)
    edges: dict[tuple[str, str], int] = defaultdict(int)
    for i in issues:
        for r in i.actors:
            edges[(r.target, i.id)] += 1
    for ev in site.of_type(Event):
        for ir in ev.issues:
            for ar in ev.actors:
                edges[(ar.target, ir.target)] += 1
    all_issues = {i.id for i in issues}
    edges = {k: v for k, v in edges.items() if k[0] in site.entities and k[1] in all_issues}
    n_issues, n_actors = len(issues), len({a for a, _ in edges})
    issues = _most_involved(issues, edges, 1, G_MAX_ISSUES, lambda i: i.id)
    kept = {i.id for i in issues}
    edges = {k: v for k, v in edges.items() if k[1] in kept}
    kept = set(_most_involved(sorted({a for a, _ in edges}), edges, 0, G_MAX_ACTORS, lambda a: a))
    edges = {k: v for k, v in edges.items() if k[0] in kept}
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
        href = html.escape(ln.url(i.path))
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
                href=html.escape(ln.url(e.path)),
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
    md = (
        "# Relationship graph\n\nWho is involved in which issue, derived from the issues' actors and from "
        "every event's actors and issues.\n"
    )
    cut = ""
    if len(issues) < n_issues or len(actor_ids) < n_actors:
        cut = GRAPH_CUT.format(
            issues=len(issues),
            n_issues=n_issues,
            actors=len(actor_ids),
            n_actors=n_actors,
            issues_index=ln.a("issues/index.md", "Issues"),
            actors_index=ln.a("actors/index.md", "Actors"),
        )
    rows = []
    # Grouped in one pass: scanning every edge for every issue grew with issues x edges (seconds at 5,000 pages).
    by_issue: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    for (a, iss), n in edges.items():
        by_issue[iss].append((site.entities[a].name, a, n))
    for i in issues:
        names = sorted(by_issue[i.id])
        cells = ", ".join(f"{ln.a(site.entities[a].path, nm)} ({n})" for nm, a, n in names)
        rows.append(f"<tr><td>{ln.a(i.path, i.name)}</td><td>{esc(i.status)}</td><td>{cells}</td></tr>")
    table = (
        "<table>\n<thead><tr><th>Issue</th><th>Status</th><th>Actors involved (number of events or listings)"
        "</th></tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>\n"
    )
    return md, [(None, cut + "".join(parts)), ("The same information as a table", table)]


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
