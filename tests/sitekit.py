"""Test helpers: write a fixture site into a folder, run the checks or a real `mkdocs build --strict` on it."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime
from pathlib import Path

from briefing.checks import LEVELS, run_checks
from briefing.frontmatter import load_site, make_site, parse_page
from briefing.model import Problem
from briefing.settings import apply_settings

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 29)  # fixture sites are checked as of this day
# The real content is built as of the day the tests run, as the daily deploy builds it: it must pass on that day.
REAL_TODAY = datetime.now(UTC).date().isoformat()

MKDOCS_YML = """\
site_name: Fixture briefing
site_url: http://127.0.0.1:8000/
hooks:
  - {hooks}
theme:
  name: material
  font: false
validation:
  nav:
    omitted_files: info
    not_found: warn
  links:
    not_found: warn
    anchors: warn
    unrecognized_links: warn
markdown_extensions:
  - attr_list
  - def_list
  - md_in_html
  - tables:
      use_align_attribute: true
  - toc:
      permalink: true
  - pymdownx.snippets:
      base_path: ["docs/snippets"]
      check_paths: true
      restrict_base_path: true
exclude_docs: |
  /snippets/
extra:
  briefing:
    review_in: 6 months
"""

# A minimal valid site: every rule satisfied.
BASE = {
    "index.md": "# Home\n\nSee [[canada]] and [[two-michaels]].\n",
    "actors/canada.md": """\
        ---
        type: actor
        kind: state
        name: Canada
        summary: A state.
        last_reviewed: 2026-11-01
        ---

        # Canada
        """,
    "actors/marc-garneau.md": """\
        ---
        type: actor
        kind: person
        name: Marc Garneau
        summary: A foreign minister.
        born: 1949-02-23
        last_reviewed: 2026-11-01
        roles:
          - id: foreign-minister-2021
            title: Minister of Foreign Affairs
            start: 2021-01-12
            end: 2021-10-26
            sources: [globe-2021-01-12-shuffle]
        ---

        # Marc Garneau

        ## Early life
        """,
    "issues/two-michaels.md": """\
        ---
        type: issue
        title: The two Michaels
        summary: Two Canadians detained in China.
        status: resolved
        started: 2018-12-10
        resolved: 2021-09-24
        actors: [canada, marc-garneau]
        last_reviewed: 2026-11-01
        ---

        # The two Michaels
        """,
    "events/2021-09-24-michaels-released.md": """\
        ---
        type: event
        title: Kovrig and Spavor released
        date: 2021-09-24
        actors: [canada, marc-garneau]
        roles:
          marc-garneau: foreign-minister-2021
        issues: [two-michaels]
        resolves: [two-michaels]
        sources: [cbc-2021-09-24-released]
        summary: Both men flew home.
        ---

        # Kovrig and Spavor released

        On 24 September 2021 both men flew home.
        """,
    "sources/globe-2021-01-12-shuffle.md": """\
        ---
        type: source
        title: Cabinet shuffle
        publisher: The Globe and Mail
        url: https://www.theglobeandmail.com/politics/x/
        published: 2021-01-12
        kind: secondary
        ---

        # Cabinet shuffle
        """,
    "sources/cbc-2021-09-24-released.md": """\
        ---
        type: source
        title: Kovrig and Spavor released
        publisher: CBC News
        url: https://www.cbc.ca/news/x
        published: 2021-09-24
        kind: secondary
        ---

        # Kovrig and Spavor released
        """,
}


def dedent(files: dict[str, str | bytes]) -> dict[str, str | bytes]:
    return {k: (textwrap.dedent(v) if isinstance(v, str) else v) for k, v in files.items()}


def write_site(root: Path, files: dict[str, str | bytes | None], base: dict | None = BASE) -> Path:
    """Write mkdocs.yml and docs/ (BASE updated with `files`; a None value removes a file)."""
    merged = dict(dedent(base or {}))
    merged.update(dedent({k: v for k, v in files.items() if v is not None}))
    for k, v in files.items():
        if v is None:
            merged.pop(k, None)
    (root / "mkdocs.yml").write_text(MKDOCS_YML.format(hooks=ROOT / "hooks" / "briefing_hooks.py"))
    for rel, text in merged.items():
        path = root / "docs" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return root


def check_files(
    files: dict[str, str | bytes | None],
    base: dict | None = BASE,
    today: date = TODAY,
    settings: dict | None = None,
) -> list[Problem]:
    """Run every check on an in-memory site: BASE updated with `files`."""
    merged = dict(dedent(base or {}))
    merged.update(dedent({k: v for k, v in files.items() if v is not None}))
    for k, v in files.items():
        if v is None:
            merged.pop(k, None)
    pages, entities, problems = [], [], []
    for rel in sorted(merged):
        data = merged[rel]
        page, entity, found = parse_page(rel, data if isinstance(data, bytes) else data.encode("utf-8"))
        problems += found
        if page:
            pages.append(page)
        if entity:
            entities.append(entity)
    site = apply_settings(make_site(pages, entities, problems, "6 months"), settings or {})
    return run_checks(site, today)


def codes(problems: list[Problem], level: str | None = None) -> list[tuple[str, int, int, str]]:
    return [(p.path, p.line, p.col, p.code) for p in problems if level is None or LEVELS[p.code] == level]


def mkdocs_build(
    root: Path, today: str = "2026-11-29", extra_env: dict | None = None, strict: bool = True
) -> subprocess.CompletedProcess:
    env = {**os.environ, "BRIEFING_TODAY": today, **(extra_env or {})}
    env.pop("GITHUB_ACTIONS", None)
    cmd = [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--site-dir",
        str(root / "site"),
        "--config-file",
        str(root / "mkdocs.yml"),
    ] + (["--strict"] if strict else [])
    return subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, timeout=300)


def build_real_site(out: Path, extra_env: dict | None = None) -> Path:
    """The real docs/ built strictly into `out`, as of the day the tests run (REAL_TODAY)."""
    env = {**os.environ, "BRIEFING_TODAY": REAL_TODAY, **(extra_env or {})}
    env.pop("GITHUB_ACTIONS", None)
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)]
    run = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-4000:]
    return out


def make_in(tmp_path: Path) -> tuple[list[str], dict]:
    """`make` in a copy of the Makefile that uses this interpreter's environment (no venv to install)."""
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    for req in ("requirements-site.txt", "requirements-test.txt"):
        shutil.copy(ROOT / req, tmp_path / req)
    bindir = Path(sys.executable).parent
    stamp = tmp_path / "stamp"
    stamp.touch()
    make = ["make", "-s", f"BIN={bindir}", f"SITE_STAMP={stamp}", f"VENV={tmp_path / 'venv'}"]
    make.append(f"HOOKS=PYTHONPATH={ROOT / 'hooks'}")
    env = {**os.environ, "BRIEFING_TODAY": TODAY.isoformat(), "PATH": f"{bindir}:{os.environ['PATH']}"}
    env.pop("GITHUB_ACTIONS", None)
    return make, env


HREF_RE = re.compile(r'(?:\s(?:href|xlink:href|src))="([^"]*)"')
ID_RE = re.compile(r'\sid="([^"]+)"')


def broken_links(site: Path) -> list[str]:
    """Every relative link of a built site whose page, file or #anchor does not exist, as 'page -> link'."""
    ids: dict[Path, set[str]] = {}

    def ids_of(path: Path) -> set[str]:
        if path not in ids:
            ids[path] = set(ID_RE.findall(path.read_text(encoding="utf-8")))
        return ids[path]

    broken = []
    for page in sorted(site.rglob("*.html")):
        for link in HREF_RE.findall(page.read_text(encoding="utf-8")):
            link = html.unescape(link)
            if not link or "://" in link or link.startswith(("mailto:", "data:", "javascript:", "//")):
                continue
            target, _, anchor = link.partition("#")
            target = target.split("?", 1)[0]
            if not target:
                dest = page
            elif target.startswith("/"):  # 404.html: rooted at site_url, whose path is "/"
                dest = site / target.lstrip("/")
            else:
                dest = (page.parent / target).resolve()
            if dest.is_dir():
                dest = dest / "index.html"
            if not dest.is_file():
                broken.append(f"{page.relative_to(site)} -> {link}")
            elif anchor and dest.suffix == ".html" and anchor not in ids_of(dest):
                broken.append(f"{page.relative_to(site)} -> {link} (no such anchor)")
    return broken


__all__ = [
    "BASE",
    "REAL_TODAY",
    "ROOT",
    "TODAY",
    "broken_links",
    "make_in",
    "build_real_site",
    "check_files",
    "codes",
    "load_site",
    "mkdocs_build",
    "write_site",
]
