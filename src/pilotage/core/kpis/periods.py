"""Calendar periods in the workspace's time zone (weeks are ISO weeks starting Monday)."""

from __future__ import annotations

import calendar
import datetime
from typing import Literal

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

Period = Literal["day", "week", "month", "quarter", "year"]

_TRUNC_UNIT = {"day": "D", "week": "W", "month": "M", "quarter": "Q", "year": "Y"}


#: Engines whose SQL the KPI expressions are written for (ibis backend / dialect names).
Dialect = Literal["duckdb", "postgres", "pyspark", "bigquery", "snowflake"]
_UTC = dt.Timestamp(timezone="UTC")


# Each engine names "this UTC instant as wall-clock time in a zone" differently; ibis 12 has
# no portable operation for it, so each is declared as the engine's own built-in function.
@ibis.udf.scalar.builtin(  # type: ignore[untyped-decorator]
    name="timezone", signature=((dt.string, _UTC), dt.Timestamp())
)
def _timezone(zone: str, ts: ir.TimestampValue) -> ir.TimestampValue:
    """DuckDB and PostgreSQL: timezone(zone, ts)."""


@ibis.udf.scalar.builtin(  # type: ignore[untyped-decorator]
    name="from_utc_timestamp", signature=((_UTC, dt.string), dt.Timestamp())
)
def _from_utc_timestamp(ts: ir.TimestampValue, zone: str) -> ir.TimestampValue:
    """Spark: from_utc_timestamp(ts, zone), with the session time zone set to UTC."""


@ibis.udf.scalar.builtin(  # type: ignore[untyped-decorator]
    name="datetime", signature=((_UTC, dt.string), dt.Timestamp())
)
def _bigquery_datetime(ts: ir.TimestampValue, zone: str) -> ir.TimestampValue:
    """BigQuery: DATETIME(ts, zone)."""


@ibis.udf.scalar.builtin(  # type: ignore[untyped-decorator]
    name="convert_timezone", signature=((dt.string, dt.string, _UTC), dt.Timestamp())
)
def _convert_timezone(source: str, zone: str, ts: ir.TimestampValue) -> ir.TimestampValue:
    """Snowflake: CONVERT_TIMEZONE('UTC', zone, ts)."""


def local_date(ts: ir.TimestampValue, zone: str, dialect: Dialect = "duckdb") -> ir.DateValue:
    """Calendar day in ``zone`` of a UTC timestamp, in the SQL of ``dialect``."""
    local: ir.TimestampValue
    if dialect in ("duckdb", "postgres"):
        local = _timezone(zone, ts)
    elif dialect == "pyspark":
        local = _from_utc_timestamp(ts, zone)
    elif dialect == "bigquery":
        local = _bigquery_datetime(ts, zone)
    elif dialect == "snowflake":
        local = _convert_timezone("UTC", zone, ts)
    else:
        raise ValueError(f"no local-time rule for engine {dialect!r}")
    return local.date()


def seconds_between(later: ir.TimestampValue, earlier: ir.TimestampValue) -> ir.FloatingValue:
    """Exact elapsed seconds (microsecond precision) on every engine: ``epoch_seconds``
    keeps fractions on DuckDB but truncates them on Spark."""
    micros: ir.IntegerValue = later.delta(earlier, unit="microsecond")
    return micros.cast("float64") / 1_000_000.0


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


def period_spans(
    start: datetime.date, end: datetime.date, period: Period
) -> tuple[tuple[datetime.date, datetime.date, datetime.date], ...]:
    """(period's first day, first day kept, last day kept) of every period that meets the
    inclusive window [start, end], clipped to it."""
    spans = []
    key = _first_day(start, period)
    while key <= end:
        following = _next_first_day(key, period)
        spans.append((key, max(key, start), min(following - datetime.timedelta(days=1), end)))
        key = following
    return tuple(spans)


def _first_day(day: datetime.date, period: Period) -> datetime.date:
    if period == "day":
        return day
    if period == "week":
        return day - datetime.timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    if period == "quarter":
        return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return datetime.date(day.year, 1, 1)


def _next_first_day(first: datetime.date, period: Period) -> datetime.date:
    if period == "day":
        return first + datetime.timedelta(days=1)
    if period == "week":
        return first + datetime.timedelta(days=7)
    return add_months(first, {"month": 1, "quarter": 3, "year": 12}[period])


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` moved by ``months`` (negative: back), kept within the month it lands in
    (31 March - 1 month = 28 or 29 February; 29 February + 12 months = 28 February)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))
