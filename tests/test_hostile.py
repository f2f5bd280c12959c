"""The hostile corpus (tests/hostile/corpus.py) against `make check` and the strict build, case by case: what each
reports, where, and what reaches the built site. Then the logs, and the operations (`make build` twice at once,
`make new` with shell syntax, `mkdocs serve` on a page that stops the build)."""

from __future__ import annotations

import html
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from briefing import csp
from hostile.corpus import CANARY, CASES, Case
from hostile.site import TODAY, built_text, expected_line, run_build, run_check, write_cases
from sitekit import BASE, make_in, write_site

IDS = [case.id for case in CASES]
RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")  # no raw control or bidi character


def own_lines(case: Case, out: str) -> list[str]:
    """The output lines that report a problem in one of the case's files."""
    paths = [*case.files, *case.links] + [n.decode("latin-1") for n in case.raw_names]
    return [
        ln
        for ln in out.splitlines()
        if any(re.search(rf"(^|briefing: ){re.escape(p)}:\d", ln) for p in paths)
    ]


def test_corpus_is_complete_and_consistent():
    """Check that the corpus has every case issue 16 lists and the earlier ones, each with a known outcome, and
    that a rejected case says where it is rejected and a neutralised one what the output shows."""
    assert len(CASES) >= 45 and len(set(IDS)) == len(IDS)
    for case in CASES:
        assert case.outcome in ("rejected", "neutralised"), case.id
        if case.outcome == "rejected":
            assert case.build, f"{case.id}: a rejected case names the build's message"
        else:
            assert not case.check and not case.build and (case.absent or case.present), case.id


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_check_outcome(case: Case, tmp_path: Path) -> None:
    """Check that `make check` on the fixture site plus the case prints each expected line (path:line:col, level,
    message, code), fails exactly when it expects something, and prints no canary and no raw control character."""
    code, out = run_check(write_cases(tmp_path, [case]))
    missing = [e for e in case.check if not expected_line(*e).search(out)]
    assert not missing, f"{case.id}: the check did not print {missing}\n{out}"
    if case.check:
        assert code == 1, out
    else:
        assert own_lines(case, out) == [], f"{case.id}: the check reports the case's files:\n{out}"
    assert CANARY not in out and not RAW.search(out), out


@pytest.mark.build
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_build_outcome(case: Case, tmp_path: Path) -> None:
    """Check that the strict build of the fixture site plus the case fails with each expected error (or, for a
    neutralised case, passes), never with a traceback, and that no payload reaches the files it wrote."""
    root = write_cases(tmp_path, [case])
    code, log, seconds = run_build(root)
    assert "Traceback" not in log, log
    missing = [e for e in case.build if not expected_line(*e).search(log)]
    assert not missing, f"{case.id}: the build did not log {missing}\n{log}"
    if case.outcome == "rejected":
        assert code != 0, log
    else:
        assert code == 0 and own_lines(case, log) == [], log
    if case.fatal:  # stopped before MkDocs read a page (a link loop used to burn two minutes)
        assert not (root / "site" / "index.html").exists() and seconds < 60
    site = built_text(root / "site")
    leaked = [(text, name) for text in case.absent for name, body in site.items() if text in body]
    assert not leaked, f"{case.id}: in the built site: {leaked}"
    assert not [name for name, body in built_text(root / "site", rendered=False).items() if CANARY in body]
    assert CANARY not in log and not RAW.search(log.replace("\x1b", ""))
    for name, text in case.present:
        assert text in site.get(name, ""), f"{case.id}: {name} lacks {text!r}"


# --- logs ---------------------------------------------------------------------------------------


def test_a_value_cannot_write_workflow_commands(tmp_path: Path) -> None:
    """Check that a value with line breaks never starts a line of the check's GitHub output (where '::error' or
    '::stop-commands::' at a line's start is obeyed): the break is shown as '\\n' inside the message."""
    case = next(c for c in CASES if c.id == "workflow-command-in-value")
    code, out = run_check(write_cases(tmp_path, [case]), github=True)
    assert code == 1
    starts = [ln for ln in out.splitlines() if ln.startswith("::")]
    assert starts and all(
        ln.startswith(("::error file=", "::warning file=", "::notice file=")) for ln in starts
    )
    assert "x\\n::stop-commands::tok\\n::error ::pwned" in out


def test_output_is_capped_per_code_with_totals(tmp_path: Path) -> None:
    """Check that 2,000 bad references print 50 lines, one line with how many more, and the total."""
    body = "".join(f"See [[nope-{i}]].\n" for i in range(2000))
    code, out = run_check(write_site(tmp_path, {"notes.md": "# Notes\n\n" + body}))
    lines = out.splitlines()
    assert code == 1
    assert sum(ln.endswith("[unknown-reference]") for ln in lines) == 50
    assert "... and 1950 more [unknown-reference] (the first 50 of each code are shown)" in lines
    assert "2000 errors" in out


@pytest.mark.build
def test_build_log_is_capped_per_code(tmp_path: Path) -> None:
    """Check that the build logs the same: 50 problems of a code, then how many more, and still fails."""
    body = "".join(f"See [[nope-{i}]].\n" for i in range(300))
    code, log, _ = run_build(write_site(tmp_path, {"notes.md": "# Notes\n\n" + body}))
    assert code != 0
    assert sum("[unknown-reference]" in ln and "error:" in ln for ln in log.splitlines()) == 50
    assert "... and 250 more [unknown-reference]" in log
    assert re.search(r"checked \d+ pages: 300 errors, 0 warnings, \d+ notices", log)


@pytest.mark.build
def test_mkdocs_own_messages_show_bidi_characters_as_escapes(tmp_path: Path) -> None:
    """Check that MkDocs' own warnings, which quote a page's links, show a bidi override as '\\u202e', not raw."""
    code, log, _ = run_build(write_site(tmp_path, {"notes.md": "# Notes\n\nA [link](evil\u202egnp.md).\n"}))
    assert code != 0
    assert "contains a link 'evil\\u202egnp.md'" in log and "\u202e" not in log


# --- operations -----------------------------------------------------------------------------------


@pytest.mark.build
def test_two_make_builds_at_once_leave_a_complete_site(tmp_path: Path) -> None:
    """Check that two `make build` started together both succeed and leave site/ complete (every file of a build
    alone), and that a failing one beside a good one prints no success and leaves a complete site/ too."""
    write_site(tmp_path, {f"notes/n{i}.md": f"# Note {i}\n\nText.\n" for i in range(30)})
    make, env = make_in(tmp_path)
    alone = subprocess.run(
        [*make, "build"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    assert alone.returncode == 0, alone.stderr
    expected = sorted(p.relative_to(tmp_path / "site").as_posix() for p in (tmp_path / "site").rglob("*"))

    def both() -> list[subprocess.CompletedProcess]:
        procs = [
            subprocess.Popen(
                [*make, "build"], cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
            )
            for _ in range(2)
        ]
        return [subprocess.CompletedProcess(p.args, p.wait(300), *p.communicate()) for p in procs]

    for run in both():
        assert run.returncode == 0 and b"Built site/index.html" in run.stdout, run.stderr.decode()
    assert (
        sorted(p.relative_to(tmp_path / "site").as_posix() for p in (tmp_path / "site").rglob("*"))
        == expected
    )
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(("site.partial", "site.old"))]


def test_make_new_runs_no_shell_syntax_in_its_arguments(tmp_path: Path) -> None:
    """Check that `make new TITLE='a `cmd` b'` (and $(...), make's own $(shell ...), quotes) writes a page with
    that title and runs nothing."""
    write_site(tmp_path, {})
    make, env = make_in(tmp_path)
    title = 'Talks `touch pwned1` $(touch pwned2) $(shell touch pwned3) "q" \'s'
    run = subprocess.run(
        [*make, "new", "TYPE=source", f"TITLE={title}"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert not list(tmp_path.glob("pwned*"))
    written = list((tmp_path / "docs" / "sources").glob("talks-*.md"))
    assert len(written) == 1 and f"title: {json.dumps(title)}" in written[0].read_text(encoding="utf-8")
    bad = subprocess.run(
        [*make, "new", "TYPE=source;touch pwned4", "TITLE=x"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert bad.returncode != 0 and not list(tmp_path.glob("pwned*"))


def _get(url: str, timeout: float = 10) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status, resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


def _wait_for(url: str, words: str, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    body = ""
    while time.monotonic() < deadline:
        try:
            _, body = _get(url, timeout=5)
            if words in body:
                return body
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} never showed {words!r}; last page:\n{body[:2000]}")


@pytest.mark.build
@pytest.mark.parametrize("breakage", ["not-utf8", "symlink"])
def test_serve_shows_an_error_page_and_recovers(tmp_path: Path, breakage: str) -> None:
    """Check that `mkdocs serve` with a page that stops the build (not UTF-8; a symbolic link) answers every
    request at once with an error page naming the problem, no policy and no traceback, and serves the site again
    once the file is fixed."""
    root = write_site(tmp_path, {})
    bad = root / "docs" / "notes.md"
    if breakage == "not-utf8":
        bad.write_bytes(b"# Notes\n\ncaf\xe9\n")
        words = "notes.md:3:4: error: The file is not UTF-8 text"
    else:
        bad.symlink_to("/etc/hostname")
        words = "notes.md:1:1: error: This is a symbolic link"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "BRIEFING_TODAY": TODAY, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"]
    serve = subprocess.Popen(
        cmd, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        base = f"http://127.0.0.1:{port}/"
        page = html.unescape(_wait_for(base + "actors/canada/", "The site cannot be built"))
        assert words in page
        assert "Content-Security-Policy" not in page
        if breakage == "symlink":
            bad.unlink()
        bad.write_text("# Notes\n\nFixed text.\n", encoding="utf-8")
        _wait_for(base + "notes/", "Fixed text.")
        served = _wait_for(base + "actors/canada/", 'class="infobox"')
        assert "Content-Security-Policy" not in served  # livereload's script changes with every request
    finally:
        serve.terminate()
        try:
            out, _ = serve.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            serve.kill()
            out, _ = serve.communicate()
    assert "Traceback" not in out, out


# --- the policy in the built site -------------------------------------------------------------------

POLICY_RE = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


@pytest.mark.build
def test_every_built_page_has_one_and_the_same_policy(tmp_path: Path) -> None:
    """Check that every HTML file of a built site (pages, generated pages, 404.html, a redirect page) carries
    exactly one Content-Security-Policy, the same everywhere, before its first script; that it allows each inline
    script the page has and nothing else inline; and that an aligned table column needs no style attribute."""
    src = BASE["sources/cbc-2021-09-24-released.md"].replace(
        "kind: secondary", "kind: secondary\n        redirect_from: [cbc-old]"
    )
    files = {
        "notes/deep/page.md": "# Deep\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n",
        "sources/cbc-2021-09-24-released.md": src,
    }
    root = write_site(tmp_path, files)
    code, log, _ = run_build(root)
    assert code == 0, log
    policies = {}
    for page in sorted((root / "site").rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        found = POLICY_RE.findall(text)
        name = page.relative_to(root / "site").as_posix()
        assert len(found) == 1, name
        policies[name] = found[0]
        first_script = text.find("<script")
        assert first_script == -1 or text.index("Content-Security-Policy") < first_script, name
        allowed = set(re.findall(r"'sha256-[^']+'", found[0]))
        assert csp.unknown_scripts(text, allowed) == [], name
        assert " style=" not in text and "<style" not in text, name
    assert {"404.html", "sources/cbc-old/index.html", "notes/deep/page/index.html", "index.html"} <= set(
        policies
    )
    assert len(set(policies.values())) == 1
    policy = next(iter(policies.values()))
    assert "script-src 'self' 'sha256-" in policy and "unsafe-inline" not in policy
    deep = (root / "site" / "notes" / "deep" / "page" / "index.html").read_text(encoding="utf-8")
    assert '<th align="left">a</th>' in deep and '<td align="right">2</td>' in deep
