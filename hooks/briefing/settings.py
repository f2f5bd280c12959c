"""Site settings and 'today': read once at the edges (hook, command line), passed into the pure checks."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, date, datetime

import yaml

from .model import Site

DEFAULT_REVIEW_IN = "6 months"


class TodayError(ValueError):
    pass


def resolve_today(env: Mapping[str, str] | None = None, override: str | None = None) -> date:
    """`override`, else BRIEFING_TODAY, else the UTC date of SOURCE_DATE_EPOCH, else the UTC clock."""
    env = os.environ if env is None else env
    value = override or env.get("BRIEFING_TODAY")
    if value:
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise TodayError(f"'today' is '{value}', which is not a date: write YYYY-MM-DD.") from None
    epoch = env.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC).date()
        except (ValueError, OverflowError):
            raise TodayError(f"SOURCE_DATE_EPOCH is '{epoch}', which is not a number of seconds.") from None
    return datetime.now(tz=UTC).date()


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without executing its tags (!ENV, !!python/name) - we only need `extra`."""


_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


def read_briefing_settings(config_file: os.PathLike[str] | str) -> dict:
    """The `extra: briefing:` mapping of mkdocs.yml (empty if absent)."""
    try:
        with open(config_file, encoding="utf-8") as fh:
            data = yaml.load(fh.read(), Loader=_ConfigLoader) or {}
    except (OSError, yaml.YAMLError):
        return {}
    extra = data.get("extra") or {}
    return (extra.get("briefing") or {}) if isinstance(extra, dict) else {}


def apply_settings(site: Site, settings: dict) -> Site:
    """The Site with the settings of `extra: briefing:` that the checks need (the allowed tags)."""
    tags = settings.get("tags")
    if not isinstance(tags, list):
        return site
    return Site(site.pages, site.entities, site.review_in, frozenset(map(str, tags)), site.problems)
