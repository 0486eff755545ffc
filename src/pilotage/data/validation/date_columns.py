"""Typed date and timestamp columns of one file, with one day/month order for the file."""

from __future__ import annotations

from collections.abc import Mapping

import pyarrow as pa

from pilotage.data.schema import TableSpec, arrow_type
from pilotage.data.typed import ParseOptions
from pilotage.data.validation.dates import (
    DateText,
    Order,
    order_evidence,
    resolve_dates,
    split_date_text,
)
from pilotage.data.validation.evidence import ColumnSightings, Reading, decide, first_sighting
from pilotage.data.validation.problems import Problems
from pilotage.data.validation.timezones import zone

DATE_TYPES = ("date", "timestamp")
_DATE_FIX = "write it as 2026-03-31, 31/03/2026 or 2026-03-31T14:05:00Z"
_ORDER_FIX = "pass --date-order dmy or --date-order mdy"


def read_date_columns(
    text: Mapping[str, pa.Array],
    spec: TableSpec,
    headers: Mapping[str, str],
    options: ParseOptions,
    problems: Problems,
) -> dict[str, pa.Array]:
    columns = [c for c in spec.columns if c.type in DATE_TYPES and c.name in text]
    split = {c.name: split_date_text(text[c.name]) for c in columns}
    for name, parts in split.items():
        _report_shapes(name, parts, headers[name], text[name], problems)
    order = _decide_order(split, headers, text, options, problems)
    if order is None:
        return {}
    tz = zone(options.timezone) if any(c.type == "timestamp" for c in columns) else None
    typed: dict[str, pa.Array] = {}
    for column in columns:
        parts = split[column.name]
        is_timestamp = column.type == "timestamp"
        resolved = resolve_dates(parts, order, tz if is_timestamp else None)
        header, raw = headers[column.name], text[column.name]
        problems.cells(
            resolved.impossible,
            header,
            raw,
            f"{column.name} is not a real date or time",
            "correct the day, month or time" + ("" if order == "dmy" else " (read month-first)"),
        )
        problems.cells(
            resolved.implausible,
            header,
            raw,
            f"{column.name} must be between 1990-01-01 and 2100-12-31",
            "correct the year",
        )
        usable = parts.present & ~parts.unreadable & ~parts.bad_zone
        usable &= ~resolved.impossible & ~resolved.implausible
        values = resolved.instants if is_timestamp else resolved.days
        typed[column.name] = pa.array(
            values.astype("int64" if is_timestamp else "int32"),
            pa.int64() if is_timestamp else pa.int32(),
            mask=~usable,
        ).cast(arrow_type(column.type))
    return typed


def _report_shapes(
    name: str, parts: DateText, header: str, raw: pa.Array, problems: Problems
) -> None:
    problems.cells(
        parts.short_year,
        header,
        raw,
        f"{name} has a 2-digit year",
        "write the year with 4 digits, e.g. 31/03/2026",
    )
    problems.cells(
        parts.number,
        header,
        raw,
        f"{name} must be a date, not a number (Unix timestamps and spreadsheet serial "
        "numbers are not accepted)",
        _DATE_FIX,
    )
    problems.cells(
        parts.unreadable & ~parts.short_year & ~parts.number,
        header,
        raw,
        f"{name} is not a date",
        _DATE_FIX,
    )
    problems.cells(
        parts.bad_zone,
        header,
        raw,
        f"{name} has a time zone offset that does not exist",
        "write the offset as +HH:MM between -14:00 and +14:00, or Z for UTC",
    )


def _decide_order(
    split: Mapping[str, DateText],
    headers: Mapping[str, str],
    text: Mapping[str, pa.Array],
    options: ParseOptions,
    problems: Problems,
) -> Order | None:
    if options.date_order != "auto":
        return options.date_order
    dmy: list[ColumnSightings] = []
    mdy: list[ColumnSightings] = []
    ambiguous: list[ColumnSightings] = []
    for name, parts in split.items():
        evidence = order_evidence(parts)
        dmy.append(ColumnSightings(headers[name], text[name], evidence.dmy))
        mdy.append(ColumnSightings(headers[name], text[name], evidence.mdy))
        ambiguous.append(ColumnSightings(headers[name], text[name], evidence.ambiguous))
    lines = problems.lines
    decision = decide(
        Reading[Order]("dmy", "day/month/year", first_sighting(dmy, lines)),
        Reading[Order]("mdy", "month/day/year", first_sighting(mdy, lines)),
        first_sighting(ambiguous, lines),
        what="the day/month order of slash dates",
        fix=_ORDER_FIX,
    )
    if isinstance(decision, str):
        return decision
    problems.add(decision)
    return None
