"""`make build`: `mkdocs build --strict` into a folder of its own, then that folder swapped in for site/.

Safe to run twice at once: each run builds into its own temporary folder next to site/ (so neither deletes what
the other is writing), and the swap (site/ renamed aside, the new folder renamed to site/) happens under an
exclusive lock on site.lock, which the kernel releases if the process dies. A failed build leaves site/ as it was,
removes its temporary folder, and prints no success message; a build is swapped in only if it wrote index.html.

    python -m briefing.sitebuild [--site-dir site] [--config-file mkdocs.yml]
"""

from __future__ import annotations

import argparse
import fcntl
import os
import shutil
import subprocess
import sys
import tempfile


def build(site_dir: str, config_file: str) -> int:
    site = os.path.abspath(site_dir)
    parent, name = os.path.split(site)
    tmp = tempfile.mkdtemp(prefix=f"{name}.partial-", dir=parent)
    try:
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "mkdocs",
                "build",
                "--strict",
                "--site-dir",
                tmp,
                "--config-file",
                config_file,
            ]
        )
        if run.returncode != 0:
            print(f"build failed (exit {run.returncode}): {site_dir}/ is unchanged.", file=sys.stderr)
            return run.returncode or 1
        if not os.path.isfile(os.path.join(tmp, "index.html")):
            print(f"build wrote no index.html: {site_dir}/ is unchanged.", file=sys.stderr)
            return 1
        with open(os.path.join(parent, f"{name}.lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, or the process ends
            old = None
            if os.path.lexists(site):
                old = tempfile.mkdtemp(prefix=f"{name}.old-", dir=parent)
                os.rename(site, os.path.join(old, name))
            os.rename(tmp, site)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if os.path.isdir(tmp):
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"Built {site_dir}/index.html")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m briefing.sitebuild", description=__doc__)
    parser.add_argument("--site-dir", default="site")
    parser.add_argument("--config-file", default="mkdocs.yml")
    args = parser.parse_args(argv)
    return build(args.site_dir, args.config_file)


if __name__ == "__main__":
    sys.exit(main())
