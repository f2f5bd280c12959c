"""Decide which Chromium the browser tests drive (run by `make browser`, imported by tests/test_browser.py).

Order: BRIEFING_CHROMIUM if set (it must be an executable file), else Debian's /usr/bin/chromium, else a
Chromium that Playwright installed itself. As a script, it also tries `python -m playwright install chromium`
when none is found; that download fails offline, and then it prints how to get a browser and exits 0, so that
`make test` goes on and the browser tests FAIL with the same message (they never skip).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ENV_VAR = "BRIEFING_CHROMIUM"
SYSTEM_CHROMIUM = "/usr/bin/chromium"
# The flags every launch uses: no first-run UI, no background traffic to Google, no GPU in containers.
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--disable-sync",
    "--no-first-run",
]
HOW_TO_GET = (
    "No Chromium for the browser tests. Install Debian's with `apt-get install chromium` (it lands in "
    f"{SYSTEM_CHROMIUM}), or set {ENV_VAR}=/path/to/chromium-or-chrome, then run `make browser` again."
)


class BrowserSetupError(Exception):
    """BRIEFING_CHROMIUM names something that cannot be run."""


def _executable(path: str) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


def _playwright_chromium() -> str | None:
    """The Chromium that `playwright install chromium` put in its cache, if any."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    try:
        with sync_playwright() as p:
            path = p.chromium.executable_path
    except Exception:  # no driver, or no browser registry: treat as "not installed"
        return None
    return path if path and _executable(path) else None


def find_chromium() -> str | None:
    """The Chromium executable to use, or None if there is none. Raises BrowserSetupError for a bad
    BRIEFING_CHROMIUM (an explicit choice is never silently replaced by another browser)."""
    chosen = os.environ.get(ENV_VAR, "").strip()
    if chosen:
        if not os.path.exists(chosen):
            raise BrowserSetupError(
                f"{ENV_VAR}={chosen} does not exist. Point it at a Chromium or Chrome "
                f"executable, or unset it to use {SYSTEM_CHROMIUM}."
            )
        if not _executable(chosen):
            raise BrowserSetupError(
                f"{ENV_VAR}={chosen} is not an executable file. Point it at a Chromium "
                f"or Chrome executable, or unset it to use {SYSTEM_CHROMIUM}."
            )
        return chosen
    if _executable(SYSTEM_CHROMIUM):
        return SYSTEM_CHROMIUM
    return _playwright_chromium()


def main() -> int:
    try:
        found = find_chromium()
    except BrowserSetupError as exc:
        print(f"browser setup: {exc}", file=sys.stderr)
        return 1
    if found:
        print(f"browser setup: the browser tests will use {found}")
        return 0
    print("browser setup: no Chromium found; trying `python -m playwright install chromium`")
    try:
        done = subprocess.run(
            [sys.executable, "-m", "playwright", "install", "chromium"],
            timeout=900,
            cwd=Path(__file__).resolve().parent.parent,
        )
        ok = done.returncode == 0
    except (OSError, subprocess.TimeoutExpired) as exc:
        print(f"browser setup: {exc}", file=sys.stderr)
        ok = False
    found = find_chromium() if ok else None
    if found:
        print(f"browser setup: the browser tests will use {found}")
        return 0
    # Exit 0 on purpose: the browser tests then fail with this message, instead of `make test` stopping here.
    print(f"browser setup: {HOW_TO_GET}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
