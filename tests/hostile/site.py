"""Writing hostile cases into a fixture site, and running the check and the build on it."""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from sitekit import ROOT, write_site

from .corpus import CANARY, Case

TODAY = "2026-11-29"
TAGS = "    tags: [law, trade]\n"  # the fixture's allowed tags


def write_cases(root: Path, cases: list[Case]) -> Path:
    """The fixture site with the files of `cases` (their links, raw names and files outside docs/ too)."""
    files: dict[str, str | bytes] = {}
    for case in cases:
        for path, text in case.files.items():
            assert path not in files, f"two cases write {path}"
            files[path] = text
    write_site(root, files)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + TAGS, encoding="utf-8")
    docs = root / "docs"
    for case in cases:
        for path, target in case.links.items():
            (docs / path).parent.mkdir(parents=True, exist_ok=True)
            os.symlink(target, docs / path)
        for name in case.raw_names:
            with open(os.path.join(os.fsencode(docs), name), "wb") as fh:
                fh.write(b"# Name\n")
        for path, text in case.outside.items():
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(text, encoding="utf-8")
    return root


def run_check(root: Path, github: bool = False) -> tuple[int, str]:
    """`python -m briefing check` on the site, in this process: (exit code, what it printed)."""
    from briefing.__main__ import main

    out, err = io.StringIO(), io.StringIO()
    args = ["check", "--docs", str(root / "docs"), "--config", str(root / "mkdocs.yml"), "--today", TODAY]
    args += ["--format", "github" if github else "text"]
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    return code, out.getvalue() + err.getvalue()


def run_build(root: Path, strict: bool = True, site_url: str | None = None) -> tuple[int, str, float]:
    """A real `mkdocs build` of the site: (exit code, its log, seconds), with the canary in the environment."""
    env = {**os.environ, "BRIEFING_TODAY": TODAY, "BRIEFING_CANARY": CANARY, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("GITHUB_ACTIONS", None)
    if site_url:
        config = root / "mkdocs.yml"
        text = config.read_text(encoding="utf-8")
        config.write_text(
            re.sub(r"^site_url: .*$", f"site_url: {site_url}", text, flags=re.M), encoding="utf-8"
        )
    cmd = [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(root / "site")]
    cmd += ["--config-file", str(root / "mkdocs.yml")] + (["--strict"] if strict else [])
    started = time.monotonic()
    run = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, timeout=300)
    return run.returncode, run.stdout + run.stderr, time.monotonic() - started


def built_text(site: Path, rendered: bool = True) -> dict[str, str]:
    """The files of a built site, as text: with `rendered`, only what a browser renders as HTML (pages, and the
    search index, whose text Material shows as HTML); else every file but the theme's assets (their scripts and
    styles contain words like '<iframe' and 'position:fixed'). The data files and feeds hold values as data,
    escaped by their formats (JSON, CSV, XML)."""
    if not site.is_dir():
        return {}
    out = {}
    for p in sorted(site.rglob("*")):
        rel = p.relative_to(site).as_posix()
        if not p.is_file() or rel.startswith("assets/"):
            continue
        if rendered and not (rel.endswith(".html") or rel == "search/search_index.json"):
            continue
        out[rel] = p.read_bytes().decode("utf-8", "replace")
    return out


def expected_line(path: str, line: int, col: int, code: str, words: str) -> re.Pattern:
    """A reported problem: `path:line:col: error: ...words... [code]` on one line of the output."""
    return re.compile(
        rf"^(?:ERROR\s+-\s+briefing: )?{re.escape(path)}:{line}:{col}: error: .*{re.escape(words)}.* \[{re.escape(code)}\]$",
        re.M,
    )


__all__ = ["ROOT", "built_text", "expected_line", "run_build", "run_check", "write_cases"]
