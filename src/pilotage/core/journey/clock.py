"""Elapsed time between UTC instants, fast and exact on every engine.

``seconds_between`` (a microsecond ``delta``) is portable but goes through calendar
arithmetic: on DuckDB it is about fifty times slower than subtracting epoch microseconds,
which dominates a funnel over millions of events. DuckDB (``epoch_us``) and Spark
(``unix_micros``) count epoch microseconds natively; other engines keep the delta.
"""

from __future__ import annotations

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

from pilotage.core.kpis.periods import Dialect, seconds_between

_UTC = dt.Timestamp(timezone="UTC")


@ibis.udf.scalar.builtin(  # type: ignore[untyped-decorator]
    name="epoch_us", signature=((_UTC,), dt.int64)
)
def _epoch_us(ts: ir.TimestampValue) -> ir.IntegerValue:
    """DuckDB: microseconds since the epoch."""


@ibis.udf.scalar.builtin(  # type: ignore[untyped-decorator]
    name="unix_micros", signature=((_UTC,), dt.int64)
)
def _unix_micros(ts: ir.TimestampValue) -> ir.IntegerValue:
    """Spark: microseconds since the epoch."""


def elapsed(
    later: ir.TimestampValue, earlier: ir.TimestampValue, dialect: Dialect = "duckdb"
) -> ir.FloatingValue:
    """Seconds from ``earlier`` to ``later`` (negative when later is before), exact to
    the microsecond."""
    if dialect == "duckdb":
        micros = _epoch_us(later) - _epoch_us(earlier)
    elif dialect == "pyspark":
        micros = _unix_micros(later) - _unix_micros(earlier)
    else:
        return seconds_between(later, earlier)
    value: ir.FloatingValue = micros.cast("float64") / 1_000_000.0
    return value
