"""MkDocs hooks: the only file MkDocs loads. Thin on_* entry points into the `briefing` package.

Data flows one way: files -> frontmatter -> Site -> checks -> Problems -> report, and Site -> render -> pages.
The Site is rebuilt on every build (MkDocs does not reload hooks under `mkdocs serve`); unchanged files are not
re-parsed thanks to the loader's cache.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files

sys.path.insert(0, os.path.dirname(__file__))

from briefing.checks import run_checks  # noqa: E402
from briefing.frontmatter import load_site  # noqa: E402
from briefing.model import FOLDERS  # noqa: E402
from briefing.render import (  # noqa: E402
    render_entity_page,
    render_graph_page,
    render_home_blocks,
    render_needs_review,
    render_section_index,
    render_timeline_index,
    render_timeline_year,
    rewrite_wikilinks,
)
from briefing.report import format_all, format_text, sort_problems  # noqa: E402
from briefing.settings import DEFAULT_REVIEW_IN, TodayError, apply_settings, resolve_today  # noqa: E402

log = get_plugin_logger("briefing")
STATE: dict = {}
# Problems that MkDocs or Markdown would turn into a traceback: stop before they are reached.
FATAL = {"not-utf8", "too-large", "include-outside-repo", "frontmatter-unclosed"}
LOG = {"error": log.error, "warning": log.warning, "notice": log.info}


def generated_paths(site) -> dict[str, callable]:
    from briefing.render import _years

    pages = {
        f"{folder}/index.md": (lambda s, k=kind: render_section_index(s, k))
        for kind, folder in FOLDERS.items()
    }
    pages["timeline/index.md"] = render_timeline_index
    for year in _years(site):
        pages[f"timeline/{year}.md"] = lambda s, y=year: render_timeline_year(s, y)
    pages["graph.md"] = lambda s: render_graph_page(s, STATE["use_directory_urls"])
    pages["needs-review.md"] = lambda s: render_needs_review(s, STATE["today"])
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
    docs = Path(config.docs_dir)
    fixed = {f"{folder}/index.md" for folder in FOLDERS.values()} | {"graph.md", "needs-review.md"}
    skip = frozenset(fixed | {f.src_uri for f in files if f.src_uri.startswith("timeline/")})
    site = apply_settings(load_site(docs, STATE["review_in"], skip), STATE["settings"])
    problems = sort_problems(run_checks(site, STATE["today"]))
    for p in problems:
        LOG[p.level](format_text(p))
    fatal = [p for p in problems if p.code in FATAL]
    if fatal:
        raise PluginError(
            f"briefing: {len(fatal)} problem(s) above make the content unreadable "
            f"(first: {format_all(fatal[:1])[0]}). Fix them and build again."
        )
    STATE["site"] = site
    for path, render in generated_paths(site).items():
        old = files.get_file_from_path(path)
        if old is not None:
            files.remove(old)
        files.append(File.generated(config, path, content=render(site)))
    return files


def on_page_markdown(markdown: str, page, config, files) -> str:
    site = STATE.get("site")
    if site is None:
        return markdown
    path = page.file.src_uri
    entity = site.entities.get(Path(path).stem) if path.count("/") == 1 else None
    if entity is not None and entity.path == path:
        return render_entity_page(site, entity, markdown, STATE["today"])
    if path == "index.md":
        markdown = render_home_blocks(site, markdown)
    return rewrite_wikilinks(markdown, site, path)
