"""Load a file (or a generated table) into the workspace: read, adapt, validate, enrich, upsert.

Nothing is written unless the whole file validates; the write itself is one transaction
(see :mod:`pilotage.data.store`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pilotage.core.channels import UNASSIGNED, classify, normalise_channel
from pilotage.data.adapters.registry import get_adapter
from pilotage.data.readers.files import read_file
from pilotage.data.schema import TableSpec, get_table
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore, original_column
from pilotage.data.typed import DateOrder, DecimalMark, ParseOptions, TypedTable
from pilotage.data.validation import coerce
from pilotage.errors import InputError, RowError


@dataclass(frozen=True)
class ImportReport:
    table: str
    file_name: str
    sha256: str
    source_adapter: str | None
    rows_in_file: int
    inserted: int
    updated: int
    unchanged: int
    warnings: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["warnings"] = list(self.warnings)
        return out


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_file(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    table: str,
    path: Path,
    *,
    source: str | None = None,
    sep: str | None = None,
    date_order: DateOrder = "auto",
    decimal: DecimalMark = "auto",
) -> ImportReport:
    """Load one file into one canonical table; all or nothing."""
    spec = get_table(table)
    options = ParseOptions(settings.timezone, settings.reporting_currency, date_order, decimal)
    if source:
        adapter = get_adapter(source, spec.name)
        raw = adapter.convert(read_file(path, sep=sep or adapter.read_sep))
        options = _with_adapter_defaults(options, adapter.parse, date_order, decimal)
    else:
        from pilotage.data.fast_csv import load_csv_fast

        fast = load_csv_fast(store, settings, spec.name, path, sep=sep, decimal=decimal)
        if fast is not None:
            return fast
        raw = read_file(path, sep=sep)
    typed = coerce(raw, channel_optional(spec), options)
    return store_typed(
        store,
        settings,
        typed,
        file_name=path.name,
        sha256=file_sha256(path),
        source_adapter=source,
    )


def channel_optional(spec: TableSpec) -> TableSpec:
    """The spec validated for a file: an empty or absent channel is not an error there,
    because :func:`fill_channels` fills it from the campaign or the channel rules."""
    channel = spec.column("channel")
    if channel is None or not channel.required:
        return spec
    columns = tuple(replace(c, required=False) if c is channel else c for c in spec.columns)
    return replace(spec, columns=columns)


def _with_adapter_defaults(
    options: ParseOptions,
    adapter_parse: dict[str, str],
    date_order: DateOrder,
    decimal: DecimalMark,
) -> ParseOptions:
    """The adapter fixes what its format fixes, unless the user said otherwise."""
    fixed_order = adapter_parse.get("date_order", "auto")
    fixed_decimal = adapter_parse.get("decimal", "auto")
    return replace(
        options,
        date_order=date_order if date_order != "auto" else _date_order(fixed_order),
        decimal=decimal if decimal != "auto" else _decimal(fixed_decimal),
    )


def _date_order(value: str) -> DateOrder:
    if value in ("auto", "dmy", "mdy"):
        return value  # type: ignore[return-value]
    raise ValueError(f"adapter declares an unknown date order {value!r}")


def _decimal(value: str) -> DecimalMark:
    if value in ("auto", ",", "."):
        return value  # type: ignore[return-value]
    raise ValueError(f"adapter declares an unknown decimal mark {value!r}")


def store_typed(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    typed: TypedTable,
    *,
    file_name: str,
    sha256: str,
    source_adapter: str | None,
) -> ImportReport:
    spec = get_table(typed.table)
    data = typed.data
    warnings = list(typed.warnings)
    if spec.column("channel") is not None:
        data, channel_warnings = fill_channels(store, settings, spec, data)
        warnings += channel_warnings
    data = convert_money(store, settings, spec, data, typed.lines, typed.source)
    counts = store.upsert(spec, data)
    return ImportReport(
        spec.name,
        file_name,
        sha256,
        source_adapter,
        data.num_rows,
        counts.inserted,
        counts.updated,
        counts.unchanged,
        tuple(warnings),
    )


def fill_channels(
    store: AnalyticsStore, settings: WorkspaceSettings, spec: TableSpec, data: pa.Table
) -> tuple[pa.Table, list[str]]:
    """Normalise given channel names; fill empty ones from the campaign, then from the rules.

    Values that no rule maps become ``unassigned`` and are listed in the warnings, so the
    user can add a rule to pilotage.toml; no row is dropped. Where the channel is optional
    (team and tool costs), an empty one stays empty: the cost belongs to no channel.
    """
    channel = data.column("channel").combine_chunks()
    trimmed = pc.utf8_trim_whitespace(channel)
    missing = pc.fill_null(pc.equal(trimmed, ""), True)
    # Few distinct names: normalise them once, not once per row.
    encoded = trimmed.dictionary_encode()
    names = [normalise_channel(v) if v else UNASSIGNED for v in encoded.dictionary.to_pylist()]
    normalised = pc.take(pa.array(names, pa.string()), encoded.indices)
    rows = np.flatnonzero(missing.to_numpy(zero_copy_only=False))
    warnings: list[str] = []
    declared = spec.column("channel")
    if declared is not None and not declared.required:
        normalised = pc.if_else(missing, pa.scalar(None, pa.string()), normalised)
    elif len(rows):
        filled, warnings = _fill_missing(store, settings, data, rows)
        # Only the rows that had no channel go through Python; the rest stay in Arrow.
        normalised = pc.replace_with_mask(normalised, missing, pa.array(filled, pa.string()))
    index = data.column_names.index("channel")
    return data.set_column(index, "channel", normalised), warnings


def _fill_missing(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    data: pa.Table,
    rows: np.ndarray,
) -> tuple[list[str], list[str]]:
    """The channel of each row index in ``rows`` (from its campaign, else the rules), and
    the warnings."""
    present = set(data.column_names)
    indices = pa.array(rows)

    def values(col: str) -> list[str | None]:
        if col not in present:
            return [None] * len(rows)
        taken: list[str | None] = pc.take(data.column(col), indices).to_pylist()
        return taken

    campaigns = campaign_channels(store) if "campaign_id" in present else {}
    campaign_ids = values("campaign_id")
    campaign_text = values("utm_campaign" if "utm_campaign" in present else "campaign_name")
    triples = list(zip(values("source"), values("medium"), campaign_text, strict=True))
    by_rules = [t for t, cid in zip(triples, campaign_ids, strict=True) if cid not in campaigns]
    result = classify(settings.channel_rules, by_rules)
    filled: list[str] = []
    for triple, cid in zip(triples, campaign_ids, strict=True):
        channel = campaigns.get(cid or "")
        if channel is None:
            s, m, c = ((v or "").strip().lower() for v in triple)
            channel = result.channels[(s, m, c)]
        filled.append(channel)
    return filled, unassigned_warnings(result.unmapped, filled.count(UNASSIGNED))


def unassigned_warnings(unmapped: Sequence[tuple[str, str, str]], unassigned: int) -> list[str]:
    """The warning for rows no channel rule mapped (none when every triple was mapped)."""
    if not unmapped:
        return []
    shown = ", ".join(f"source={s!r} medium={m!r}" for s, m, _ in unmapped[:10])
    return [
        f"{unassigned} row(s) matched no channel rule and were loaded as '{UNASSIGNED}': "
        f"{shown}. Add [[channel_rules]] to pilotage.toml and load the file again."
    ]


def campaign_channels(store: AnalyticsStore) -> dict[str, str]:
    if not store.table_exists("campaigns"):
        return {}
    rows = store.con.execute("SELECT campaign_id, channel FROM campaigns").fetchall()
    return {str(cid): str(ch) for cid, ch in rows if ch}


def convert_money(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    spec: TableSpec,
    data: pa.Table,
    lines: pa.Array,
    source: str,
) -> pa.Table:
    """Keep each amount in its own currency (``<col>_original``) and convert the canonical
    column to the reporting currency with the latest fx rate on or before the row's date."""
    if not spec.money_columns:
        return data
    currency = data.column("currency")
    foreign = pc.fill_null(pc.not_equal(currency, settings.reporting_currency), False)
    factors = np.ones(data.num_rows)
    if pc.any(foreign).as_py():
        factors = _fx_factors(store, settings, spec, data, foreign, lines, source)
    for money in spec.money_columns:
        amounts = data.column(money)
        data = data.append_column(original_column(money), amounts)
        converted = pc.multiply(amounts.cast(pa.float64()), pa.array(factors))
        data = data.set_column(data.column_names.index(money), money, converted)
    return data


def _fx_factors(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    spec: TableSpec,
    data: pa.Table,
    foreign: pa.ChunkedArray,
    lines: pa.Array,
    source: str,
) -> np.ndarray:
    rates: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    if store.table_exists("fx_rates"):
        for cur, days, values in store.con.execute(
            "SELECT currency, list(date ORDER BY date), list(rate_to_reporting ORDER BY date) "
            "FROM fx_rates GROUP BY currency"
        ).fetchall():
            rates[cur] = (np.array(days, dtype="datetime64[D]"), np.array(values, dtype=float))
    when = data.column(spec.time_column) if spec.time_column else None
    days = (
        np.array(when.cast(pa.date32()).to_pylist(), dtype="datetime64[D]")
        if when is not None
        else np.full(data.num_rows, np.datetime64("NaT"), dtype="datetime64[D]")
    )
    factors = np.ones(data.num_rows)
    currencies = data.column("currency").to_pylist()
    line_numbers = lines.to_pylist()
    errors: list[RowError] = []
    for i in np.flatnonzero(np.asarray(foreign.to_numpy(zero_copy_only=False), dtype=bool)):
        cur = currencies[i]
        table = rates.get(cur)
        pos = -1
        if table is not None and not np.isnat(days[i]):
            pos = int(np.searchsorted(table[0], days[i], side="right")) - 1
        if table is None or pos < 0:
            errors.append(
                RowError(
                    line_numbers[i],
                    "currency",
                    cur,
                    f"no exchange rate from {cur} to {settings.reporting_currency} "
                    f"on or before {days[i]}",
                    "load rates first: pilotage load fx_rates FILE "
                    "(columns date, currency, rate_to_reporting)",
                )
            )
            continue
        factors[i] = table[1][pos]
    if errors:
        raise InputError(source, errors)
    return factors
