"""Command line: `python -m briefing check` (the fast content check, no HTML) and `python -m briefing new`."""

from __future__ import annotations

import gc
import os
import re
import sys
import time
from types import SimpleNamespace
from typing import TYPE_CHECKING

from .checks import run_checks
from .frontmatter import load_site
from .model import FOLDERS, ID_PATTERN, parse_date
from .report import failing, format_all, summary
from .settings import DEFAULT_REVIEW_IN, TodayError, apply_settings, read_briefing_settings, resolve_today

if TYPE_CHECKING:
    import argparse

CHECK_DEFAULTS = {"docs": "docs", "config": "mkdocs.yml", "today": "", "format": "auto"}
FORMATS = ("auto", "text", "github")

TEMPLATES = {
    "actor": """---
type: actor
kind: person            # person | state | organization | group
name: {title_yaml}           # display name
# native_name: 王毅      # optional: the name in its own script
# aliases: [Other spelling]   # optional: names readers may search for
# born: 1953-10-08      # optional (people); organizations: founded / dissolved
summary: One neutral sentence saying who this is in Canada–China relations.
roles:                  # optional: offices held, one entry per tenure
  - id: office-{year}   # unique on this actor, e.g. foreign-minister-2021
    title: Full title of the office
    start: unknown      # YYYY-MM-DD, YYYY-MM, YYYY or unknown
    # end: unknown      # absent = still held as of last_reviewed
    sources: []         # required: ids of source pages that give the tenure
last_reviewed: {today}  # the day you checked this page against its sources
---

# {title}

Who they are, and their part in each issue, with dates and `[[source-id]]`-backed facts.
""",
    "issue": """---
type: issue
title: {title_yaml}
summary: One neutral sentence stating what is contested.
status: active          # active | resolved | dormant
started: {today}        # date of the first event of the issue
# resolved: 2021-09-24  # required when status is resolved, forbidden otherwise
actors: []              # actor ids, e.g. [canada, china]
related: []             # other issue ids
last_reviewed: {today}
---

# {title}

## What is contested

## Positions

## How it developed

## Status as of {today_human}

## What to watch
""",
    "event": """---
type: event
title: {title_yaml}
date: {date}            # YYYY-MM-DD, YYYY-MM or YYYY; the file name starts with it
# end: 2021-09-25       # optional, for spans
# announced: 2024-08-26 # optional: announced earlier than it took effect
# place: Beijing        # optional
actors: []              # actor ids
# roles: {{justin-trudeau: prime-minister-2015}}   # optional: office an actor acted in
issues: []              # issue ids (may be empty)
# resolves: []          # optional: issues this event ends
sources: []             # at least one source id
---

# {title}

What happened, in your own words, attributed and linked with `[[id]]`.
""",
    "source": """---
type: source
title: {title_yaml}          # full headline or document title
publisher: Publisher name
url: https://example.org/replace-with-the-original-address
published: unknown      # YYYY-MM-DD (or YYYY-MM, YYYY) or unknown
# accessed: {today}     # optional: when you read it
# archived: https://web.archive.org/...   # optional: a preserved copy
kind: secondary         # primary | secondary
---

# {title}

What this document is, in one or two sentences.
""",
}


def slugify(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60].strip("-")


def cmd_check(args: argparse.Namespace | SimpleNamespace) -> int:
    started = time.perf_counter()
    docs = args.docs
    if not os.path.isdir(docs):
        print(f"error: '{docs}' is not a folder of Markdown pages.", file=sys.stderr)
        return 2
    try:
        today = resolve_today(override=args.today or None)
    except TodayError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    settings = read_briefing_settings(args.config)
    review_in = str(settings.get("review_in", DEFAULT_REVIEW_IN))
    site = apply_settings(load_site(docs, review_in, cache=False), settings)  # loaded once: no cache
    problems = run_checks(site, today)
    github = args.format == "github" or (args.format == "auto" and os.environ.get("GITHUB_ACTIONS") == "true")
    for line in format_all(problems, github=github):
        print(line)
    elapsed = time.perf_counter() - started
    print(
        f"checked {len(site.pages)} pages ({len(site.entities)} entities) as of {today.isoformat()} in "
        f"{elapsed:.2f} s: {summary(problems)}",
        file=sys.stderr,
    )
    return 1 if failing(problems) else 0


def cmd_new(args: argparse.Namespace) -> int:
    kind = args.type
    title = (args.title or "").strip()
    if not title:
        print('error: give a title: make new TYPE=event DATE=2021-09-24 TITLE="..."', file=sys.stderr)
        return 2
    try:
        today = resolve_today()
    except TodayError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    slug = slugify(title)
    date_text = ""
    if kind == "event":
        d = parse_date(args.date or "")
        if d is None:
            print(
                f"error: an event needs DATE=YYYY-MM-DD (or YYYY-MM, YYYY); got '{args.date or ''}'.",
                file=sys.stderr,
            )
            return 2
        date_text = d.text
        slug = f"{d.text}-{slug}"
    if not ID_PATTERN.fullmatch(slug):
        print(f"error: cannot make an id from the title '{title}'; use letters and digits.", file=sys.stderr)
        return 2
    from pathlib import Path  # only for a new page: the check does not import pathlib

    target = Path(args.docs) / FOLDERS[kind] / f"{slug}.md"
    if target.exists():
        print(f"error: {target} already exists; edit it instead (nothing was written).", file=sys.stderr)
        return 1
    import json  # only for a new page's title: the check does not pay for it

    from .model import PDate

    human = PDate(today.isoformat(), today, today).human()
    text = TEMPLATES[kind].format(
        title=title,
        title_yaml=json.dumps(title, ensure_ascii=False),
        date=date_text,
        today=today.isoformat(),
        today_human=human,
        year=today.year,
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "x", encoding="utf-8") as fh:
        fh.write(text)
    print(f"wrote {target}: fill in the commented fields, then run 'make check'.")
    return 0


def make_parser() -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m briefing", description=__doc__)
    sub = parser.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("check", help="check every page's front matter, references and dates")
    c.add_argument("--docs", default=CHECK_DEFAULTS["docs"])
    c.add_argument("--config", default=CHECK_DEFAULTS["config"])
    c.add_argument(
        "--today",
        default=CHECK_DEFAULTS["today"],
        help="YYYY-MM-DD (default: BRIEFING_TODAY, SOURCE_DATE_EPOCH, clock)",
    )
    c.add_argument("--format", choices=FORMATS, default=CHECK_DEFAULTS["format"])
    n = sub.add_parser("new", help="write a new page from a template")
    n.add_argument("type", choices=sorted(FOLDERS))
    n.add_argument("--title", default="")
    n.add_argument("--date", default="")
    n.add_argument("--docs", default="docs")
    return parser


def plain_check_args(argv: list[str]) -> SimpleNamespace | None:
    """The arguments of a plain `check` (options spelled out, each followed by a value that does not start with
    '-'), read without argparse, whose import and set-up cost as much as checking some thirty pages. None for
    anything else (help, `new`, '--docs=D', a mistake...), which argparse then reads as before
    (tests/test_report.py compares the two readings).
    """
    if argv[:1] != ["check"] or len(argv) % 2 == 0:
        return None
    values = dict(CHECK_DEFAULTS)
    for option, value in zip(argv[1::2], argv[2::2], strict=True):
        name = option[2:]
        if option[:2] != "--" or name not in values or value.startswith("-"):
            return None
        if name == "format" and value not in FORMATS:  # an error, even if a later --format is right
            return None
        values[name] = value
    return SimpleNamespace(cmd="check", **values)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = plain_check_args(argv) or make_parser().parse_args(argv)
    return cmd_check(args) if args.cmd == "check" else cmd_new(args)


if __name__ == "__main__":
    # A short run that builds one graph and exits: reference counting frees what it drops, and the cyclic
    # collector would only re-scan the graph each time it runs. (load_site pauses it too, for the hook's sake.)
    gc.disable()
    code = main()
    # Skip the interpreter's teardown, which would free every parsed page one by one (about a fifth of the
    # check's time at 1,000 pages): nothing is left to write once the streams are flushed. (mypy does the same.)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
