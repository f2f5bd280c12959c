"""Command line: `python -m briefing check` (the fast content check, no HTML) and `python -m briefing new`."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

from . import publish
from .checks import RULES, run_checks
from .frontmatter import load_site, read_config, read_settings
from .model import FOLDERS, ID_PATTERN, PDate, parse_date, sort_problems
from .report import failing, format_capped, summary
from .settings import TodayError, apply_settings, resolve_today, review_interval

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
summary: One plain sentence saying what happened (timelines show it under the title).
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
kind: secondary         # primary | secondary | copy (add copy_of: Publisher) | social
---

# {title}

What this document is, in one or two sentences.
""",
}


def file_stem(title: str) -> str:
    """A page's file name (without date or extension) made from its title: 'Talks in Rome' -> 'talks-in-rome'."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60].strip("-")


def cmd_check(args: argparse.Namespace) -> int:
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
    settings = read_settings(args.config)
    config = read_config(args.config)
    listed = publish.listed_files(config.get("extra_css") or (), config.get("extra_javascript") or ())
    unpublished = publish.scan(docs, listed)  # links, bad names, file types: files the pages never show
    site = apply_settings(load_site(docs, review_interval(settings), cache=False), settings)
    problems = sort_problems([*unpublished, *run_checks(site, today)])
    github = args.format == "github" or (args.format == "auto" and os.environ.get("GITHUB_ACTIONS") == "true")
    for line in format_capped(problems, github=github):
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
    slug = file_stem(title)
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
    target = Path(args.docs) / FOLDERS[kind] / f"{slug}.md"
    if target.exists():
        print(f"error: {target} already exists; edit it instead (nothing was written).", file=sys.stderr)
        return 1
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


def cmd_rules(args: argparse.Namespace) -> int:
    """Print the rules table of CONTRIBUTING.md from the registry (a test keeps the two equal)."""
    print(rules_table())
    return 0


def rules_table() -> str:
    rows = ["| code | level | what it catches |", "|---|---|---|"]
    rows += [f"| `{r.code}` | {r.level} | {r.doc} |" for r in sorted(RULES.values(), key=lambda r: r.code)]
    return "\n".join(rows)


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m briefing", description=__doc__)
    sub = parser.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("check", help="check every page's front matter, references and dates")
    c.add_argument("--docs", default="docs")
    c.add_argument("--config", default="mkdocs.yml")
    c.add_argument(
        "--today", default="", help="YYYY-MM-DD (default: BRIEFING_TODAY, SOURCE_DATE_EPOCH, clock)"
    )
    c.add_argument("--format", choices=("auto", "text", "github"), default="auto")
    c.set_defaults(run=cmd_check)
    n = sub.add_parser("new", help="write a new page from a template")
    n.add_argument("type", choices=sorted(FOLDERS))
    n.add_argument("--title", default="")
    n.add_argument("--date", default="")
    n.add_argument("--docs", default="docs")
    n.set_defaults(run=cmd_new)
    r = sub.add_parser("rules", help="print the rules table (code, level, what it catches)")
    r.set_defaults(run=cmd_rules)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(sys.argv[1:] if argv is None else argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
