"""MkDocs hooks: the only file MkDocs loads. Thin on_* entry points into the `briefing` package.

Data flows one way: files -> frontmatter -> Site -> checks -> Problems -> report, and Site -> render -> pages.
One BuildState is made per build in on_config (MkDocs does not reload hooks under `mkdocs serve`); only the
incremental checker lives across the rebuilds of `mkdocs serve`, to re-check what can have changed.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from html import escape as html_escape
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink

sys.path.insert(0, os.path.dirname(__file__))

from briefing import changes, cite, data, feeds, jsonld, render  # noqa: E402
from briefing.checks import IncrementalChecks, level_of  # noqa: E402
from briefing.frontmatter import load_site  # noqa: E402
from briefing.model import FOLDERS, Entity, Site, parse_date  # noqa: E402
from briefing.report import format_all, format_text  # noqa: E402
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
}
GENERATED_FIXED = {f"{folder}/index.md" for folder in FOLDERS.values()} | {
    "graph.md",
    "needs-review.md",
    "now.md",
    "data.md",
    changes.PATH,
}
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


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Start a build: today's date and the `extra: briefing:` settings."""
    global STATE
    try:
        today = resolve_today()
    except TodayError as exc:
        raise PluginError(f"briefing: {exc}") from None
    settings = (config.extra or {}).get("briefing") or {}
    STATE = BuildState(today, settings, config.use_directory_urls)
    STATE.site_name, STATE.site_url = config.site_name, config.site_url or ""
    STATE.repo = cite.repo_from_edit_uri(config.edit_uri)
    STATE.commit = cite.resolve_commit(cwd=os.path.dirname(config.config_file_path) or None)
    return config


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
    skip = frozenset(GENERATED_FIXED | {f.src_uri for f in files if f.src_uri.startswith("timeline/")})
    site = load_site(Path(config.docs_dir), review_interval(state.settings), skip)
    site = apply_settings(site, state.settings)
    problems = CHECKER.run(site, state.today)
    for p in problems:
        LOG[level_of(p)](format_text(p))
    fatal = [p for p in problems if p.code in FATAL]
    if fatal:
        raise PluginError(
            f"briefing: {len(fatal)} problem(s) above make the content unreadable "
            f"(first: {format_all(fatal[:1])[0]}). Fix them and build again."
        )
    state.site = site
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
    for path, html in render.render_redirects(site, state.use_directory_urls).items():
        if files.get_file_from_path(path) is None:
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
    indexed the page; the lists' headings join the table of contents."""
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


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
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
