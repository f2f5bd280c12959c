"""The rules: each a small pure function `check_<rule>(site, *, today) -> Iterator[Problem]`, registered in CHECKS.

No rule reads files, the clock or the environment, and none logs: they look at the Site and return Problems. The
level of each problem comes from `model.LEVELS`, never from the rule.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from .model import (
    Actor,
    Entity,
    Event,
    Issue,
    Problem,
    Ref,
    Site,
    Source,
    certainly_before,
    close_matches,
)

Check = Callable[..., Iterator[Problem]]


class LazyPattern:
    """A regular expression compiled on first use, for the rules' patterns: most pages never reach them (each rule
    tries a cheap gate first), and compiling them all at import cost as much as checking a dozen pages. An attribute
    of the compiled re.Pattern (search, finditer, sub, pattern...) is looked up once, then kept on the instance."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._pattern = pattern
        self._flags = flags

    def __getattr__(self, name: str) -> Any:
        # no public Pattern attribute starts with '_' (and copy or pickle, which ask before _pattern is set,
        # must not recurse)
        if name.startswith("_"):
            raise AttributeError(name)
        value = getattr(re.compile(self._pattern, self._flags), name)
        setattr(self, name, value)
        return value


def _suggest(word: str, choices: list[str]) -> str:
    folded = {c.lower(): c for c in choices}
    if word.lower() in folded:
        return f" Did you mean '{folded[word.lower()]}'? Ids are lowercase."
    close = close_matches(word, choices, 1, 0.6)
    return f" Did you mean '{close[0]}'?" if close else ""


def _where(ref: Ref) -> str:
    return "The text" if ref.field == "text" else f"'{ref.field}'"


# --- references -------------------------------------------------------------------------------


def check_references(site: Site, *, today: date) -> Iterator[Problem]:
    """Every referenced id exists, has the type its field expects, and any #anchor exists on its page."""
    ids_by_type: dict[str, list[str]] = defaultdict(list)  # filled when a suggestion is first needed
    cache: dict[tuple, str] = {}

    def suggest(word: str, types: tuple[str, ...]) -> str:
        # the same misspelling tends to recur; difflib is the slow part of a failing check
        if not ids_by_type:
            for e in site.entities.values():
                ids_by_type[e.type].append(e.id)
        if (word, types) not in cache:
            ids = [i for t in types for i in ids_by_type.get(t, ())] or list(site.entities)
            cache[word, types] = _suggest(word, ids)
        return cache[word, types]

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
                    f"{_where(ref)} refers to '{ref.target}', which is {_an(target.type)}, not "
                    f"{_an(wanted)}." + suggest(ref.target, ref.expected),
                )
            elif ref.anchor is not None and ref.anchor not in target.page.anchors:
                close = close_matches(ref.anchor, sorted(target.page.anchors), 1, 0.5)
                hint = f" Did you mean '#{close[0]}'?" if close else ""
                yield Problem(
                    page.path,
                    ref.line,
                    ref.col,
                    "unknown-anchor",
                    f"The text links to '{ref.target}#{ref.anchor}', but docs/{target.path} has no "
                    f"heading with that anchor.{hint}",
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


def _an(word: str) -> str:
    return ("an " if word[0] in "aeiou" else "a ") + word


def check_event_roles(site: Site, *, today: date) -> Iterator[Problem]:
    """An event's `roles` name actors listed in its `actors`, and role ids those actors have."""
    for ev in site.of_type(Event):
        listed = {r.target for r in ev.actors}
        for ref, role_id, pos in ev.roles:
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
                hint = _suggest(role_id, have) or (
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


def check_unreferenced(site: Site, *, today: date) -> Iterator[Problem]:
    """Actors, issues and sources that no other page references (events are listed by the timelines)."""
    for e in site.entity_list():
        if e.type != "event" and not any(p.id != e.id for p in site.referrers(e.id)):
            yield Problem(
                e.path,
                1,
                1,
                "unreferenced",
                f"No page references this {e.type} '{e.id}'. Cite it from an event, issue or "
                f"actor (e.g. `[[{e.id}]]`), or delete it.",
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


def check_tags(site: Site, *, today: date) -> Iterator[Problem]:
    """Tags come from the allowed list in mkdocs.yml (`extra: briefing: tags`)."""
    if site.tags_allowed is None:
        return
    allowed = sorted(site.tags_allowed)
    for e in site.entity_list():
        for tag in e.tags:
            if tag.target not in site.tags_allowed:
                close = close_matches(tag.target, allowed, 1, 0.6)
                hint = f" Did you mean '{close[0]}'?" if close else f" Allowed: {', '.join(allowed)}."
                yield Problem(
                    e.path,
                    tag.line,
                    tag.col,
                    "unknown-tag",
                    f"'tags' has '{tag.target}', which is not in the allowed list in mkdocs.yml "
                    f"(extra: briefing: tags).{hint}",
                )


def url_key(url: str) -> str:
    """What makes two source URLs the same document: no scheme, no 'www.', no trailing slash."""
    return re.sub(r"^https?://(www\.)?", "", url).rstrip("/")


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


def check_role_tenure(site: Site, *, today: date) -> Iterator[Problem]:
    """An event that gives an actor a role falls inside that role's tenure."""
    for ev in site.of_type(Event):
        if not ev.date:
            continue
        for ref, role_id, pos in ev.roles:
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


# Non-ASCII characters that re.IGNORECASE matches to an ASCII letter: 'İ' and 'ı' (i), 'ſ' (s), Kelvin 'K' (k).
# tests/test_fastpaths.py enumerates Unicode to prove the list complete.
CASE_TRAPS = ("\u0130", "\u0131", "\u017f", "\u212a")


def _may_contain(text: str, needles: tuple[str, ...]) -> bool:
    """A cheap gate before a case-insensitive regex scan: False only when no needle (lowercase ASCII) occurs
    in `text` in any case. A regex whose every match contains one of the needles then cannot match either."""
    if not text.isascii() and any(c in text for c in CASE_TRAPS):
        return True
    low = text.lower()
    for needle in needles:  # a plain loop: any() over a generator costs twice as much per needle
        if needle in low:
            return True
    return False


WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
RELATIVE_RE = LazyPattern(
    rf"\b(yesterday|today|tomorrow|recently|currently|at present|on (?:{WEEKDAYS})"
    r"|(?:last|next|this) (?:week|month|year))\b",
    re.I,
)
# Every match of RELATIVE_RE contains one of these
RELATIVE_WORDS = (
    "yesterday",
    "today",
    "tomorrow",
    "recently",
    "currently",
    "at present",
    *(f"on {day}" for day in WEEKDAYS.split("|")),
    *(f"{which} {unit}" for which in ("last", "next", "this") for unit in ("week", "month", "year")),
)
YEAR_RE = LazyPattern(r"\b(?:1[89]|20)\d\d\b")
MASK_RE = LazyPattern(
    r'"[^"\n]*"|“[^”]*”|«[^»]*»|\[[^\]\n]*\]\([^)\n]*\)|\[\[[^\]\n]*\]\]|<!--.*?-->|<[^>\n]+>'
    r"|^[ \t]*>.*$|https?://\S+",
    re.M | re.S,
)
H1_RE = LazyPattern(r"^# .*$", re.M)
SENTENCE_END_RE = LazyPattern(r"[.!?](?=\s)|\n\s*\n|^[ \t]*[-*#|]", re.M)


def _mask(text: str, code: list[tuple[int, int]]) -> str:
    """Blank out code, quotations, links, HTML and block quotes, keeping offsets."""
    chars = list(text)
    spans = code + [(m.start(), m.end()) for m in MASK_RE.finditer(text)]
    for a, b in spans:
        for i in range(a, b):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


LINE_START_RE = LazyPattern(r"[ \t]*(?:[-*+>][ \t]+|\d+[.)][ \t]+|#+[ \t]+)*")


def _sentence_start(body: str, offset: int) -> bool:
    """Whether `offset` begins a sentence: after . ! ?, or first on its line (list items and quotes included)."""
    line_start = body.rfind("\n", 0, offset) + 1
    if LINE_START_RE.fullmatch(body, line_start, offset):
        return True
    return body[line_start:offset].rstrip()[-1:] in (".", "!", "?", ":")


def check_relative_time(site: Site, *, today: date) -> Iterator[Problem]:
    """Relative time ('recently', 'on Monday', 'this year') only in a sentence that carries a date or year."""
    for page in site.pages:
        body = page.body
        if not _may_contain(body, RELATIVE_WORDS) or not RELATIVE_RE.search(body):
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
            line = page.body_line + body.count("\n", 0, m.start())
            col = m.start() - (body.rfind("\n", 0, m.start()) + 1) + 1
            yield Problem(
                page.path,
                line,
                col,
                "relative-time",
                f"'{m[0]}' is relative time in a sentence with no date: readers cannot tell when "
                "it was true. Anchor it, e.g. write 'As of March 2021, …'.",
            )


def events_since_review(site: Site, e: Entity) -> list[Event]:
    """Events involving `e` that certainly happened after its last review."""
    if e.last_reviewed is None:
        return []
    lr = e.last_reviewed.value
    return [ev for ev in site.involving(e.id) if ev.date and certainly_before(lr, ev.date.value)]


def check_events_since_review(site: Site, *, today: date) -> Iterator[Problem]:
    """Notice: a page reviewed before the newest event that involves it."""
    for e in site.entity_list():
        newer = events_since_review(site, e)
        if newer:
            p = e.last_reviewed.pos
            yield Problem(
                e.path,
                p.line,
                p.col,
                "events-since-review",
                f"{len(newer)} event{'s' if len(newer) > 1 else ''} since the last review "
                f"({e.last_reviewed.value.human()}); the newest is '{max(newer, key=_d).id}'. "
                "Review the page and update 'last_reviewed'.",
            )


def _d(ev: Event) -> date:
    return ev.date.value.first


def check_review_overdue(site: Site, *, today: date) -> Iterator[Problem]:
    """Notice: last_reviewed + review_in lies before today."""
    for e in site.entity_list():
        due = site.review_by(e)
        if due is not None and due < today:
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

UNSAFE_TAG_RE = LazyPattern(r"<\s*(script|iframe|object|embed|form|style)\b", re.I)
UNSAFE_ATTR_RE = LazyPattern(r"<[a-z][^>]*?\s(on[a-z]+)\s*=", re.I)
UNSAFE_URL_RE = LazyPattern(
    r"(?:\b(?:href|src|action|formaction|xlink:href)\s*=\s*[\"']?\s*|\]\(\s*<?|^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*<?)"
    r"((?:javascript|data|vbscript):|&#?\w+;?)",
    re.I | re.M,
)
# One cheap pass that every unsafe pattern below would also match: most pages stop here.
UNSAFE_QUICK_RE = LazyPattern(
    r"<\s*(?:script|iframe|object|embed|form|style)|\son[a-z]+\s*=|script:|data:|&#?\w+;", re.I
)
# Every match of UNSAFE_QUICK_RE contains one of these
UNSAFE_QUICK_WORDS = ("<", "=", "script:", "data:", "&")
INCLUDE_RE = LazyPattern(r"^[ \t]*-{1,}8<-{1,}[ \t]+[\"']?([^\"'\n]+?)[\"']?[ \t]*$")
BLOCK_MARK_RE = LazyPattern(r"^[ \t]*-{1,}8<-{1,}[ \t]*$")


def check_unsafe_html(site: Site, *, today: date) -> Iterator[Problem]:
    """Raw HTML is limited to a safe subset: no active elements, event handlers or script URLs."""
    for page in site.pages:
        body = page.body
        if not _may_contain(body, UNSAFE_QUICK_WORDS) or not UNSAFE_QUICK_RE.search(body):
            continue
        spans = page.code
        found = []
        for regex, what in (
            (UNSAFE_TAG_RE, "element <{}>"),
            (UNSAFE_ATTR_RE, "event-handler attribute '{}'"),
            (UNSAFE_URL_RE, "'{}' URL"),
        ):
            for m in regex.finditer(body):
                if any(a <= m.start() < b for a, b in spans):
                    continue
                label = what.format(m[1].lower())
                if regex is UNSAFE_URL_RE and m[1].startswith("&"):
                    label = f"entity-encoded URL scheme ('{m[1]}…')"
                found.append((m.start(1) if regex is not UNSAFE_TAG_RE else m.start(), label))
        for offset, what in sorted(found):
            line = page.body_line + body.count("\n", 0, offset)
            col = offset - (body.rfind("\n", 0, offset) + 1) + 1
            yield Problem(
                page.path,
                line,
                col,
                "unsafe-html",
                f"The page contains the {what}, which is not allowed: pages may not run scripts "
                "or embed other sites. Remove it; use Markdown for links and images.",
            )


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


def check_includes(site: Site, *, today: date) -> Iterator[Problem]:
    """`--8<--` includes stay inside the repository (paths are relative to the repository root)."""
    for page in site.pages:
        if "8<" not in page.body:
            continue
        for n, col, target in _include_targets(page.body):
            norm = posixpath.normpath(target.replace("\\", "/"))
            if (
                target.startswith(("/", "~"))
                or re.match(r"[A-Za-z]:", target)
                or norm.startswith("..")
                or "://" in target
            ):
                yield Problem(
                    page.path,
                    page.body_line + n,
                    col + 1,
                    "include-outside-repo",
                    f"The include '{target}' points outside the repository. Includes may only "
                    "name files inside it, relative to its root (e.g. 'docs/snippets/x.md').",
                )


CHECKS: tuple[Check, ...] = (
    check_references,
    check_malformed_references,
    check_event_roles,
    check_unreferenced,
    check_issue_status,
    check_tags,
    check_source_urls,
    check_date_order,
    check_future_dates,
    check_role_tenure,
    check_lifespan,
    check_source_dates,
    check_issue_events,
    check_relative_time,
    check_events_since_review,
    check_review_overdue,
    check_unsafe_html,
    check_includes,
)


def run_checks(site: Site, today: date) -> list[Problem]:
    """Every problem of the site: those found while loading, then every rule's, sorted by position."""
    problems = list(site.problems)
    for check in CHECKS:
        problems.extend(check(site, today=today))
    return sorted(set(problems))


# --- re-checking only what can have changed (mkdocs serve) ------------------------------------


class ScopedSite:
    """The Site as the rules see it when only `paths` are re-checked: iterating (`pages`, `entity_list`,
    `of_type`) yields only those pages; every lookup (`entities`, `referrers`, `events_of`, ...) sees the whole
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


def affected_paths(old: Site, new: Site) -> set[str] | None:
    """The pages whose problems can differ between two loads of the same set of files, or None when a full
    check is needed (a page was added or removed: the set of ids, and with it every suggestion, changed).

    Every rule that relates two pages follows a reference between them (front matter or text), so the
    problems of a page can change only if it changed, references a page that changed, or is referenced by
    one, before or after the edit. Sources sharing a URL with a changed source are added for the
    duplicate-URL rule. Unchanged files keep their parsed Page objects (the loader's cache), so identity
    tells what changed."""
    before = {p.path: p for p in old.pages}
    after = {p.path: p for p in new.pages}
    if before.keys() != after.keys():
        return None
    changed = [path for path, page in after.items() if before[path] is not page]
    for path in changed:  # an entity appeared, went or changed type: suggestions anywhere may change
        a, b = old.entities.get(before[path].id), new.entities.get(after[path].id)
        if (a is not None and a.path == path) != (b is not None and b.path == path) or (
            a is not None and b is not None and a.type != b.type
        ):
            return None
    out = set(changed)
    urls: set[str] = set()
    for path in changed:
        for site, page in ((old, before[path]), (new, after[path])):
            for ref in page.refs:
                target = site.entity(ref.target)
                if target is not None:
                    out.add(target.path)
            out.update(p.path for p in site.referrers(page.id))
            e = site.entity(page.id)
            if isinstance(e, Source) and e.path == path:
                urls.add(url_key(e.url))
    if urls:
        out.update(s.path for s in new.of_type(Source) if url_key(s.url) in urls)
    return out


class IncrementalChecks:
    """run_checks that remembers its last run: under `mkdocs serve`, a rebuild re-runs the rules only on the
    pages that `affected_paths` names, and keeps the earlier problems of every other page. The result is
    always what run_checks would return (tests/test_incremental.py compares them edit by edit)."""

    def __init__(self) -> None:
        self.site: Site | None = None
        self.key: tuple | None = None
        self.found: list[Problem] = []  # the rules' problems of the last run, without the loader's
        self.last_scope: int | None = None  # pages re-checked by the last run (None: all)

    def run(self, site: Site, today: date) -> list[Problem]:
        key = (today, site.review_in, site.tags_allowed)
        scope = affected_paths(self.site, site) if self.site is not None and key == self.key else None
        if scope is None:
            found = [p for check in CHECKS for p in check(site, today=today)]
        else:
            view = ScopedSite(site, scope)
            kept = [p for p in self.found if p.path not in scope]
            found = kept + [p for check in CHECKS for p in check(view, today=today)]
        self.site, self.key, self.found = site, key, found
        self.last_scope = None if scope is None else len(scope)
        return sorted(set(site.problems) | set(found))
