"""MkDocs hooks: the only file MkDocs loads. Thin on_* entry points into the `briefing` package.

Data flows one way: files -> frontmatter -> Site -> checks -> Problems -> report, and Site -> render -> pages.
The Site is rebuilt on every build (MkDocs does not reload hooks under `mkdocs serve`); unchanged files are not
re-parsed thanks to the loader's cache.
"""

from __future__ import annotations

import gc
import os
import secrets
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.toc import AnchorLink
from mkdocs.utils.meta import YAML_RE

sys.path.insert(0, os.path.dirname(__file__))

from briefing.checks import IncrementalChecks  # noqa: E402
from briefing.frontmatter import load_site  # noqa: E402
from briefing.model import FOLDERS  # noqa: E402
from briefing.render import (  # noqa: E402
    Linker,
    assemble,
    event_years,
    fill_links,
    render_aka,
    render_entity_top,
    render_graph_page,
    render_home_blocks,
    render_needs_review,
    render_section_index,
    render_sections,
    render_timeline_index,
    render_timeline_year,
    reset_links,
    rewrite_wikilinks,
)
from briefing.report import format_all, format_text, sort_problems  # noqa: E402
from briefing.settings import DEFAULT_REVIEW_IN, TodayError, apply_settings, resolve_today  # noqa: E402

log = get_plugin_logger("briefing")
STATE: dict = {}
# Kept across the rebuilds of `mkdocs serve` (MkDocs loads this module once): re-checks only what can have changed.
CHECKER = IncrementalChecks()
# Problems that MkDocs or Markdown would turn into a traceback: stop before they are reached.
FATAL = {"not-utf8", "too-large", "include-outside-repo", "frontmatter-unclosed"}
LOG = {"error": log.error, "warning": log.warning, "notice": log.info}


# Where the HTML of a page's lists goes: replaced in on_post_page, after the search plugin has indexed the page
# (lists of other pages would only repeat those pages in search results).
# A nonce per process: a page's own text cannot contain the markers and so cannot move what the hook inserts.
NONCE = secrets.token_hex(8)
MARK = f"<!-- briefing:lists:{NONCE} -->"
MARK_TOP = (
    f"<!-- briefing:top:{NONCE} -->"  # the review notice and the infobox (key facts of other pages, too)
)


def generated_paths(site) -> dict[str, callable]:
    """Every generated page: its docs/ path and a function giving its (Markdown, blocks)."""
    udu = STATE["use_directory_urls"]
    pages = {
        f"{folder}/index.md": (lambda s, k=kind: render_section_index(s, k, udu))
        for kind, folder in FOLDERS.items()
    }
    pages["timeline/index.md"] = lambda s: render_timeline_index(s, udu)
    for year in event_years(site):
        pages[f"timeline/{year}.md"] = lambda s, y=year: render_timeline_year(s, y, udu)
    pages["graph.md"] = lambda s: render_graph_page(s, udu)
    pages["needs-review.md"] = lambda s: render_needs_review(s, STATE["today"], udu)
    return pages


def on_config(config):
    try:
        STATE["today"] = resolve_today()
    except TodayError as exc:
        raise PluginError(f"briefing: {exc}") from None
    settings = (config.extra or {}).get("briefing") or {}
    STATE["review_in"] = str(settings.get("review_in", DEFAULT_REVIEW_IN))
    STATE["settings"] = settings
    STATE["use_directory_urls"] = config.use_directory_urls
    return config


def on_files(files: Files, config) -> Files:
    # The graph lives until the end of the build. Built with the cyclic collector paused, then frozen, it is not
    # rescanned by every full collection of the page builds. Unfrozen at the start of the next build (mkdocs serve),
    # the previous graph goes back to the collector.
    gc.unfreeze()
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _on_files(files, config)
    finally:
        if collecting:
            gc.freeze()
            gc.enable()


def _on_files(files: Files, config) -> Files:
    docs = Path(config.docs_dir)
    fixed = {f"{folder}/index.md" for folder in FOLDERS.values()} | {"graph.md", "needs-review.md"}
    skip = frozenset(fixed | {f.src_uri for f in files if f.src_uri.startswith("timeline/")})
    STATE["meta"] = {}  # page -> its FrontMatter, for on_page_read_source
    STATE["read_meta"] = {}
    site = apply_settings(load_site(docs, STATE["review_in"], skip, STATE["meta"]), STATE["settings"])
    problems = sort_problems(CHECKER.run(site, STATE["today"]))
    for p in problems:
        LOG[p.level](format_text(p))
    fatal = [p for p in problems if p.code in FATAL]
    if fatal:
        raise PluginError(
            f"briefing: {len(fatal)} problem(s) above make the content unreadable "
            f"(first: {format_all(fatal[:1])[0]}). Fix them and build again."
        )
    STATE["site"] = site
    reset_links()
    STATE["pages"] = {p.path: p for p in site.pages}
    STATE["blocks"] = {}
    STATE["lists"] = {}
    STATE["top"] = {}
    STATE["tokens"] = {}  # page -> the HTML links of its [[references]], by token number (render.fill_links)
    for path, render in generated_paths(site).items():
        old = files.get_file_from_path(path)
        if old is not None:
            files.remove(old)
        markdown, blocks = render(site)
        STATE["blocks"][path] = blocks
        files.append(File.generated(config, path, content=markdown))
    return files


def entity_of(site, path: str):
    entity = site.entities.get(path[path.find("/") + 1 : -3]) if path.count("/") == 1 else None
    return entity if entity is not None and entity.path == path else None


# What MkDocs reads in place of a page's front matter when the hook already has it (on_page_read_source): a blank
# first line, so that MkDocs finds no front matter (neither YAML nor MultiMarkdown) and drops it with the blank
# lines that start the body, as it does after a front matter.
NO_FRONT_MATTER = "\n"


def on_page_read_source(page, config) -> str | None:
    """Spare MkDocs a second YAML parse of the front matter the loader has parsed: MkDocs gets the page without
    it, and on_page_markdown gives the page its meta, the value PyYAML's safe loader would have
    made of the same text.

    Where MkDocs would read the same front matter and body as the loader did (FrontMatter.same), the page is not
    read again: MkDocs gets the body the loader read, the text the checks saw, even if the file changed since
    (`mkdocs serve` rebuilds after such a change). Otherwise the file is read: if it no longer has that front
    matter, or MkDocs would not see it as one, MkDocs parses the file itself as usual."""
    path = page.file.src_uri
    front = STATE.get("meta", {}).get(path)
    if front is None:
        return None
    if front.same and page.file.abs_src_path is not None:  # no plugin has replaced the file's content
        page_ = STATE["pages"].get(path)
        if page_ is not None:
            STATE["read_meta"][path] = front.take()
            return NO_FRONT_MATTER + page_.body
    try:
        source = page.file.content_string
    except (OSError, ValueError):
        return None  # MkDocs reads the file again and reports the error its own way
    m = YAML_RE.match(source)
    if m is None or m.group(1) != front.text:
        return source
    STATE["read_meta"][path] = front.take()
    return NO_FRONT_MATTER + source[m.end() :]


# First among the plugins: Material's (tags, for one) read page.meta in their own on_page_markdown.
@event_priority(100)
def on_page_markdown(markdown: str, page, config, files) -> str:
    path = page.file.src_uri
    meta = STATE.get("read_meta", {}).pop(path, None)
    if meta is not None:
        page.meta = meta
    site = STATE.get("site")
    if site is None:
        return markdown
    if path == "index.md":
        markdown = render_home_blocks(site, markdown)
    # The loader found the references already; MkDocs' Markdown is the same body without its first blank lines.
    page_ = STATE["pages"].get(path)
    shift = len(page_.body) - len(markdown) if page_ is not None else -1
    tokens = STATE["tokens"][path] = []
    udu = STATE["use_directory_urls"]
    if shift < 0 or not page_.body.endswith(markdown) or page_.body[:shift].strip():
        return rewrite_wikilinks(markdown, site, path, udu, tokens=tokens)
    return rewrite_wikilinks(markdown, site, path, udu, page_.links, shift, tokens)


def _toc_ids(items, out: set[str]) -> set[str]:
    for item in items:
        out.add(item.id)
        _toc_ids(item.children, out)
    return out


def on_page_content(html: str, page, config, files) -> str:
    """Entity pages get their notice and infobox under the title; entity and generated pages get their lists."""
    site = STATE.get("site")
    if site is None:
        return html
    path = page.file.src_uri
    html = fill_links(html, STATE["tokens"].pop(path, ()))
    entity = entity_of(site, path)
    if entity is not None:
        ln = Linker(path, STATE["use_directory_urls"])
        STATE["top"][path] = render_entity_top(site, entity, STATE["today"], ln)
        top = render_aka(entity) + MARK_TOP + "\n"  # other names right under the title
        end = html.find("</h1>")
        html = html[: end + 5] + "\n" + top + html[end + 5 :] if end != -1 else top + html
        blocks = render_sections(site, entity, ln)
    else:
        blocks = STATE["blocks"].pop(path, None)  # generated pages: freed once used
    if not blocks:
        return html
    body, heads = assemble(blocks, _toc_ids(page.toc.items, set()))
    if heads:
        parent = (
            page.toc.items[0].children if len(page.toc.items) == 1 and page.toc.items[0].level == 1 else None
        )
        for hid, title in heads:
            link = AnchorLink(title, hid, 2)
            (parent if parent is not None else page.toc.items).append(link)
    STATE["lists"][path] = body
    return html + "\n" + MARK


def on_post_page(output: str, page, config) -> str:
    path = page.file.src_uri
    top = STATE.get("top", {}).pop(path, None)
    body = STATE.get("lists", {}).pop(path, None)
    if top is None and body is None:
        return output
    parts = []
    start = 0
    if top is not None and (i := output.find(MARK_TOP)) != -1:
        parts += [output[:i], top]
        start = i + len(MARK_TOP)
    if body is not None and (j := output.rfind(MARK)) >= start:
        parts += [output[start:j], body]
        start = j + len(MARK)
    parts.append(output[start:])
    return "".join(parts)
