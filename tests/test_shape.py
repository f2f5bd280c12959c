"""The shape of the hooks package: short functions, and yaml imported by the front-matter room only."""

from __future__ import annotations

import ast

import pytest

from sitekit import ROOT

HOOKS = sorted((ROOT / "hooks").rglob("*.py"))
MAX_LINES = 60


@pytest.mark.parametrize("path", HOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_function_is_longer_than_60_lines(path) -> None:
    """Check that every function in hooks/ fits in 60 lines, so a reader can follow each step."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    long = [
        f"{n.name} ({n.end_lineno - n.lineno + 1} lines)"
        for n in ast.walk(tree)
        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.end_lineno - n.lineno + 1 > MAX_LINES
    ]
    assert long == []


@pytest.mark.parametrize("path", HOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_only_the_front_matter_room_imports_yaml(path) -> None:
    """Check that no module outside hooks/briefing/frontmatter/ imports yaml."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {
        (n.module or "").split(".")[0]
        for n in ast.walk(tree)
        if isinstance(n, ast.ImportFrom) and not n.level
    }
    assert "yaml" not in names or "frontmatter" in path.parts
