"""Which files under docs/ the build may publish, decided before MkDocs reads any of them.

MkDocs publishes every file under docs/: pages of any Markdown extension, and everything else copied as it is
(`.html`, `.svg`, whatever a symbolic link points at). The checks read only `.md` pages, so the build publishes
only what they read, and the few other files this module admits:

- `.md` pages (snippets included: `docs/snippets/`, excluded from the site, are what `--8<--` may include);
- raster images (`png`, `jpg`, `jpeg`, `webp`, `gif`) in a folder named `assets`;
- exactly the files `mkdocs.yml` lists in `extra_css` and `extra_javascript`.

Any other file is `unpublishable-file`; a symbolic link (file or folder, wherever it points) is `symlink`, and a
file name that is not UTF-8, or holds a control or bidi character, is `bad-file-name`. The last two stop the build
before MkDocs walks the folder: MkDocs follows links (a loop burns minutes, then a traceback) and cannot encode
such a name. The folder is walked without following links, so neither can hang this scan.

Paths the build generates (section indexes, the timeline, the graph, ...) are listed here too, for the checks
(a page there would be replaced or would replace a generated one) and for the hook (which generates them).
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable, Iterator

from .model import FOLDERS, Problem

__all__ = [
    "GENERATED",
    "SNIPPETS",
    "is_generated",
    "listed_files",
    "page_paths",
    "publishable",
    "scan",
    "url_of",
]

SNIPPETS = "snippets/"  # docs/snippets/: pymdownx.snippets' base_path, excluded from the site (mkdocs.yml)
GENERATED = frozenset(
    {f"{folder}/index.md" for folder in FOLDERS.values()}
    | {"timeline/index.md", "graph.md", "needs-review.md", "now.md", "a-z.md", "data.md", "changes.md"}
)
GENERATED_FOLDERS = ("timeline/",)  # every page under it is generated (one per year with events)
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".gif")
ASSETS = "assets"
# Control characters, and the bidi controls that reorder what a reader sees (Trojan Source).
BAD_NAME_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

FATAL = frozenset({"symlink", "bad-file-name"})


def is_generated(path: str) -> bool:
    """Whether the build generates the page at this docs/ path (so no file may be there)."""
    return path in GENERATED or path.startswith(GENERATED_FOLDERS)


def url_of(path: str) -> str:
    """The address of a page in the built site, with directory URLs: 'a/b.md' and 'a/b/index.md' are 'a/b/'."""
    stem = path.rsplit(".", 1)[0]
    folder, _, name = stem.rpartition("/")
    if name in ("index", "README"):
        return folder + "/" if folder else ""
    return stem + "/"


def listed_files(extra_css: Iterable, extra_javascript: Iterable) -> list[str]:
    """The docs/ paths of mkdocs.yml's `extra_css` and `extra_javascript` (strings, `{path: ...}` mappings, or
    MkDocs' script values); addresses of other sites are not files."""
    out = []
    for item in [*(extra_css or ()), *(extra_javascript or ())]:
        path = item.get("path") if isinstance(item, dict) else getattr(item, "path", item)
        if isinstance(path, str) and "://" not in path:
            out.append(path.lstrip("/"))
    return out


def publishable(path: str, extra_files: Iterable[str]) -> bool:
    """Whether the file at this docs/ path (POSIX, not a link) may be published."""
    if path.endswith(".md"):
        return True
    if path in set(extra_files):
        return True
    folders = path.split("/")[:-1]
    return path.lower().endswith(IMAGE_SUFFIXES) and ASSETS in folders


def _name_problem(rel: str, raw: str) -> Problem | None:
    """`bad-file-name` for a name the file system gave as undecodable bytes or with control or bidi characters."""
    try:
        raw.encode("utf-8")
    except UnicodeEncodeError:
        shown = os.fsencode(raw).decode("utf-8", "backslashreplace")
        return Problem(
            shown,
            1,
            1,
            "bad-file-name",
            f"The file name '{shown}' is not UTF-8. Rename the file with a name of letters, digits and hyphens.",
        )
    bad = BAD_NAME_RE.search(rel)
    if bad:
        char = f"U+{ord(bad[0]):04X} {unicodedata.name(bad[0], 'control character')}"
        return Problem(
            rel,
            1,
            1,
            "bad-file-name",
            f"The file name holds an invisible character ({char}). Rename the file with a name of letters, "
            "digits and hyphens.",
        )
    return None


def _walk(top: str) -> Iterator[tuple[str, str, bool, bool, bool]]:
    """(path relative to top, POSIX; full path; is a link; is a folder; is a regular file) of every entry, links
    not followed."""
    stack = [""]
    while stack:
        rel_dir = stack.pop()
        full_dir = os.path.join(top, rel_dir) if rel_dir else top
        try:
            with os.scandir(full_dir) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            link = entry.is_symlink()
            folder = not link and entry.is_dir(follow_symlinks=False)
            yield rel, entry.path, link, folder, entry.is_file(follow_symlinks=False)
            if folder:
                stack.append(rel)


def scan(docs_dir: os.PathLike[str] | str, extra_files: Iterable[str] = ()) -> list[Problem]:
    """Every file under docs_dir that may not be published: links, bad names, other file types.

    Dot-files and dot-folders are not published (MkDocs excludes them), but a link or a bad name among them is
    still reported: MkDocs walks them before excluding them."""
    extra = set(extra_files)
    problems = []
    for rel, full, link, folder, regular in _walk(os.fspath(docs_dir)):
        bad = _name_problem(rel, rel)
        if bad is not None:
            problems.append(bad)
            continue
        if link:
            try:
                target = os.readlink(full)
            except OSError:
                target = "?"
            what = "folder" if os.path.isdir(full) else "file"
            problems.append(
                Problem(
                    rel,
                    1,
                    1,
                    "symlink",
                    f"This is a symbolic link (to '{target}'), not a {what} in the repository. The build "
                    "publishes only files it has checked: put the file itself here, or remove the link.",
                )
            )
            continue
        hidden = any(part.startswith(".") for part in rel.split("/"))
        if not folder and not regular:
            message = "This is a special file (a named pipe, socket or device), not a page. Remove it."
            problems.append(Problem(rel, 1, 1, "unpublishable-file", message))
        elif not (folder or hidden or publishable(rel, extra)):
            problems.append(Problem(rel, 1, 1, "unpublishable-file", _unpublishable_message(rel)))
    return problems


def page_paths(docs_dir: os.PathLike[str] | str) -> list[str]:
    """The .md files under docs_dir that are regular files with good names, links not followed."""
    return [
        rel
        for rel, _, link, _, regular in _walk(os.fspath(docs_dir))
        if regular
        and not link
        and rel.endswith(".md")
        and _name_problem(rel, rel) is None
        and not any(part.startswith(".") for part in rel.split("/"))
    ]


def _unpublishable_message(rel: str) -> str:
    name = rel.rsplit("/", 1)[-1]
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix in ("markdown", "mdown", "mkdn", "mkd"):
        fix = f"Rename it to '{rel.rsplit('.', 1)[0]}.md': only .md pages are read by the checks."
    elif suffix in ("png", "jpg", "jpeg", "webp", "gif"):
        fix = "Images belong in a folder named 'assets' (e.g. docs/assets/)."
    elif suffix in ("html", "htm", "svg", "xml", "xhtml", "js", "css"):
        fix = (
            "Pages are written in Markdown; scripts and styles are only those listed in mkdocs.yml "
            "(extra_css, extra_javascript). Remove the file."
        )
    else:
        fix = "Remove it, or ask for its type to be allowed."
    return (
        f"The build does not publish this file: docs/ holds .md pages, raster images in an 'assets' folder, "
        f"and the files mkdocs.yml lists. {fix}"
    )
