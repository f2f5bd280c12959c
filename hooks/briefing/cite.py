"""'Cite this page': a citation in a plain style, as BibTeX and as CSL-JSON, a permanent link to the page's source
file at the commit that was built, and a link to the file's history.

The commit comes from GITHUB_SHA (set by GitHub Actions), else from `git rev-parse HEAD`; without either the block
has no permanent link. The repository's address comes from MkDocs' `edit_uri` (the BRIEFING_EDIT_URI setting,
`https://github.com/OWNER/REPO/edit/BRANCH/docs/`): `repo_url` stays unset so that Material does not call the
GitHub API from every page. The day the reader consults the page is left for them to fill in (YYYY-MM-DD), as no
script runs for this. Each format is a code block, so Material's copy button copies it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass

from . import markup as mk
from .model import PDate

SHA_RE = re.compile(r"[0-9a-f]{40}")
# https://github.com/OWNER/REPO/edit/BRANCH/docs/ (GitHub, Gitea) or .../-/edit/BRANCH/docs/ (GitLab).
EDIT_URI_RE = re.compile(r"(https://[^/\s]+/[^/\s]+/[^/\s]+?)(/-)?/(?:edit|blob)/([^/\s]+)/((?:[^/\s]+/)*)")
ACCESSED = "YYYY-MM-DD"


@dataclass(frozen=True)
class Repo:
    """Where the site's source lives: the repository's address, its branch and the docs folder in it."""

    base: str  # https://github.com/OWNER/REPO
    dash: str  # '/-' on GitLab, '' elsewhere
    branch: str
    docs: str  # 'docs/'

    def permalink(self, commit: str, path: str) -> str:
        return f"{self.base}{self.dash}/blob/{commit}/{self.docs}{path}"

    def history(self, path: str) -> str:
        return f"{self.base}{self.dash}/commits/{self.branch}/{self.docs}{path}"


def repo_from_edit_uri(edit_uri: str | None) -> Repo | None:
    """The repository an absolute `edit_uri` points into, or None when it is relative or of another shape."""
    m = EDIT_URI_RE.fullmatch(edit_uri or "")
    return Repo(m[1], m[2] or "", m[3], m[4]) if m else None


def resolve_commit(env: Mapping[str, str] | None = None, cwd: str | None = None) -> str:
    """The commit being built: GITHUB_SHA, else git's HEAD in `cwd`; '' when neither is known."""
    env = os.environ if env is None else env
    sha = env.get("GITHUB_SHA", "").strip().lower()
    if SHA_RE.fullmatch(sha):
        return sha
    try:
        run = subprocess.run(
            ["git", "rev-parse", "--verify", "HEAD"], cwd=cwd, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    out = run.stdout.strip()
    return out if run.returncode == 0 and SHA_RE.fullmatch(out) else ""


@dataclass(frozen=True)
class Citable:
    """A page to cite: its title, docs/ path, address, and the day it was last reviewed (None if it has none)."""

    key: str  # the page's id, or its path's stem for a plain page
    title: str
    path: str
    url: str
    reviewed: PDate | None


def plain(c: Citable, site_name: str) -> str:
    reviewed = f" Last reviewed {c.reviewed.human()}." if c.reviewed else ""
    return f'{site_name}. "{c.title}".{reviewed} {c.url} (accessed {ACCESSED}).'


BIBTEX_SPECIAL = re.compile(r"[\\{}&%$#_^~]")
BIBTEX_ESCAPES = {"\\": r"\textbackslash{}", "^": r"\^{}", "~": r"\~{}"}


def _bib(text: str) -> str:
    """Text as a BibTeX field value: its special characters escaped, so they print as themselves."""
    return BIBTEX_SPECIAL.sub(lambda m: BIBTEX_ESCAPES.get(m[0], "\\" + m[0]), text)


def bibtex(c: Citable, site_name: str, version: str = "") -> str:
    fields = [("title", "{" + _bib(c.title) + "}"), ("organization", _bib(site_name))]
    if c.reviewed:
        fields.append(("year", str(c.reviewed.first.year)))
        if c.reviewed.precision != "year":
            fields.append(("month", str(c.reviewed.first.month)))
        fields.append(
            ("note", f"Last reviewed {c.reviewed.text}" + (f"; source at {version}" if version else ""))
        )
    elif version:
        fields.append(("note", f"Source at {version}"))
    fields += [("url", c.url), ("urldate", ACCESSED)]
    body = ",\n".join(f"  {name:<12} = {{{value}}}" for name, value in fields)
    return f"@misc{{briefing:{c.key},\n{body}\n}}"


def csl_json(c: Citable, site_name: str, version: str = "") -> str:
    item: dict = {
        "id": f"briefing:{c.key}",
        "type": "webpage",
        "title": c.title,
        "container-title": site_name,
        "publisher": site_name,
        "URL": c.url,
    }
    if c.reviewed:
        parts = {"day": 3, "month": 2, "year": 1}[c.reviewed.precision]
        d = c.reviewed.first
        item["issued"] = {"date-parts": [[d.year, d.month, d.day][:parts]]}
    note = [f"Last reviewed {c.reviewed.text}"] if c.reviewed else []
    if version:
        note.append(f"source at {version}")
    if note:
        item["note"] = "; ".join(note)
    lines = ",\n".join(
        f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in sorted(item.items())
    )
    return "[{\n" + lines + "\n}]"


CITE = (
    '<div class="briefing-cite" data-search-exclude>\n'
    "<p>{intro}</p>\n"
    "<pre><code>{plain}</code></pre>\n"
    "<details><summary>BibTeX</summary>\n<pre><code>{bibtex}</code></pre>\n</details>\n"
    "<details><summary>CSL-JSON (Zotero, Mendeley, Pandoc)</summary>\n<pre><code>{csl}</code></pre>\n</details>\n"
    "{links}"
    "</div>\n"
)


def render_cite(c: Citable, site_name: str, repo: Repo | None, commit: str) -> str:
    """The 'Cite this page' block: the three formats, then the permanent link and the history."""
    version = repo.permalink(commit, c.path) if repo and commit else ""
    links = []
    if version:
        links.append(
            f"Permanent link to this version: {mk.a(version, f'{repo.docs}{c.path} at commit {commit[:7]}')}"
        )
    if repo:
        links.append(mk.a(repo.history(c.path), "History of this page"))
    intro = f"Replace {ACCESSED} with the day you read the page."
    if c.reviewed:
        intro = f"The page as last reviewed on {c.reviewed.human()}. " + intro
    return CITE.format(
        intro=mk.esc(intro),
        plain=mk.esc(plain(c, site_name)),
        bibtex=mk.esc(bibtex(c, site_name, version)),
        csl=mk.esc(csl_json(c, site_name, version)),
        links=f"<p>{' · '.join(links)}</p>\n" if links else "",
    )
