"""The front-matter room: the only code that imports `yaml`.

    read.py     bytes -> text -> front matter (PyYAML nodes with positions) and body
    convert.py  nodes -> typed field values, one converter per kind of field; the page schemas
    page.py     one page -> Page and Entity
    this file   a folder of pages -> Site; the `extra: briefing:` settings of mkdocs.yml

Data flows one way: files -> here -> model.Site. Nothing here checks relations between pages (that is `checks`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from types import MappingProxyType

import yaml

from ..model import DEFAULT_REVIEW_IN, ID_PATTERN, Entity, Page, Problem, Site
from .convert import ROLE_SCHEMA, SCHEMAS
from .page import parse_page
from .read import Loader

__all__ = [
    "ROLE_SCHEMA",
    "SCHEMAS",
    "iter_markdown",
    "load_site",
    "make_site",
    "parse_page",
    "read_config",
    "read_settings",
]

# file path -> ((size, mtime), parse result): `mkdocs serve` re-parses only the files that changed, and unchanged
# pages keep their identity (the incremental re-check relies on it).
_CACHE: dict[str, tuple[tuple[int, int], tuple]] = {}


def iter_markdown(docs_dir: os.PathLike[str] | str) -> Iterator[tuple[str, str]]:
    """(path relative to docs_dir, POSIX; path to open) of each Markdown file, folder by folder, sorted."""
    top = os.fspath(docs_dir)
    for root, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        folder = os.path.relpath(root, top)
        prefix = "" if folder == "." else folder.replace(os.sep, "/") + "/"
        for f in sorted(files):
            full = os.path.join(root, f)
            # A link, a special file or an undecodable name is never read: briefing.publish reports it
            if f.endswith(".md") and f.isprintable() and not os.path.islink(full) and os.path.isfile(full):
                yield prefix + f, full


def load_site(
    docs_dir: os.PathLike[str] | str,
    review_in: str = DEFAULT_REVIEW_IN,
    skip: frozenset[str] = frozenset(),
    cache: bool = True,
) -> Site:
    """Read every Markdown page under docs_dir (except `skip`) into one Site. With `cache`, a file whose size and
    modification time are unchanged since the last load is not parsed again."""
    pages: list[Page] = []
    entities: list[Entity] = []
    problems: list[Problem] = []
    for rel, full in iter_markdown(docs_dir):
        if rel in skip:
            continue
        try:
            st = os.stat(full)
            key = (st.st_size, st.st_mtime_ns)
            hit = _CACHE.get(full) if cache else None
            if hit is not None and hit[0] == key:
                result = hit[1]
            else:
                result = parse_page(rel, Path(full).read_bytes())
                if cache:
                    _CACHE[full] = (key, result)
        except OSError as exc:
            problems.append(
                Problem(rel, 1, 1, "unreadable-file", f"The file cannot be read: {exc.strerror}.")
            )
            continue
        page, entity, found = result
        problems.extend(found)
        if page is not None:
            pages.append(page)
        if entity is not None:
            entities.append(entity)
    return make_site(pages, entities, problems, review_in)


def make_site(
    pages: list[Page],
    entities: list[Entity],
    problems: list[Problem],
    review_in: str = DEFAULT_REVIEW_IN,
) -> Site:
    """The Site of these pages; ids that collide (case-insensitively) are reported on the later page."""
    by_id: dict[str, Entity] = {}
    by_folded: dict[str, Entity] = {}
    problems = list(problems)
    # a well-formed id keeps its name; the mis-cased duplicate is the one reported
    for e in sorted(entities, key=lambda e: (ID_PATTERN.fullmatch(e.id) is None, e.path)):
        other = by_folded.get(e.id.lower())
        if other is not None:
            same = "the same id" if other.id == e.id else f"an id that differs only in case ('{other.id}')"
            message = (
                f"This page has {same} as docs/{other.path}. Ids are unique across all types: rename one."
            )
            problems.append(Problem(e.path, 1, 1, "duplicate-id", message))
            continue
        by_folded[e.id.lower()] = e
        by_id[e.id] = e
    return Site(tuple(pages), MappingProxyType(by_id), review_in=review_in, problems=tuple(problems))


class _ConfigLoader(Loader):
    """Reads mkdocs.yml without running its tags (!ENV, !!python/name): only `extra` is needed."""


_ConfigLoader.add_multi_constructor("", lambda *_: None)
_ConfigLoader.add_multi_constructor("!", lambda *_: None)


def read_config(config_file: os.PathLike[str] | str) -> dict:
    """mkdocs.yml as a mapping, its tags not run (empty if absent or unreadable)."""
    try:
        data = yaml.load(Path(config_file).read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def read_settings(config_file: os.PathLike[str] | str) -> dict:
    """The `extra: briefing:` mapping of mkdocs.yml (empty if absent or unreadable)."""
    data = read_config(config_file)
    extra = data.get("extra") if isinstance(data, dict) else None
    briefing = extra.get("briefing") if isinstance(extra, dict) else None
    return briefing if isinstance(briefing, dict) else {}
