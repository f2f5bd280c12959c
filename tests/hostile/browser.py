"""The hostile corpus in a real Chromium (the tests are at the end of tests/test_browser.py, which owns the one
Chromium of the session): the site of every case whose payload reaches the output, and a reader that records what
a payload could do (run: `window.__pwned`; requests leaving 127.0.0.1; dialogs; policy violations)."""

from __future__ import annotations

import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from .corpus import CASES
from .site import run_build, write_cases

TIMEOUT_MS = 15_000

WORDS = ["pwned", "script", "onerror", "evil", "javascript", "svg"]
WATCH = """() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation',
        e => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sample || '')));
}"""


# Every element of the page gets the pointer's events, as if hovered: a handler left on a paragraph by attr_list
# would run here, whether or not a real pointer can reach the element.
HOVER_ALL = """() => {
    for (const el of document.querySelectorAll('body *')) {
        for (const type of ['mouseover', 'mouseenter', 'mousemove', 'focus']) {
            el.dispatchEvent(new MouseEvent(type, {bubbles: type !== 'mouseenter'}));
        }
    }
}"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


def serve_hostile_site(root: Path):
    """Build every browser case of the corpus into `root` without --strict, and serve it on 127.0.0.1: yields
    (base URL, the built site's folder)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(root / "site")))
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    write_cases(root, [c for c in CASES if c.browser and not c.fatal])
    code, log, _ = run_build(root, strict=False, site_url=base)
    assert code == 0 and (root / "site" / "index.html").is_file(), log
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base, root / "site"
    finally:
        server.shutdown()
        server.server_close()


class Reader:
    """One browser context that records what a payload could do: requests leaving 127.0.0.1, dialogs."""

    def __init__(self, browser, base: str) -> None:
        self.base = base
        self.outside: list[str] = []
        self.dialogs: list[str] = []
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
        self.context.route(lambda url: urlsplit(url).hostname != "127.0.0.1", self._blocked)
        self.context.add_init_script(f"({WATCH})()")
        self.page = self.context.new_page()
        self.page.set_default_timeout(TIMEOUT_MS)
        self.page.on("dialog", self._dialog)

    def _blocked(self, route) -> None:
        self.outside.append(route.request.url)
        route.abort()

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, url: str, idle: bool = True) -> None:
        self.page.goto(url, wait_until="load")
        if idle:  # the search index, sitemap and previews fetched
            self.page.wait_for_load_state("networkidle")
        else:
            self.page.wait_for_timeout(100)

    def pwned(self) -> object:
        return self.page.evaluate("window.__pwned")

    def close(self) -> None:
        self.context.close()


def _urls(base: str, built: Path) -> list[str]:
    out = []
    for page in sorted(built.rglob("*.html")):
        rel = page.relative_to(built).as_posix()
        out.append(base + (rel[: -len("index.html")] if rel.endswith("index.html") else rel))
    return out


def _visit(reader: Reader, url: str, own: bool) -> list[str]:
    """What ran on one page: on load, on hovering, and (on a case's own page) on clicking its links."""
    ran = []
    reader.open(url, idle=False)
    if reader.pwned() is not None:
        ran.append(f"{url}: on load")
    reader.page.evaluate(HOVER_ALL)
    if reader.pwned() is not None:
        ran.append(f"{url}: hovering its elements")
    if not own:
        return ran
    links = reader.page.locator("article a[href]")
    for i in range(links.count()):
        try:
            links.nth(i).hover(force=True, timeout=2000)  # a real pointer: instant previews
        except Exception:  # covered by the header, or not laid out: HOVER_ALL reached it
            pass
    if reader.pwned() is not None:
        ran.append(f"{url}: hovering its links")
    targets = reader.page.eval_on_selector_all(
        "article a[href]",
        """(els, host) => { const seen = new Set(); return els.map((a, i) => [i, a])
            .filter(([i, a]) => a.host === host && a.pathname !== location.pathname
                                && !seen.has(a.href) && seen.add(a.href))
            .map(([i]) => i); }""",
        urlsplit(url).netloc,
    )
    for i in targets:
        reader.open(url, idle=False)
        reader.page.locator("article a[href]").nth(i).click(timeout=5000)
        reader.page.wait_for_load_state("load")
        reader.page.wait_for_timeout(250)  # instant navigation swaps the content in
        if reader.pwned() is not None:
            ran.append(f"{url}: clicking link {i} of its text")
    return ran


def no_payload_runs_on_any_page(hostile_site, browser) -> None:
    base, site_dir = hostile_site
    reader = Reader(browser, base)
    ran: list[str] = []
    own_pages = {
        base + (path[: -len("index.md")] if path.endswith("index.md") else path[:-3] + "/")
        for case in CASES
        if case.browser and not case.fatal
        for path in case.files
        if path.endswith(".md") and not path.startswith("snippets/")
    }
    try:
        for url in _urls(base, site_dir):
            try:
                ran += _visit(reader, url, url in own_pages)
            except Exception as exc:  # a refresh or a script took the page elsewhere
                ran.append(f"{url}: the page did not stay put ({str(exc).splitlines()[0]})")
    finally:
        reader.close()
    assert ran == [], "a payload ran:\n" + "\n".join(ran)
    assert reader.outside == [], "requests left 127.0.0.1:\n" + "\n".join(reader.outside)
    assert reader.dialogs == [], f"dialogs opened: {reader.dialogs}"


def no_payload_runs_from_search(hostile_site, browser) -> None:
    base, _ = hostile_site
    reader = Reader(browser, base)
    shown = 0
    try:
        for word in WORDS:
            reader.open(base)
            box = reader.page.locator("input.md-search__input")
            box.click()
            box.press_sequentially(word, delay=30)
            reader.page.wait_for_timeout(800)
            results = reader.page.locator(".md-search-result__link")
            shown += results.count()
            for i in range(min(results.count(), 5)):
                results.nth(i).hover(timeout=2000)
            assert reader.pwned() is None, f"typing {word!r} into search ran a payload"
            if results.count():
                results.first.click()
                reader.page.wait_for_load_state("networkidle")
                assert reader.pwned() is None, f"opening the first result for {word!r} ran a payload"
    finally:
        reader.close()
    assert shown > 0, "search showed no result for any payload word: the test saw nothing"
    assert reader.outside == [] and reader.dialogs == []


def policy_blocks_an_injected_script_and_handler(hostile_site, browser) -> None:
    base, _ = hostile_site
    reader = Reader(browser, base)
    try:
        reader.open(base)
        reader.page.evaluate("""() => {
            const s = document.createElement('script');
            s.textContent = 'window.__pwned = 1';
            document.body.append(s);
            const d = document.createElement('div');
            d.innerHTML = '<img src="data:," onerror="window.__pwned = 2">';
            document.body.append(d);
        }""")
        reader.page.wait_for_timeout(500)
        assert reader.pwned() is None
        assert len(reader.page.evaluate("window.__csp")) >= 2
    finally:
        reader.close()


def real_site_runs_under_its_policy(site, browser) -> None:
    reader = Reader(browser, site)
    try:
        reader.open(site + "actors/marc-garneau/")
        box = reader.page.locator("input.md-search__input")
        box.click()
        box.press_sequentially("Garneau", delay=30)
        reader.page.locator(".md-search-result__item").first.wait_for(state="visible")
        reader.page.keyboard.press("Escape")
        reader.page.locator("article.md-content__inner p a[href*='actors/']").first.hover()
        reader.page.wait_for_timeout(1000)
        reader.page.locator("article.md-content__inner a[href*='issues/']").first.click()
        reader.page.wait_for_load_state("networkidle")
        reader.page.locator("label.md-header__button[for^='__palette']").first.click()
        reader.page.wait_for_timeout(300)
        violations = reader.page.evaluate("window.__csp")
        metas = reader.page.evaluate(
            "document.querySelectorAll('meta[http-equiv=Content-Security-Policy]').length"
        )
    finally:
        reader.close()
    assert violations == [], f"the policy blocked part of Material: {violations}"
    assert metas == 1
    assert reader.outside == []
