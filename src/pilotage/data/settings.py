"""``pilotage.toml``: the workspace's settings, validated when read."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pilotage.core.channels import DEFAULT_RULES, ChannelRule
from pilotage.data.engines import EngineSettings, engine_from_dict
from pilotage.errors import ConfigError

SETTINGS_FILE = "pilotage.toml"
_CURRENCY = re.compile(r"[A-Z]{3}")


@dataclass(frozen=True)
class WorkspaceSettings:
    name: str = "Pilotage workspace"
    reporting_currency: str = "EUR"
    timezone: str = "Europe/Paris"
    #: Days before a conversion in which a touch may get credit.
    lookback_days: int = 90
    #: SQLAlchemy URL of the metadata store; empty means SQLite inside the workspace.
    metadata_url: str = ""
    channel_rules: tuple[ChannelRule, ...] = field(default=DEFAULT_RULES)
    #: Where KPI queries run (``[engine]``): the DuckDB file unless set.
    engine: EngineSettings = field(default_factory=EngineSettings)

    def __post_init__(self) -> None:
        if not _CURRENCY.fullmatch(self.reporting_currency):
            raise ConfigError(
                f"reporting_currency {self.reporting_currency!r} is not an ISO 4217 code",
                fix="use a three-letter code such as EUR, USD or GBP",
            )
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigError(
                f"timezone {self.timezone!r} is unknown",
                fix="use an IANA time zone name such as Europe/Paris",
            ) from exc
        if not 1 <= self.lookback_days <= 730:
            raise ConfigError(
                f"lookback_days {self.lookback_days} is out of range",
                fix="use a number of days between 1 and 730",
            )


def read_settings(path: Path) -> WorkspaceSettings:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(
            f"{path} does not exist",
            fix="run 'pilotage init DIR' to create a workspace",
        ) from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}", fix="correct the file") from exc
    return settings_from_dict(raw, str(path))


def settings_from_dict(raw: dict[str, Any], origin: str) -> WorkspaceSettings:
    ws = raw.get("workspace", {})
    known = {"name", "reporting_currency", "timezone", "lookback_days"}
    unknown = set(ws) - known
    if unknown:
        raise ConfigError(
            f"{origin}: unknown setting(s) {sorted(unknown)} in [workspace]",
            fix=f"use only {sorted(known)}",
        )
    rules: tuple[ChannelRule, ...] = DEFAULT_RULES
    if "channel_rules" in raw:
        rules = tuple(_rule(i, r, origin) for i, r in enumerate(raw["channel_rules"], start=1))
    try:
        return WorkspaceSettings(
            name=str(ws.get("name", WorkspaceSettings.name)),
            reporting_currency=str(ws.get("reporting_currency", "EUR")),
            timezone=str(ws.get("timezone", "Europe/Paris")),
            lookback_days=int(ws.get("lookback_days", 90)),
            metadata_url=str(raw.get("metadata", {}).get("url", "")),
            channel_rules=rules,
            engine=engine_from_dict(raw.get("engine"), origin),
        )
    except ConfigError as exc:
        raise ConfigError(f"{origin}: {exc.message}", fix=exc.fix) from exc


def _rule(index: int, raw: Any, origin: str) -> ChannelRule:
    if not isinstance(raw, dict) or "channel" not in raw:
        raise ConfigError(
            f"{origin}: channel rule #{index} must be a table with a 'channel' key",
            fix='write [[channel_rules]] then channel = "...", medium = "regex"',
        )
    extra = set(raw) - {"channel", "source", "medium", "campaign"}
    if extra:
        raise ConfigError(
            f"{origin}: channel rule #{index} has unknown key(s) {sorted(extra)}",
            fix="use channel, source, medium and campaign",
        )
    try:
        return ChannelRule(
            str(raw["channel"]), raw.get("source"), raw.get("medium"), raw.get("campaign")
        )
    except ValueError as exc:
        raise ConfigError(f"{origin}: channel rule #{index}: {exc}") from exc


def _toml_str(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _engine_lines(engine: EngineSettings) -> list[str]:
    """The ``[engine]`` section, written only when KPI queries run elsewhere than DuckDB."""
    if engine == EngineSettings():
        return []
    lines = ["[engine]", f"backend = {_toml_str(engine.backend)}"]
    for key in ("master", "url", "database"):
        value = getattr(engine, key)
        if value:
            lines.append(f"{key} = {_toml_str(value)}")
    return [*lines, ""]


def render_settings(settings: WorkspaceSettings) -> str:
    """The text of a pilotage.toml; rules are written out in full so they can be edited."""
    lines = [
        "# Pilotage workspace settings. Edit, then re-run your commands.",
        "[workspace]",
        f"name = {_toml_str(settings.name)}",
        f"reporting_currency = {_toml_str(settings.reporting_currency)}",
        f"timezone = {_toml_str(settings.timezone)}",
        "# days before a conversion in which a touch may get credit",
        f"lookback_days = {settings.lookback_days}",
        "",
        "[metadata]",
        "# SQLAlchemy URL; empty = SQLite file metadata.db in this folder.",
        "# The PILOTAGE_DATABASE_URL environment variable overrides it.",
        f"url = {_toml_str(settings.metadata_url)}",
        "",
        *_engine_lines(settings.engine),
        "# Channel grouping: the first rule whose patterns all match wins. Patterns are",
        "# regular expressions matched against the whole lower-cased value.",
    ]
    for rule in settings.channel_rules:
        lines += ["", "[[channel_rules]]", f"channel = {_toml_str(rule.channel)}"]
        for key in ("source", "medium", "campaign"):
            value = getattr(rule, key)
            if value is not None:
                lines.append(f"{key} = {_toml_str(value)}")
    return "\n".join(lines) + "\n"
