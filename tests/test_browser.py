"""Browser tests: a real Chromium on the real site, built with `mkdocs build --strict` and served on 127.0.0.1.

One strict build and one browser serve the whole module. Each tested page is loaded once on a desktop screen in
a fresh context (so the load is a first load, with an empty cache), and what the tests check is recorded then:
requests, failures, console errors, response sizes, and axe's findings in the light scheme and, switched as the
palette toggle does, the dark one. The phone, print, search, preview and no-JavaScript checks load pages again
in their own contexts. The whole module takes about a minute.

The browser comes from tests/browser_setup.py (BRIEFING_CHROMIUM, /usr/bin/chromium, or Playwright's own). With
none, the tests fail with the way to get one; they never skip.
"""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
import threading
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from browser_setup import HOW_TO_GET, LAUNCH_ARGS, BrowserSetupError, find_chromium
from hostile import browser as hostile_browser
from sitekit import REAL_TODAY

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
TODAY = REAL_TODAY  # the real content, as of the day the tests run
BUILD_ARGS = ["--strict"]
KIB = 1024
PAGE_BUDGET = 120 * KIB  # gzip-compressed bytes a first load may transfer, the search index excepted
INDEX_BUDGET = 300 * KIB  # gzip-compressed search/search_index.json
SEARCH_INDEX = "search/search_index.json"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 15_000


def _first(folder: str) -> str:
    stems = sorted(p.stem for p in (DOCS / folder).glob("*.md") if p.name != "index.md")
    assert stems, f"docs/{folder}/ has no page to test"
    return f"{folder}/{stems[0]}/"


def _busiest_year() -> str:
    years = Counter(p.name[:4] for p in (DOCS / "events").glob("*.md") if p.name[:4].isdigit())
    assert years, "docs/events/ has no dated event to make a year page"
    return f"timeline/{max(sorted(years), key=lambda y: years[y])}/"


PAGES = {
    "home": "",
    "actor": "actors/marc-garneau/",
    "issue": "issues/two-michaels/",
    "event": _first("events"),
    "source": _first("sources"),
    "timeline": "timeline/",
    "year": _busiest_year(),
    "graph": "graph/",
    "needs-review": "needs-review/",
    "report": "report/",
    "state": "now/",
    "data": "data/",
    "changes": "changes/",
}
IDS = list(PAGES)
# The dark scheme is checked (colour rules only) on pages that between them show every styled component:
# running text and footer, infobox and notice, lists, the graph and its table, the needs-review page.
DARK_IDS = ["home", "actor", "year", "graph", "needs-review"]


# --- the site -------------------------------------------------------------------------------


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


def _build_failure(proc: subprocess.CompletedProcess) -> str:
    lines = (proc.stdout + proc.stderr).splitlines()
    flagged = [ln for ln in lines if ln.startswith(("WARNING", "ERROR")) or "Aborted" in ln]
    tail = lines[-15:]
    return (
        f"`mkdocs build {' '.join(BUILD_ARGS)}` of docs/ failed (exit {proc.returncode}); the browser tests "
        "need a site that builds strictly.\n\nWarnings and errors:\n"
        + "\n".join(flagged or ["(none)"])
        + "\n\nLast lines:\n"
        + "\n".join(tail)
    )


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """Build docs/ strictly into a temporary folder and serve it on 127.0.0.1 at a random port.

    The port is chosen before the build so that site_url (and so sitemap.xml, which instant navigation and
    instant previews rely on) names the very server the browser talks to."""
    root = tmp_path_factory.mktemp("browser-site")
    out = root / "site"
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(out)))
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    env = {**os.environ, "BRIEFING_TODAY": TODAY, "BRIEFING_SITE_URL": base, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("GITHUB_ACTIONS", None)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            *BUILD_ARGS,
            "--site-dir",
            str(out),
            "--config-file",
            str(ROOT / "mkdocs.yml"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if proc.returncode != 0:
        server.server_close()
        pytest.fail(_build_failure(proc), pytrace=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the module: the one tests/browser_setup.py finds, else a failure saying how to get one."""
    try:
        path = find_chromium()
    except BrowserSetupError as exc:
        pytest.fail(str(exc), pytrace=False)
    if path is None:
        pytest.fail(HOW_TO_GET, pytrace=False)
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    try:
        chromium = pw.chromium.launch(executable_path=path, args=LAUNCH_ARGS)
    except Exception as exc:
        pw.stop()
        pytest.fail(f"Chromium at {path} did not start: {exc}\n{HOW_TO_GET}", pytrace=False)
    yield chromium
    chromium.close()
    pw.stop()


# --- one recorded load of a page ------------------------------------------------------------


@dataclass
class Visit:
    url: str
    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    gzip_sizes: dict[str, int] = field(default_factory=dict)
    lang: str = ""
    violations: dict[str, list[dict]] = field(default_factory=dict)  # by colour scheme


def record(context, visit: Visit) -> list:
    """Log every request, failure and console error of `context` into `visit`; return the list of responses."""
    responses = []

    def on_response(response):
        responses.append(response)
        if response.status >= 400:
            visit.failed.append(f"HTTP {response.status} {response.url}")

    context.on("request", lambda req: visit.requests.append(req.url))
    context.on("requestfailed", lambda req: visit.failed.append(f"{req.failure} {req.url}"))
    context.on("response", on_response)
    return responses


def watch_console(page, visit: Visit) -> None:
    page.on(
        "console",
        lambda msg: (
            msg.type == "error" and visit.console_errors.append(f"{msg.text} ({msg.location.get('url', '')})")
        ),
    )
    page.on("pageerror", lambda exc: visit.console_errors.append(f"uncaught: {exc}"))


def serious(results: dict) -> list[dict]:
    """The serious and critical violations in axe's results, in short."""
    out = []
    for v in results.get("violations", []):
        if v.get("impact") in ("serious", "critical"):
            targets = [", ".join(map(str, n.get("target", []))) for n in v.get("nodes", [])]
            out.append(
                {
                    "id": v["id"],
                    "impact": v["impact"],
                    "help": v["help"],
                    "count": len(targets),
                    "targets": targets[:6],
                }
            )
    return out


# Colour is the only thing that differs between the schemes: the dark-scheme check runs only these rules.
COLOUR_RULES = {
    "runOnly": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]},
    "resultTypes": ["violations"],
}
# What Material's palette toggle does: the dark ("slate") scheme is an attribute on <body>. Transitions are
# switched off first, or axe would measure colours halfway through Material's 125 ms colour fades: by a
# constructed style sheet, which the page's Content-Security-Policy allows (a <style> element it blocks).
SET_SCHEME = """scheme => {
    if (!window.__testNoTransitions) {
        const sheet = new CSSStyleSheet();
        sheet.replaceSync('*, *::before, *::after { transition: none !important; }');
        document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
        window.__testNoTransitions = true;
    }
    document.body.setAttribute('data-md-color-scheme', scheme);
}"""


def run_axe(page, context: str | None = None, options: dict | None = None) -> dict:
    """axe-core's results for the page (or the part `context` selects); axe is injected once per page."""
    from axe_playwright_python.sync_playwright import Axe

    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(Axe().axe_script)
    return page.evaluate(
        "([context, options]) => axe.run(context || document, options)",
        [context, options or {"resultTypes": ["violations"]}],
    )


@pytest.fixture(scope="session")
def visits(site, browser):
    """visits(name) -> Visit: the page loaded once, cold, on a desktop screen in the light scheme, recorded,
    and checked with axe: every rule, then (for DARK_IDS) the colour rules again in the dark scheme, switched
    as the palette toggle does. Cached for the session."""
    cache: dict[str, Visit] = {}

    def get(name: str) -> Visit:
        if name in cache:
            return cache[name]
        visit = Visit(site + PAGES[name])
        context = browser.new_context(viewport=DESKTOP, color_scheme="light", service_workers="block")
        responses = record(context, visit)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        watch_console(page, visit)
        try:
            page.goto(visit.url, wait_until="load")
            page.wait_for_load_state("networkidle")  # the search worker, its index and sitemap.xml
            visit.lang = page.evaluate("document.documentElement.getAttribute('lang') || ''")
            visit.violations["light"] = serious(run_axe(page))
            if name in DARK_IDS:
                page.evaluate(SET_SCHEME, "slate")
                visit.violations["dark"] = serious(run_axe(page, options=COLOUR_RULES))
            for response in responses:
                if 300 <= response.status < 400 or response.request.method != "GET":
                    continue
                try:
                    body = response.body()
                except Exception:  # a body the browser did not keep (e.g. an aborted prefetch)
                    continue
                visit.gzip_sizes[response.url] = len(gzip.compress(body, compresslevel=6))
        finally:
            context.close()
        cache[name] = visit
        return visit

    return get


def _kib(n: int) -> str:
    return f"{n / KIB:.1f} KiB"


# --- every tested page ----------------------------------------------------------------------


@pytest.mark.parametrize("name", IDS)
def test_page_loads_without_console_errors_or_failed_requests(visits, name):
    """Check that the page loads with no console error, no uncaught exception and no failed or 4xx/5xx
    request."""
    visit = visits(name)
    assert not visit.console_errors, f"{visit.url}: console errors:\n" + "\n".join(visit.console_errors)
    assert not visit.failed, f"{visit.url}: failed requests:\n" + "\n".join(visit.failed)


@pytest.mark.parametrize("name", IDS)
def test_page_requests_only_its_own_server(visits, site, name):
    """Check that every request the page makes goes to the test server: no CDN, font service, analytics or
    API call leaks a reader's visit to a third party."""
    visit = visits(name)
    own = urlsplit(site).netloc
    foreign = [
        u for u in visit.requests if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).netloc != own
    ]
    assert visit.requests, f"{visit.url}: no request was recorded"
    assert not foreign, f"{visit.url}: requests to other hosts:\n" + "\n".join(foreign)


@pytest.mark.parametrize(
    ("name", "scheme"),
    [pytest.param(n, "light", id=f"{n}-light") for n in IDS]
    + [pytest.param(n, "dark", id=f"{n}-dark") for n in DARK_IDS],
)
def test_page_has_no_serious_accessibility_violation(visits, name, scheme):
    """Check that axe finds no serious or critical violation on the page: every rule in the light colour
    scheme, and the colour rules (contrast, links told apart from text) in the dark one."""
    visit = visits(name)
    found = visit.violations[scheme]
    report = "\n".join(
        f"- {v['impact']} {v['id']} ({v['count']} nodes): {v['help']}\n    " + "\n    ".join(v["targets"])
        for v in found
    )
    assert not found, f"{visit.url} ({scheme} scheme): axe violations:\n{report}"


def test_overdue_review_notice_is_distinct_and_readable(site, browser):
    """Check that a reader whose system prefers dark gets the dark scheme, and that an overdue review notice
    has its own colours, distinct from an ordinary one, with enough contrast (axe) in both schemes."""
    context = browser.new_context(viewport=DESKTOP, color_scheme="dark", service_workers="block")
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(site + PAGES["actor"], wait_until="load")
        scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        # Whether a page is overdue depends on the content and the date: show both kinds side by side.
        page.evaluate("""() => {
            const ok = document.querySelector('.review-notice');
            if (!ok) return;
            ok.classList.remove('review-notice--overdue');
            const late = ok.cloneNode(true);
            late.classList.add('review-notice--overdue');
            ok.after(late);
        }""")
        colours, problems = {}, {}
        for name in ("slate", "default"):
            page.evaluate(SET_SCHEME, name)
            colours[name] = page.evaluate("""() => [...document.querySelectorAll('.review-notice')].map(el =>
                [getComputedStyle(el).backgroundColor, getComputedStyle(el).borderLeftColor])""")
            problems[name] = serious(run_axe(page, context=".review-notice", options=COLOUR_RULES))
    finally:
        context.close()
    assert scheme == "slate", f"with a dark system preference the page opens in the {scheme!r} scheme"
    for name, (ok, late) in colours.items():
        assert ok[0] != late[0] and ok[1] != late[1], (
            f"overdue notice looks like an ordinary one ({name}): {ok}"
        )
    assert not any(problems.values()), f"review notices fail contrast: {problems}"


@pytest.mark.parametrize("name", IDS)
def test_page_declares_its_language(visits, name):
    """Check that <html> has a lang attribute, so screen readers pronounce the page in English."""
    assert visits(name).lang.startswith("en"), f"{visits(name).url}: <html lang> is {visits(name).lang!r}"


@pytest.mark.parametrize("name", IDS)
def test_page_first_load_is_under_budget(visits, name):
    """Check that a first load of the page transfers less than 120 KiB gzip-compressed, counting every response
    body (HTML, CSS, JavaScript, images, the search worker, sitemap) but the search index."""
    visit = visits(name)
    sizes = {u: n for u, n in visit.gzip_sizes.items() if not urlsplit(u).path.endswith(SEARCH_INDEX)}
    total = sum(sizes.values())
    biggest = "\n".join(f"  {_kib(n):>10}  {u}" for u, n in sorted(sizes.items(), key=lambda kv: -kv[1])[:8])
    assert sizes, f"{visit.url}: no response body was recorded"
    assert total < PAGE_BUDGET, (
        f"{visit.url}: first load is {_kib(total)} gzip-compressed, over the "
        f"{_kib(PAGE_BUDGET)} budget. Largest responses:\n{biggest}"
    )


def test_search_index_is_under_budget(site):
    """Check that search/search_index.json is under 300 KiB gzip-compressed."""
    with urllib.request.urlopen(site + SEARCH_INDEX, timeout=10) as resp:
        body = resp.read()
    size = len(gzip.compress(body, compresslevel=6))
    assert size < INDEX_BUDGET, f"{SEARCH_INDEX} is {_kib(size)} gzip-compressed, over {_kib(INDEX_BUDGET)}"


@pytest.fixture(scope="module")
def phones(browser):
    """Two phone contexts, with JavaScript (True) and without (False)."""
    contexts = {
        js: browser.new_context(
            viewport=PHONE, is_mobile=True, has_touch=True, java_script_enabled=js, service_workers="block"
        )
        for js in (True, False)
    }
    yield contexts
    for context in contexts.values():
        context.close()


OVERFLOWING = """limit => [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > limit + 1
                  && el.parentElement.getBoundingClientRect().right <= limit + 1)
    .slice(0, 8).map(el => el.tagName.toLowerCase()
        + (typeof el.className === 'string' && el.className.trim()
           ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
        + ' (right edge at ' + Math.round(el.getBoundingClientRect().right) + ')')"""


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("name", IDS)
def test_page_fits_a_phone_screen(site, phones, name, js):
    """Check that on a 390x844 phone, with and without JavaScript, the page does not scroll sideways: wide
    content (graph, tables, long links) scrolls or wraps inside its own box."""
    page = phones[js].new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        page.goto(site + PAGES[name], wait_until="load")
        width = page.evaluate("document.documentElement.scrollWidth")
        culprits = [] if width <= PHONE["width"] else page.evaluate(OVERFLOWING, PHONE["width"])
    finally:
        page.close()
    assert width <= PHONE["width"], (
        f"{site + PAGES[name]}: scrollWidth {width} > {PHONE['width']} on a phone; "
        "elements past the right edge:\n" + "\n".join(culprits)
    )


# --- search, previews -----------------------------------------------------------------------


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport=DESKTOP, service_workers="block")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    yield page
    context.close()


# What a reader types, and the pages (any one of them) that must be among the first three results.
SEARCHES = {
    "Kovrig": ["actors/michael-kovrig/"],
    "Spavor": ["actors/michael-spavor/"],
    "Meng": ["actors/meng-wanzhou/", "issues/meng-wanzhou-extradition/"],
    "Uighur": ["actors/uyghurs/"],
    "Huawei": ["actors/huawei/", "issues/huawei-5g/"],
    "Wang Yi": ["actors/wang-yi/"],
    "canola": ["issues/canola-trade/"],
    "Schellenberg": ["actors/robert-schellenberg/", "issues/schellenberg-case/"],
    "Joly": ["actors/melanie-joly/"],
    "ambassador": [
        "actors/wang-di/",
        "actors/jennifer-may/",
        "actors/cong-peiwu/",
        "actors/dominic-barton/",
        "actors/john-mccallum/",
        "actors/lu-shaye/",
    ],  # fmt: skip
}


def _first_results(page, query: str, n: int = 3) -> list[str]:
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("")
    box.press_sequentially(query, delay=30)
    page.locator(".md-search-result__list a.md-search-result__link").first.wait_for(state="visible")
    page.wait_for_timeout(300)  # results settle as the last keystrokes arrive
    hrefs = page.locator(".md-search-result__list > li > a.md-search-result__link").evaluate_all(
        "els => els.map(a => a.getAttribute('href'))"
    )
    return [h.split("#")[0].replace(page.url.split("#")[0], "") for h in hrefs[:n]]


@pytest.mark.parametrize("query", list(SEARCHES))
def test_search_puts_the_entity_page_first(site, desktop, query):
    """Check that a person's, an issue's or an office's name typed into search lists that entity's own page
    among the first three results, above pages that merely mention it."""
    page = desktop
    page.goto(site, wait_until="load")
    first = _first_results(page, query)
    assert any(path in href for href in first for path in SEARCHES[query]), (
        f"'{query}': first results {first}"
    )


def test_internal_link_shows_an_instant_preview(site, desktop):
    """Check that hovering an internal link in an actor page's text opens Material's instant preview of the
    linked page (feature navigation.instant.preview)."""
    page = desktop
    page.goto(site + PAGES["actor"], wait_until="load")
    page.wait_for_load_state("networkidle")  # the preview needs sitemap.xml
    link = page.locator("article.md-content__inner p a[href*='actors/']").first
    target = link.get_attribute("href")
    link.hover()
    preview = page.locator(".md-tooltip2[role='dialog'] .md-tooltip2__inner")
    try:
        preview.first.wait_for(state="visible")
    except Exception:
        pytest.fail(f"hovering the link to {target} on {site + PAGES['actor']} showed no instant preview")
    assert preview.first.inner_text().strip(), "the instant preview is empty"


def test_print_hides_chrome_and_shows_external_addresses(site, desktop):
    """Check that in print the header, navigation, sidebars, footer and search are hidden, that an external
    link in the content is followed by its address, and that an internal link, or one whose text already is
    its address (a source's Address row), is not."""
    page = desktop
    page.goto(site + PAGES["source"], wait_until="load")
    page.emulate_media(media="print")
    chrome = [".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer", ".md-search"]
    shown = page.evaluate(
        """sels => sels.filter(s => [...document.querySelectorAll(s)]
            .some(el => getComputedStyle(el).display !== 'none'))""",
        chrome,
    )
    assert not shown, f"visible in print: {shown}"
    after = page.evaluate("""() => {
        const article = document.querySelector('article.md-content__inner');
        const p = document.createElement('p');  // a cited external link, as writers put them in text
        p.innerHTML = '<a href="https://example.org/report">a report</a>';
        article.append(p);
        const links = [...article.querySelectorAll('a[href]')];
        const ext = p.firstChild;
        const bare = links.find(a => a.origin !== location.origin && a.textContent.trim() === a.href);
        const int = links.find(a => a.origin === location.origin && !a.matches('.headerlink, .md-content__button'));
        const after = a => a ? getComputedStyle(a, '::after').content : null;
        return {ext: after(ext), bare: after(bare), int: after(int), hasBare: !!bare, hasInt: !!int};
    }""")
    assert "https://example.org/report" in (after["ext"] or ""), f"external link prints no address: {after}"
    assert after["hasInt"] and after["int"] in ("none", "normal"), f"internal link prints an address: {after}"
    assert after["hasBare"] and after["bare"] in ("none", "normal"), f"bare URL printed twice: {after}"


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_infobox_floats_beside_text_on_desktop_and_fills_a_phone(site, browser, device):
    """Check that the infobox floats right beside the text on a desktop screen and takes the full width of
    the column on a phone."""
    size = DESKTOP if device == "desktop" else PHONE
    context = browser.new_context(viewport=size, is_mobile=device == "phone", service_workers="block")
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(site + PAGES["actor"], wait_until="load")
        got = page.evaluate("""() => {
            const box = document.querySelector('aside.infobox'), col = box.parentElement;
            return {float: getComputedStyle(box).float, box: box.getBoundingClientRect().width,
                    col: col.getBoundingClientRect().width};
        }""")
    finally:
        context.close()
    if device == "desktop":
        assert got["float"] == "right" and got["box"] < 0.5 * got["col"], f"desktop infobox: {got}"
    else:
        assert got["float"] == "none" and got["box"] > 0.95 * got["col"], f"phone infobox: {got}"


def test_graph_nodes_show_a_focus_outline(site, desktop):
    """Check that a graph node link reached with the keyboard shows a visible focus outline."""
    page = desktop
    page.goto(site + PAGES["graph"], wait_until="load")
    node = page.locator("figure.briefing-matrix tbody th a").first
    node.focus()
    style = node.evaluate(
        "a => { const s = getComputedStyle(a); "
        "return {focused: document.activeElement === a, outline: s.outlineStyle, "
        "width: parseFloat(s.outlineWidth)}; }"
    )
    assert style["focused"], "the first graph node cannot take focus"
    assert style["outline"] not in ("none", "") and style["width"] >= 1, f"no focus outline: {style}"


# --- without JavaScript ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def no_js(browser):
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    yield context
    context.close()


def _open(context, url):
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(url, wait_until="load")
    return page


@pytest.mark.parametrize("name", ["actor", "issue", "event", "source"])
def test_infobox_is_there_without_javascript(site, no_js, name):
    """Check that the generated infobox (a visible list of key facts) is on entity pages with JavaScript
    disabled."""
    page = _open(no_js, site + PAGES[name])
    try:
        box = page.locator("aside.infobox")
        assert box.count() == 1 and box.is_visible(), f"{page.url}: no visible infobox"
        assert box.locator("dt").count() >= 1 and box.locator("dd").count() >= 1, f"{page.url}: empty infobox"
    finally:
        page.close()


@pytest.mark.parametrize("name", ["actor", "issue", "year"])
def test_timeline_list_is_there_without_javascript(site, no_js, name):
    """Check that the timeline (an actor's or issue's own, or a year page's) is a visible list of links to
    events with JavaScript disabled."""
    page = _open(no_js, site + PAGES[name])
    try:
        items = page.locator("article li:has(a[href*='events/'])")
        assert items.count() >= 1, f"{page.url}: no timeline item links to an event"
        assert items.first.is_visible(), f"{page.url}: the timeline is hidden"
    finally:
        page.close()


def test_graph_links_are_there_without_javascript(site, no_js):
    """Check that the relationship matrix is a visible table whose names are links to existing pages, with
    JavaScript disabled."""
    page = _open(no_js, site + PAGES["graph"])
    try:
        matrix = page.locator("figure.briefing-matrix table")
        assert matrix.count() == 1 and matrix.is_visible(), f"{page.url}: no visible matrix"
        hrefs = page.eval_on_selector_all("figure.briefing-matrix a", "els => els.map(a => a.href)")
        assert len(hrefs) >= 2, f"{page.url}: the matrix has {len(hrefs)} links"
    finally:
        page.close()
    broken = []
    for href in sorted(set(hrefs)):
        try:
            urllib.request.urlopen(href, timeout=10).close()
        except Exception as exc:
            broken.append(f"{href}: {exc}")
    assert not broken, "matrix links that do not resolve:\n" + "\n".join(broken)


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_graph_names_are_whole_and_on_screen(site, browser, size):
    """Check that no actor or issue name in the matrix is cut: none ends in '…', none overflows its cell, and on
    a phone every actor name (the sticky first column) lies inside the screen."""
    context = browser.new_context(viewport=size, java_script_enabled=False, service_workers="block")
    page = context.new_page()
    page.goto(site + PAGES["graph"], wait_until="load", timeout=TIMEOUT_MS)
    names = page.eval_on_selector_all(
        "figure.briefing-matrix th a",
        "els => els.map(a => ({text: a.textContent, cut: a.scrollWidth > a.clientWidth + 1 || a.scrollHeight > "
        "a.parentElement.scrollHeight + 1, left: a.getBoundingClientRect().left, "
        "right: a.getBoundingClientRect().right, row: !!a.closest('tbody')}))",
    )
    context.close()
    assert names, "the matrix has no names"
    assert [n["text"] for n in names if n["text"].endswith("…") or n["cut"]] == []
    off = [n["text"] for n in names if n["row"] and (n["left"] < 0 or n["right"] > size["width"])]
    assert off == [], f"actor names outside a {size['width']} px screen: {off}"


# --- the state of play on the home page ---------------------------------------------------------


def _first_screen_answers() -> list[str]:
    """What the home page must answer without scrolling, computed from the content as of TODAY: who is Canada's
    foreign minister, who is China's ambassador to Canada, and which measures on canola are in force."""
    from datetime import date

    from briefing.frontmatter import load_site, read_settings
    from briefing.settings import apply_settings, review_interval

    settings = read_settings(ROOT / "mkdocs.yml")
    s = apply_settings(load_site(DOCS, review_interval(settings), cache=False), settings)
    day = date.fromisoformat(TODAY)
    answers = [
        t.actor.name
        for o in ("canada-foreign-minister", "china-ambassador-to-canada")
        for t in s.holding(o, day)
    ]
    canola = [m.what for m, _ in s.in_force(day) if "canola" in m.what.lower()]
    assert len(answers) == 2 and canola, (answers, canola)
    return answers + canola


@pytest.mark.parametrize("size", [{"width": 1280, "height": 800}, PHONE], ids=["desktop", "phone"])
def test_home_answers_the_state_of_play_in_the_first_screen_without_javascript(site, browser, size):
    """Check that, on a desktop and on a phone with JavaScript off, the home page shows in its first screen who
    is Canada's foreign minister, who is China's ambassador to Canada, and which canola measures apply today."""
    context = browser.new_context(viewport=size, java_script_enabled=False, service_workers="block")
    page = context.new_page()
    page.goto(site, wait_until="load", timeout=TIMEOUT_MS)
    box = page.locator(".state-box")
    for answer in _first_screen_answers():
        el = box.get_by_text(answer, exact=True).first
        rect = el.bounding_box()
        assert rect is not None, f"'{answer}' is not shown"
        assert 0 <= rect["y"] and rect["y"] + rect["height"] <= size["height"], (
            f"'{answer}' is below the first screen"
        )
        assert rect["x"] >= 0 and rect["x"] + rect["width"] <= size["width"], (
            f"'{answer}' is outside the screen"
        )
    context.close()


# --- reading: citations, neighbours, lists, phone, print, no JavaScript -------------------------


def test_citation_numbers_lead_to_their_sources(site, desktop):
    """Check that every citation number on an issue page links to an entry of the page's numbered Sources list,
    and that the entry links to the source's original address and to its page on this site."""
    page = desktop
    page.goto(site + PAGES["issue"], wait_until="load")
    targets = page.eval_on_selector_all("sup.cite a", "els => els.map(a => new URL(a.href).hash)")
    assert targets, "the issue page has no citation numbers"
    for href in sorted(set(targets)):
        entry = page.locator(f"ol.sources > li{href}")
        assert entry.count() == 1, f"citation {href} has no entry in the Sources list"
        links = entry.locator("a").evaluate_all("els => els.map(a => a.getAttribute('href'))")
        assert links[0].startswith("https://") and "sources/" in links[-1], (href, links)


def test_event_page_links_to_neighbours_and_its_year(site, desktop):
    """Check that an event page links to the previous or next event, to its issues, and to its year's page."""
    page = desktop
    page.goto(site + "events/2021-09-24-kovrig-spavor-released/", wait_until="load")
    block = page.locator("#before-and-after + ul")
    assert "←" in block.inner_text() and "→" in block.inner_text()
    assert block.locator("a[href*='issues/two-michaels/']").count() == 1
    assert page.locator(".crumbs a[href*='timeline/2021/']").count() == 1
    assert page.locator(".infobox a[href*='timeline/2021/']").count() == 1


def test_issue_page_lists_no_event_twice(site, desktop):
    """Check that an issue page's generated list leaves out the events its own text already links to, and that
    it has no second list of its actors (they are in the infobox)."""
    page = desktop
    page.goto(site + PAGES["issue"], wait_until="load")
    in_text = set(
        page.eval_on_selector_all(
            "article .md-typeset > :is(p, ul, ol):not(.timeline) a[href*='/events/']",
            "els => els.map(a => new URL(a.href).pathname)",
        )
    )
    listed = page.eval_on_selector_all(
        "ul.timeline a[href*='/events/']", "els => els.map(a => new URL(a.href).pathname)"
    )
    assert not in_text & set(listed), f"events listed twice: {sorted(in_text & set(listed))}"
    headings = page.eval_on_selector_all("article h2", "els => els.map(h => h.id)")
    assert "actors" not in headings


def test_report_claims_read_as_a_list_on_a_phone(site, phones):
    """Check that on a 390 px phone the report's claims table is a stacked list: no cell wider than the screen and
    no word broken inside a cell."""
    page = phones[False].new_page()
    try:
        page.goto(site + PAGES["report"], wait_until="load")
        cells = page.eval_on_selector_all(
            ".claims td",
            "els => els.map(td => ({right: td.getBoundingClientRect().right, display: getComputedStyle(td).display,"
            " wb: getComputedStyle(td).wordBreak, over: td.scrollWidth > td.clientWidth + 1}))",
        )
    finally:
        page.close()
    assert cells, "the report has no claims table"
    assert {c["display"] for c in cells} == {"block"}
    assert [c for c in cells if c["right"] > PHONE["width"] or c["over"] or c["wb"] == "break-all"] == []


def test_site_name_is_whole_in_the_phone_header(site, phones):
    """Check that the site's name is not cut with an ellipsis in a phone's header (JavaScript on: the search
    button takes room)."""
    page = phones[True].new_page()
    try:
        page.goto(site, wait_until="load")
        title = page.locator(".md-header__topic .md-ellipsis").first
        cut = title.evaluate("el => el.scrollWidth > el.clientWidth + 1")
    finally:
        page.close()
    assert not cut, "the site name is cut in the phone header"


def test_without_javascript_a_line_leads_to_the_a_to_z_index(site, phones):
    """Check that without JavaScript (no search box) every page offers the A-Z index, which lists actors and
    their other names."""
    page = phones[False].new_page()
    try:
        page.goto(site + PAGES["actor"], wait_until="load")
        link = page.locator(".noscript-search a[href*='a-z/']")
        assert link.count() == 1 and link.is_visible()
        link.click()
        page.wait_for_load_state("load")
        assert page.locator("h1").inner_text().startswith("Index A")
        assert page.get_by_text("Uighurs: see").count() >= 1 or page.get_by_text("Uighur").count() >= 1
    finally:
        page.close()


def test_print_shows_the_sources_addresses(site, desktop):
    """Check that in print the Sources list shows each source's original address after its title."""
    page = desktop
    page.goto(site + PAGES["issue"], wait_until="load")
    page.emulate_media(media="print")
    after = page.locator("ol.sources a[href^='https://']").first.evaluate(
        "a => getComputedStyle(a, '::after').content"
    )
    assert "https://" in after


def test_citation_blocks_get_materials_copy_button(site, desktop):
    """Check that each format of 'Cite this page' is a code block with Material's own copy button, and that the
    page's source link and history sit under them."""
    desktop.goto(site + PAGES["issue"], wait_until="load")
    codes = desktop.locator(".briefing-cite pre > code")
    assert codes.count() == 3
    for summary in desktop.locator(".briefing-cite details > summary").all():
        summary.click()
    for n in range(3):  # Material equips a code block when it first comes into view
        codes.nth(n).scroll_into_view_if_needed()
        desktop.locator(".briefing-cite pre").nth(n).locator("button[data-clipboard-target]").wait_for(
            state="attached"
        )
    targets = desktop.locator(".briefing-cite button[data-clipboard-target]").evaluate_all(
        "buttons => buttons.map(b => b.dataset.clipboardTarget)"
    )
    assert len(set(targets)) == 3, targets
    assert desktop.locator(".briefing-cite a", has_text="History of this page").count() == 1


# --- the hostile corpus (issue 16) -------------------------------------------------------------------
# One site is built with every case of tests/hostile/corpus.py whose payload reaches the output, without --strict
# so that the build goes on past their errors, as `mkdocs serve` or a careless build would. Nothing may run:
# `window.__pwned` stays undefined, no request leaves 127.0.0.1 (the policy must block what the sanitiser let
# through, such as an image from another host), and no dialog opens.


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    yield from hostile_browser.serve_hostile_site(tmp_path_factory.mktemp("hostile-browser"))


def test_no_payload_runs_on_any_page(hostile_site, browser):
    """Check that on every page of the hostile site, after load and after hovering every element, no payload has
    run; and that on the cases' own pages, hovering every link of the text with the pointer (instant previews) and
    clicking each distinct link to another page (instant navigation) runs none either. No request may leave
    127.0.0.1, no dialog open."""
    hostile_browser.no_payload_runs_on_any_page(hostile_site, browser)


def test_no_payload_runs_from_search(hostile_site, browser):
    """Check that typing the payloads' words into search, and opening each result, runs nothing: search shows
    titles and text from the index, where a title once ran its <img onerror>."""
    hostile_browser.no_payload_runs_from_search(hostile_site, browser)


def test_the_policy_blocks_an_injected_script_and_handler(hostile_site, browser):
    """Check that the policy itself works, whatever the sanitiser does: an inline script and an event handler
    inserted into a built page do not run, and the browser reports the violations."""
    hostile_browser.policy_blocks_an_injected_script_and_handler(hostile_site, browser)


def test_the_real_site_runs_under_its_policy(site, browser):
    """Check that Material works on the real site under the policy: no violation on load, in search, after an
    instant navigation, on switching the palette and on an instant preview; and one policy stays in the head."""
    hostile_browser.real_site_runs_under_its_policy(site, browser)
