"""Site settings and 'today': read once at the edges (hook, command line), passed into the pure checks."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from datetime import UTC, date, datetime
from types import MappingProxyType

from .model import DEFAULT_REVIEW_IN, Office, Site

__all__ = ["DEFAULT_REVIEW_IN", "TodayError", "apply_settings", "resolve_today", "review_interval"]


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


def apply_settings(site: Site, settings: dict) -> Site:
    """The Site with the settings of `extra: briefing:` that the checks need: the allowed tags, the tracked
    offices, the longest gap between two holders, and the process phrases reader pages must not use."""
    tags = settings.get("tags")
    offices = settings.get("offices") if isinstance(settings.get("offices"), dict) else {}
    phrases = settings.get("process_phrases")
    return dataclasses.replace(
        site,
        tags_allowed=frozenset(map(str, tags)) if isinstance(tags, list) else site.tags_allowed,
        offices=MappingProxyType({str(k): office(str(k), v) for k, v in offices.items()}),
        office_gap=str(settings.get("office_gap", site.office_gap)),
        phrases=tuple(map(str, phrases)) if isinstance(phrases, list) else site.phrases,
    )


def office(oid: str, value: object) -> Office:
    v = value if isinstance(value, dict) else {}
    return Office(
        oid,
        str(v.get("label", oid)),
        str(v.get("side", "")),
        str(v.get("label_fr", "")),
    )


def review_interval(settings: dict) -> str:
    """The site's default review interval: `extra: briefing: review_in`, else DEFAULT_REVIEW_IN."""
    return str(settings.get("review_in", DEFAULT_REVIEW_IN))
