"""Site settings and 'today': read once at the edges (hook, command line), passed into the pure checks."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, date, datetime

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


def read_briefing_settings(config_file: os.PathLike[str] | str) -> dict:
    """The `extra: briefing:` mapping of mkdocs.yml (empty if absent). The `extra:` block is read by the fast
    reader when it can be (importing PyYAML would cost the command-line check 80-120 million instructions);
    the whole file by PyYAML otherwise."""
    try:
        with open(config_file, encoding="utf-8") as fh:
            text = fh.read()
    except (OSError, UnicodeDecodeError):
        return {}
    fast = _read_extra_block(text)
    return fast if fast is not None else _read_with_pyyaml(text)


class _Unplain(Exception):
    pass


def _unplain(node: object) -> object:
    raise _Unplain


def _read_extra_block(text: str) -> dict | None:
    """`extra: briefing:` from the lines of the file's only top-level `extra:` key, or None where that block is
    not plain YAML, or holds a value that yamlsub.plain_value leaves to PyYAML (then PyYAML reads the file)."""
    from .yamlsub import MappingNode, parse, plain_value

    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if line.startswith("extra:") and line[6:7] in ("", " ", "#")]
    if len(starts) != 1:
        return None
    end = starts[0] + 1
    while end < len(lines) and (not lines[end] or lines[end][0] in " #"):
        end += 1
    root = parse("\n".join(lines[starts[0] : end]) + "\n")
    if root is None or type(root.value[0][1]) is not MappingNode:
        return None
    briefing = [v for k, v in root.value[0][1].value if k.value == "briefing"]
    if not briefing:
        return {}
    try:
        value = plain_value(briefing[-1], _unplain)
    except (_Unplain, TypeError):
        return None
    return value if isinstance(value, dict) else None


def _read_with_pyyaml(text: str) -> dict:
    import yaml

    class ConfigLoader(yaml.SafeLoader):
        """Reads mkdocs.yml without executing its tags (!ENV, !!python/name): only `extra` is needed."""

    ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)
    ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
    try:
        data = yaml.load(text, Loader=ConfigLoader) or {}
    except yaml.YAMLError:
        return {}
    extra = (data.get("extra") or {}) if isinstance(data, dict) else {}
    return (extra.get("briefing") or {}) if isinstance(extra, dict) else {}


def apply_settings(site: Site, settings: dict) -> Site:
    """The Site with the settings of `extra: briefing:` that the checks need (the allowed tags)."""
    tags = settings.get("tags")
    if not isinstance(tags, list):
        return site
    return Site(site.pages, site.entities, site.review_in, frozenset(map(str, tags)), site.problems)
