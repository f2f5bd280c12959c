"""Typed, immutable model of the briefing: entities, dates, references, problems and the Site graph."""

# No `from __future__ import annotations` here: NamedTuple would turn each field annotation below into a
# typing.ForwardRef, which calls compile(), and a process's first compile() sets up the ast types: about ten
# million instructions at the start of every check.

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta
from functools import cached_property
from types import MappingProxyType
from typing import NamedTuple

ENTITY_TYPES = ("actor", "issue", "event", "source")
FOLDERS = {"actor": "actors", "issue": "issues", "event": "events", "source": "sources"}
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
EVENT_ID_PATTERN = re.compile(r"(\d{4}(?:-\d{2}(?:-\d{2})?)?)-[a-z0-9]+(?:-[a-z0-9]+)*")

MONTHS = ("January February March April May June July August September October November December").split()

# Rule code -> level. The one place where severity is decided (documented in CONTRIBUTING.md).
LEVELS: Mapping[str, str] = MappingProxyType(
    {
        # Input that cannot be read
        "not-utf8": "error",
        "empty-file": "error",
        "frontmatter-unclosed": "error",
        "invalid-yaml": "error",
        "frontmatter-not-mapping": "error",
        "yaml-alias": "error",
        "too-deep": "error",
        "too-large": "error",
        # Fields
        "unknown-type": "error",
        "unknown-field": "error",
        "missing-field": "error",
        "wrong-type": "error",
        "invalid-id": "error",
        "wrong-folder": "error",
        "duplicate-id": "error",
        "duplicate-role": "error",
        "duplicate-reference": "warning",
        "issue-status": "error",
        # References
        "unknown-reference": "error",
        "wrong-type-reference": "error",
        "unknown-anchor": "error",
        "malformed-reference": "error",
        "role-actor-not-listed": "error",
        "unknown-role": "error",
        "unreferenced": "warning",
        # Dates
        "invalid-date": "error",
        "date-order": "error",
        "future-date": "error",
        "role-tenure": "error",
        "lifespan": "error",
        "source-before-event": "error",
        "event-before-issue": "error",
        "resolves-mismatch": "error",
        "relative-time": "warning",
        "events-since-review": "notice",
        "review-overdue": "notice",
        # Sources
        "unknown-tag": "error",
        "insecure-url": "warning",
        "duplicate-url": "warning",
        # Hostile input
        "unsafe-html": "error",
        "include-outside-repo": "error",
    }
)
LEVEL_ORDER = {"error": 0, "warning": 1, "notice": 2}


# The small value types are NamedTuples: immutable and ordered like frozen dataclasses, but about five times
# cheaper to create, which matters for the tens of thousands of positions and references of a large site.


class Problem(NamedTuple):
    """One finding of the checks, at a 1-based line and column of a file under docs/. Sorted by position."""

    path: str
    line: int
    col: int
    code: str
    message: str

    @property
    def level(self) -> str:
        return LEVELS[self.code]


class PDate(NamedTuple):
    """A date of day, month or year precision, held as the interval of days it may denote."""

    text: str
    first: date
    last: date

    @property
    def precision(self) -> str:
        return {10: "day", 7: "month", 4: "year"}[len(self.text)]

    def human(self) -> str:
        """'24 September 2021', 'September 2021' or '2021', by precision."""
        out = _HUMAN.get(self.text)
        if out is None:
            if self.precision == "day":
                out = f"{self.first.day} {MONTHS[self.first.month - 1]} {self.first.year}"
            elif self.precision == "month":
                out = f"{MONTHS[self.first.month - 1]} {self.first.year}"
            else:
                out = str(self.first.year)
            _HUMAN[self.text] = out  # bounded by the days of the calendar that pages use
        return out

    def __str__(self) -> str:
        return self.text


_HUMAN: dict[
    str, str
] = {}  # date text -> its human form: the renderer asks for the same dates again and again
DATE_RE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_in_month(year: int, month: int) -> int:
    """The number of days of a month (1-12): calendar.monthrange(year, month)[1], without importing calendar."""
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return DAYS_IN_MONTH[month - 1] + (month == 2 and leap)


_DATES: dict[str, PDate | None] = {}  # text -> parse_date(text): pages repeat dates; bounded


def parse_date(text: str) -> PDate | None:
    """Return the interval that a YYYY, YYYY-MM or YYYY-MM-DD string denotes, or None if invalid."""
    try:
        return _DATES[text]
    except KeyError:
        pass
    out = _parse_date(text)
    if len(_DATES) < 50_000:
        _DATES[text] = out
    return out


def _parse_date(text: str) -> PDate | None:
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
            return PDate(text, date(year, mo, 1), date(year, mo, days_in_month(year, mo)))
        return PDate(text, date(year, 1, 1), date(year, 12, 31))
    except ValueError:
        return None


def close_matches(word: str, possibilities: Iterable[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
    """difflib.get_close_matches, with difflib imported only when a suggestion is wanted (most checks pass)."""
    import difflib

    return difflib.get_close_matches(word, possibilities, n, cutoff)


def certainly_before(a: PDate, b: PDate) -> bool:
    """True when every day of `a` lies before every day of `b`."""
    return a.last < b.first


class Pos(NamedTuple):
    line: int
    col: int


class Ref(NamedTuple):
    """A reference from a page to an entity id, with where it is written."""

    target: str
    field: str  # front-matter field ('actors', 'roles', 'roles.sources', ...) or 'text'
    line: int
    col: int
    anchor: str | None = None
    expected: tuple[str, ...] = ENTITY_TYPES


class Role(NamedTuple):
    id: str
    title: str
    start: PDate | None  # None: unknown
    end: PDate | None  # None: unknown or still held (see `open`)
    open: bool  # True when `end` is absent: still held as of last review
    sources: tuple[Ref, ...]
    pos: Pos


class DateField(NamedTuple):
    value: PDate
    pos: Pos


class KeyPositions(Mapping):
    """A page's front-matter keys and where each is (Pos), kept flat as [key, line, col, key, line, col, ...]
    and made a dict only when asked: two rules read it, while a Pos per key of every page would be most of the
    objects a large site's check keeps. A key given twice maps to its last position, as in a dict."""

    __slots__ = ("_flat", "_dict")

    def __init__(self, flat: list) -> None:
        self._flat = flat
        self._dict: dict[str, Pos] | None = None

    def _mapping(self) -> dict[str, Pos]:
        if self._dict is None:
            f = self._flat
            self._dict = {f[i]: Pos(f[i + 1], f[i + 2]) for i in range(0, len(f), 3)}
        return self._dict

    def __getitem__(self, key: str) -> Pos:
        return self._mapping()[key]

    def __iter__(self):
        return iter(self._mapping())

    def __len__(self) -> int:
        return len(self._mapping())

    def __repr__(self) -> str:
        return repr(self._mapping())


class Record:
    """Base of the model's larger records (pages, entities, the site), whose fields are set once, by __init__.

    Plain classes rather than frozen dataclasses: importing `dataclasses` (which imports `inspect`) and generating
    the classes cost the command-line check more at start-up than checking fifty pages. They behave as the
    dataclasses did: the same constructors, a dataclass-style repr, no assignment after construction, and
    equality by identity (only Site compares its fields).
    """

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field '{name}'")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field '{name}'")

    def __repr__(self) -> str:
        cls = type(self)
        # the instance __dict__ also holds the values that `cached_property` computed: not fields
        fields = [
            f"{k}={v!r}"
            for k, v in vars(self).items()
            if not isinstance(getattr(cls, k, None), cached_property)
        ]
        return f"{cls.__qualname__}({', '.join(fields)})"


class Page(Record):
    """Any Markdown page under docs/: its path, front matter positions, body and the references it makes."""

    path: str  # relative to docs/, POSIX
    type: str | None
    id: str
    meta_pos: Mapping[str, Pos]
    body: str
    body_line: int  # 1-based line in the file where the body starts
    refs: tuple[Ref, ...]
    title: str
    unclosed: tuple[tuple[int, int], ...]  # 0-based (line, col) of '[[' that opens no reference
    links: tuple  # the body's [[references]] (text.Link, with offsets): the renderer reuses them

    def __init__(
        self,
        path: str,
        type: str | None,
        id: str,
        meta_pos: Mapping[str, Pos],
        body: str,
        body_line: int,
        refs: tuple[Ref, ...],
        title: str,
        unclosed: tuple[tuple[int, int], ...] = (),
        links: tuple = (),
    ) -> None:
        self.__dict__.update(
            path=path,
            type=type,
            id=id,
            meta_pos=meta_pos,
            body=body,
            body_line=body_line,
            refs=refs,
            title=title,
            unclosed=unclosed,
            links=links,
        )

    @cached_property
    def anchors(self) -> frozenset[str]:
        """The ids of the body's headings, as the toc extension makes them. Computed on first use: only pages
        that a `[[id#anchor]]` points to need them."""
        from .text import heading_anchors

        return heading_anchors(self.body)[0]

    @cached_property
    def code(self) -> list[tuple[int, int]]:
        """Offsets of the body's code blocks and spans, computed once and shared by every body scan."""
        from .text import code_spans

        return code_spans(self.body)


class Entity(Record):
    """What every kind of entity has. A kind (Actor, Issue, Event, Source) declares its own fields once, as annotated
    class attributes holding their defaults; they become FIELDS, and the constructor takes them as keywords."""

    page: Page
    id: str
    type: str
    name: str
    summary: str
    last_reviewed: DateField | None
    review_in: str | None
    tags: tuple[Ref, ...]  # tag names, with positions (not entity references)
    FIELDS: Mapping[str, object] = MappingProxyType({})  # the kind's own fields and their defaults

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        own = cls.__dict__.get("__annotations__", {})
        cls.FIELDS = MappingProxyType({**cls.FIELDS, **{name: getattr(cls, name) for name in own}})

    def __init__(
        self,
        page: Page,
        id: str,
        type: str,
        name: str,
        summary: str = "",
        last_reviewed: DateField | None = None,
        review_in: str | None = None,
        tags: tuple[Ref, ...] = (),
        **fields: object,
    ) -> None:
        unknown = fields.keys() - self.FIELDS.keys()
        if unknown:
            raise TypeError(f"{self.__class__.__name__} has no field '{min(unknown)}'")
        values = dict(self.FIELDS)
        values.update(fields)
        self.__dict__.update(
            values,
            page=page,
            id=id,
            type=type,
            name=name,
            summary=summary,
            last_reviewed=last_reviewed,
            review_in=review_in,
            tags=tags,
        )

    @property
    def path(self) -> str:
        return self.page.path


class Actor(Entity):
    kind: str = ""
    native_name: str = ""
    aliases: tuple[str, ...] = ()
    born: DateField | None = None
    died: DateField | None = None
    founded: DateField | None = None
    dissolved: DateField | None = None
    roles: tuple[Role, ...] = ()


class Issue(Entity):
    status: str = ""
    started: DateField | None = None
    resolved: DateField | None = None
    actors: tuple[Ref, ...] = ()
    related: tuple[Ref, ...] = ()


class Event(Entity):
    date: DateField | None = None
    end: DateField | None = None
    announced: DateField | None = None
    place: str = ""
    actors: tuple[Ref, ...] = ()
    roles: tuple[tuple[Ref, str, Pos], ...] = ()  # (actor ref, role id, position of the role id)
    issues: tuple[Ref, ...] = ()
    resolves: tuple[Ref, ...] = ()
    sources: tuple[Ref, ...] = ()


class Source(Entity):
    publisher: str = ""
    url: str = ""
    published: DateField | None = None  # None with published_unknown=True: 'unknown'
    published_unknown: bool = False
    accessed: DateField | None = None
    archived: str = ""
    kind: str = ""


REVIEW_RE = re.compile(r"(\d+)\s+(day|week|month|year)s?")


def add_interval(start: date, interval: str) -> date | None:
    """`start` + '90 days' / '6 months' / '1 year'; None if the interval is not understood."""
    m = REVIEW_RE.fullmatch(interval.strip())
    if not m:
        return None
    n, unit = int(m[1]), m[2]
    try:
        if unit == "day":
            return start + timedelta(days=n)
        if unit == "week":
            return start + timedelta(weeks=n)
        months = n * (12 if unit == "year" else 1)
        y, mo = divmod(start.month - 1 + months, 12)
        y, mo = start.year + y, mo + 1
        return date(y, mo, min(start.day, days_in_month(y, mo)))
    except (OverflowError, ValueError):
        return date.max  # beyond the calendar: never due


class Site(Record):
    """The whole briefing as one graph: every page, and the entities by id."""

    pages: tuple[Page, ...]
    entities: Mapping[str, Entity]
    review_in: str
    tags_allowed: frozenset[str] | None  # None: tags are not restricted
    problems: tuple[Problem, ...]  # found while loading

    def __init__(
        self,
        pages: tuple[Page, ...],
        entities: Mapping[str, Entity],
        review_in: str = "6 months",
        tags_allowed: frozenset[str] | None = None,
        problems: tuple[Problem, ...] = (),
    ) -> None:
        self.__dict__.update(
            pages=pages, entities=entities, review_in=review_in, tags_allowed=tags_allowed, problems=problems
        )

    @cached_property
    def entity(self) -> Callable[[str], Entity | None]:
        """The entity with this id, or None: `entities.get` of a plain dict copy, which the checks call about ten
        times per page (the read-only view's get costs several times a dict's)."""
        return dict(self.entities).get

    def _key(self) -> tuple:
        return (self.pages, self.entities, self.review_in, self.tags_allowed, self.problems)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() == other._key()

    __hash__ = None  # equal by value, so not hashable by identity (nor by value: `entities` is a mapping)

    def of_type(self, cls: type) -> list:
        return list(self._by_type.get(cls, ()))

    def entity_list(self) -> list[Entity]:
        """Every entity: what a rule iterates over to report (lookups go through `entities`)."""
        return list(self.entities.values())

    def review_by(self, e: Entity) -> date | None:
        if e.last_reviewed is None:
            return None
        return add_interval(e.last_reviewed.value.last, e.review_in or self.review_in)

    def events_of(self, entity_id: str) -> list[Event]:
        """Events that involve an actor, concern an issue or cite a source, oldest first."""
        return list(self._events_by_target.get(entity_id, ()))

    def involving(self, entity_id: str) -> list[Event]:
        """Events whose actors, issues or resolved issues include `entity_id`, oldest first."""
        return list(self._involving.get(entity_id, ()))

    def events_by_year(self) -> dict[int, tuple[Event, ...]]:
        """Dated events by the year they start in, oldest year first, each year's events oldest first."""
        return dict(self._by_year)

    def referrers(self, entity_id: str) -> list[Page]:
        """Pages other than the entity's own that reference it in front matter or text."""
        return list(self._referrers.get(entity_id, ()))

    # Indexes, built once per Site on first use (a Site is immutable, so they never go stale).
    # cached_property writes to the instance __dict__ directly, which Record allows.

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

    def _index_events(self, refs_of) -> dict[str, tuple[Event, ...]]:
        out: dict[str, list[Event]] = {}
        for ev in sorted(self.of_type(Event), key=event_key):
            for target in {r.target for r in refs_of(ev)}:  # each event once per target, in event order
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
            for target in {r.target for r in page.refs}:  # each page once per target, in page order
                if target != page.id or page.type is None:
                    out.setdefault(target, []).append(page)
        return {k: tuple(v) for k, v in out.items()}


def event_key(ev: Event) -> tuple:
    d = ev.date.value if ev.date else None
    return (d.first if d else date.min, d.last if d else date.min, ev.id)
