"""A synthetic briefing of n pages for the benchmark (benchmarks/bench.py): actors, issues, events and sources
that follow the content model and pass every rule of the check as of TODAY (the benchmark verifies that with the
real check before it times anything). Deterministic: the same n gives the same pages."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

TODAY = date(2026, 11, 29)  # the corpora are valid on this day
FIRST_DAY, LAST_DAY = date(2015, 1, 1), date(2026, 10, 31)  # every event lies in this range
REVIEWED = "2026-11-01"  # after every event, and less than review_in (6 months) before TODAY

GIVEN = tuple(
    "anne bao chen david elena feng grace hui ian jing karim lan marc nadia omar ping qing rosa sam tao una "
    "victor wei xin yan zoe".split()
)
FAMILY = tuple(
    "li wang zhang liu tremblay gagnon roy smith martin zhao huang wu bouchard cote lee chan morin lavoie "
    "fortin ho ma sun gauthier xu".split()
)
ORG_WORDS = tuple("northern pacific grain harbour maple jade river summit crown lotus".split())
ORG_KINDS = tuple("company institute council bank agency association ministry foundation".split())
OFFICE_TITLES = {
    "foreign-minister": "Minister of Foreign Affairs",
    "trade-minister": "Minister of International Trade",
    "ambassador": "Ambassador to China",
    "prime-minister": "Prime Minister",
    "spokesperson": "Foreign Ministry Spokesperson",
    "ceo": "Chief Executive Officer",
    "committee-chair": "Chair of the Standing Committee",
    "envoy": "Special Envoy",
}
OFFICES = tuple(OFFICE_TITLES)
TOPICS = tuple(
    "canola-trade detained-citizens tariffs telecom-security sanctions interference human-rights extradition "
    "fisheries visas students arctic".split()
)
HOSTS = tuple(
    "www.cbc.ca www.theglobeandmail.com www.reuters.com www.canada.ca www.fmprc.gov.cn www.scmp.com "
    "nationalpost.com www.ctvnews.ca apnews.com en.wikipedia.org www.xinhuanet.com globalnews.ca www.bbc.com "
    "www.thestar.com pm.gc.ca".split()
)
PLACES = ("Ottawa", "Beijing", "Vancouver", "Shenyang", "Toronto", "Geneva", "New York", "Bangkok", "Rome")
MONTHS = ("January February March April May June July August September October November December").split()
SENTENCES = (
    "Officials on both sides described the exchange in different terms, and the record of it is partial.",
    "The statement was published in English and Chinese, with small differences between the two versions.",
    "Analysts quoted at the time disagreed about what the move meant for the wider relationship.",
    "Neither government released a full account, so the sequence below rests on the cited reports.",
    "Trade figures for the period show the effect only with a delay of several months.",
)


@dataclass
class Role:
    id: str
    title: str
    start: str
    end: str | None
    first: date  # earliest day an event in this role may fall on
    last: date


@dataclass
class Actor:
    id: str
    name: str
    kind: str
    roles: list[Role] = field(default_factory=list)


@dataclass
class Issue:
    id: str
    title: str
    status: str
    resolved: str | None


@dataclass
class Counts:
    actors: int
    issues: int
    events: int
    sources: int

    @property
    def total(self) -> int:
        return self.actors + self.issues + self.events + self.sources


def counts_for(n: int) -> Counts:
    """About 10% actors, 5% issues (at least a few), 25% sources and the rest (about 60%) events."""
    actors, issues, sources = max(6, round(n * 0.10)), max(4, round(n * 0.05)), max(4, round(n * 0.25))
    return Counts(actors, issues, n - actors - issues - sources, sources)


def _at(d: date, precision: str) -> str:
    return {"day": d.isoformat(), "month": d.isoformat()[:7], "year": str(d.year)}[precision]


def _human(text: str) -> str:
    parts = text.split("-")
    if len(parts) == 3:
        return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return parts[0]


def _when(text: str) -> str:
    """'on 24 September 2021', 'in April 2015' or 'in 2015'."""
    return ("on " if len(text) == 10 else "in ") + _human(text)


def _first(text: str) -> date:
    parts = [int(p) for p in text.split("-")] + [1, 1]
    return date(parts[0], parts[1], parts[2])


def _day_between(rng: random.Random, lo: date, hi: date) -> date:
    return lo + timedelta(days=rng.randint(0, max(0, (hi - lo).days)))


def _precision(rng: random.Random, day: float, month: float) -> str:
    x = rng.random()
    return "day" if x < day else "month" if x < day + month else "year"


def _page(meta: list[str], body: str) -> str:
    return "---\n" + "\n".join(meta) + "\n---\n\n" + body


ACTOR_KINDS = ((0.05, "state"), (0.65, "person"), (0.92, "organization"), (1.0, "group"))


def make_actors(rng: random.Random, n: int) -> list[Actor]:
    actors = []
    for i in range(n):
        x = rng.random()
        kind = "state" if i < 2 else next(k for p, k in ACTOR_KINDS if x < p)
        if kind == "person":
            given, family = rng.choice(GIVEN), rng.choice(FAMILY)
            a = Actor(f"{given}-{family}-{i}", f"{given.title()} {family.title()} {i}", kind)
            for k in range(rng.choice((0, 1, 1, 2, 3))):
                start = _day_between(rng, date(2015, 1, 1), date(2024, 6, 30))
                end = _day_between(
                    rng, start + timedelta(days=200), min(start + timedelta(days=1800), LAST_DAY)
                )
                start_text = _at(start, _precision(rng, 0.3, 0.5))
                open_role = k > 0 and rng.random() < 0.3
                end_text = None if open_role else _at(end, _precision(rng, 0.3, 0.5))
                office = rng.choice(OFFICES)
                first, last = (
                    max(_first(start_text), FIRST_DAY),
                    LAST_DAY if open_role else min(end, LAST_DAY),
                )
                rid = f"{office}-{start.year}-{k}"
                a.roles.append(Role(rid, OFFICE_TITLES[office], start_text, end_text, first, last))
        elif kind == "state":
            a = Actor(f"state-{i}", f"State {i}", kind)
        elif kind == "group":
            a = Actor(f"group-{i}", f"{rng.choice(FAMILY).title()} community {i}", kind)
        else:
            w, k = rng.choice(ORG_WORDS), rng.choice(ORG_KINDS)
            a = Actor(f"{w}-{k}-{i}", f"{w.title()} {k.title()} {i}", kind)
        actors.append(a)
    return actors


def actor_page(rng: random.Random, a: Actor, issues: list[Issue], sources: list[str]) -> str:
    meta = ["type: actor", f"kind: {a.kind}", f"name: {a.name}"]
    if a.kind == "person":
        born = _day_between(rng, date(1940, 1, 1), date(1975, 12, 31))
        meta.append(f"born: {_at(born, _precision(rng, 0.6, 0.3))}")
        if rng.random() < 0.2:
            meta.append(f"aliases: [{a.name.split()[1]} {a.name.split()[0]}]")
    elif a.kind in ("organization", "state"):
        meta.append(f"founded: {rng.randint(1867, 2010)}")
    if a.roles:
        meta.append("roles:")
        for r in a.roles:
            meta += [f"  - id: {r.id}", f"    title: {r.title}", f"    start: {r.start}"]
            if r.end:
                meta.append(f"    end: {r.end}")
            meta.append(f"    sources: [{', '.join(rng.sample(sources, min(2, len(sources))))}]")
    meta += [
        f"summary: {a.name} is a {a.kind} that takes part in the relationship.",
        f"last_reviewed: {REVIEWED}",
    ]
    issue = rng.choice(issues)
    src = rng.choice(sources)
    body = (
        f"# {a.name}\n\n{a.name} appears in the record from 2015 on. See [[{issue.id}]] and "
        f"[[{issue.id}#what-is-contested|what is contested]] ([[{src}|a report]]).\n\n"
        f"## Role in Canada–China relations\n\n{rng.choice(SENTENCES)} {rng.choice(SENTENCES)}\n\n"
        f"## Sources\n\n- [[{src}]]\n"
    )
    return _page(meta, body)


def make_issues(rng: random.Random, n: int) -> list[Issue]:
    issues = []
    for i in range(n):
        status = ("resolved", "active", "active", "dormant", "resolved")[i % 5]
        resolved = None
        if status == "resolved":
            resolved = _day_between(rng, date(2016, 1, 1), LAST_DAY).isoformat()
        topic = TOPICS[i % len(TOPICS)]
        issues.append(Issue(f"{topic}-{i}", f"{topic.replace('-', ' ').capitalize()} {i}", status, resolved))
    return issues


def issue_page(rng: random.Random, issue: Issue, actors: list[Actor], issues: list[Issue]) -> str:
    started = _at(_day_between(rng, date(2014, 1, 1), date(2014, 12, 31)), _precision(rng, 0.4, 0.4))
    involved = rng.sample(actors, min(3, len(actors)))
    related = [o.id for o in rng.sample(issues, min(2, len(issues))) if o.id != issue.id]
    meta = [
        "type: issue",
        f"title: {issue.title}",
        f"summary: Whether the {issue.title.lower()} dispute can be settled.",
        f"status: {issue.status}",
        f"started: {started}",
    ]
    if issue.resolved:
        meta.append(f"resolved: {issue.resolved}")
    meta += [
        f"actors: [{', '.join(a.id for a in involved)}]",
        f"related: [{', '.join(related)}]",
        f"last_reviewed: {REVIEWED}",
    ]
    names = ", ".join(f"[[{a.id}]]" for a in involved)
    body = (
        f"# {issue.title}\n\n## What is contested\n\nThe dispute involves {names}. {rng.choice(SENTENCES)}"
        f"\n\n## Positions\n\n{rng.choice(SENTENCES)}\n\n## How it developed\n\n{rng.choice(SENTENCES)} "
        f"It began {_when(started)}.\n\n## What to watch\n\n{rng.choice(SENTENCES)}\n"
    )
    return _page(meta, body)


def generate_corpus(root: Path, n: int, seed: int = 20261129) -> Counts:  # noqa: C901 - one pass per page kind
    """Write docs/ for a briefing of about `n` pages that satisfies every rule of the checks."""
    rng = random.Random(seed + n)
    c = counts_for(n)
    docs = root / "docs"
    for folder in ("actors", "issues", "events", "sources"):
        (docs / folder).mkdir(parents=True, exist_ok=True)
    actors = make_actors(rng, c.actors)
    issues = make_issues(rng, c.issues)
    sources = [f"{rng.choice(HOSTS).split('.')[-2]}-source-{i}" for i in range(c.sources)]
    role_holders = [(a, r) for a in actors for r in a.roles]
    resolving = {i: issue for i, issue in enumerate(x for x in issues if x.resolved)}
    latest: dict[str, date] = {}  # source id -> the latest first day of the events that cite it
    src_text: dict[str, str] = {}
    previous: list[str] = []
    for i in range(c.events):
        actor_ids = [actors[i % len(actors)].id]  # round robin: every actor is referenced
        issue_ids = [issues[i % len(issues)].id]
        roles: list[tuple[str, str]] = []
        resolves = None
        if i in resolving:
            issue = resolving[i]
            text = issue.resolved or ""
            issue_ids, resolves = [issue.id], issue.id
        elif role_holders and rng.random() < 0.3:
            a, r = rng.choice(role_holders)
            text = _at(_day_between(rng, r.first, r.last), _precision(rng, 0.8, 0.15))
            roles.append((a.id, r.id))
            actor_ids.append(a.id)
        else:
            text = _at(_day_between(rng, FIRST_DAY, LAST_DAY), _precision(rng, 0.8, 0.15))
        for a in rng.sample(actors, rng.randint(0, 2)):
            actor_ids.append(a.id)
        if rng.random() < 0.3:
            issue_ids.append(rng.choice(issues).id)
        cited = [sources[i % len(sources)]] + rng.sample(sources, rng.randint(0, 2))
        actor_ids, issue_ids, cited = (list(dict.fromkeys(x)) for x in (actor_ids, issue_ids, cited))
        for s in cited:
            if _first(text) >= latest.get(s, date.min):
                latest[s], src_text[s] = _first(text), text
        eid = f"{text}-event-{i}-{rng.choice(TOPICS)}"
        topic = rng.choice(TOPICS).replace("-", " ")
        meta = [
            "type: event",
            f"title: Event {i} on {topic}",
            f"summary: What happened in event {i}.",
            f"date: {text}",
        ]
        if len(text) == 10 and rng.random() < 0.1:
            end = min(_first(text) + timedelta(days=rng.randint(1, 5)), LAST_DAY)
            meta.append(f"end: {end.isoformat()}")
        if len(text) == 10 and rng.random() < 0.05:
            meta.append(f"announced: {(_first(text) - timedelta(days=30)).isoformat()}")
        if rng.random() < 0.5:
            meta.append(f"place: {rng.choice(PLACES)}")
        meta.append(f"actors: [{', '.join(actor_ids)}]")
        if roles:
            meta += ["roles:"] + [f"  {a}: {r}" for a, r in roles]
        meta.append(f"issues: [{', '.join(issue_ids)}]")
        if resolves:
            meta.append(f"resolves: [{resolves}]")
        meta.append(f"sources: [{', '.join(cited)}]")
        body = (
            f"# Event {i}\n\n{_when(text)[0].upper() + _when(text)[1:]} [[{actor_ids[0]}]] acted in the "
            f"[[{issue_ids[0]}|{issue_ids[0].replace('-', ' ')}]] dispute ([[{cited[0]}]]). "
            f"{rng.choice(SENTENCES)}\n\n"
        )
        if len(actor_ids) > 1:
            body += f"[[{actor_ids[1]}]] responded {_when(text)}. {rng.choice(SENTENCES)}\n\n"
        if previous:
            body += f"It followed [[{rng.choice(previous)}|an earlier event]]. {rng.choice(SENTENCES)}\n\n"
        if i % 20 == 0:
            body += "Editors write a reference as `[[id]]`, which the code span keeps as text.\n\n"
        body += f"## Background\n\n{rng.choice(SENTENCES)} {rng.choice(SENTENCES)}\n"
        (docs / "events" / f"{eid}.md").write_text(_page(meta, body), encoding="utf-8")
        previous.append(eid)
        if len(previous) > 50:
            previous.pop(0)
    for i, sid in enumerate(sources):
        host = next(h for h in HOSTS if h.split(".")[-2] == sid.split("-source-")[0])
        published = "unknown" if i % 20 == 7 else src_text.get(sid, "2015")
        if published != "unknown" and len(published) == 10 and rng.random() < 0.2:
            published = published[:7]  # month precision: the interval still contains the event
        meta = [
            "type: source",
            f"title: Report {i} on {rng.choice(TOPICS).replace('-', ' ')}",
            f"publisher: {host.removeprefix('www.').split('.')[0].upper()} News",
            f"url: https://{host}/{published[:4] if published != 'unknown' else 'n-d'}/{sid}",
            f"published: {published}",
            f"kind: {'primary' if i % 3 == 0 else 'secondary'}",
        ]
        if i % 10 == 0:
            meta.append(f"archived: https://web.archive.org/web/2024/https://{host}/{sid}")
        if i % 4 == 0:
            meta.append(f"accessed: {REVIEWED}")
        body = f"# Report {i}\n\nA report by {host}, cited by the events below.\n"
        (docs / "sources" / f"{sid}.md").write_text(_page(meta, body), encoding="utf-8")
    for a in actors:
        (docs / "actors" / f"{a.id}.md").write_text(actor_page(rng, a, issues, sources), encoding="utf-8")
    for x in issues:
        (docs / "issues" / f"{x.id}.md").write_text(issue_page(rng, x, actors, issues), encoding="utf-8")
    (docs / "index.md").write_text(
        f'---\ntitle: "Synthetic briefing of {c.total} pages"\n---\n\n# Synthetic briefing\n\n'
        f"Actors such as [[{actors[0].id}]] and issues such as [[{issues[0].id}]].\n\n## Open issues\n\n"
        "<!-- briefing:open-issues -->\n\n## Latest events\n\n<!-- briefing:latest-events -->\n",
        encoding="utf-8",
    )
    return c
