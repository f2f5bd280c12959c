"""The benchmark's estimators, tables and serve poller (benchmarks/bench.py), on made-up runs and a tiny local
server: no timing thresholds here."""

from __future__ import annotations

import http.server
import math
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import bench  # noqa: E402


def runs(walls: list[float], stopped: int | None = None, rss_kb: int = 1024) -> list[bench.Run]:
    return [
        bench.Run(wall=w, rss_kb=rss_kb, rc=0, output="", timed_out=i == stopped) for i, w in enumerate(walls)
    ]


def site(pages: int, build: list[float], nohooks: list[float], check: float = 0.2, **kw: int) -> bench.Result:
    r = bench.Result(pages)
    r.samples["check"].runs = runs([check] * 3)
    r.samples["build"].runs = runs(build, **kw)
    r.samples["nohooks"].runs = runs(nohooks)
    return r


def test_pair_ratios_skip_stopped_pairs():
    assert bench.pair_ratios(runs([11.0, 9.0, 12.0], stopped=1), runs([10.0] * 3)) == [1.1, None, 1.2]


def test_balanced_ratios_cancel_the_order_of_a_pair():
    """Pairs alternate order; a second build 20% slower than the first, whatever it is, cancels out."""
    true, slow = 1.05, 1.2
    on = runs([10 * true * slow, 10 * true, 10 * true * slow, 10 * true])
    off = runs([10.0, 10 * slow, 10.0, 10 * slow])
    assert [round(q, 3) for q in bench.pair_ratios(on, off)] == [1.26, 0.875, 1.26, 0.875]
    assert [round(q, 6) for q in bench.balanced_ratios(on, off)] == [true, true]


def test_balanced_ratios_leave_out_a_couple_with_a_stopped_pair_and_an_odd_last_pair():
    on, off = runs([11.0, 9.0, 12.0, 12.0, 10.0], stopped=1), runs([10.0] * 5)
    assert bench.balanced_ratios(on, off) == [math.sqrt(1.2 * 1.2)]


def test_exponent_and_build_pairs():
    assert bench.exponent(1000, 2.0, 10_000, 20.0) == 1.0
    assert math.isnan(bench.exponent(1000, 0.0, 10_000, 20.0))
    assert [bench.build_pairs(n, 1) for n in (200, 1000, 5000, 10_000)] == [4, 4, 2, 2]
    assert all(bench.build_pairs(n, r) % 2 == 0 for n in (1000, 7000) for r in (1, 2, 3))


def test_verdicts():
    assert bench.verdict(0.4, 0.5, under=True) == "met"
    assert bench.verdict(0.5, 0.5, under=True) == "MISSED"
    assert bench.verdict(0.5, 0.5, under=False) == "met"
    assert bench.verdict(0.4, 0.5, under=True, lower=True).startswith("not established")
    assert bench.verdict(0.6, 0.5, under=True, lower=True) == "MISSED"
    assert bench.verdict(math.nan, 0.5, under=True) == "not measured"


def test_target_table():
    real = bench.Result(296, "real site")
    real.samples["check"].runs = runs([0.1, 0.12, 0.3])
    small = site(1000, [11.0, 9.0], [10.0, 10.0])
    large = site(10_000, [130.0, 150.0], [100.0, 100.0], check=6.0, rss_kb=2048 * 1024)
    serve = bench.Serve("events/x.md", on=[1.2, 1.4, None], off=[1.0, 1.1, 1.2])
    rows = {row[0]: row[1:] for row in bench.target_rows(real, [small, large], serve)}
    assert rows["`make check`, real site (296 pages)"] == ("0.12 s", "< 0.5 s", "met")
    assert rows["`make check`, 1,000 pages"] == ("0.20 s", "< 1 s", "met")
    assert rows["`make check`, 10,000 pages"] == ("6.00 s", "< 5 s", "MISSED")
    assert rows["build with hooks / without, 1,000 pages"] == ("0.99 (0.99–0.99, 1)", "≤ 1.3", "met")
    assert rows["build with hooks / without, 5,000 pages"] == ("—", "≤ 1.3", "not measured")
    assert rows["build with hooks / without, 10,000 pages"] == ("1.40 (1.40–1.40, 1)", "≤ 1.3", "MISSED")
    assert rows["scaling exponent, build (no hooks)"] == ("1.00 (1,000 → 10,000 pages)", "≤ 1.1", "met")
    assert rows["scaling exponent, build (hooks)"][2] == "MISSED"
    assert rows["peak memory of a build, 10,000 pages"] == (
        "2,048 MB (build (hooks))",
        "< 1,024 MB",
        "MISSED",
    )
    assert rows["`mkdocs serve`, real site: save → served, hooks on − off"] == (
        "+0.30 s (on 1.40, off 1.10)",  # an edit never served counts as infinitely slow
        "≤ 0.5 s",
        "met",
    )


def test_markdown_tables_render_every_site_and_stopped_runs():
    small = site(1000, [11.0, 9.0], [10.0, 10.0])
    stopped = site(5000, [60.0], [50.0], stopped=0)
    lines = bench.render(None, [small, stopped], bench.Serve("events/x.md", on=[1.0], off=[0.9]))
    text = "\n".join(lines)
    assert "| 1,000 | 0.20 s | 10.00 s | 10.00 s | 0.99 (0.99–0.99, 1) |" in text
    assert "> 60 s (stopped)" in text
    assert "| hooks on | 1.00 s (1.00–1.00, 1) | 1 of 1 |" in text
    assert "- 5,000 pages, build (hooks): 60.00+" in text
    targets = lines[lines.index("## Targets") + 2 : lines.index("## Each site (wall time, median)") - 1]
    assert len(targets) == 2 + 10 and all(line.count("|") == 5 for line in targets)


def test_strip_hooks_keeps_the_rest():
    text = "site_name: x\nsite_url: !ENV [U, 'http://a/']\nhooks:\n  - hooks/a.py\n- hooks/b.py\nplugins:\n  - search\n"
    assert bench.strip_hooks(text) == "site_name: x\nsite_url: !ENV [U, 'http://a/']\nplugins:\n  - search\n"
    assert bench.nav_targets([{"A": "a.md"}, {"B": [{"C": "b/index.md"}, "https://x.org/"]}]) == [
        "a.md",
        "b/index.md",
    ]


class _Page(http.server.BaseHTTPRequestHandler):
    """Serves the old page for the first three requests, then the new one (as a rebuild would)."""

    count = 0

    def do_GET(self) -> None:  # noqa: N802
        type(self).count += 1
        body = b"<p>old</p>" if self.count <= 3 else b"<p>old</p><p>bench-marker-1</p>"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_poll_until_waits_for_the_marker_on_a_local_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/page/"
        start = time.perf_counter()
        got = bench.poll_until(url, "bench-marker-1", start, limit=30, interval=0.001)
        assert got is not None and got >= 0 and _Page.count == 4
        assert bench.poll_until(url, "bench-marker-2", time.perf_counter(), limit=0.1, interval=0.01) is None
        assert bench.fetch(f"http://127.0.0.1:{bench.free_port()}/", 1) is None  # nothing listens there
    finally:
        server.shutdown()
        server.server_close()
