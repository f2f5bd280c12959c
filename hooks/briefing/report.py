"""The one place that sorts and formats Problems: `path:line:col: level: message [code]`, and GitHub annotations."""

from __future__ import annotations

from collections.abc import Iterable

from .checks import level_of
from .model import Problem, sort_problems

__all__ = ["failing", "format_all", "format_github", "format_text", "sort_problems", "summary"]


def format_text(p: Problem) -> str:
    return f"{p.path}:{p.line}:{p.col}: {level_of(p)}: {p.message} [{p.code}]"


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_prop(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def format_github(p: Problem, docs_prefix: str = "docs/") -> str:
    """A GitHub Actions workflow command, shown inline on the pull request's diff."""
    return (
        f"::{level_of(p)} file={_escape_prop(docs_prefix + p.path)},line={p.line},col={p.col},"
        f"title={_escape_prop(p.code)}::{_escape_data(p.message)}"
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
