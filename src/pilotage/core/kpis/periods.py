"""Calendar periods in the workspace's time zone (weeks are ISO weeks starting Monday)."""

from __future__ import annotations

import datetime
from typing import Literal

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

Period = Literal["day", "week", "month", "quarter", "year"]

_TRUNC_UNIT = {"day": "D", "week": "W", "month": "M", "quarter": "Q", "year": "Y"}


@ibis.udf.scalar.builtin(  # type: ignore[untyped-decorator]
    name="timezone", signature=((dt.string, dt.Timestamp(timezone="UTC")), dt.Timestamp())
)
def _local_time(zone: str, ts: ir.TimestampValue) -> ir.TimestampValue:
    """Wall-clock time in ``zone`` of a UTC timestamp (DuckDB and PostgreSQL ``timezone``)."""


def local_date(ts: ir.TimestampValue, zone: str) -> ir.DateValue:
    local: ir.TimestampValue = _local_time(zone, ts)
    return local.date()


def period_start(day: ir.DateValue, period: Period) -> ir.DateValue:
    """First day of the period containing ``day``."""
    if period == "day":
        return day
    return day.truncate(_TRUNC_UNIT[period])


def period_label(start: datetime.date, period: Period) -> str:
    """Human label of a period given its first day: 2026-03, 2026-Q1, 2026-W14, 2026."""
    if period == "day":
        return start.isoformat()
    if period == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if period == "month":
        return f"{start.year}-{start.month:02d}"
    if period == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return str(start.year)
