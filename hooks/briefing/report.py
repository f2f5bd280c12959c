"""The one place that sorts and formats Problems: `path:line:col: level: message [code]`, and GitHub annotations."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from .checks import level_of
from .model import Problem, sort_problems

__all__ = [
    "CAP",
    "capped",
    "failing",
    "format_all",
    "format_capped",
    "format_github",
    "format_text",
    "more_line",
    "safe",
    "safe_lines",
    "sort_problems",
    "summary",
]

CAP = 50  # lines shown per code; the totals are always printed
# What must not reach a log raw: line breaks (a value with '\n::error ::' would write a GitHub workflow command),
# other control characters (terminal escapes), and the bidi controls that reorder what a reader sees.
UNSAFE_CHARS_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def safe(text: str) -> str:
    """The text with every control, line-break and bidi character shown as an escape: '\\n', '\\u202e'."""
    text = UNSAFE_CHARS_RE.sub(lambda m: NAMED.get(m[0]) or f"\\u{ord(m[0]):04x}", text)
    return text.encode("utf-8", "backslashreplace").decode("utf-8")  # a file name's undecodable bytes


def safe_lines(text: str) -> str:
    """`safe`, but line breaks kept: for MkDocs' own messages, some of which are lists on purpose. (The values a
    page can put in them are addresses and file names, which hold no line break: those are refused first.)"""
    return "\n".join(safe(line) for line in text.split("\n"))


def format_text(p: Problem) -> str:
    return f"{safe(p.path)}:{p.line}:{p.col}: {level_of(p)}: {safe(p.message)} [{p.code}]"


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_prop(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def format_github(p: Problem, docs_prefix: str = "docs/") -> str:
    """A GitHub Actions workflow command, shown inline on the pull request's diff."""
    return (
        f"::{level_of(p)} file={_escape_prop(docs_prefix + safe(p.path))},line={p.line},col={p.col},"
        f"title={_escape_prop(p.code)}::{_escape_data(safe(p.message))}"
    )


def summary(problems: list[Problem]) -> str:
    counts = {lvl: sum(1 for p in problems if level_of(p) == lvl) for lvl in ("error", "warning", "notice")}
    parts = [f"{n} {lvl}{'s' if n != 1 else ''}" for lvl, n in counts.items()]
    return ", ".join(parts)


def format_all(problems: Iterable[Problem], github: bool = False) -> list[str]:
    """Text lines, each followed by its GitHub annotation when `github` is set."""
    lines = []
    for p in sort_problems(problems):
        lines.append(format_text(p))
        if github:
            lines.append(format_github(p))
    return lines


def failing(problems: Iterable[Problem]) -> bool:
    return any(level_of(p) in ("error", "warning") for p in problems)


def capped(problems: Iterable[Problem], cap: int = CAP) -> tuple[list[Problem], dict[str, int]]:
    """The problems to show, sorted, at most `cap` of each code; and, by code, how many more there are."""
    seen: Counter = Counter()
    shown = []
    for p in sort_problems(problems):
        seen[p.code] += 1
        if seen[p.code] <= cap:
            shown.append(p)
    return shown, {code: n - cap for code, n in sorted(seen.items()) if n > cap}


def more_line(code: str, n: int, cap: int = CAP) -> str:
    return f"... and {n} more [{code}] (the first {cap} of each code are shown)"


def format_capped(problems: Iterable[Problem], github: bool = False, cap: int = CAP) -> list[str]:
    """format_all, with at most `cap` problems of each code, then one line per code saying how many more."""
    shown, more = capped(problems, cap)
    return format_all(shown, github) + [more_line(code, n, cap) for code, n in more.items()]
