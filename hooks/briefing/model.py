"""The typed graph of the briefing: entities, dates, references, problems, and the Site with its shared predicates.

Everything here is an immutable value (frozen dataclasses). The front-matter room builds these values; the checks
and the renderer only read them, and ask the Site the questions both need (events since the last review, whether
a review is overdue, the events of an entity).
"""

from __future__ import annotations

import calendar
import difflib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from types import MappingProxyType

from dateutil.relativedelta import relativedelta

ENTITY_TYPES = ("actor", "issue", "event", "source")
FOLDERS = {"actor": "actors", "issue": "issues", "event": "events", "source": "sources"}
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
EVENT_ID_PATTERN = re.compile(r"(\d{4}(?:-\d{2}(?:-\d{2})?)?)-[a-z0-9]+(?:-[a-z0-9]+)*")
DEFAULT_REVIEW_IN = "6 months"
REVIEW_RE = re.compile(r"(\d+)\s+(day|week|month|year)s?")
DATE_RE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
MONTHS = tuple(calendar.month_name)[1:]


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule of the checks: a stable code, its level, the function that finds it (None for the rules the loader
    applies while reading a page), a one-line description with a failing example, and its scope for the
    incremental re-check of `mkdocs serve`:

    - `page`: a page's problems depend on that page alone;
    - `references`: also on the pages it references or that reference it;
    - `global`: on the whole site (always re-checked).
    """

    code: str
    level: str
    check: Callable[..., Iterator[Problem]] | None
    doc: str
    scope: str = "page"


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One finding, at a 1-based line and column of a file under docs/. Sorted by position. Its level is its
    code's, from the rule registry (checks.RULES): neither a rule nor the loader chooses it."""

    path: str
    line: int
    col: int
    code: str
    message: str


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems in order of path, line, column and code, each once."""
    return sorted(set(problems))


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.6, prefix: str = "") -> str:
    """' Did you mean 'x'?' for the closest choice (a case-only difference first), or ''."""
    choices = list(choices)
    folded = {c.lower(): c for c in choices}
    if word.lower() in folded and folded[word.lower()] != word:
        return f" Did you mean '{prefix}{folded[word.lower()]}'? Ids are lowercase."
    close = difflib.get_close_matches(word, choices, 1, cutoff)
    return f" Did you mean '{prefix}{close[0]}'?" if close else ""


def a_or_an(word: str) -> str:
    """'an event', 'a source'."""
    return ("an " if word[:1] in "aeiou" else "a ") + word


# --- dates --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PDate:
    """A date of day, month or year precision, held as the interval of days it may denote."""

    text: str
    first: date
    last: date

    @property
    def precision(self) -> str:
        return {10: "day", 7: "month", 4: "year"}[len(self.text)]

    def human(self) -> str:
        """'24 September 2021', 'September 2021' or '2021', by precision."""
        d = self.first
        return {
            "day": f"{d.day} {MONTHS[d.month - 1]} {d.year}",
            "month": f"{MONTHS[d.month - 1]} {d.year}",
            "year": str(d.year),
        }[self.precision]

    def __str__(self) -> str:
        return self.text


def parse_date(text: str) -> PDate | None:
    """The interval that a YYYY, YYYY-MM or YYYY-MM-DD string denotes, or None if it is not a calendar date."""
    m = DATE_RE.fullmatch(text)
    if not m:
        return None
    year, month, day = int(m[1]), m[2], m[3]
    try:
        if day:
            d = date(year, int(month), int(day))
            return PDate(text, d, d)
        if month:
            mo = int(month)
            return PDate(text, date(year, mo, 1), date(year, mo, calendar.monthrange(year, mo)[1]))
        return PDate(text, date(year, 1, 1), date(year, 12, 31))
    except ValueError:
        return None


def certainly_before(a: PDate, b: PDate) -> bool:
    """True when every day of `a` lies before every day of `b`."""
    return a.last < b.first


def add_interval(start: date, interval: str) -> date | None:
    """`start` + '90 days' / '6 months' / '1 year' (a month's end is kept in range); None if not understood."""
    m = REVIEW_RE.fullmatch(interval.strip())
    if not m:
        return None
    n, unit = int(m[1]), m[2]
    try:
        return start + relativedelta(**{unit + "s": n})
    except (OverflowError, ValueError):
        return date.max  # beyond the calendar: never due


# --- values of the front matter -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Pos:
    line: int
    col: int


@dataclass(frozen=True, slots=True)
class Ref:
    """A reference from a page to an entity id, with where it is written."""

    target: str
    field: str  # front-matter field ('actors', 'roles', 'roles.sources', ...) or 'text'
    line: int
    col: int
    anchor: str | None = None
    expected: tuple[str, ...] = ENTITY_TYPES


@dataclass(frozen=True, slots=True)
class DateField:
    value: PDate
    pos: Pos


@dataclass(frozen=True, slots=True)
class Role:
    id: str
    title: str
    start: DateField | None  # None: unknown
    end: DateField | None  # None: unknown or still held (see `open`)
    open: bool  # True when `end` is absent: still held as of the last review
    sources: tuple[Ref, ...]
    pos: Pos
    office: str = ""  # the public office, shared by all its holders' roles ('canada-foreign-minister')
    unconfirmed: bool = False  # the tenure rests on social posts only

    def holds_on(self, day: date) -> bool:
        """Whether the tenure certainly covers `day`: started, and not ended (an `end: unknown` never covers)."""
        if self.start is None or self.start.value.last > day:
            return False
        return self.open or (self.end is not None and self.end.value.first >= day)


@dataclass(frozen=True, slots=True)
class Suspension:
    """A period in which a measure did not apply; it may end after today (the measure then applies again)."""

    start: DateField
    until: DateField
    suspended_by: Ref | None
    pos: Pos


@dataclass(frozen=True, slots=True)
class Measure:
    """A measure an event puts in force: who imposes it on whom, what it is, and the days it applies."""

    id: str
    by: Ref
    on: tuple[Ref, ...]
    what: str
    start: DateField  # `from`; the event's date when not given
    until: DateField | None  # last day in force; None: still in force, or ended on an unknown day
    until_unknown: bool  # `until: unknown`: ended, day not known
    confirmed: DateField | None  # last day a source or review confirmed it still stands
    ended_by: Ref | None
    suspended: tuple[Suspension, ...]
    pos: Pos

    def in_force(self, day: date) -> bool:
        """In force on `day`: from <= day <= until, and inside no suspension (by certainty of the intervals)."""
        if self.until_unknown or self.start.value.last > day:
            return False
        if self.until is not None and self.until.value.first < day:
            return False
        return not any(self.suspended_on(day, s) for s in self.suspended)

    @staticmethod
    def suspended_on(day: date, s: Suspension) -> bool:
        return s.start.value.first <= day <= s.until.value.last


@dataclass(frozen=True, slots=True)
class EventRole:
    """An event's `roles` entry: the office an actor acted in."""

    actor: Ref
    role: str
    pos: Pos  # of the role id


@dataclass(frozen=True, slots=True)
class Link:
    """A [[reference]] in a page's body: offsets and 0-based line and column in the body."""

    start: int
    end: int
    line: int
    col: int
    target: str
    anchor: str | None
    label: str | None


@dataclass(frozen=True, slots=True, eq=False)
class Page:
    """Any Markdown page under docs/: its path, front-matter key positions, body and the references it makes."""

    path: str  # relative to docs/, POSIX
    type: str | None
    id: str
    meta_pos: Mapping[str, Pos]
    body: str
    body_line: int  # 1-based line in the file where the body starts
    refs: tuple[Ref, ...]
    title: str
    unclosed: tuple[tuple[int, int], ...] = ()  # 0-based (line, col) of '[[' that opens no reference
    links: tuple[Link, ...] = ()  # the body's [[references]]
    redirect_from: tuple[str, ...] = ()  # earlier ids of this page, whose addresses redirect here
    anchors: frozenset[str] = frozenset()  # the ids of the body's headings
    code: tuple[tuple[int, int], ...] = ()  # offsets of the body's code blocks and spans
    # The front matter's `title` and `description` as written (the theme prints them unescaped), with positions
    text_fields: tuple[tuple[str, str, Pos], ...] = ()
    tags: tuple[Ref, ...] = ()  # `tags`, of any page (names with positions, not entity references)


@dataclass(frozen=True, slots=True, eq=False)
class Entity:
    """What every kind of entity has; each kind adds its own fields, all with defaults."""

    page: Page
    id: str
    type: str
    name: str
    summary: str = ""
    last_reviewed: DateField | None = None
    review_in: str | None = None
    tags: tuple[Ref, ...] = ()  # tag names with positions (not entity references)

    @property
    def path(self) -> str:
        return self.page.path


@dataclass(frozen=True, slots=True, eq=False)
class Actor(Entity):
    kind: str = ""
    native_name: str = ""
    aliases: tuple[str, ...] = ()
    born: DateField | None = None
    died: DateField | None = None
    founded: DateField | None = None
    dissolved: DateField | None = None
    roles: tuple[Role, ...] = ()


@dataclass(frozen=True, slots=True, eq=False)
class Issue(Entity):
    status: str = ""
    started: DateField | None = None
    resolved: DateField | None = None
    actors: tuple[Ref, ...] = ()
    related: tuple[Ref, ...] = ()


@dataclass(frozen=True, slots=True, eq=False)
class Event(Entity):
    date: DateField | None = None
    end: DateField | None = None
    announced: DateField | None = None
    place: str = ""
    actors: tuple[Ref, ...] = ()
    roles: tuple[EventRole, ...] = ()
    issues: tuple[Ref, ...] = ()
    resolves: tuple[Ref, ...] = ()
    sources: tuple[Ref, ...] = ()
    measures: tuple[Measure, ...] = ()
    unconfirmed: bool = False  # rests on social posts only: shown as unconfirmed


@dataclass(frozen=True, slots=True, eq=False)
class Source(Entity):
    publisher: str = ""
    url: str = ""
    published: DateField | None = None  # None: 'unknown'
    accessed: DateField | None = None
    archived: str = ""
    kind: str = ""  # primary | secondary | copy | social
    copy_of: str = ""  # for a copy: the original publisher
    original_url: str = ""  # for a copy: the original's address, when known


KINDS: Mapping[str, type[Entity]] = MappingProxyType(
    {"actor": Actor, "issue": Issue, "event": Event, "source": Source}
)


def _tenure_order(t: Tenure) -> tuple:
    start = t.role.start.value.first if t.role.start else date.max
    return (start, t.actor.id)


def event_key(ev: Event) -> tuple:
    d = ev.date.value if ev.date else None
    return (d.first if d else date.min, d.last if d else date.min, ev.id)


# --- the graph ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Office:
    """A tracked public office (mkdocs.yml, `extra: briefing: offices`)."""

    id: str
    label: str
    side: str  # canada | china
    label_fr: str = ""


@dataclass(frozen=True, slots=True)
class Tenure:
    """One holder's role in an office."""

    actor: Actor
    role: Role


@dataclass(frozen=True, slots=True)
class MeasureChange:
    """The first day of a new state of a measure: it took effect, ceased to apply (the day after `until`), was
    suspended, or applied again (the day after a suspension)."""

    day: date
    what: str  # 'took effect' | 'ceased to apply' | 'was suspended' | 'applied again'
    measure: Measure
    event: Event


@dataclass(frozen=True)
class Site:
    """The whole briefing as one graph: every page, the entities by id, and the questions checks and render share.

    Immutable: its indexes are computed on first use and never go stale."""

    pages: tuple[Page, ...]
    entities: Mapping[str, Entity]
    review_in: str = DEFAULT_REVIEW_IN
    tags_allowed: frozenset[str] | None = None  # None: tags are not restricted
    problems: tuple[Problem, ...] = ()  # found while loading
    offices: Mapping[str, Office] = field(default_factory=lambda: MappingProxyType({}))  # tracked, in order
    office_gap: str = "120 days"  # a longer gap between two holders of a tracked office is a notice
    phrases: tuple[str, ...] = ()  # phrases about our own process that reader pages must not use

    def entity(self, entity_id: str) -> Entity | None:
        return self.entities.get(entity_id)

    def of_type(self, cls: type) -> list:
        return list(self._by_type.get(cls, ()))

    def entity_list(self) -> list[Entity]:
        """Every entity: what a rule iterates over to report (lookups go through `entity`)."""
        return list(self.entities.values())

    def events_of(self, entity_id: str) -> list[Event]:
        """Events that involve an actor, concern an issue or cite a source, oldest first."""
        return list(self._events_by_target.get(entity_id, ()))

    def involving(self, entity_id: str) -> list[Event]:
        """Events whose actors, issues or resolved issues include `entity_id`, oldest first."""
        return list(self._involving.get(entity_id, ()))

    def events_by_year(self) -> dict[int, tuple[Event, ...]]:
        """Dated events by the year they start in, oldest year first, each year's events oldest first."""
        return dict(self._by_year)

    def adjacent(self, ev: Event, within: str | None = None) -> tuple[Event | None, Event | None]:
        """The events just before and after `ev`, among all events or among those of one entity."""
        order, index = self._order(within)
        i = index.get(ev.id)
        if i is None:
            return None, None
        return (order[i - 1] if i > 0 else None), (order[i + 1] if i + 1 < len(order) else None)

    def _order(self, within: str | None) -> tuple[tuple[Event, ...], dict[str, int]]:
        if within not in self._orders:
            order = self._all_events if within is None else self._events_by_target.get(within, ())
            self._orders[within] = (order, {e.id: i for i, e in enumerate(order)})
        return self._orders[within]

    @cached_property
    def _orders(self) -> dict:
        return {}

    @cached_property
    def _all_events(self) -> tuple[Event, ...]:
        return tuple(sorted(self.of_type(Event), key=event_key))

    def referrers(self, entity_id: str) -> list[Page]:
        """Pages other than the entity's own that reference it in front matter or text."""
        return list(self._referrers.get(entity_id, ()))

    def review_by(self, e: Entity) -> date | None:
        """The day the entity's next review is due: last_reviewed + review_in (the site's default if unset)."""
        if e.last_reviewed is None:
            return None
        return add_interval(e.last_reviewed.value.last, e.review_in or self.review_in)

    def overdue(self, e: Entity, today: date) -> bool:
        due = self.review_by(e)
        return due is not None and due < today

    def events_since_review(self, e: Entity) -> list[Event]:
        """Events involving `e` that certainly happened after its last review, oldest first."""
        if e.last_reviewed is None:
            return []
        lr = e.last_reviewed.value
        return [ev for ev in self.involving(e.id) if ev.date and certainly_before(lr, ev.date.value)]

    def holders(self, office: str) -> list[Tenure]:
        """The holders of an office, ordered by the start of their tenure (unknown starts last)."""
        return list(self._holders.get(office, ()))

    def holding(self, office: str, day: date) -> list[Tenure]:
        """Who certainly holds an office on `day` (two at most, on a hand-over day)."""
        return [t for t in self.holders(office) if t.role.holds_on(day)]

    def neighbours(self, actor: Actor, role: Role) -> tuple[Tenure | None, Tenure | None]:
        """The predecessor and successor of a tenure in its office."""
        tenures = self.holders(role.office)
        i = next((n for n, t in enumerate(tenures) if t.role is role), None)
        if i is None:
            return None, None
        return (tenures[i - 1] if i > 0 else None), (tenures[i + 1] if i + 1 < len(tenures) else None)

    def measures(self) -> list[tuple[Measure, Event]]:
        """Every measure with the event that puts it in force, in order of their start."""
        return list(self._measures)

    def in_force(self, day: date) -> list[tuple[Measure, Event]]:
        return [(m, ev) for m, ev in self._measures if m.in_force(day)]

    def measure_changes(self, m: Measure, ev: Event) -> list[MeasureChange]:
        """The first days of each state of a measure: in force, no longer, suspended, in force again."""
        out = [MeasureChange(m.start.value.first, "took effect", m, ev)]
        if m.until is not None:
            out.append(MeasureChange(m.until.value.last + timedelta(days=1), "ceased to apply", m, ev))
        for s in m.suspended:
            out.append(MeasureChange(s.start.value.first, "was suspended", m, ev))
            out.append(MeasureChange(s.until.value.last + timedelta(days=1), "applied again", m, ev))
        return sorted(out, key=lambda c: c.day)

    def changes_since_review(self, issue: Entity, today: date) -> list[MeasureChange]:
        """Changes of the measures of an issue's events after the issue's last review, up to today."""
        if issue.last_reviewed is None:
            return []
        lr = issue.last_reviewed.value.last
        return [
            c
            for m, ev in self._measures
            if any(r.target == issue.id for r in ev.issues)
            for c in self.measure_changes(m, ev)
            if lr < c.day <= today
        ]

    def unconfirmed(self, m: Measure, today: date) -> bool:
        """A measure with no end whose last confirmation is older than the site's review interval."""
        if m.until is not None or m.until_unknown or m.confirmed is None:
            return False
        due = add_interval(m.confirmed.value.last, self.review_in)
        return due is not None and due < today

    @cached_property
    def page_paths(self) -> frozenset[str]:
        """The docs/ path of every page (snippets included)."""
        return frozenset(p.path for p in self.pages)

    # Indexes, built once per Site on first use.

    @cached_property
    def _holders(self) -> dict[str, tuple[Tenure, ...]]:
        out: dict[str, list[Tenure]] = {}
        for a in self.of_type(Actor):
            for r in a.roles:
                if r.office:
                    out.setdefault(r.office, []).append(Tenure(a, r))
        return {k: tuple(sorted(v, key=_tenure_order)) for k, v in out.items()}

    @cached_property
    def _measures(self) -> tuple[tuple[Measure, Event], ...]:
        pairs = [(m, ev) for ev in self.of_type(Event) for m in ev.measures]
        return tuple(sorted(pairs, key=lambda p: (p[0].start.value.first, p[0].id)))

    @cached_property
    def _by_type(self) -> dict[type, tuple[Entity, ...]]:
        out: dict[type, list[Entity]] = {}
        for e in self.entities.values():
            for cls in type(e).__mro__:
                out.setdefault(cls, []).append(e)
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def _events_by_target(self) -> dict[str, tuple[Event, ...]]:
        return self._index_events(lambda ev: ev.actors + ev.issues + ev.sources + ev.resolves)

    @cached_property
    def _involving(self) -> dict[str, tuple[Event, ...]]:
        return self._index_events(lambda ev: ev.actors + ev.issues + ev.resolves)

    def _index_events(self, refs_of: Callable[[Event], tuple[Ref, ...]]) -> dict[str, tuple[Event, ...]]:
        out: dict[str, list[Event]] = {}
        for ev in sorted(self.of_type(Event), key=event_key):
            for target in dict.fromkeys(r.target for r in refs_of(ev)):  # each event once per target
                out.setdefault(target, []).append(ev)
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def _by_year(self) -> dict[int, tuple[Event, ...]]:
        out: dict[int, list[Event]] = {}
        for ev in sorted(self.of_type(Event), key=event_key):
            if ev.date:
                out.setdefault(ev.date.value.first.year, []).append(ev)
        return {y: tuple(out[y]) for y in sorted(out)}

    @cached_property
    def _referrers(self) -> dict[str, tuple[Page, ...]]:
        out: dict[str, list[Page]] = {}
        for page in self.pages:
            for target in dict.fromkeys(r.target for r in page.refs):  # each page once per target
                if target != page.id or page.type is None:
                    out.setdefault(target, []).append(page)
        return {k: tuple(v) for k, v in out.items()}
