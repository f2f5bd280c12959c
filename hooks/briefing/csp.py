"""The Content-Security-Policy of every built page, as a `<meta http-equiv>` (GitHub Pages sets no headers).

Scripts run only from the site's own files and as the inline scripts Material emits, allowed by their SHA-256
hashes; so an injected inline script or event handler does not run even if something slipped past the sanitiser.
The policy is the same on every page: Material's instant navigation appends each new page's head, and differing
policies would pile up. That holds because `extra.scope` is set (see the hook), so the one script that depended
on the page's depth (`__md_scope`) is the same everywhere.

Pure functions over HTML text: the hook gives them Material's rendered script partials and each page's output.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from html import unescape as html_unescape

__all__ = ["add_policy", "inline_scripts", "policy", "script_hash", "unknown_scripts"]

# Types a browser runs (HTML: a JavaScript MIME type essence, "module", or none); any other type is a data block,
# such as Material's `<script id="__config" type="application/json">` or JSON-LD, which no policy governs.
JS_TYPES = frozenset(
    {"", "module", "text/javascript", "application/javascript", "application/ecmascript", "text/ecmascript",
     "application/x-javascript", "text/jscript", "text/livescript", "text/x-javascript", "text/x-ecmascript"}
)  # fmt: skip
DIRECTIVES = (
    "default-src 'self'",
    "script-src 'self'{hashes}",
    "style-src 'self'",
    # Material's icons in its CSS are data: SVGs
    "img-src 'self' data:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
)
META = '<meta http-equiv="Content-Security-Policy" content="{policy}">'


# Every script element. A regex over the whole built page, not html.parser: it runs on every page, and parsing
# them all took longer than the rest of the build (performance targets in ARCHITECTURE.md). It is conservative:
# page content has been sanitised, so '<script' can only be text in a comment or an attribute value there, which
# this takes for a script (and reports) rather than miss one.
SCRIPT_RE = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
ATTR_RE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")


def inline_scripts(html: str) -> list[str]:
    """The text of every inline script a browser would run (no `src`, a JavaScript type), in order."""
    out = []
    for m in SCRIPT_RE.finditer(html):
        attrs = {a[1].lower(): (a[2] or a[3] or a[4] or "") for a in ATTR_RE.finditer(m[1])}
        kind = html_unescape(attrs.get("type", "")).strip().lower().split(";")[0].strip()
        if "src" not in attrs and kind in JS_TYPES:
            out.append(m[2])
    return out


def script_hash(text: str) -> str:
    """The CSP source expression that allows exactly this inline script: 'sha256-<base64>'."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def policy(hashes: Iterable[str]) -> str:
    """The policy, with the allowed inline scripts' hashes in a stable order."""
    listed = "".join(" " + h for h in sorted(set(hashes)))
    return "; ".join(DIRECTIVES).format(hashes=listed)


def unknown_scripts(html: str, allowed: set[str]) -> list[str]:
    """The inline scripts of a page that the policy would block (their hash is not allowed)."""
    return [s for s in inline_scripts(html) if script_hash(s) not in allowed]


def add_policy(html: str, csp: str) -> str:
    """The page with the policy as the first element of its head after `<meta charset>`: before every script."""
    meta = META.format(policy=csp.replace("&", "&amp;").replace('"', "&quot;"))
    lower = html[:4096].lower()
    at = lower.find("<meta charset")
    if at != -1:
        end = html.index(">", at) + 1
    else:
        head = lower.find("<head")
        if head == -1:
            return meta + "\n" + html
        end = html.index(">", head) + 1
    return html[:end] + "\n" + meta + html[end:]
