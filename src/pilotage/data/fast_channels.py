"""Channel filling for the fast CSV path, with the rule of :func:`loader.fill_channels`:
given names are normalised, empty ones come from the campaign, then from the channel rules.

Only distinct values travel to Python (channel names; the (campaign, source, medium,
campaign text) combinations of rows without a channel), never the rows themselves.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from pilotage.core.channels import UNASSIGNED, classify, normalise_channel
from pilotage.data.loader import unassigned_warnings
from pilotage.data.settings import WorkspaceSettings

NAMES_VIEW = "_fast_channel_names"
FILL_VIEW = "_fast_channel_fill"
_FILL_KEYS = ("campaign_id", "source", "medium", "campaign_text")


#: Above this many distinct channel names, renaming goes through a join, not a CASE.
_CASE_LIMIT = 200


@dataclass(frozen=True)
class ChannelPlan:
    #: SQL for the channel of a row of ``f`` (joins below), and the joins it needs.
    sql: str
    joins: str
    warnings: list[str]


def plan_channels(
    con: duckdb.DuckDBPyConnection,
    settings: WorkspaceSettings,
    campaigns: Callable[[], dict[str, str]],
    value: Callable[[str], str],
    available: set[str],
    given: list[str | None] | None,
) -> ChannelPlan:
    """``value(name)`` is the SQL for a column of the rows ``f`` of the view ``_fast`` (NULL
    when the file does not have it); ``available`` the columns the loaded table will have;
    ``given`` the distinct channel values of the file, or None when it has no channel."""
    joins = ""
    sql = "NULL"
    missing = "true"
    if given is not None:
        raw = pa.array([g for g in given if g is not None], pa.string())
        names = [
            normalise_channel(t) if t else None for t in pc.utf8_trim_whitespace(raw).to_pylist()
        ]
        renamed = {r: n for r, n in zip(raw.to_pylist(), names, strict=True) if r != n}
        column = value("channel")
        if len(renamed) > _CASE_LIMIT:
            con.register(NAMES_VIEW, pa.table({"raw": raw, "name": pa.array(names, pa.string())}))
            joins = f" LEFT JOIN {NAMES_VIEW} cn ON cn.raw = {column}"
            sql = "cn.name"
        elif renamed:
            cases = " ".join(f"WHEN {_text(r)} THEN {_text(n)}" for r, n in renamed.items())
            sql = f"CASE {column} {cases} ELSE {column} END"
        else:
            sql = column
        missing = f"({sql}) IS NULL"
        if None not in given and all(n is not None for n in names):
            return ChannelPlan(sql, joins, [])
    text = "utm_campaign" if "utm_campaign" in available else "campaign_name"
    keys = [value("campaign_id"), value("source"), value("medium"), value(text)]
    selected = ", ".join(f"{k} AS {n}" for k, n in zip(keys, _FILL_KEYS, strict=True))
    combos = con.execute(
        f"SELECT {', '.join(_FILL_KEYS)}, count(*) FROM (SELECT {selected} FROM _fast f"
        f"{joins} WHERE {missing}) GROUP BY ALL"
    ).fetchall()
    if not combos:
        return ChannelPlan(sql, joins, [])
    known = campaigns() if "campaign_id" in available else {}
    result = classify(
        settings.channel_rules, [(s, m, c) for cid, s, m, c, _ in combos if cid not in known]
    )
    filled: list[str] = []
    unassigned = 0
    for cid, source, medium, campaign, count in combos:
        channel = known.get(cid or "")
        if channel is None:
            s, m, c = ((v or "").strip().lower() for v in (source, medium, campaign))
            channel = result.channels[(s, m, c)]
        filled.append(channel)
        unassigned += count if channel == UNASSIGNED else 0
    columns = {n: pa.array([c[i] for c in combos], pa.string()) for i, n in enumerate(_FILL_KEYS)}
    con.register(FILL_VIEW, pa.table({**columns, "channel": pa.array(filled, pa.string())}))
    on = " AND ".join(
        f"cf.{n} IS NOT DISTINCT FROM {k}" for k, n in zip(keys, _FILL_KEYS, strict=True)
    )
    joins += f" LEFT JOIN {FILL_VIEW} cf ON {on}"
    return ChannelPlan(
        f"coalesce({sql}, cf.channel)", joins, unassigned_warnings(result.unmapped, unassigned)
    )


def _text(value: str | None) -> str:
    return "NULL" if value is None else "'" + value.replace("'", "''") + "'"


def drop_views(con: duckdb.DuckDBPyConnection) -> None:
    for view in (NAMES_VIEW, FILL_VIEW):
        with contextlib.suppress(duckdb.Error):
            con.unregister(view)
