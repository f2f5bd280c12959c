"""The HTML that the hooks write, in one place: templates as constants, and small functions that fill them.

Every value passed in as text is escaped here; values passed as HTML (`*_html` parameters, links) were built by
these functions. Layout decisions (what goes where) are in `render`.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

esc = html.escape

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
# The relationship matrix: a scrollable table with sticky issue headers (written vertically) and actor names.
MATRIX = (
    '<figure class="briefing-matrix"><div class="briefing-matrix__scroll" tabindex="0" '
    'aria-label="Relationship matrix (scrolls)"><table class="matrix">\n<thead><tr><th scope="col">Actor</th>{head}</tr></thead>\n'
    "<tbody>\n{rows}\n</tbody></table></div><figcaption>{caption}</figcaption></figure>\n"
)
MATRIX_COL = '<th scope="col"><span>{link}</span></th>'
MATRIX_GROUP = '<tr class="briefing-matrix__group"><th scope="rowgroup" colspan="{span}">{label}</th></tr>'
MATRIX_ROW = '<tr><th scope="row">{link}</th>{cells}</tr>'
DOT = (
    '<span class="dot dot--{size}" title="{n} event{s} or listing{s}"><span class="sr-only">{n}</span></span>'
)
GRAPH_CUT = (
    '<p class="graph-cut">The site has {n_issues} issues, and {n_actors} actors involved in issues. The graph and '
    "the table show the {issues} issues with the most links to actors, and the {actors} actors most involved in "
    "those. The {issues_index} and {actors_index} pages list them all, and each issue's page gives its actors and "
    "its events.</p>\n"
)


def a(href: str, label: str) -> str:
    return f'<a href="{esc(href)}">{esc(label)}</a>'


def ul(items: Iterable[str]) -> str:
    return "<ul>\n" + "\n".join(items) + "\n</ul>\n"


def infobox(rows: list[tuple[str, str]]) -> str:
    """A definition list of (label, value HTML) rows."""
    return INFOBOX.format(rows="".join(ROW.format(label=esc(k), value=v) for k, v in rows))


def heading(hid: str, title: str) -> str:
    return HEADING.format(id=esc(hid), title=esc(title))


def table(head: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    """A table: plain-text header cells, HTML body cells."""
    th = "".join(f"<th>{esc(h)}</th>" for h in head)
    body = "\n".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table>\n<thead><tr>{th}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>\n"


def lists(blocks_html: str) -> str:
    """The lists an entity or generated page ends with (the theme puts them after the text)."""
    return f'<div class="briefing-lists">\n{blocks_html}</div>\n'


# Where the home page's hand-written Markdown asks for generated lists.
MARK_OPEN_ISSUES = "<!-- briefing:open-issues -->"
MARK_LATEST_EVENTS = "<!-- briefing:latest-events -->"

# The page left at an earlier address of a renamed page: a refresh and a plain link, no script.
REDIRECT = (
    '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Moved: {title}</title>\n'
    '<meta http-equiv="refresh" content="0; url={url}">\n<link rel="canonical" href="{url}">\n'
    '<meta name="robots" content="noindex">\n</head>\n<body>\n<p>This page has moved to '
    '<a href="{url}">{title}</a>.</p>\n</body>\n</html>\n'
)


def redirect(url: str, title: str) -> str:
    return REDIRECT.format(url=esc(url), title=esc(title))


MARK_STATE = "<!-- briefing:state-of-play -->"

# The compact state of play of the home page (an HTML block: Markdown passes it through).
STATE_BOX = (
    '<section class="state-box" aria-labelledby="state-box-title">\n'
    '<h2 id="state-box-title">State of play on {today}</h2>\n'
    "{people}"
    "<p><strong>{n} measure{s} in force</strong> between the two countries:</p>\n"
    '<div class="state-box__measures">{measures}</div>\n'
    "<p><strong>Next date to watch:</strong> {next}.</p>\n"
    "<p>{more}: every office, measure, open issue and date.</p>\n"
    "</section>\n"
)
STATE_GROUP = '<div><p class="state-box__who">Imposed by {who} ({n})</p>\n{items}</div>'
NOTICE_MEASURE = (
    '<p class="review-notice review-notice--overdue" role="note"><strong>Still in force?</strong> '
    "{what}: last confirmed on {confirmed}.</p>\n"
)
BOTTOM_LINE = (
    '<section class="bottom-line" aria-label="Bottom line"><p><strong>Status:</strong> {status}.</p>'
    "<p><strong>Measures in force on {today}:</strong></p>{measures}</section>\n"
)

EVENT_ITEM = (
    '<li class="event-item"><span class="event-item__date">{when}</span> {title}{unconfirmed}'
    '<span class="event-item__summary">{summary}</span>{tags}</li>'
)
GROUP = '<h3 class="links-group">{label} ({n})</h3>\n{items}'


def timeline(items: list[str]) -> str:
    return '<ul class="timeline">\n' + "\n".join(items) + "\n</ul>\n"


def tag(href: str, label: str, kind: str) -> str:
    """A quiet link to an actor or issue, under a timeline entry."""
    return f'<a class="event-tag event-tag--{esc(kind)}" href="{esc(href)}">{esc(label)}</a>'


NEIGHBOURS = "<li><strong>{label}</strong>{back}: {before} {after}</li>"
BREADCRUMB = '<nav class="crumbs" aria-label="Breadcrumb">{items}</nav>\n'


def cite_link(n: int, name: str) -> str:
    """A numbered citation's link to its entry in the page's Sources list; the title names the source."""
    return f'<a href="#cite-{n}" title="{esc(name)}" aria-label="Source {n}: {esc(name)}">{n}</a>'


def citations(links: list[str]) -> str:
    """Superscript citation numbers, as inline HTML."""
    return '<sup class="cite">' + ", ".join(links) + "</sup>"


SOURCES = '<ol class="sources">\n{items}\n</ol>\n'
SOURCE_ITEM = '<li id="cite-{n}" value="{n}">{publisher}, {title} ({when}); {page}.</li>'
SUBTITLE = '<small class="h1-sub">{text}</small>'
