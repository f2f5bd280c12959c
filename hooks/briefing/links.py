"""Source-link health: request every source page's `url` and `archived` address; report dead and moved ones.

Run as `PYTHONPATH=hooks python -m briefing.links --docs docs --out link-report.md` (what `make links`
does) with optional `--timeout 10` (seconds per request), `--delay 0.5` (seconds between two requests to
one host) and `--fail-on-dead`. It reads the pages with `frontmatter.load_site`, so it sees exactly the
sources the site has.

Each address is asked with HEAD; a server that refuses HEAD (405, 403 or 501) is asked again with GET,
whose body is never read. Redirects are followed here, not by urllib (which would turn a redirected HEAD
into a GET), up to MAX_REDIRECTS hops, each paced like any other request. An address is

- dead when the last answer is 4xx or 5xx, or there is no answer (timeout, DNS, TLS, connection error);
- moved when it answers 2xx at a different address (other than an added trailing slash or http -> https);
- ok otherwise.

The report is Markdown for editors. The command exits 0 even with dead links (sites come and go; the
weekly run must not turn red for it) unless `--fail-on-dead` is given; 2 when the docs folder cannot be
read.
"""

from __future__ import annotations

import argparse
import http.client
import socket
import ssl
import sys
import time
import urllib.error
import urllib.request
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO
from urllib.parse import urljoin, urlsplit

from .frontmatter import load_site
from .model import Source

USER_AGENT = (
    "canada-china-briefing-linkcheck/1.0 (+https://github.com/canada-china-briefing/briefing; "
    "weekly check of the sources cited by the Canada-China briefing)"
)
HEAD_REFUSED = (403, 405, 501)
REDIRECTS = (301, 302, 303, 307, 308)
MAX_REDIRECTS = 10


@dataclass(frozen=True)
class Link:
    """One address on one source page."""

    path: str  # relative to docs/, POSIX
    source: str  # the source id
    field: str  # 'url' or 'archived'
    url: str


@dataclass(frozen=True)
class Outcome:
    """What one address answered, after redirects and the GET fallback."""

    url: str
    state: str  # 'ok' | 'moved' | 'dead'
    final: str  # the address that answered last
    status: int | None  # its HTTP status; None when there was no answer
    detail: str  # '404 Not Found', 'timeout after 10 s', ...


class Pacer:
    """Waits so that two requests to the same host are at least `delay` seconds apart."""

    def __init__(
        self,
        delay: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.delay = delay
        self.clock = clock
        self.sleep = sleep
        self.last: dict[str, float] = {}

    def wait(self, host: str) -> None:
        if host in self.last:
            pause = self.last[host] + self.delay - self.clock()
            if pause > 0:
                self.sleep(pause)
        self.last[host] = self.clock()


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    """Hands 3xx answers back as HTTPError, so that `Checker` follows them itself with the same method."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        _fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
        _newurl: str,
    ) -> urllib.request.Request | None:
        return None


class NoAnswer(Exception):
    """A request that got no HTTP answer; the message says why, for the report."""


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _describe(exc: BaseException, timeout: float) -> str:
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, TimeoutError | socket.timeout):
        return f"timeout after {timeout:g} s"
    if isinstance(reason, ssl.SSLCertVerificationError):
        return f"TLS certificate not valid ({reason.verify_message})"
    if isinstance(reason, ssl.SSLError):
        return "TLS error"
    if isinstance(reason, socket.gaierror):
        return "host name not found"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, ConnectionResetError | http.client.RemoteDisconnected):
        return "connection closed by the server without an answer"
    text = str(reason).strip() or type(reason).__name__
    return f"no answer ({text})"


class Checker:
    """Requests addresses with HEAD (GET when HEAD is refused), following redirects, paced per host."""

    def __init__(self, timeout: float = 10.0, delay: float = 0.5, pacer: Pacer | None = None) -> None:
        self.timeout = timeout
        self.pacer = pacer or Pacer(delay)
        # built per Checker so that proxy settings in the environment are read when the check runs
        self.opener = urllib.request.build_opener(_KeepRedirects)

    def request(self, url: str, method: str) -> tuple[int, str, str | None]:
        """(status, reason, Location header) of one request; raises NoAnswer when there is no HTTP answer."""
        self.pacer.wait(_host(url))
        req = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
        try:
            with self.opener.open(req, timeout=self.timeout) as resp:  # the body is never read
                return resp.status, resp.reason, None
        except urllib.error.HTTPError as exc:
            location = exc.headers.get("Location") if exc.headers else None
            exc.close()
            return exc.code, str(exc.reason), location
        except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
            raise NoAnswer(_describe(exc, self.timeout)) from None

    def check(self, url: str) -> Outcome:
        current = url
        try:
            for _ in range(MAX_REDIRECTS + 1):
                status, reason, location = self.request(current, "HEAD")
                if status in HEAD_REFUSED:
                    status, reason, location = self.request(current, "GET")
                if status in REDIRECTS and location:
                    current = urljoin(current, location.strip())
                    continue
                break
            else:
                return Outcome(url, "dead", current, None, f"more than {MAX_REDIRECTS} redirects")
        except NoAnswer as exc:
            return Outcome(url, "dead", current, None, str(exc))
        detail = f"{status} {reason}".strip()
        if status >= 300:  # 4xx, 5xx, and a 3xx without a Location to follow
            return Outcome(url, "dead", current, status, detail)
        state = "ok" if same_address(url, current) else "moved"
        return Outcome(url, state, current, status, detail)


DEFAULT_PORTS = {"http": 80, "https": 443}


def _normal(url: str) -> tuple[str, str, str, str]:
    """(scheme, host[:port], path without a trailing slash, query): what decides whether a link moved."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:  # a malformed port: keep the text, it then differs from anything else
        return scheme, parts.netloc.lower(), parts.path.rstrip("/") or "/", parts.query
    netloc = host if port in (None, DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    return scheme, netloc, parts.path.rstrip("/") or "/", parts.query


def same_address(a: str, b: str) -> bool:
    """True when `b` differs from `a` at most by a trailing slash, http -> https, host case, default port."""
    na, nb = _normal(a), _normal(b)
    if na[0] == "http" and nb[0] == "https":
        na = ("https", *na[1:])
    return na == nb


def collect_links(docs: Path) -> list[Link]:
    """Every `url` and `archived` address of the source pages under `docs`, by page path."""
    site = load_site(docs)
    links = []
    for src in sorted(site.of_type(Source), key=lambda s: s.path):
        for field in ("url", "archived"):
            value = getattr(src, field)
            if value:
                links.append(Link(src.path, src.id, field, value))
    return links


def interleave(urls: Iterable[str]) -> list[str]:
    """Distinct addresses, one host after another in turn, so that the per-host delay rarely has to wait."""
    by_host: OrderedDict[str, list[str]] = OrderedDict()
    for url in dict.fromkeys(urls):
        by_host.setdefault(_host(url), []).append(url)
    queues = list(by_host.values())
    out = []
    for i in range(max((len(q) for q in queues), default=0)):
        out += [q[i] for q in queues if i < len(q)]
    return out


def check_links(
    links: list[Link], checker: Checker, progress: Callable[[str], None] | None = None
) -> dict[str, Outcome]:
    """The outcome of every distinct address (an address on two pages is requested once)."""
    outcomes = {}
    for url in interleave(link.url for link in links):
        outcomes[url] = checker.check(url)
        if progress:
            o = outcomes[url]
            progress(f"{o.state:5} {url}" + (f" -> {o.final}" if o.final != url else "") + f" ({o.detail})")
    return outcomes


NO_ANSWER_MIN = 5  # below this many addresses, all failing is plausible; above it, the network is down


def no_answer_at_all(outcomes: dict[str, Outcome]) -> bool:
    """True when several addresses were checked and not one got an HTTP answer: a network outage."""
    return len(outcomes) >= NO_ANSWER_MIN and all(o.status is None for o in outcomes.values())


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render_link_report(
    links: list[Link], outcomes: dict[str, Outcome], *, checked_at: datetime, timeout: float
) -> str:
    """The Markdown report for editors: dead links, moved links, and how many are ok."""
    dead = [link for link in links if outcomes[link.url].state == "dead"]
    moved = [link for link in links if outcomes[link.url].state == "moved"]
    ok = [link for link in links if outcomes[link.url].state == "ok"]
    pages = len({link.path for link in links})
    archived_ok = {
        link.path for link in links if link.field == "archived" and outcomes[link.url].state != "dead"
    }
    out = [
        "# Source link report",
        "",
        f"Checked on {checked_at:%Y-%m-%d %H:%M} UTC: {len(links)} addresses on {pages} source pages "
        f"(HEAD, or GET where HEAD is refused; timeout {timeout:g} s).",
        "",
        f"**{len(dead)} dead, {len(moved)} moved, {len(ok)} ok.**",
        "",
    ]
    if no_answer_at_all(outcomes):
        out += [
            "> **No address answered at all.** The machine that ran the check probably had no network "
            "access, "
            "so this report says nothing about the links themselves. Run the check again before editing.",
            "",
        ]
    out += _dead_section(dead, outcomes, archived_ok) + _moved_section(moved, outcomes)
    out += ["", "## OK", "", f"{len(ok)} addresses answered without an error at their own address.", ""]
    return "\n".join(out)


def _dead_section(dead: list[Link], outcomes: dict[str, Outcome], archived_ok: set[str]) -> list[str]:
    out = ["## Dead", ""]
    if not dead:
        return out + ["No dead links."]
    out += [
        "These addresses answer with an error or not at all. Find the document where it lives now and "
        "update `url`, or add an `archived` copy (https://web.archive.org/). A timeout or a 403 can be "
        "temporary or a block of automated requests: open the address in a browser before editing.",
        "",
        "| Source page | Field | Address | Problem |",
        "|---|---|---|---|",
    ]
    for link in dead:
        o = outcomes[link.url]
        problem = o.detail + (f" (at {o.final})" if o.final != link.url else "")
        if link.field == "url" and link.path in archived_ok:
            problem += "; the archived copy works"
        out.append(f"| docs/{link.path} | {link.field} | <{_cell(link.url)}> | {_cell(problem)} |")
    return out


def _moved_section(moved: list[Link], outcomes: dict[str, Outcome]) -> list[str]:
    out = ["", "## Moved", ""]
    if not moved:
        return out + ["No moved links."]
    out += [
        "These addresses redirect to another one. Check that the new page is the same document, then "
        "replace the address on the source page with the new one.",
        "",
        "| Source page | Field | Address | Now at |",
        "|---|---|---|---|",
    ]
    for link in moved:
        out.append(
            f"| docs/{link.path} | {link.field} | <{_cell(link.url)}> | <{_cell(outcomes[link.url].final)}> |"
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m briefing.links", description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", default="docs", help="the folder of Markdown pages (default: docs)")
    parser.add_argument("--out", default="link-report.md", help="the Markdown report to write")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per request (default 10)")
    parser.add_argument("--delay", type=float, default=0.5, help="seconds between requests to one host")
    parser.add_argument("--fail-on-dead", action="store_true", help="exit 1 when any link is dead")
    parser.add_argument("--quiet", action="store_true", help="do not print each address as it is checked")
    args = parser.parse_args(argv)
    docs = Path(args.docs)
    if not docs.is_dir():
        print(f"error: '{docs}' is not a folder of Markdown pages.", file=sys.stderr)
        return 2
    links = collect_links(docs)
    checker = Checker(timeout=args.timeout, delay=args.delay)
    started = datetime.now(UTC)
    progress = None if args.quiet else (lambda line: print(line, file=sys.stderr, flush=True))
    outcomes = check_links(links, checker, progress)
    report = render_link_report(links, outcomes, checked_at=started, timeout=args.timeout)
    Path(args.out).write_text(report, encoding="utf-8")
    counts = {s: sum(1 for link in links if outcomes[link.url].state == s) for s in ("dead", "moved", "ok")}
    print(
        f"checked {len(links)} addresses ({len(outcomes)} distinct): {counts['dead']} dead, "
        f"{counts['moved']} moved, {counts['ok']} ok; wrote {args.out}",
        file=sys.stderr,
    )
    if no_answer_at_all(outcomes):
        print("warning: no address answered at all: is the network down?", file=sys.stderr)
    return 1 if args.fail_on_dead and counts["dead"] else 0


if __name__ == "__main__":
    sys.exit(main())
