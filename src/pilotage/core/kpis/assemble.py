"""Merge the summed measures of each fact into rows and totals, then compute metrics.

Pure: takes what the engine returned for each fact. A measure reads 0 in a row where its
fact had no data, and null where its fact cannot be sliced (or filtered) that way.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pilotage.core.kpis.periods import Period, period_label, period_spans
from pilotage.core.metrics.metric import Metric

Key = tuple[object, ...]
Record = Mapping[str, object]


@dataclass(frozen=True)
class FactResult:
    measures: tuple[str, ...]
    #: Grouped records (None: the fact cannot be sliced this way).
    rows: Sequence[Record] | None
    #: The one total record (None: sum the rows, or not applicable).
    total: Record | None
    applicable: bool


def merge(
    results: Sequence[FactResult],
    keys: Sequence[str],
    periods: Sequence[datetime.date] = (),
) -> tuple[dict[Key, dict[str, float | None]], dict[str, float | None]]:
    """Rows keyed by their dimension values (and ``period_start``) and the totals, as
    measure -> value. ``periods`` lists period starts that must have a row even without
    data (only when the rows have no other key)."""
    rows: dict[Key, dict[str, float | None]] = {}
    if keys == ["period_start"]:
        for start in periods:
            rows[(start,)] = {}
    for result in results:
        for rec in result.rows or ():
            parts = rows.setdefault(tuple(rec[k] for k in keys), {})
            for m in result.measures:
                parts[m] = _number(rec[m])
    for parts in rows.values():
        for result in results:
            for m in result.measures:
                if result.rows is None:
                    parts[m] = None
                elif m not in parts:
                    parts[m] = 0.0
    totals: dict[str, float | None] = {}
    for result in results:
        for m in result.measures:
            totals[m] = _total(result, m)
    return rows, totals


def _total(result: FactResult, measure: str) -> float | None:
    if not result.applicable:
        return None
    if result.total is not None:
        return _number(result.total[measure])
    return sum(_number(rec[measure]) for rec in result.rows or ())


def _number(value: object) -> float:
    """A summed value from the engine (an empty sum is null: zero)."""
    return float(value) if isinstance(value, int | float) else 0.0


def evaluate(
    metrics: Sequence[Metric], parts: Mapping[str, float | None]
) -> dict[str, float | None]:
    return {m.id: m.value(parts) for m in metrics}


def label(dimension: str, value: object, period: Period | None) -> object:
    """How a key value reads: a period's label, a cohort's month, else the value."""
    if isinstance(value, datetime.date):
        if dimension == "period_start" and period is not None:
            return period_label(value, period)
        if dimension == "cohort":
            return period_label(value, "month")
    if dimension == "cohort" and value is None:
        return "unknown"
    return value


def all_periods(
    start: datetime.date | None, end: datetime.date | None, period: Period | None
) -> list[datetime.date]:
    """Every period start of a closed window (empty when open or without period)."""
    if start is None or end is None or period is None:
        return []
    return [key for key, _, _ in period_spans(start, end, period)]
