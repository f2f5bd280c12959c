"""The rules: small pure functions `check_<rule>(site, *, today) -> Iterator[Problem]`, each registered with the
`@rule` decorator as one Rule record per code it reports (code, level, function, doc, scope).

The registry RULES is the one place where a code's level, its documentation (the rules table of CONTRIBUTING.md,
printed by `python -m briefing rules`) and its scope for the incremental re-check of `mkdocs serve` are decided.
No rule reads files, the clock or the environment, and none logs: they look at the Site and yield Problems, whose
level is filled in from the registry when they are collected.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from types import MappingProxyType

from .model import (
    Actor,
    Event,
    Issue,
    Pos,
    Problem,
    Ref,
    Rule,
    Site,
    Source,
    a_or_an,
    add_interval,
    certainly_before,
    did_you_mean,
    parse_date,
    sort_problems,
)
from .publish import SNIPPETS, is_generated, url_of
from .sanitize import source_urls
from .text import line_col

Check = Callable[..., Iterator[Problem]]
RULES: dict[str, Rule] = {}
SCOPES = ("page", "references", "global")


def rule(code: str, level: str, doc: str, scope: str = "page") -> Callable[[Check | None], Check | None]:
    """Register `code` as reported by the decorated check function (stack one decorator per code it reports)."""
    assert level in ("error", "warning", "notice") and scope in SCOPES, (code, level, scope)

    def register(check: Check | None) -> Check | None:
        assert code not in RULES, f"rule code '{code}' registered twice"
        RULES[code] = Rule(code, level, check, doc, scope)
        return check

    return register


def loader_rule(code: str, level: str, doc: str) -> None:
    """Register a code that the front-matter loader reports while it reads one page."""
    rule(code, level, doc)(None)


# Rules the loader applies to each page while reading it (briefing.frontmatter).
loader_rule("unreadable-file", "error", "The file cannot be opened (permissions, a broken link).")
loader_rule("not-utf8", "error", "The file is not UTF-8 text.")
loader_rule("empty-file", "error", "The file is empty.")
loader_rule(
    "too-large", "error", "A file over 2 MB, front matter over 256 KB, or a line over 20,000 characters."
)
loader_rule("frontmatter-unclosed", "error", "The `---` that opens the front matter is never closed.")
loader_rule(
    "invalid-yaml", "error", "The front matter is not valid YAML: `title: Talks: day one` (quote it)."
)
loader_rule(
    "frontmatter-not-mapping", "error", "The front matter is a list or a text, not `key: value` lines."
)
loader_rule("yaml-alias", "error", "A YAML anchor or alias (`&a`, `*a`) in the front matter.")
loader_rule("too-deep", "error", "Lists or mappings nested more than 20 levels deep.")
loader_rule("unknown-type", "error", "`type: evnt` (one of actor, issue, event, source, or none).")
loader_rule("unknown-field", "error", "A field the page type does not have: `dat: 2021-09-24`.")
loader_rule("missing-field", "error", "A required field is missing or empty: an event without `sources`.")
loader_rule("duplicate-field", "error", "The same field twice in one front matter or role.")
loader_rule("wrong-type", "error", "A value of the wrong kind: `actors: canada` (a list is needed).")
loader_rule("invalid-value", "error", "A value outside its allowed set: `status: open`, `url: www.x.org`.")
loader_rule(
    "invalid-id",
    "error",
    "A file name that is not a kebab-case id, or an event id not starting with its date.",
)
loader_rule("wrong-folder", "error", "A page of type event outside `docs/events/`.")
loader_rule("duplicate-id", "error", "Two pages with the same id, compared case-insensitively.")
loader_rule("duplicate-role", "error", "Two roles of one actor with the same `id`.")
loader_rule("duplicate-reference", "warning", "The same id twice in one list: `actors: [canada, canada]`.")
loader_rule("invalid-date", "error", "`date: 2021-02-30`, or a date not written YYYY-MM-DD, YYYY-MM or YYYY.")


def level_of(p: Problem) -> str:
    """A problem's level: its code's, from the registry."""
    return RULES[p.code].level


def _where(ref: Ref) -> str:
    return "The text" if ref.field == "text" else f"'{ref.field}'"


# --- references -------------------------------------------------------------------------------


@rule(
    "unknown-reference",
    "error",
    "A reference to an id that no page has: `actors: [marc-garnau]`.",
    "references",
)
@rule(
    "wrong-type-reference",
    "error",
    "A reference to a page of the wrong type: `issues: [canada]`.",
    "references",
)
@rule(
    "unknown-anchor",
    "error",
    "`[[two-michaels#no-such-heading]]`: the page has no such heading.",
    "references",
)
def check_references(site: Site, *, today: date) -> Iterator[Problem]:
    """Every referenced id exists, has the type its field expects, and any #anchor exists on its page."""

    def suggest(word: str, types: tuple[str, ...]) -> str:
        return did_you_mean(word, [e.id for e in site.entity_list() if e.type in types] or site.entities)

    entity = site.entity
    for page in site.pages:
        for ref in page.refs:
            target = entity(ref.target)
            if target is not None and target.type in ref.expected and ref.anchor is None:
                continue  # the usual case
            wanted = " or ".join(ref.expected) if len(ref.expected) < 4 else "page"
            if target is None:
                yield Problem(
                    page.path,
                    ref.line,
                    ref.col,
                    "unknown-reference",
                    f"{_where(ref)} refers to '{ref.target}', but no {wanted} has that id."
                    + suggest(ref.target, ref.expected),
                )
            elif target.type not in ref.expected:
                yield Problem(
                    page.path,
                    ref.line,
                    ref.col,
                    "wrong-type-reference",
                    f"{_where(ref)} refers to '{ref.target}', which is {a_or_an(target.type)}, not "
                    f"{a_or_an(wanted)}." + suggest(ref.target, ref.expected),
                )
            elif ref.anchor is not None and ref.anchor not in target.page.anchors:
                hint = did_you_mean(ref.anchor, sorted(target.page.anchors), 0.5, prefix="#")
                yield Problem(
                    page.path,
                    ref.line,
                    ref.col,
                    "unknown-anchor",
                    f"The text links to '{ref.target}#{ref.anchor}', but docs/{target.path} has no "
                    f"heading with that anchor.{hint}",
                )


@rule(
    "malformed-reference", "error", "A `[[` that does not open `[[id]]`, `[[id|label]]` or `[[id#anchor]]`."
)
def check_malformed_references(site: Site, *, today: date) -> Iterator[Problem]:
    """Every '[[' outside code opens a well-formed [[id]], [[id|label]] or [[id#anchor]] on the same line."""
    for page in site.pages:
        for line, col in page.unclosed:
            yield Problem(
                page.path,
                page.body_line + line,
                col + 1,
                "malformed-reference",
                "'[[' opens a reference that is not closed by ']]' on the same line. Write "
                "[[id]], [[id|label]] or [[id#anchor|label]] on one line (inside a table, "
                "[[id\\|label]]).",
            )


@rule("role-actor-not-listed", "error", "`roles:` names an actor missing from the event's `actors`.")
@rule(
    "unknown-role",
    "error",
    "`roles: {marc-garneau: pm-2021}`: the actor has no role with that id.",
    "references",
)
def check_event_roles(site: Site, *, today: date) -> Iterator[Problem]:
    """An event's `roles` name actors listed in its `actors`, and role ids those actors have."""
    for ev in site.of_type(Event):
        listed = {r.target for r in ev.actors}
        for er in ev.roles:
            ref, role_id, pos = er.actor, er.role, er.pos
            actor = site.entity(ref.target)
            if ref.target not in listed:
                yield Problem(
                    ev.path,
                    ref.line,
                    ref.col,
                    "role-actor-not-listed",
                    f"'roles' gives a role for '{ref.target}', who is not in this event's 'actors'. "
                    f"Add '{ref.target}' to 'actors' or remove the role.",
                )
            if isinstance(actor, Actor) and role_id not in {r.id for r in actor.roles}:
                have = [r.id for r in actor.roles]
                hint = did_you_mean(role_id, have) or (
                    f" Its roles are: {', '.join(have)}." if have else " That actor has no 'roles'."
                )
                yield Problem(
                    ev.path,
                    pos.line,
                    pos.col,
                    "unknown-role",
                    f"'roles' gives '{ref.target}' the role '{role_id}', but docs/{actor.path} "
                    f"has no role with that id.{hint}",
                )


@rule("unreferenced", "warning", "An actor, issue or source that no other page references.", "references")
def check_unreferenced(site: Site, *, today: date) -> Iterator[Problem]:
    """Actors, issues and sources that no other page references (events are listed by the timelines, and holders
    of a tracked office by the State of play and their predecessors' and successors' infoboxes)."""
    for e in site.entity_list():
        if isinstance(e, Actor) and any(r.office in site.offices for r in e.roles):
            continue
        if e.type != "event" and not any(p.id != e.id for p in site.referrers(e.id)):
            yield Problem(
                e.path,
                1,
                1,
                "unreferenced",
                f"No page references this {e.type} '{e.id}'. Cite it from an event, issue or "
                f"actor (e.g. `[[{e.id}]]`), or delete it.",
            )


@rule(
    "issue-status",
    "error",
    "`status: resolved` without a `resolved` date, or a `resolved` date on an open issue.",
)
def check_issue_status(site: Site, *, today: date) -> Iterator[Problem]:
    """`resolved` is given exactly when `status` is resolved."""
    for issue in site.of_type(Issue):
        pos = issue.page.meta_pos.get("status") or issue.page.meta_pos.get("type")
        if issue.status == "resolved" and issue.resolved is None:
            yield Problem(
                issue.path,
                pos.line,
                pos.col,
                "issue-status",
                "'status' is 'resolved', but there is no 'resolved' date. Add 'resolved: YYYY-MM-DD'.",
            )
        if issue.status and issue.status != "resolved" and issue.resolved is not None:
            p = issue.resolved.pos
            yield Problem(
                issue.path,
                p.line,
                p.col,
                "issue-status",
                f"'resolved' is set, but 'status' is '{issue.status}'. Set 'status: resolved' or "
                "remove 'resolved'.",
            )


@rule("unknown-tag", "error", "A tag not in the allowed list of mkdocs.yml (`extra: briefing: tags`).")
def check_tags(site: Site, *, today: date) -> Iterator[Problem]:
    """Tags come from the allowed list in mkdocs.yml (`extra: briefing: tags`)."""
    if site.tags_allowed is None:
        return
    allowed = sorted(site.tags_allowed)
    for page in site.pages:  # plain pages too: their tags are listed on the Topics page like any other
        for tag in page.tags:
            if tag.target not in site.tags_allowed:
                hint = did_you_mean(tag.target, allowed) or f" Allowed: {', '.join(allowed)}."
                yield Problem(
                    page.path,
                    tag.line,
                    tag.col,
                    "unknown-tag",
                    f"'tags' has '{tag.target}', which is not in the allowed list in mkdocs.yml "
                    f"(extra: briefing: tags).{hint}",
                )


def url_key(url: str) -> str:
    """What makes two source URLs the same document: no scheme, no 'www.', no trailing slash."""
    return re.sub(r"^https?://(www\.)?", "", url).rstrip("/")


@rule("insecure-url", "warning", "A source `url` over http:// without an https `archived` copy.")
@rule("duplicate-url", "warning", "Two source pages with the same `url`.", "global")
def check_source_urls(site: Site, *, today: date) -> Iterator[Problem]:
    """Sources use https (or carry an https archived copy); two source pages do not share one URL."""
    seen: dict[str, Source] = {}
    for src in sorted(site.of_type(Source), key=lambda s: s.path):
        pos = src.page.meta_pos.get("url")
        if pos is None:
            continue
        if src.url.startswith("http://") and not src.archived.startswith("https://"):
            yield Problem(
                src.path,
                pos.line,
                pos.col,
                "insecure-url",
                f"'url' is '{src.url}', an unencrypted http:// address. Cite the same document "
                "over https:// (most publishers serve both), or add an https 'archived' copy.",
            )
        key = url_key(src.url)
        if key in seen:
            yield Problem(
                src.path,
                pos.line,
                pos.col,
                "duplicate-url",
                f"This source has the same 'url' as docs/{seen[key].path}. Cite "
                f"'{seen[key].id}' instead and delete this page.",
            )
        else:
            seen[key] = src


# --- dates ------------------------------------------------------------------------------------


@rule(
    "date-order",
    "error",
    "An end before its start: `end` before `date`, `died` before `born`, a role's `end`.",
)
def check_date_order(site: Site, *, today: date) -> Iterator[Problem]:
    """Ends are not before starts: event end/date, issue resolved/started, role end/start, died/born."""
    pairs = []
    for e in site.entity_list():
        if isinstance(e, Event):
            pairs.append((e, e.date, e.end, "end", "date"))
            pairs.append((e, e.announced, e.date, "date", "announced"))
        elif isinstance(e, Issue):
            pairs.append((e, e.started, e.resolved, "resolved", "started"))
        elif isinstance(e, Actor):
            pairs.append((e, e.born, e.died, "died", "born"))
            pairs.append((e, e.founded, e.dissolved, "dissolved", "founded"))
    for e, first, second, second_name, first_name in pairs:
        if first and second and certainly_before(second.value, first.value):
            p = second.pos
            yield Problem(
                e.path,
                p.line,
                p.col,
                "date-order",
                f"'{second_name}' ({second.value}) is before '{first_name}' ({first.value}). "
                "Swap them or correct one.",
            )
    for actor in site.of_type(Actor):
        for role in actor.roles:
            if role.start and role.end and certainly_before(role.end.value, role.start.value):
                p = role.end.pos
                yield Problem(
                    actor.path,
                    p.line,
                    p.col,
                    "date-order",
                    f"Role '{role.id}' ends ({role.end.value}) before it starts "
                    f"({role.start.value}). Correct one of the dates.",
                )


@rule("future-date", "error", "An event `date`, role `start`, `published` or `last_reviewed` after today.")
def check_future_dates(site: Site, *, today: date) -> Iterator[Problem]:
    """No event date, role start, source publication or review lies after today (an event's end may)."""
    found = []
    for e in site.entity_list():
        if isinstance(e, Event):
            found.append((e, e.date, "date"))
        if isinstance(e, Source):
            found.append((e, e.published, "published"))
        found.append((e, e.last_reviewed, "last_reviewed"))
        if isinstance(e, Actor):
            found += [(e, r.start, f"start of role '{r.id}'") for r in e.roles]
    for e, d, name in found:
        if d and d.value.first > today:
            yield Problem(
                e.path,
                d.pos.line,
                d.pos.col,
                "future-date",
                f"{name if name.startswith('start') else repr(name)} is {d.value}, after today "
                f"({today.isoformat()}). Only an event's 'end' may lie in the future; check the "
                "year.",
            )


@rule("role-tenure", "error", "An event gives an actor a role outside that role's tenure.", "references")
def check_role_tenure(site: Site, *, today: date) -> Iterator[Problem]:
    """An event that gives an actor a role falls inside that role's tenure."""
    for ev in site.of_type(Event):
        if not ev.date:
            continue
        for er in ev.roles:
            ref, role_id, pos = er.actor, er.role, er.pos
            actor = site.entity(ref.target)
            if not isinstance(actor, Actor):
                continue
            role = next((r for r in actor.roles if r.id == role_id), None)
            if role is None:
                continue
            d = ev.date.value
            start = role.start.value.human() if role.start else "an unknown date"
            end = role.end.value.human() if role.end else ("still held" if role.open else "an unknown date")
            tenure = (
                f"{role.title} from {start} to {end}" if role.end else f"{role.title} from {start} ({end})"
            )
            if role.start and certainly_before(d, role.start.value):
                yield Problem(
                    ev.path,
                    pos.line,
                    pos.col,
                    "role-tenure",
                    f"This event ({d.human()}) is before '{actor.id}' took office: the role "
                    f"'{role_id}' is {tenure}. Check the date or the role.",
                )
            elif role.end and certainly_before(role.end.value, d):
                yield Problem(
                    ev.path,
                    pos.line,
                    pos.col,
                    "role-tenure",
                    f"This event ({d.human()}) is after '{actor.id}' left office: the role "
                    f"'{role_id}' is {tenure}. Check the date or the role.",
                )


@rule(
    "lifespan",
    "error",
    "An event involves a person before birth or after death (organizations likewise).",
    "references",
)
def check_lifespan(site: Site, *, today: date) -> Iterator[Problem]:
    """Events involve people between birth and death, organizations between founding and dissolution."""
    for ev in site.of_type(Event):
        if not ev.date:
            continue
        d = ev.date.value
        for ref in ev.actors:
            a = site.entity(ref.target)
            if not isinstance(a, Actor):
                continue
            first, last, words = (
                (a.born, a.died, ("born", "died"))
                if a.kind == "person"
                else (a.founded, a.dissolved, ("founded", "dissolved"))
            )
            if first and certainly_before(d, first.value):
                yield Problem(
                    ev.path,
                    ref.line,
                    ref.col,
                    "lifespan",
                    f"This event ({d.human()}) involves '{a.id}', who was {words[0]} on "
                    f"{first.value.human()}. Check the date or the actor.",
                )
            elif last and certainly_before(last.value, d):
                yield Problem(
                    ev.path,
                    ref.line,
                    ref.col,
                    "lifespan",
                    f"This event ({d.human()}) involves '{a.id}', {words[1]} on "
                    f"{last.value.human()}. Check the date or the actor.",
                )


@rule(
    "source-before-event",
    "error",
    "An event cites a source published before the event (or its `announced` date).",
    "references",
)
def check_source_dates(site: Site, *, today: date) -> Iterator[Problem]:
    """A cited source is published on or after the event's `announced` date, else its `date`."""
    for ev in site.of_type(Event):
        anchor = ev.announced or ev.date
        if not anchor:
            continue
        for ref in ev.sources:
            src = site.entity(ref.target)
            if (
                isinstance(src, Source)
                and src.published
                and certainly_before(src.published.value, anchor.value)
            ):
                what = "announced" if ev.announced else "dated"
                yield Problem(
                    ev.path,
                    ref.line,
                    ref.col,
                    "source-before-event",
                    f"Source '{src.id}' was published on {src.published.value.human()}, before this "
                    f"event ({what} {anchor.value.human()}). Cite a later source, or set "
                    "'announced' if the event was announced in advance.",
                )


@rule("event-before-issue", "error", "An event of an issue dated before the issue's `started`.", "references")
@rule(
    "resolves-mismatch",
    "error",
    "An event `resolves` an issue whose status or `resolved` date disagrees.",
    "references",
)
def check_issue_events(site: Site, *, today: date) -> Iterator[Problem]:
    """No event of an issue precedes the issue's start; an event resolving an issue matches its resolution."""
    for ev in site.of_type(Event):
        if not ev.date:
            continue
        d = ev.date.value
        for ref in ev.issues:
            issue = site.entity(ref.target)
            if isinstance(issue, Issue) and issue.started and certainly_before(d, issue.started.value):
                yield Problem(
                    ev.path,
                    ref.line,
                    ref.col,
                    "event-before-issue",
                    f"This event ({d.human()}) is part of '{issue.id}', which started on "
                    f"{issue.started.value.human()}. Move the issue's 'started' earlier or drop "
                    "the issue.",
                )
        for ref in ev.resolves:
            issue = site.entity(ref.target)
            if not isinstance(issue, Issue):
                continue
            if issue.status != "resolved" or issue.resolved is None:
                yield Problem(
                    ev.path,
                    ref.line,
                    ref.col,
                    "resolves-mismatch",
                    f"This event resolves '{issue.id}', but that issue's status is "
                    f"'{issue.status}'. Set 'status: resolved' and 'resolved: {d}' on the issue.",
                )
            elif certainly_before(d, issue.resolved.value) or certainly_before(issue.resolved.value, d):
                yield Problem(
                    ev.path,
                    ref.line,
                    ref.col,
                    "resolves-mismatch",
                    f"This event ({d.human()}) resolves '{issue.id}', but the issue says it was "
                    f"resolved on {issue.resolved.value.human()}. Make the two dates agree.",
                )


WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
RELATIVE_RE = re.compile(
    rf"\b(yesterday|today|tomorrow|recently|currently|at present|on (?:{WEEKDAYS})"
    r"|(?:last|next|this) (?:week|month|year))\b",
    re.I,
)
YEAR_RE = re.compile(r"\b(?:1[89]|20)\d\d\b")
MASK_RE = re.compile(
    r'"[^"\n]*"|“[^”]*”|«[^»]*»|\[[^\]\n]*\]\([^)\n]*\)|\[\[[^\]\n]*\]\]|<!--.*?-->|<[^>\n]+>'
    r"|^[ \t]*>.*$|https?://\S+",
    re.M | re.S,
)
H1_RE = re.compile(r"^# .*$", re.M)
SENTENCE_END_RE = re.compile(r"[.!?](?=\s)|\n\s*\n|^[ \t]*[-*#|]", re.M)


def _mask(text: str, code: list[tuple[int, int]]) -> str:
    """Blank out code, quotations, links, HTML and block quotes, keeping offsets."""
    chars = list(text)
    spans = [*code, *((m.start(), m.end()) for m in MASK_RE.finditer(text))]
    for a, b in spans:
        for i in range(a, b):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


LINE_START_RE = re.compile(r"[ \t]*(?:[-*+>][ \t]+|\d+[.)][ \t]+|#+[ \t]+)*")


def _sentence_start(body: str, offset: int) -> bool:
    """Whether `offset` begins a sentence: after . ! ?, or first on its line (list items and quotes included)."""
    line_start = body.rfind("\n", 0, offset) + 1
    if LINE_START_RE.fullmatch(body, line_start, offset):
        return True
    return body[line_start:offset].rstrip()[-1:] in (".", "!", "?", ":")


@rule("relative-time", "warning", "'recently', 'on Monday', 'this year' in a sentence with no date or year.")
def check_relative_time(site: Site, *, today: date) -> Iterator[Problem]:
    """Relative time ('recently', 'on Monday', 'this year') only in a sentence that carries a date or year."""
    for page in site.pages:
        body = page.body
        if not RELATIVE_RE.search(body):
            continue
        masked = _mask(body, page.code)
        if page.type == "source":  # a source's title quotes the document: 'Minister to visit China this week'
            masked = H1_RE.sub(lambda m: " " * len(m[0]), masked)
        for m in RELATIVE_RE.finditer(masked):
            if m[0][0].isupper() and not _sentence_start(body, m.start()):
                continue  # a capitalized word mid-sentence is a name: 'Vaughan Today', 'USA Today'
            start = max((s.end() for s in SENTENCE_END_RE.finditer(body, 0, m.start())), default=0)
            end_m = SENTENCE_END_RE.search(body, m.end())
            sentence = body[start : end_m.start() if end_m else len(body)]
            if YEAR_RE.search(sentence):
                continue
            line, col = line_col(body, m.start())
            yield Problem(
                page.path,
                page.body_line + line,
                col + 1,
                "relative-time",
                f"'{m[0]}' is relative time in a sentence with no date: readers cannot tell when "
                "it was true. Anchor it, e.g. write 'As of March 2021, …'.",
            )


@rule(
    "events-since-review",
    "notice",
    "Events involving the page happened after its `last_reviewed`.",
    "references",
)
def check_events_since_review(site: Site, *, today: date) -> Iterator[Problem]:
    """Notice: a page reviewed before the newest event that involves it."""
    for e in site.entity_list():
        newer = site.events_since_review(e)
        if newer:
            p = e.last_reviewed.pos
            yield Problem(
                e.path,
                p.line,
                p.col,
                "events-since-review",
                f"{len(newer)} event{'s' if len(newer) > 1 else ''} since the last review "
                f"({e.last_reviewed.value.human()}); the newest is '{newer[-1].id}'. "
                "Review the page and update 'last_reviewed'.",
            )


@rule(
    "review-overdue",
    "notice",
    "`last_reviewed` + `review_in` lies before today: the page may be out of date.",
)
def check_review_overdue(site: Site, *, today: date) -> Iterator[Problem]:
    """Notice: last_reviewed + review_in lies before today."""
    for e in site.entity_list():
        if site.overdue(e, today):
            due = site.review_by(e)
            p = e.last_reviewed.pos
            yield Problem(
                e.path,
                p.line,
                p.col,
                "review-overdue",
                f"The review was due on {due.isoformat()} (last reviewed "
                f"{e.last_reviewed.value.human()}, every {e.review_in or site.review_in}). "
                "Check the page against new events and update 'last_reviewed'.",
            )


# --- hostile input ----------------------------------------------------------------------------

# Elements that run script, load or embed other documents, restyle or redirect the page, or change how its
# links resolve. The sanitiser removes these from the output anyway; this scan gives the early, positioned message.
UNSAFE_TAG_RE = re.compile(
    r"<\s*(script|iframe|frame|frameset|object|embed|applet|form|style|svg|math|base|meta|link|template"
    r"|noscript|portal)(?![\w-])",
    re.I,
)
# An event handler or a style attribute, in raw HTML or in an attr_list `{: ... }` (both put it in the HTML).
UNSAFE_ATTR_RE = re.compile(r"(?:<[a-z][^>]*?|\{:?[^}\n]*?)[\s/](on[a-z]+|style)\s*=", re.I)
SAFE_SCHEMES = (None, "http", "https", "mailto")  # None: a relative or fragment URL
INCLUDE_RE = re.compile(r"^[ \t]*-{1,}8<-{1,}[ \t]+[\"']?([^\"'\n]+?)[\"']?[ \t]*$")
BLOCK_MARK_RE = re.compile(r"^[ \t]*-{1,}8<-{1,}[ \t]*$")


def _url_problems(body: str) -> Iterator[tuple[int, str]]:
    """(offset, what) of every URL whose scheme, as a browser reads it, is not http, https or mailto: character
    references (`jav&#97;script:`, `javascript&colon;`) and tabs inside the scheme are decoded first."""
    for at, raw, scheme in source_urls(body):
        if scheme in SAFE_SCHEMES:
            continue
        encoded = "&" in raw or "\t" in raw or "\\" in raw
        yield at, f"'{scheme}:' URL" + (" written with character references" if encoded else "")


@rule(
    "unsafe-html",
    "error",
    "Raw HTML that could run script or change the page: `<script>`, `<svg>`, `<base>`, `onclick=`, `style=`, "
    "`javascript:` links (also entity-encoded). The build's sanitiser reports what it removes with this code.",
)
def check_unsafe_html(site: Site, *, today: date) -> Iterator[Problem]:
    """Raw HTML is limited to a safe subset: no active elements, event handlers, styles or script URLs."""
    for page in site.pages:
        body = page.body
        spans = page.code
        fenced = _fenced(body, spans)
        found = []
        for regex, what in ((UNSAFE_TAG_RE, "element <{}>"), (UNSAFE_ATTR_RE, "attribute '{}'")):
            for m in regex.finditer(body):
                # A tag that starts a line opens an HTML block even where a code span seemed to run on
                line_start = regex is UNSAFE_TAG_RE and LINE_START_TAG_RE.match(
                    body, body.rfind("\n", 0, m.start()) + 1
                )
                if not any(a <= m.start() < b for a, b in (fenced if line_start else spans)):
                    label = what.format(m[1].lower())
                    if label.startswith("attribute 'on"):
                        label = f"event-handler {label}"
                    found.append((m.start(1) if regex is not UNSAFE_TAG_RE else m.start(), label))
        found += [(at, what) for at, what in _url_problems(body) if not any(a <= at < b for a, b in spans)]
        for offset, what in sorted(found):
            line, col = line_col(body, offset)
            yield Problem(
                page.path,
                page.body_line + line,
                col + 1,
                "unsafe-html",
                f"The page contains the {what}, which is not allowed: pages may not run scripts, "
                "restyle the page or embed other sites. Remove it; use Markdown for links and images.",
            )


# The opening line of a fence that pymdownx.superfences takes for one: an info string of one word or `{...}`.
VALID_FENCE_RE = re.compile(r"[ \t]{0,3}(?:`{3,}|~{3,})[ \t]*(?:[\w.+#-]+|\{[^}\n]*\})?[ \t]*")
LINE_START_TAG_RE = re.compile(r"[ \t]{0,3}<")


def _fenced(body: str, spans) -> list[tuple[int, int]]:
    """The code regions that are real fenced blocks for Markdown: not an inline span, not a pseudo-fence
    ('```!!!'), and not a fence line that only U+2028 (which Markdown does not take for a line end) ends."""
    out = []
    for a, b in spans:
        end = body.find("\n", a, b)
        if VALID_FENCE_RE.fullmatch(body, a, end if end != -1 else b):
            out.append((a, b))
    return out


def _include_targets(body: str) -> Iterator[tuple[int, int, str]]:
    """(0-based line, 0-based column, path) of every snippet include, single-line and block form.

    Code blocks are not skipped: pymdownx.snippets expands includes before Markdown sees fences.
    """
    in_block = False
    for n, line in enumerate(body.split("\n")):
        if BLOCK_MARK_RE.match(line):
            in_block = not in_block
            continue
        if in_block:
            path = line.strip().strip("\"'")
            if path and not path.startswith(";"):
                yield n, line.index(path[0]), path
            continue
        m = INCLUDE_RE.match(line)
        if m:
            yield n, m.start(1), m[1].strip()


SNIPPET_LINES_RE = re.compile(r"(\.md)(?::[\w,:-]*)?$")


@rule(
    "include-outside-repo",
    "error",
    'A `--8<--` include of anything but a file in `docs/snippets/`: `--8<-- "/etc/passwd"`, `".git/config"`.',
)
@rule("include-not-found", "error", "A `--8<--` include of a file that `docs/snippets/` does not have.")
def check_includes(site: Site, *, today: date) -> Iterator[Problem]:
    """`--8<--` includes name a .md file in the snippets folder (pymdownx.snippets' base_path), by its path there:
    no absolute path, no '..', no hidden file, no address."""
    for page in site.pages:
        if "8<" not in page.body:
            continue
        for n, col, target in _include_targets(page.body):
            where = (page.path, page.body_line + n, col + 1)
            path = target.replace("\\", "/")
            norm = posixpath.normpath(path)
            if (
                path.startswith(("/", "~"))
                or re.match(r"[A-Za-z]:", path)
                or norm.startswith("..")
                or "://" in path
                or any(part.startswith(".") for part in norm.split("/"))
            ):
                yield Problem(
                    *where,
                    "include-outside-repo",
                    f"The include '{target}' names a file outside docs/{SNIPPETS}. Includes may only name a "
                    f"snippet by its path in that folder (e.g. 'note.md' for docs/{SNIPPETS}note.md), and no "
                    "hidden file.",
                )
                continue
            file = SNIPPET_LINES_RE.sub(r"\1", norm)
            if SNIPPETS + file not in site.page_paths:
                yield Problem(
                    *where,
                    "include-not-found",
                    f"The include '{target}' names docs/{SNIPPETS}{file}, which does not exist. Snippets are "
                    f".md files in docs/{SNIPPETS}; check the name.",
                )


# --- offices and measures -----------------------------------------------------------------------


def _tenure_text(t) -> str:
    start = t.role.start.value.human() if t.role.start else "an unknown date"
    end = t.role.end.value.human() if t.role.end else ("no end" if t.role.open else "an unknown date")
    return f"'{t.actor.id}' ({start} to {end})"


@rule(
    "office-overlap",
    "error",
    "Two holders of one office whose tenures certainly overlap by more than a day.",
    "global",
)
@rule(
    "office-end-missing",
    "error",
    "A holder with no `end` although a later holder of the office has started.",
    "global",
)
@rule(
    "office-gap",
    "notice",
    "A tracked office with no holder for longer than `office_gap` between two tenures.",
    "global",
)
def check_offices(site: Site, *, today: date) -> Iterator[Problem]:
    """Holders of one office follow each other: no certain overlap, an `end` once a successor starts, no long gap."""
    gap = site.office_gap
    for office in sorted({r.office for a in site.of_type(Actor) for r in a.roles if r.office}):
        tenures = site.holders(office)
        for prev, nxt in zip(tenures, tenures[1:], strict=False):
            if nxt.role.start is None or prev.role.start is None:
                continue
            at, path = (prev.role.pos, prev.actor.path)
            if prev.role.open and nxt.role.start.value.last <= today:
                yield Problem(
                    path, at.line, at.col, "office-end-missing",
                    f"Role '{prev.role.id}' ({office}) has no 'end', but {_tenure_text(nxt)} holds the office "
                    f"after it (docs/{nxt.actor.path}:{nxt.role.pos.line}). Add the day the tenure ended.",
                )  # fmt: skip
            elif (
                prev.role.end is not None
                and nxt.role.start.value.last < prev.role.end.value.first - timedelta(days=1)
            ):
                yield Problem(
                    path, at.line, at.col, "office-overlap",
                    f"Role '{prev.role.id}' ({office}) overlaps {_tenure_text(nxt)} "
                    f"(docs/{nxt.actor.path}:{nxt.role.pos.line}) by more than the hand-over day. Check both dates.",
                )  # fmt: skip
            elif office in site.offices and prev.role.end is not None:
                due = add_interval(prev.role.end.value.last, gap)
                if due is not None and due < nxt.role.start.value.first:
                    yield Problem(
                        path, at.line, at.col, "office-gap",
                        f"The office '{office}' has no recorded holder between {prev.role.end.value.human()} and "
                        f"{nxt.role.start.value.human()} (more than {gap}). Add the holder in between, if any.",
                    )  # fmt: skip


@rule("measure-dates", "error", "A measure's `until` before its `from`, a suspension outside it or overlapping "
      "another, an `ended_by` event outside it.", "references")  # fmt: skip
@rule(
    "measure-actor-not-listed",
    "error",
    "A measure's `by` or `on` names an actor missing from the event's `actors`.",
)
def check_measures(site: Site, *, today: date) -> Iterator[Problem]:
    """A measure's dates are in order, and who imposes it on whom is among the event's actors."""
    for ev in site.of_type(Event):
        listed = {r.target for r in ev.actors}
        for m in ev.measures:
            for ref in (m.by, *m.on):
                if ref.target not in listed:
                    yield Problem(
                        ev.path, ref.line, ref.col, "measure-actor-not-listed",
                        f"Measure '{m.id}' names '{ref.target}' in '{ref.field}', who is not in this event's "
                        f"'actors'. Add '{ref.target}' to 'actors'.",
                    )  # fmt: skip
            yield from _measure_dates(site, ev, m)


def _measure_dates(site: Site, ev: Event, m) -> Iterator[Problem]:
    start, until = m.start.value, m.until.value if m.until else None
    if until is not None and certainly_before(until, start):
        p = m.until.pos
        yield Problem(ev.path, p.line, p.col, "measure-dates", f"Measure '{m.id}' ends ({until}) before it starts "
                      f"({start}). Correct one of the dates.")  # fmt: skip
    periods = sorted(m.suspended, key=lambda x: x.start.value.first)
    for n, sp in enumerate(periods):
        outside = certainly_before(sp.start.value, start) or (
            until is not None and certainly_before(until, sp.until.value)
        )
        if certainly_before(sp.until.value, sp.start.value) or outside:
            yield Problem(ev.path, sp.pos.line, sp.pos.col, "measure-dates", f"A suspension of measure '{m.id}' "
                          f"({sp.start.value} to {sp.until.value}) is not inside the measure's span. Check its dates.")  # fmt: skip
        elif n and not certainly_before(periods[n - 1].until.value, sp.start.value):
            yield Problem(ev.path, sp.pos.line, sp.pos.col, "measure-dates", f"This suspension of measure '{m.id}' "
                          "overlaps the one before it. Merge them or correct the dates.")  # fmt: skip
    ender = site.entity(m.ended_by.target) if m.ended_by else None
    if isinstance(ender, Event) and ender.date:
        late = until is not None and until.last + timedelta(days=1) < ender.date.value.first
        if certainly_before(ender.date.value, start) or late:
            p = m.ended_by
            yield Problem(ev.path, p.line, p.col, "measure-dates", f"Measure '{m.id}' is ended by '{ender.id}' "
                          f"({ender.date.value.human()}), which is outside the measure's span. Check 'ended_by'.")  # fmt: skip


@rule("duplicate-measure", "error", "The same measure id on two measures.", "global")
def check_measure_ids(site: Site, *, today: date) -> Iterator[Problem]:
    """Measure ids are unique across the site."""
    seen: dict[str, Event] = {}
    for m, ev in site.measures():
        if m.id in seen:
            yield Problem(ev.path, m.pos.line, m.pos.col, "duplicate-measure", f"The measure id '{m.id}' is also "
                          f"used in docs/{seen[m.id].path}. Give this measure its own id.")  # fmt: skip
        else:
            seen[m.id] = ev


@rule("measure-since-review", "notice", "A measure of an issue started, ended, was suspended or resumed after the "
      "issue's `last_reviewed`.", "references")  # fmt: skip
def check_measure_changes(site: Site, *, today: date) -> Iterator[Problem]:
    """Notice on an issue whose measures changed after its last review (up to today)."""
    for issue in site.of_type(Issue):
        for c in site.changes_since_review(issue, today):
            p = issue.last_reviewed.pos
            yield Problem(issue.path, p.line, p.col, "measure-since-review", f"Measure '{c.measure.id}' "
                          f"{c.what} on {_human(c.day)}, after the last review ({issue.last_reviewed.value.human()}). "
                          "Review the page and update 'last_reviewed'.")  # fmt: skip


@rule(
    "measure-unconfirmed",
    "notice",
    "A measure still in force whose `confirmed` is older than the review interval.",
)
def check_measure_confirmed(site: Site, *, today: date) -> Iterator[Problem]:
    """Notice on an event whose measure has not been confirmed within the review interval: still in force?"""
    for ev in site.of_type(Event):
        for m in ev.measures:
            if site.unconfirmed(m, today):
                p = m.confirmed.pos
                yield Problem(ev.path, p.line, p.col, "measure-unconfirmed", f"Is measure '{m.id}' still in force? "
                              f"It was last confirmed on {m.confirmed.value.human()}. Check it and update 'confirmed' "
                              "(or give 'until').")  # fmt: skip


def _human(d: date) -> str:
    return parse_date(d.isoformat()).human()


# --- sources and wording ------------------------------------------------------------------------


@rule(
    "copy-without-original", "warning", "A source of `kind: copy` without `copy_of` (the original publisher)."
)
def check_copies(site: Site, *, today: date) -> Iterator[Problem]:
    """A copy names its original publisher."""
    for src in site.of_type(Source):
        if src.kind == "copy" and not src.copy_of:
            p = src.page.meta_pos.get("kind")
            yield Problem(src.path, p.line, p.col, "copy-without-original", "This source is a copy, but it has no "
                          "'copy_of'. Name the original publisher (e.g. 'copy_of: The Canadian Press'), or cite the "
                          "original instead.")  # fmt: skip


@rule("social-only", "warning", "An event or role resting only on `social` sources without `unconfirmed: true`.",
      "references")  # fmt: skip
def check_social_only(site: Site, *, today: date) -> Iterator[Problem]:
    """An event or role whose every source is a social post is marked unconfirmed."""

    def social(refs) -> bool:
        found = [site.entity(r.target) for r in refs]
        return bool(found) and all(isinstance(s, Source) and s.kind == "social" for s in found)

    items = [
        (ev.path, ev.page.meta_pos.get("sources"), ev.sources, ev.unconfirmed, "event")
        for ev in site.of_type(Event)
    ]
    items += [
        (a.path, r.pos, r.sources, r.unconfirmed, f"role '{r.id}'")
        for a in site.of_type(Actor)
        for r in a.roles
    ]
    for path, pos, refs, unconfirmed, what in items:
        if pos is not None and not unconfirmed and social(refs):
            yield Problem(path, pos.line, pos.col, "social-only", f"Every source of this {what} is a social-media "
                          "or forum post. Cite a primary or news source, or add 'unconfirmed: true'.")  # fmt: skip


@rule("process-talk", "warning", "A reader page says how the page was made ('the research', 'stored pages'): "
      "the phrases are listed in mkdocs.yml (`extra: briefing: process_phrases`).")  # fmt: skip
def check_process_talk(site: Site, *, today: date) -> Iterator[Problem]:
    """Reader pages say what is known and who says so, not how the site was researched (about.md is exempt)."""
    if not site.phrases:
        return
    pattern = re.compile("|".join(rf"\b{re.escape(p)}\b" for p in site.phrases), re.I)
    for page in site.pages:
        if page.path == "about.md":
            continue
        for m in pattern.finditer(page.body):
            line, col = line_col(page.body, m.start())
            yield Problem(page.path, page.body_line + line, col + 1, "process-talk", f"'{m[0]}' describes how the "
                          "page was made. Say what is known and who says so ('The exact day is not reported'; "
                          "'Sources differ: …'); the method belongs on about.md.")  # fmt: skip


def checks_in(scopes: tuple[str, ...] = SCOPES) -> list[Check]:
    """The check functions of the rules of these scopes, each once, in registration order."""
    return list(dict.fromkeys(r.check for r in RULES.values() if r.check is not None and r.scope in scopes))


def run_checks(site: Site, today: date) -> list[Problem]:
    """Every problem of the site: those found while loading, then every rule's, with levels, sorted by position."""
    return sort_problems([*site.problems, *(p for check in checks_in() for p in check(site, today=today))])


# --- re-checking only what can have changed (mkdocs serve) ------------------------------------


class ScopedSite:
    """The Site as the rules see it when only `paths` are re-checked: iterating (`pages`, `entity_list`,
    `of_type`) yields only those pages; every lookup (`entity`, `referrers`, `events_of`, ...) sees the whole
    graph, so a rule reports on a scoped page exactly what it would report in a full run."""

    def __init__(self, site: Site, paths: set[str]) -> None:
        self._site = site
        self.pages = tuple(p for p in site.pages if p.path in paths)
        self._paths = paths

    def entity_list(self) -> list:
        return [e for e in self._site.entity_list() if e.path in self._paths]

    def of_type(self, cls: type) -> list:
        return [e for e in self._site.of_type(cls) if e.path in self._paths]

    def __getattr__(self, name: str):
        return getattr(self._site, name)


def changed_paths(old: Site, new: Site) -> set[str] | None:
    """The pages that differ between two loads of the same set of files, or None when the set of pages or ids
    changed (then every suggestion may change: a full check is needed). Unchanged files keep their parsed Page
    objects (the loader's cache), so identity tells what changed."""
    before = {p.path: p for p in old.pages}
    after = {p.path: p for p in new.pages}
    if before.keys() != after.keys():
        return None
    changed = {path for path, page in after.items() if before[path] is not page}
    for path in changed:
        a, b = old.entity(before[path].id), new.entity(after[path].id)
        if (a is not None and a.path == path) != (b is not None and b.path == path) or (
            a is not None and b is not None and a.type != b.type
        ):
            return None
    return changed


def neighbours(old: Site, new: Site, paths: set[str]) -> set[str]:
    """`paths` and the pages they reference or that reference them, before or after the edit."""
    out = set(paths)
    for site in (old, new):
        for page in site.pages:
            if page.path not in paths:
                continue
            out.update(t.path for t in map(site.entity, (r.target for r in page.refs)) if t is not None)
            out.update(p.path for p in site.referrers(page.id))
    return out


class IncrementalChecks:
    """run_checks that remembers its last run: under `mkdocs serve`, a rebuild re-runs each rule only where its
    scope says its problems can have changed (`page`: the changed pages; `references`: those and their
    neighbours; `global`: everywhere), and keeps the other earlier problems. The result is always what run_checks
    would return (tests/test_incremental.py compares them edit by edit)."""

    def __init__(self) -> None:
        self.site: Site | None = None
        self.key: tuple | None = None
        self.found: dict[Check, list[Problem]] = {}  # each check's problems in the last run
        self.last_scope: int | None = (
            None  # pages re-checked by the last run for `references` rules (None: all)
        )

    def run(self, site: Site, today: date) -> list[Problem]:
        key = (today, site.review_in, site.tags_allowed, site.offices, site.office_gap, site.phrases)
        changed = changed_paths(self.site, site) if self.site is not None and key == self.key else None
        scopes = {"global": None}
        if changed is not None:
            scopes["page"] = changed
            scopes["references"] = neighbours(self.site, site, changed)
        found: dict[Check, list[Problem]] = {}
        for check in checks_in():
            paths = scopes.get(next(r.scope for r in RULES.values() if r.check is check))
            if paths is None:
                found[check] = list(check(site, today=today))
            else:
                kept = [p for p in self.found.get(check, ()) if p.path not in paths]
                found[check] = kept + list(check(ScopedSite(site, paths), today=today))
        self.site, self.key, self.found = site, key, found
        self.last_scope = None if changed is None else len(scopes["references"])
        return sort_problems([*site.problems, *(p for ps in found.values() for p in ps)])


# --- security: page text, titles, published files ---
# Loader-side: briefing.publish reports these while walking docs/, before MkDocs reads any file.
loader_rule(
    "symlink",
    "error",
    "A symbolic link under `docs/` (file or folder, wherever it points): the build would publish its target.",
)
loader_rule(
    "bad-file-name", "error", "A file name under `docs/` that is not UTF-8 or holds a control character."
)
loader_rule(
    "unpublishable-file",
    "error",
    "A file under `docs/` that is not a `.md` page, a raster image in an `assets` folder, or a file "
    "`mkdocs.yml` lists (`.html`, `.svg`, `.markdown`, ...).",
)

# What the theme prints unescaped from a page's title, description or tags: it decodes character references
# first (`striptags`), so `&lt;` is as dangerous as `<`. `'` and `&` are common in real titles and stay allowed.
NOT_PLAIN_RE = re.compile(r'[<>"\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]')
H1_LINE_RE = re.compile(r"^#[ \t]+(.*?)[ \t#]*$", re.M)


def _not_plain(value: str) -> str | None:
    """What makes a title, description or tag not plain text, or None."""
    if html.unescape(value) != value:
        return "a character reference (such as '&lt;' or '&#60;'), which the theme decodes"
    bad = NOT_PLAIN_RE.search(value)
    if bad is None:
        return None
    char = bad[0]
    if char in "<>":
        return f"'{char}', which the theme would print as HTML"
    if char == '"':
        return "'\"', which can end an HTML attribute; write typographic quotes (“…”) or single quotes"
    return f"the control character U+{ord(char):04X}"


def _first_heading(page) -> tuple[str, int, int] | None:
    """(text, 1-based line, column) of the page's first level-1 ATX heading outside code."""
    for m in H1_LINE_RE.finditer(page.body):
        if not any(a <= m.start() < b for a, b in page.code):
            line, col = line_col(page.body, m.start(1))
            return m[1], page.body_line + line, col + 1
    return None


@rule(
    "not-plain-text",
    "error",
    'A title, description or tag with `<`, `>`, `"`, a character reference (`&lt;`) or a control character.',
)
def check_plain_text(site: Site, *, today: date) -> Iterator[Problem]:
    """A page's effective title (front-matter `title`, else its first `#` heading), `description` and tags are
    plain text: MkDocs and Material print them unescaped in <title>, the header and the search index."""
    for page in site.pages:
        fields = list(page.text_fields)
        if not any(name == "title" for name, _, _ in fields):
            heading = _first_heading(page)
            if heading is not None:
                fields.append(("title", heading[0], Pos(heading[1], heading[2])))
        for name, value, pos in fields:
            why = _not_plain(value)
            if why:
                where = (
                    "heading (the page's title)"
                    if name == "title" and name not in page.meta_pos
                    else f"'{name}'"
                )
                yield Problem(
                    page.path,
                    pos.line,
                    pos.col,
                    "not-plain-text",
                    f"The {where} contains {why}. Titles, descriptions and tags are plain text: remove it.",
                )
        for tag in page.tags:
            why = _not_plain(tag.target)
            if why:
                yield Problem(
                    page.path,
                    tag.line,
                    tag.col,
                    "not-plain-text",
                    f"The tag '{tag.target}' contains {why}. Tags are plain text: remove it.",
                )


@rule(
    "generated-path",
    "error",
    "A page at a path the build generates: `docs/timeline/1999.md`, `docs/actors/index.md`, `docs/graph.md`.",
)
def check_generated_paths(site: Site, *, today: date) -> Iterator[Problem]:
    """No page sits where the build writes a generated one (it would be replaced, or replace it)."""
    for page in site.pages:
        if is_generated(page.path):
            yield Problem(
                page.path,
                1,
                1,
                "generated-path",
                f"docs/{page.path} is a page the build generates: the build would replace this file. Move "
                "the text to another page.",
            )


@rule(
    "url-collision",
    "error",
    "Two pages at one address: `docs/actors/canada.md` and `docs/actors/canada/index.md`, or a `redirect_from`.",
    "global",
)
def check_url_collisions(site: Site, *, today: date) -> Iterator[Problem]:
    """Each page, and each redirect a renamed page leaves, has an address of its own: one file would silently
    replace the other in the built site."""
    owner: dict[str, str] = {}
    for page in sorted(site.pages, key=lambda p: p.path):
        if page.path.startswith(SNIPPETS) or is_generated(page.path):
            continue
        url = url_of(page.path)
        if url in owner:
            yield Problem(
                page.path,
                1,
                1,
                "url-collision",
                f"docs/{page.path} and docs/{owner[url]} have the same address ('{url or '/'}'): one would "
                "replace the other. Rename or remove one of them.",
            )
        else:
            owner[url] = page.path
    for page in sorted(site.pages, key=lambda p: p.path):
        folder = page.path.rsplit("/", 1)[0] if "/" in page.path else ""
        for old in page.redirect_from:
            url = url_of(f"{folder}/{old}.md" if folder else f"{old}.md")
            if url in owner and owner[url] != page.path:
                pos = page.meta_pos.get("redirect_from", Pos(1, 1))
                yield Problem(
                    page.path,
                    pos.line,
                    pos.col,
                    "url-collision",
                    f"'redirect_from' leaves a redirect at '{url}', which is the address of docs/{owner[url]}: "
                    "the redirect would replace that page. Remove the old id from 'redirect_from'.",
                )


# code -> level, derived from the registry (read-only)
LEVELS = MappingProxyType({code: r.level for code, r in RULES.items()})
