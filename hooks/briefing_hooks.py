"""MkDocs hooks: the only file MkDocs loads. Thin on_* entry points into the `briefing` package.

Data flows one way: files -> frontmatter -> Site -> checks -> Problems -> report, and Site -> render -> pages.
One BuildState is made per build in on_config (MkDocs does not reload hooks under `mkdocs serve`); only the
incremental checker lives across the rebuilds of `mkdocs serve`, to re-check what can have changed.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from html import escape as html_escape
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink

sys.path.insert(0, os.path.dirname(__file__))

from briefing import changes, cite, csp, data, feeds, jsonld, publish, render, sanitize  # noqa: E402
from briefing.checks import IncrementalChecks, level_of  # noqa: E402
from briefing.frontmatter import load_site  # noqa: E402
from briefing.model import FOLDERS, Entity, Problem, Site, parse_date  # noqa: E402
from briefing.model import Page as SitePage  # noqa: E402
from briefing.report import capped, format_all, format_text, more_line, safe_lines, summary  # noqa: E402
from briefing.settings import TodayError, apply_settings, resolve_today, review_interval  # noqa: E402

log = get_plugin_logger("briefing")
LOG = {"error": log.error, "warning": log.warning, "notice": log.info}
# Kept across the rebuilds of `mkdocs serve`: re-checks only what can have changed.
CHECKER = IncrementalChecks()
# Problems that MkDocs or Markdown would turn into a traceback or a hang: the build stops before reaching them.
FATAL = {
    "unreadable-file",
    "not-utf8",
    "too-large",
    "frontmatter-unclosed",
    "yaml-alias",
    "too-deep",
    "include-outside-repo",
    "include-not-found",
    *publish.FATAL,
}
UNPUBLISHED = ("unpublishable-file", "url-collision")  # problems whose file the build leaves out
# Material's inline scripts, whose hashes the Content-Security-Policy allows (see briefing.csp).
MATERIAL_SCRIPTS = (
    "partials/javascripts/base.html",
    "partials/javascripts/palette.html",
    "partials/javascripts/content.html",
    "partials/javascripts/announce.html",
    "partials/javascripts/consent.html",
)
# Set by on_startup: under `mkdocs serve` no policy is emitted (its livereload script changes per request), and
# a problem that stops the build shows as an error page instead of a stuck server.
SERVING = False
DOCS_DIR = ""  # the real docs_dir, watched under `mkdocs serve` even while an error page is shown
# Plain pages that offer a citation, besides the entity pages.
CITED_PAGES = {"report.md"}


@dataclass
class BuildState:
    """What one build knows: made in on_config, filled in on_files, read by the page events."""

    today: date
    settings: dict
    use_directory_urls: bool
    site: Site | None = None
    generated: dict[str, list[render.Block]] = field(default_factory=dict)  # generated page -> its lists
    publish_problems: list[Problem] = field(default_factory=list)  # files under docs/ that are not published
    stopped: list[Problem] = field(default_factory=list)  # under `mkdocs serve`: what stopped the build
    error_html: str = ""  # under `mkdocs serve`: the 404 page while a problem stops the build
    policy: str = ""  # the Content-Security-Policy ('' under `mkdocs serve`)
    script_hashes: set[str] = field(default_factory=set)  # Material's inline scripts, allowed by the policy
    pages: dict[str, SitePage] = field(default_factory=dict)  # docs/ path -> the checked page, for positions
    unsafe_lines: set[tuple[str, int]] = field(default_factory=set)  # (path, line) the source scan reported
    # page -> (breadcrumb, what the top follows, notice and infobox, lists), from on_page_content to on_page_context
    additions: dict[str, tuple[str, str, str, str]] = field(default_factory=dict)
    cites: dict[str, render.Citations] = field(
        default_factory=dict
    )  # page -> its citations, Markdown to HTML
    site_name: str = ""
    site_url: str = ""  # with its final slash; '' when mkdocs.yml sets none (the data then has relative URLs)
    repo: cite.Repo | None = None  # from edit_uri: where permanent links and page histories point
    commit: str = ""  # the commit being built ('' when unknown)

    def url(self, path: str) -> str:
        """The absolute address of a docs/ file's page."""
        return self.site_url + render.page_url(path, self.use_directory_urls)


STATE: BuildState | None = None


def on_startup(command: str, **_) -> None:
    global SERVING
    SERVING = command == "serve"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Start a build: today's date and the `extra: briefing:` settings; which files under docs/ may be published
    (before MkDocs walks the folder, which follows links); the Content-Security-Policy."""
    global STATE, DOCS_DIR
    _safe_log_handlers()
    try:
        today = resolve_today()
    except TodayError as exc:
        raise PluginError(f"briefing: {exc}") from None
    settings = (config.extra or {}).get("briefing") or {}
    STATE = BuildState(today, settings, config.use_directory_urls)
    STATE.site_name, STATE.site_url = config.site_name, config.site_url or ""
    STATE.repo = cite.repo_from_edit_uri(config.edit_uri)
    STATE.commit = cite.resolve_commit(cwd=os.path.dirname(config.config_file_path) or None)
    DOCS_DIR = config.docs_dir
    listed = publish.listed_files(config.extra_css, config.extra_javascript)
    found = publish.scan(config.docs_dir, listed)
    STATE.publish_problems = [p for p in found if p.code not in FATAL]
    fatal = [p for p in found if p.code in FATAL]
    if fatal:
        _log(fatal)
        if not SERVING:
            raise PluginError(_stop_message(fatal))
        STATE.stopped = fatal
        config.docs_dir = _empty_folder()  # MkDocs walks an empty folder, not the links
    # `__md_scope` is Material's only inline script that varies with the page's depth: a fixed scope (the site's
    # own path, as the default resolves to) makes it, and so the policy, the same on every page.
    config.extra.setdefault("scope", urlsplit(config.site_url or "/").path or "/")
    if not SERVING:
        env = config.theme.get_env()
        context = {"config": config, "base_url": ".", "features": config.theme.get("features") or []}
        for name in MATERIAL_SCRIPTS:
            scripts = csp.inline_scripts(env.get_template(name).render(**context))
            STATE.script_hashes.update(csp.script_hash(text) for text in scripts)
        STATE.policy = csp.policy(STATE.script_hashes)
    return config


EMPTY: list[str] = []  # the empty folder MkDocs walks while links stop the build under `mkdocs serve`


def _empty_folder() -> str:
    if not EMPTY:
        EMPTY.append(tempfile.mkdtemp(prefix="briefing-stopped-"))
    return EMPTY[0]


def on_shutdown() -> None:
    for folder in EMPTY:
        shutil.rmtree(folder, ignore_errors=True)


class _SafeRecords(logging.Filter):
    """MkDocs' own messages quote a page's links: control and bidi characters in them are shown as escapes."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if safe_lines(message) != message:
            record.msg, record.args = safe_lines(message), ()
        return True


def _safe_log_handlers() -> None:
    for handler in logging.getLogger("mkdocs").handlers:
        if not any(isinstance(f, _SafeRecords) for f in handler.filters):
            handler.addFilter(_SafeRecords())


def on_serve(server, config: MkDocsConfig, **_):
    """Watch the real docs/ even if the first build showed an error page from an empty folder."""
    if DOCS_DIR and os.path.realpath(config.docs_dir) != os.path.realpath(DOCS_DIR):
        server.watch(DOCS_DIR)
    return server


def _log(problems: list[Problem]) -> None:
    """Each problem at its level, at most 50 of each code, then how many more."""
    shown, more = capped(problems)
    for p in shown:
        LOG[level_of(p)](format_text(p))
    for code, n in more.items():
        LOG[level_of(Problem("", 0, 0, code, ""))](more_line(code, n))


def _stop_message(fatal: list[Problem]) -> str:
    return (
        f"briefing: {len(fatal)} problem(s) above make the content unreadable or unsafe to publish "
        f"(first: {format_all(fatal[:1])[0]}). Fix them and build again."
    )


def _error_page(problems: list[Problem]) -> str:
    """The page `mkdocs serve` shows at every address while a problem stops the build."""
    lines = "\n".join(html_escape(line) for line in format_all(capped(problems)[0]))
    return (
        "# The site cannot be built\n\n"
        f"{len(problems)} problem(s) stop the build. Fix them: this page reloads by itself.\n\n"
        f"<pre><code>{lines}</code></pre>\n"
    )


ERROR_HTML = (
    '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>The site cannot be built</title>\n'
    "</head>\n<body>\n<h1>The site cannot be built</h1>\n<p>{n} problem(s) stop the build. Fix them: this page "
    "reloads by itself.</p>\n<pre><code>{lines}</code></pre>\n</body>\n</html>\n"
)


def _stopped_files(files: Files, config: MkDocsConfig, problems: list[Problem], paths) -> Files:
    """Every page replaced by the error page (MkDocs reads none of them), the other files kept."""
    page = _error_page(problems)
    lines = html_escape("\n".join(format_all(capped(problems)[0])))
    STATE.error_html = ERROR_HTML.format(n=len(problems), lines=lines)
    for f in list(files.documentation_pages()):
        files.remove(f)
    for path in sorted({"index.md", *paths}):
        files.append(File.generated(config, path, content=page))
    return files


def generated_pages(site: Site, state: BuildState) -> dict[str, Callable[[], render.Generated]]:
    """Every generated page: its docs/ path and a function giving its (Markdown, lists)."""
    udu = state.use_directory_urls
    pages = {
        f"{folder}/index.md": (lambda k=kind: render.render_section_index(site, k, udu))
        for kind, folder in FOLDERS.items()
    }
    pages["timeline/index.md"] = lambda: render.render_timeline_index(site, udu)
    for year in site.events_by_year():
        pages[f"timeline/{year}.md"] = lambda y=year: render.render_timeline_year(site, y, udu)
    pages["graph.md"] = lambda: render.render_graph_page(site, udu)
    pages["needs-review.md"] = lambda: render.render_needs_review(site, state.today, udu)
    pages["now.md"] = lambda: render.render_now(site, state.today, udu)
    pages["a-z.md"] = lambda: render.render_a_to_z(site, udu)
    pages["data.md"] = lambda: data.render_data_page(state.site_url)
    pages[changes.PATH] = lambda: changes.render_changes(
        site, state.today, render.Linker(changes.PATH, udu).a
    )
    return pages


def open_data_files(site: Site, state: BuildState) -> dict[str, str | bytes]:
    """The data files and the feeds, by their path in the built site."""
    args = (site, state.url, state.site_name, state.site_url)
    return {**data.data_files(*args), **feeds.feeds(*args)}


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Load every page into the Site, check it, report, and add the generated pages."""
    state = STATE
    if state.stopped:  # `mkdocs serve` with a link or a bad file name under docs/
        return _stopped_files(files, config, state.stopped, publish.page_paths(DOCS_DIR))
    site = load_site(Path(config.docs_dir), review_interval(state.settings))
    site = apply_settings(site, state.settings)
    problems = [*CHECKER.run(site, state.today), *state.publish_problems]
    _log(problems)
    log.info(f"checked {len(site.pages)} pages: {summary(problems)}")  # the totals, whatever the cap showed
    fatal = [p for p in problems if p.code in FATAL]
    if fatal:
        if not SERVING:
            raise PluginError(_stop_message(fatal))
        return _stopped_files(files, config, fatal, [f.src_uri for f in files.documentation_pages()])
    # Only checked files are published: not the files reported above, nor a page at a generated path or at the
    # address of another page.
    dropped = {p.path for p in [*state.publish_problems, *problems] if p.code in UNPUBLISHED}
    for path in dropped | {f.src_uri for f in files if publish.is_generated(f.src_uri)}:
        old = files.get_file_from_path(path)
        if old is not None:
            files.remove(old)
    state.site = site
    state.pages = {p.path: p for p in site.pages}
    state.unsafe_lines = {(p.path, p.line) for p in problems if p.code == "unsafe-html"}
    for path, make in generated_pages(site, state).items():
        old = files.get_file_from_path(path)
        if old is not None:
            files.remove(old)
        markdown, blocks = make()
        state.generated[path] = blocks
        files.append(File.generated(config, path, content=markdown))
    existing = {f.src_uri for f in files}  # looked up once: each append makes MkDocs rebuild its index
    for path, content in open_data_files(site, state).items():
        if path in existing:
            files.remove(files.get_file_from_path(path))
        files.append(File.generated(config, path, content=content))
    taken = {f.dest_uri for f in files}
    for path, html in render.render_redirects(site, state.use_directory_urls).items():
        if path not in taken:  # a page of that address is published, and reported (url-collision)
            html = csp.add_policy(html, state.policy) if state.policy else html
            files.append(File.generated(config, path, content=html))
    return files


def entity_of(site: Site, path: str) -> Entity | None:
    """The entity whose page is at `path` (None for plain and generated pages)."""
    folder, _, name = path.partition("/")
    entity = site.entity(name.removesuffix(".md")) if "/" not in name else None
    return entity if entity is not None and entity.path == path else None


# First among the plugins: Material's (tags, for one) read page.meta in their own on_page_markdown.
@event_priority(100)
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """The home page's generated lists; [[references]] become Markdown links to their pages."""
    _plain_meta(page)
    site = STATE.site if STATE else None
    if site is None:
        return markdown
    if page.file.src_uri == "index.md":
        markdown = render.render_home_blocks(site, markdown, today=STATE.today)
    boost = render.search_boost(entity_of(site, page.file.src_uri))
    if boost is not None:  # read by the search plugin when it indexes the page
        page.meta["search"] = {**(page.meta.get("search") or {}), "boost": boost}
    cites = STATE.cites[page.file.src_uri] = render.Citations()
    return render.rewrite_wikilinks(markdown, site, page.file.src_uri, cites)


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Entity pages get their other names under the title (indexed by search); their notice and infobox, and the
    lists of entity and generated pages, are made here and put in place in on_page_context, after search has
    indexed the page; the lists' headings join the table of contents. First, the page's own HTML passes the
    sanitiser, and a title taken from its first heading is made plain text."""
    html = _sanitized(html, page)
    if page.title and sanitize.plain_text(page.title) != page.title:  # a title from the first heading
        page.meta["title"] = sanitize.plain_text(page.title)
    site = STATE.site if STATE else None
    if site is None:
        return html
    path = page.file.src_uri
    entity = entity_of(site, path)
    ln = render.Linker(path, STATE.use_directory_urls)
    cites = STATE.cites.pop(path, None) or render.Citations()
    if entity is not None:
        aka = render.render_aka(entity)
        crumbs = render.render_breadcrumb(site, entity, ln)
        top = render.render_bottom_line(site, entity, STATE.today, ln)
        top += render.render_review_notice(site, entity, STATE.today)
        top += render.render_infobox(site, entity, ln, cites)
        blocks = render.render_sections(site, entity, ln)
    else:
        aka, crumbs, top, blocks = "", "", "", STATE.generated.pop(path, [])
    if sources := render.render_sources_list(site, cites, ln):
        blocks = [("Sources", sources), *blocks]
    blocks = blocks + cite_blocks(page, entity)
    html = render.place_under_title(render.with_subtitle(html, render.short_description(entity)), aka)
    lists, heads = render.assemble(blocks, _toc_ids(page.toc.items, set())) if blocks else ("", [])
    STATE.additions[path] = (crumbs, aka or "</h1>", top, render.mk.lists(lists) if lists else "")
    toc = page.toc.items
    parent = toc[0].children if len(toc) == 1 and toc[0].level == 1 else toc
    parent.extend(AnchorLink(html_escape(title), hid, 2) for hid, title in heads)
    return html


# Last among the plugins: the search plugin indexes the page in its own on_page_context. The infobox and the lists
# only repeat other pages' names (each of those pages is indexed itself), and parsing them would cost search a
# third of a build.
@event_priority(-100)
def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav: Navigation) -> dict:
    """Put the notice and infobox under the title and the lists after the text, once search has indexed the page."""
    crumbs, after, top, lists = STATE.additions.pop(page.file.src_uri, ("",) * 4) if STATE else ("",) * 4
    page.content = crumbs + render.place_under_title(page.content, top, after) + lists
    return context


def _toc_ids(items: list[AnchorLink], out: set[str]) -> set[str]:
    for item in items:
        out.add(item.id)
        _toc_ids(item.children, out)
    return out


def _sanitized(html: str, page: Page) -> str:
    """The page's HTML through the allow-list sanitiser; each removal is an `unsafe-html` error at the line where
    the page's source has it (unless the source scan already reported that line)."""
    clean, removed = sanitize.sanitize(html)
    if not removed:
        return clean
    path = page.file.src_uri
    source = STATE.pages.get(path) if STATE else None
    problems = []
    for r in removed:
        line, col = 1, 1
        at = sanitize.locate(source.body, r) if source is not None else None
        if at is not None:
            before = source.body[:at]
            line = source.body_line + before.count("\n")
            col = at - (before.rfind("\n") + 1) + 1
        if (path, line) in STATE.unsafe_lines:
            continue
        problems.append(
            Problem(
                path,
                line,
                col,
                "unsafe-html",
                f"The page's HTML contained the {r.what}, which is not allowed; the sanitiser removed it. Pages "
                "may not run scripts, restyle the page or embed other sites: remove it from the page.",
            )
        )
    _log(problems)
    return clean


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """The feeds' links and the JSON-LD in the head (`_head_additions`), then the Content-Security-Policy, with an
    error for any inline script it would block (the JSON-LD is data: no policy governs it)."""
    return _with_policy(_head_additions(output, page, config), page.file.src_uri)


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    """404.html is rendered from a template, not a page: it gets the same policy. While a problem stops the build
    under `mkdocs serve`, it is the error page (every address without a page shows it)."""
    if template_name == "404.html" and STATE is not None and STATE.error_html:
        return STATE.error_html
    return _with_policy(output_content, template_name) if template_name.endswith(".html") else output_content


def _with_policy(html: str, path: str) -> str:
    if STATE is None or not STATE.policy:
        return html
    blocked = csp.unknown_scripts(html, STATE.script_hashes)
    _log(
        [
            Problem(
                path,
                1,
                1,
                "unsafe-html",
                f"The built page has an inline script that is not one of Material's ('{text.strip()[:60]}'): the "
                "Content-Security-Policy would block it. Remove what adds it (a template override or a plugin).",
            )
            for text in blocked
        ]
    )
    return csp.add_policy(html, STATE.policy)


def _plain_meta(page: Page) -> None:
    """The title, description and tags the theme prints unescaped, made plain text (the checks reject any that is
    not, as `not-plain-text`; this is for a build that goes on anyway)."""
    meta = page.meta
    for key in ("title", "description"):
        if isinstance(meta.get(key), str):
            meta[key] = sanitize.plain_text(meta[key])
    if isinstance(meta.get("tags"), list):
        meta["tags"] = [sanitize.plain_text(t) if isinstance(t, str) else t for t in meta["tags"]]


def cite_blocks(page: Page, entity: Entity | None) -> list[render.Block]:
    """'Cite this page' on entity pages and the report."""
    if entity is None and page.file.src_uri not in CITED_PAGES:
        return []
    path = page.file.src_uri
    if entity is not None:
        title, reviewed = entity.name, entity.last_reviewed.value if entity.last_reviewed else None
    else:
        title, reviewed = page.title or path, parse_date(str(page.meta.get("last_reviewed", "")))
    key = entity.id if entity is not None else path.removesuffix(".md").replace("/", "-")
    c = cite.Citable(key, title, path, STATE.url(path), reviewed)
    return [("Cite this page", cite.render_cite(c, STATE.site_name, STATE.repo, STATE.commit))]


def _head_additions(output: str, page: Page, config: MkDocsConfig) -> str:
    """The Atom feeds' alternate links (home page, issue pages) and the schema.org JSON-LD (entity pages, the home
    and Data pages) at the end of the page's head."""
    site = STATE.site if STATE else None
    end = output.find("</head>")
    if site is None or end == -1:
        return output
    path = page.file.src_uri
    entity = entity_of(site, path)
    root = "../" * render.page_url(path, STATE.use_directory_urls).count("/")
    head = feeds.alternate_links(site, entity, path, root, STATE.site_name)
    objects = jsonld.page_objects(
        site, entity, path, STATE.url, STATE.site_name, STATE.site_url, config.site_description or ""
    )
    head += jsonld.script(objects) if objects else ""
    return output[:end] + head + output[end:]
