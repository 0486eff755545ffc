"""The fast path for a clean CSV file: DuckDB reads, types and checks it inside the load's
transaction, and the rows never pass through Python.

It produces exactly the rows the Python path (read, validate, enrich, upsert) stores, for
the files it accepts: UTF-8, a separator sniffed as the reader does, ISO dates and
timestamps, plain numbers with a decimal point, currency codes (see :mod:`fast_sql`). At the
first doubt (a value outside that subset, a broken rule, a repeated key, a missing exchange
rate, a CSV that DuckDB reads differently or cannot read) the transaction is rolled back
and :func:`load_csv_fast` returns None: the caller then runs the Python path, which writes
the detailed report of every problem. So errors, warnings and all-or-nothing behaviour are
those of the Python path.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pilotage.data import fast_sql as q
from pilotage.data.fast_channels import drop_views, plan_channels
from pilotage.data.fast_zones import hour_offsets
from pilotage.data.loader import ImportReport, campaign_channels, channel_optional
from pilotage.data.readers.csv_probe import FIELD_LIMIT, CsvProbe, probe_csv
from pilotage.data.schema import TableSpec, get_table, normalise_header
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import HASH_COLUMN, KEY_COLUMN, AnalyticsStore, original_column, quote
from pilotage.data.typed import DecimalMark
from pilotage.data.validation.currency import ISO_4217
from pilotage.data.validation.money import CURRENCY

_ZONES = "_fast_zones"
_FINAL = "_fast_final"
#: Raises a DuckDB error, so the load rolls back and the validator takes over.
_STOP = "CASE WHEN f._bad THEN error('a value needs the Python validator') ELSE true END"


class _StepAsideError(Exception):
    """The file is not one the fast path is sure about."""


@dataclass(frozen=True)
class _Plan:
    #: Declared column -> position in the file; extras (normalised name) -> position.
    declared: dict[str, int]
    extras: dict[str, int]
    unnamed: list[int]
    width: int


def load_csv_fast(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    table: str,
    path: Path,
    *,
    sep: str | None = None,
    decimal: DecimalMark = "auto",
) -> ImportReport | None:
    """Load a clean CSV file in one transaction, or return None (nothing written) when the
    file needs the Python path."""
    declared = get_table(table).column("channel")
    if declared is not None and not declared.required:
        return None  # an optional channel (costs) stays empty: the Python path's rule
    spec = channel_optional(get_table(table))
    if decimal == "," or settings.reporting_currency.upper() not in ISO_4217:
        return None
    if any(c in str(path) for c in "*?[]{}"):
        return None  # DuckDB would read the name as a pattern of file names
    probe = probe_csv(path, sep)
    if probe is None:
        return None
    plan = _plan(spec, probe.header)
    if plan is None:
        return None
    # Rows may be written in any order (as the Python path's anti-join does), so both
    # cores write at once.
    store.con.execute("SET preserve_insertion_order = false")
    try:
        with store.transaction():
            return _load(store, settings, spec, path, probe, plan, decimal)
    except (_StepAsideError, duckdb.Error):
        return None
    finally:
        store.con.execute("RESET preserve_insertion_order")
        _unregister(store.con, _ZONES)
        drop_views(store.con)


def _plan(spec: TableSpec, header: list[str]) -> _Plan | None:
    declared: dict[str, int] = {}
    extras: dict[str, int] = {}
    unnamed: list[int] = []
    for position, text in enumerate(header):
        name = normalise_header(text)
        if not name:
            unnamed.append(position)
        elif name in declared or name in extras:
            return None
        else:
            (declared if spec.column(name) is not None else extras)[name] = position
    if any(name not in declared for name in spec.required):
        return None
    if any(not any(name in declared for name in group) for group in spec.one_of):
        return None
    reserved = {original_column(m) for m in spec.money_columns} | {KEY_COLUMN, HASH_COLUMN}
    if reserved & set(extras):
        return None
    return _Plan(declared, extras, unnamed, len(header))


def _load(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    spec: TableSpec,
    path: Path,
    probe: CsvProbe,
    plan: _Plan,
    decimal: DecimalMark,
) -> ImportReport:
    con = store.con
    if any(c.type == "timestamp" and c.name in plan.declared for c in spec.columns):
        con.register(_ZONES, hour_offsets(settings.timezone))
    # A view, not a table: each pass reads the file again, which costs less than keeping
    # every row twice (typed here, then with keys and hashes).
    con.execute(f"CREATE OR REPLACE TEMP VIEW _fast AS {_typed_sql(spec, path, probe, plan)}")

    def value(name: str) -> str:
        return f"f.{quote(name)}" if name in plan.declared or name in plan.extras else "NULL"

    selected = {c.name: f"CAST({value(c.name)} AS {q.SQL_TYPES[c.type]})" for c in spec.columns}
    foreign = "false"
    if spec.money_columns:
        # The validator fills the currency of every row of a table with amounts.
        selected[CURRENCY] = f"coalesce({value(CURRENCY)}, '{_reporting(settings)}')"
        foreign = f"coalesce({selected[CURRENCY]} <> '{_reporting(settings, upper=False)}', false)"
    has_channel = "channel" in plan.declared
    channels = f"list(DISTINCT {value('channel')})" if has_channel else "NULL"
    # What the final pass needs to know first. Values outside the subset (_bad) are not
    # looked for here: the final pass stops at the first one (see _STOP).
    row = con.execute(
        "SELECT count(*), coalesce(bool_or(_amb), false), coalesce(bool_or(_point), false), "
        f"count(*) FILTER (WHERE {foreign}), {channels} FROM _fast f"
    ).fetchone()
    assert row is not None
    rows, ambiguous, point, foreign_rows, given = row
    if decimal == "auto" and ambiguous and not point:
        raise _StepAsideError
    base = _money(store, spec, selected, foreign, int(foreign_rows))
    joins, warnings = "", []
    if spec.column("channel") is not None:
        available = {c.name for c in spec.columns} | set(plan.extras)
        found = plan_channels(
            con,
            settings,
            lambda: campaign_channels(store),
            value,
            available,
            list(given or []) if has_channel else None,
        )
        joins, warnings = found.joins, found.warnings
        selected["channel"] = found.sql
    for name in plan.extras:
        selected[name] = value(name)
    for money in spec.money_columns:
        selected[original_column(money)] = selected.pop(f"_original_{money}")
    names = list(selected)
    body = ", ".join(f"{sql} AS {quote(name)}" for name, sql in selected.items())
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {_FINAL} AS SELECT {body} FROM {base}{joins} WHERE {_STOP}"
    )
    counts = store.upsert_unique(spec, _FINAL, names, expected_rows=int(rows))
    con.execute(f"DROP VIEW {_FINAL}")
    con.execute("DROP VIEW _fast")
    if counts is None:
        raise _StepAsideError  # rows sharing a key: the validator drops or refuses them
    return ImportReport(
        spec.name,
        path.name,
        probe.sha256,
        None,
        int(rows),
        counts.inserted,
        counts.updated,
        counts.unchanged,
        tuple(warnings),
    )


def _reporting(settings: WorkspaceSettings, *, upper: bool = True) -> str:
    code = settings.reporting_currency.upper() if upper else settings.reporting_currency
    return code.replace("'", "''")


def _typed_sql(spec: TableSpec, path: Path, probe: CsvProbe, plan: _Plan) -> str:
    """SELECT of the file's typed columns, extras as text, and per-row flags."""
    raw = [f"c{i}" for i in range(plan.width)]
    columns = ", ".join(f"'{c}': 'VARCHAR'" for c in raw)
    delim = "\\t" if probe.sep == "\t" else probe.sep
    source = str(path).replace("'", "''")
    read = (
        f"read_csv('{source}', delim='{delim}', quote='\"', escape='\"', header=true, "
        f"auto_detect=false, columns={{{columns}}}, strict_mode=true, null_padding=false, "
        f"max_line_size={FIELD_LIMIT}, encoding='utf-8')"
    )
    cleaned = ", ".join(f"nullif({c}, '') AS {c}" for c in raw)
    blank = " AND ".join(f"{c} IS NULL" for c in raw)
    out: list[str] = []
    bad: list[str] = [f"{raw[i]} IS NOT NULL" for i in plan.unnamed]
    ambiguous: list[str] = []
    point: list[str] = []
    local: list[str] = []
    joins = ""
    for column in spec.columns:
        if column.name not in plan.declared:
            continue
        v = raw[plan.declared[column.name]]
        if column.required:
            bad.append(f"{v} IS NULL")
        if column.type == "timestamp":
            parsed, aware = q.timestamp_column(v), q.has_zone(v)
            local.append(f"{parsed.sql} AS _t_{v}, {aware} AS _a_{v}")
            hour = f"CASE WHEN NOT _a_{v} THEN {q.local_hour(f'_t_{v}')} END"
            joins += f" LEFT JOIN {_ZONES} z_{v} ON z_{v}.hour = {hour}"
            offset = f"z_{v}.offset_us"
            instant = q.timestamp_instant(f"_t_{v}", f"_a_{v}", offset)
            out.append(f"{instant} AS {quote(column.name)}")
            bad += [parsed.bad, f"({v} IS NOT NULL AND NOT _a_{v} AND {offset} IS NULL)"]
            continue
        typed = _typed_column(spec, column.name, v)
        out.append(f"{typed.sql} AS {quote(column.name)}")
        bad.append(typed.bad)
        if column.type in ("float", "money"):
            ambiguous.append(q.ambiguous_mark(v))
            point.append(q.point_mark(v))
    for group in spec.one_of:
        present = [raw[plan.declared[n]] for n in group if n in plan.declared]
        bad.append(" AND ".join(f"{v} IS NULL" for v in present))
    out += [f"{raw[i]} AS {quote(name)}" for name, i in plan.extras.items()]
    flags = {"_bad": bad, "_amb": ambiguous, "_point": point}
    out += [
        f"({' OR '.join(f'coalesce({b}, false)' for b in parts) or 'false'}) AS {name}"
        for name, parts in flags.items()
    ]
    stamped = f"SELECT *, {', '.join(local)} FROM kept" if local else "SELECT * FROM kept"
    return (
        f"WITH src AS (SELECT {cleaned} FROM {read}), "
        f"kept AS (SELECT * FROM src WHERE NOT ({blank})), "
        f"stamped AS ({stamped}) "
        f"SELECT {', '.join(out)} FROM stamped{joins}"
    )


def _typed_column(spec: TableSpec, name: str, v: str) -> q.Typed:
    column = spec.column(name)
    assert column is not None
    if name == CURRENCY:
        return q.currency_column(v)
    if column.type in ("int", "float", "money"):
        return q.number_column(column, v)
    if column.type == "date":
        return q.date_column(v)
    return q.text_column(column, v)


def _money(
    store: AnalyticsStore,
    spec: TableSpec,
    selected: dict[str, str],
    foreign: str,
    foreign_rows: int,
) -> str:
    """The relation the final SELECT reads. Money columns become the amount in reporting
    currency (the latest rate on or before the row's day, as :func:`loader.convert_money`)
    and ``_original_<money>`` the amount as written."""
    for money in spec.money_columns:
        selected[f"_original_{money}"] = selected[money]
    if not foreign_rows:
        return "_fast f"
    if not store.table_exists("fx_rates") or spec.time_column is None:
        raise _StepAsideError
    day = f"CAST({selected[spec.time_column]} AS DATE)"
    keyed = f"(SELECT f.*, {selected[CURRENCY]} AS _cur, {day} AS _day FROM _fast f)"
    matched = (
        f"SELECT count(*) FROM {keyed} f ASOF JOIN fx_rates r "
        f"ON f._cur = r.currency AND f._day >= r.date WHERE {foreign}"
    )
    if _one(store.con, matched) != (foreign_rows,):
        raise _StepAsideError  # a row without a rate: the validator names it
    for money in spec.money_columns:
        amount = selected[money]
        selected[money] = (
            f"CASE WHEN {foreign} THEN {amount} * r.rate_to_reporting ELSE {amount} END"
        )
    return f"{keyed} f ASOF LEFT JOIN fx_rates r ON f._cur = r.currency AND f._day >= r.date"


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[int, ...]:
    row = con.execute(sql).fetchone()
    assert row is not None
    return tuple(int(v) for v in row)


def _unregister(con: duckdb.DuckDBPyConnection, view: str) -> None:
    with contextlib.suppress(duckdb.Error):
        con.unregister(view)
