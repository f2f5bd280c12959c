"""Tests of briefing.links, offline: a local HTTP server on 127.0.0.1 (random port, a thread) is the web."""

from __future__ import annotations

import textwrap
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from briefing import links
from briefing.links import Checker, Link, Outcome, Pacer, render_link_report, same_address


class Web(ThreadingHTTPServer):
    daemon_threads = True  # a handler still hanging must not keep the test run alive

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.seen: list[tuple[str, str, str]] = []  # (method, path, User-Agent)
        self.stop = threading.Event()


class Handler(BaseHTTPRequestHandler):
    """/ok 200; /old 301 to /ok; /slash 301 to /slash/; /missing 404; /nohead 405 to HEAD, 200 to GET;
    /hang answers after 5 s; /error 500; /loop redirects to itself."""

    server: Web

    def log_message(self, format: str, *args: object) -> None:  # keep the test output clean
        pass

    def do_HEAD(self) -> None:
        self.answer("HEAD")

    def do_GET(self) -> None:
        self.answer("GET")

    def answer(self, method: str) -> None:
        self.server.seen.append((method, self.path, self.headers.get("User-Agent", "")))
        routes: dict[str, tuple[int, str | None]] = {
            "/ok": (200, None),
            "/slash/": (200, None),
            "/old": (301, "/ok"),
            "/slash": (301, "/slash/"),
            "/missing": (404, None),
            "/nohead": ((405, None) if method == "HEAD" else (200, None)),
            "/error": (500, None),
            "/loop": (302, "/loop"),
        }
        if self.path == "/hang":
            self.server.stop.wait(5)
            routes["/hang"] = (200, None)
        status, location = routes.get(self.path, (404, None))
        body = b"<p>page</p>" if status == 200 else b""
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if method == "GET":
            self.wfile.write(body)


@pytest.fixture
def web() -> Iterator[tuple[Web, str]]:
    server = Web()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.stop.set()
        server.shutdown()
        server.server_close()


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy from the environment must not carry requests meant for 127.0.0.1."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


def test_classifies_each_answer(web: tuple[Web, str]) -> None:
    """Check that 200, redirects, 404, 500, refused HEAD, redirect loops and hangs are classified."""
    _, base = web
    checker = Checker(timeout=1, delay=0)
    got = {
        path: checker.check(base + path)
        for path in ("/ok", "/old", "/slash", "/missing", "/nohead", "/error", "/loop")
    }
    assert got["/ok"] == Outcome(base + "/ok", "ok", base + "/ok", 200, "200 OK")
    assert got["/old"] == Outcome(base + "/old", "moved", base + "/ok", 200, "200 OK")
    assert got["/slash"] == Outcome(base + "/slash", "ok", base + "/slash/", 200, "200 OK")
    assert got["/missing"] == Outcome(base + "/missing", "dead", base + "/missing", 404, "404 Not Found")
    assert got["/nohead"] == Outcome(base + "/nohead", "ok", base + "/nohead", 200, "200 OK")
    assert got["/error"] == Outcome(
        base + "/error", "dead", base + "/error", 500, "500 Internal Server Error"
    )
    assert (got["/loop"].state, got["/loop"].detail) == ("dead", "more than 10 redirects")


def test_hang_is_a_timeout(web: tuple[Web, str]) -> None:
    """Check that a server that does not answer within the timeout makes the link dead, after about 1 s."""
    _, base = web
    started = time.monotonic()
    outcome = Checker(timeout=1, delay=0).check(base + "/hang")
    assert outcome == Outcome(base + "/hang", "dead", base + "/hang", None, "timeout after 1 s")
    assert time.monotonic() - started < 4


def test_connection_refused_is_dead() -> None:
    """Check that an address where nothing listens is dead, with the reason."""
    with ThreadingHTTPServer(("127.0.0.1", 0), Handler) as probe:
        port = probe.server_address[1]  # free once the server is closed
    outcome = Checker(timeout=1, delay=0).check(f"http://127.0.0.1:{port}/x")
    assert (outcome.state, outcome.status, outcome.detail) == ("dead", None, "connection refused")


def test_head_first_then_get_and_redirects_keep_head(web: tuple[Web, str]) -> None:
    """Check that HEAD comes first, GET only when HEAD is refused, and a redirect is followed with HEAD."""
    server, base = web
    checker = Checker(timeout=1, delay=0)
    checker.check(base + "/nohead")
    checker.check(base + "/old")
    assert [(m, p) for m, p, _ in server.seen] == [
        ("HEAD", "/nohead"),
        ("GET", "/nohead"),
        ("HEAD", "/old"),
        ("HEAD", "/ok"),
    ]


def test_user_agent_names_the_project(web: tuple[Web, str]) -> None:
    """Check that every request carries a User-Agent that names the project."""
    server, base = web
    Checker(timeout=1, delay=0).check(base + "/ok")
    assert {ua for _, _, ua in server.seen} == {links.USER_AGENT}
    assert "canada-china-briefing" in links.USER_AGENT


def test_same_address() -> None:
    """Check that a trailing slash, http -> https, host case and a default port are not a move."""
    assert same_address("http://example.org/a", "https://example.org/a/")
    assert same_address("https://Example.org/a", "https://example.org:443/a")
    assert same_address("https://example.org", "https://example.org/")
    assert not same_address("https://example.org/a", "https://example.org/b")
    assert not same_address("https://example.org/a", "https://www.example.org/a")
    assert not same_address("https://example.org/a?id=1", "https://example.org/a?id=2")
    assert not same_address("https://example.org/a", "http://example.org/a")  # a downgrade is a move
    assert not same_address("https://example.org:x/a", "https://example.org/a")


def test_pacer_waits_between_requests_to_one_host() -> None:
    """Check that two requests to one host are `delay` apart, and requests to other hosts do not wait."""
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    pacer = Pacer(0.5, clock=lambda: now[0], sleep=sleep)
    pacer.wait("a.example")
    pacer.wait("b.example")
    now[0] += 0.2
    pacer.wait("a.example")
    assert slept == [pytest.approx(0.3)]


def test_pacer_delay_between_real_requests(web: tuple[Web, str]) -> None:
    """Check that the checker pauses between two requests to the same host (HEAD, then GET)."""
    _, base = web
    started = time.monotonic()
    Checker(timeout=1, delay=0.3).check(base + "/nohead")
    assert time.monotonic() - started >= 0.3


def test_interleave_spreads_hosts_and_drops_repeats() -> None:
    """Check that addresses are ordered one host after another, each address once."""
    urls = ["https://a.org/1", "https://a.org/2", "https://a.org/1", "https://b.org/1", "https://a.org/3"]
    assert links.interleave(urls) == [
        "https://a.org/1",
        "https://b.org/1",
        "https://a.org/2",
        "https://a.org/3",
    ]


def test_report_text() -> None:
    """Check that the report text is exact: counts, the dead and moved tables, the archived-copy hint."""
    found = [
        Link("sources/a.md", "a", "url", "https://a.example/x"),
        Link("sources/a.md", "a", "archived", "https://web.archive.org/web/2024/https://a.example/x"),
        Link("sources/b.md", "b", "url", "https://b.example/old"),
        Link("sources/c.md", "c", "url", "https://c.example/"),
        Link("sources/d.md", "d", "url", "https://d.example/slow"),
    ]
    outcomes = {
        found[0].url: Outcome(found[0].url, "dead", found[0].url, 404, "404 Not Found"),
        found[1].url: Outcome(found[1].url, "ok", found[1].url, 200, "200 OK"),
        found[2].url: Outcome(found[2].url, "moved", "https://b.example/new", 200, "200 OK"),
        found[3].url: Outcome(found[3].url, "ok", found[3].url, 200, "200 OK"),
        found[4].url: Outcome(found[4].url, "dead", found[4].url, None, "timeout after 10 s"),
    }
    text = render_link_report(
        found, outcomes, checked_at=datetime(2026, 11, 29, 6, 0, tzinfo=UTC), timeout=10
    )
    assert text == textwrap.dedent("""\
        # Source link report

        Checked on 2026-11-29 06:00 UTC: 5 addresses on 4 source pages (HEAD, or GET where HEAD is refused; \
timeout 10 s).

        **2 dead, 1 moved, 2 ok.**

        ## Dead

        These addresses answer with an error or not at all. Find the document where it lives now and update \
`url`, or add an `archived` copy (https://web.archive.org/). A timeout or a 403 can be temporary or a \
block of automated requests: open the address in a browser before editing.

        | Source page | Field | Address | Problem |
        |---|---|---|---|
        | docs/sources/a.md | url | <https://a.example/x> | 404 Not Found; the archived copy works |
        | docs/sources/d.md | url | <https://d.example/slow> | timeout after 10 s |

        ## Moved

        These addresses redirect to another one. Check that the new page is the same document, then replace \
the address on the source page with the new one.

        | Source page | Field | Address | Now at |
        |---|---|---|---|
        | docs/sources/b.md | url | <https://b.example/old> | <https://b.example/new> |

        ## OK

        2 addresses answered without an error at their own address.
        """)


def test_report_without_problems() -> None:
    """Check that a report with nothing dead or moved says so in each section."""
    found = [Link("sources/c.md", "c", "url", "https://c.example/")]
    outcomes = {found[0].url: Outcome(found[0].url, "ok", found[0].url, 200, "200 OK")}
    text = render_link_report(found, outcomes, checked_at=datetime(2026, 11, 29, tzinfo=UTC), timeout=10)
    assert "**0 dead, 0 moved, 1 ok.**" in text
    assert "No dead links." in text and "No moved links." in text


def test_report_when_nothing_answers() -> None:
    """Check that the report warns of a network outage when not one of several addresses answered."""
    found = [Link(f"sources/s{i}.md", f"s{i}", "url", f"https://h{i}.example/") for i in range(5)]
    outcomes = {x.url: Outcome(x.url, "dead", x.url, None, "host name not found") for x in found}
    text = render_link_report(found, outcomes, checked_at=datetime(2026, 11, 29, tzinfo=UTC), timeout=10)
    assert "> **No address answered at all.** The machine that ran the check probably had no network" in text
    outcomes[found[0].url] = Outcome(found[0].url, "dead", found[0].url, 404, "404 Not Found")
    text = render_link_report(found, outcomes, checked_at=datetime(2026, 11, 29, tzinfo=UTC), timeout=10)
    assert "No address answered" not in text


SOURCE = """\
---
type: source
title: {title}
publisher: Test Publisher
url: {url}
published: 2021-09-24
kind: secondary
{extra}---

# {title}
"""


def write_sources(docs: Path, pages: dict[str, tuple[str, str]]) -> None:
    (docs / "sources").mkdir(parents=True)
    for sid, (url, archived) in pages.items():
        extra = f"archived: {archived}\n" if archived else ""
        text = SOURCE.format(title=f"Source {sid}", url=url, extra=extra)
        (docs / "sources" / f"{sid}.md").write_text(text, encoding="utf-8")


def test_command_line(web: tuple[Web, str], tmp_path: Path) -> None:
    """Check that the command reads the source pages, writes the report and exits 0 despite dead links."""
    _, base = web
    docs = tmp_path / "docs"
    write_sources(
        docs,
        {
            "good": (base + "/ok", ""),
            "moved": (base + "/old", ""),
            "gone": (base + "/missing", base + "/ok"),
            "nohead": (base + "/nohead", ""),
            "slow": (base + "/hang", ""),
        },
    )
    out = tmp_path / "link-report.md"
    argv = ["--docs", str(docs), "--out", str(out), "--timeout", "1", "--delay", "0", "--quiet"]
    assert links.main(argv) == 0
    text = out.read_text(encoding="utf-8")
    assert "**2 dead, 1 moved, 3 ok.**" in text
    assert (
        f"| docs/sources/gone.md | url | <{base}/missing> | 404 Not Found; the archived copy works |" in text
    )
    assert f"| docs/sources/slow.md | url | <{base}/hang> | timeout after 1 s |" in text
    assert f"| docs/sources/moved.md | url | <{base}/old> | <{base}/ok> |" in text
    assert "3 addresses answered without an error at their own address." in text


def test_command_line_fail_on_dead(web: tuple[Web, str], tmp_path: Path) -> None:
    """Check that --fail-on-dead exits 1 when a link is dead, and 0 when none is."""
    _, base = web
    dead, alive = tmp_path / "dead", tmp_path / "alive"
    write_sources(dead / "docs", {"gone": (base + "/missing", "")})
    write_sources(alive / "docs", {"good": (base + "/ok", "")})
    common = ["--timeout", "1", "--delay", "0", "--quiet", "--fail-on-dead"]
    assert links.main(["--docs", str(dead / "docs"), "--out", str(dead / "r.md"), *common]) == 1
    assert links.main(["--docs", str(alive / "docs"), "--out", str(alive / "r.md"), *common]) == 0


def test_command_line_without_docs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Check that a missing docs folder exits 2 with a message and writes no report."""
    assert links.main(["--docs", str(tmp_path / "nope"), "--out", str(tmp_path / "r.md")]) == 2
    assert "is not a folder of Markdown pages" in capsys.readouterr().err
    assert not (tmp_path / "r.md").exists()
