"""The sufficient statistics of every variant as one Ibis expression: the engine (DuckDB,
Spark, a warehouse) sums unit rows and aggregate rows in one pass, so no unit row ever
leaves it. Rows with a ``unit_id`` are units; rows without are aggregates (``units``
units, ``conversions``, ``value_sum``, ``value_sum_squares``).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import ibis
import ibis.expr.types as ir

from pilotage.core.experiments.statistics import VariantSums

#: Column -> Ibis type, for files and stores that lack an optional column.
COLUMN_TYPES: dict[str, str] = {
    "unit_id": "string",
    "units": "int64",
    "converted": "float64",
    "value": "float64",
    "pre_value": "float64",
    "conversions": "float64",
    "value_sum": "float64",
    "value_sum_squares": "float64",
    "planned_share": "float64",
}


_NUMBERS = (
    "converted",
    "value",
    "pre_value",
    "conversions",
    "value_sum",
    "value_sum_squares",
    "planned_share",
)


def _zero(value: ir.NumericValue) -> ir.NumericValue:
    return value.fill_null(0)


def variant_sums(table: ir.Table, order: ir.NumericValue | None = None) -> ir.Table:
    """One row per (experiment_id, variant) with the fields of :class:`VariantSums`, plus
    ``bad_units`` (aggregate rows with more conversions than units) and ``non_binary``
    (unit rows whose ``converted`` is not 0 or 1). ``order``: a row position, for the
    default control (first variant in the file)."""
    # Warehouses often hold decimals: every number is summed as a double.
    t = table.mutate(
        **{name: table[name].cast("float64") for name in _NUMBERS if name in table.columns}
    )
    unit = t.unit_id.notnull()
    units = t.units.cast("float64")
    c = _zero(t.converted)
    v = _zero(t.value)
    x = t.pre_value
    with_x = unit & x.notnull()
    conv_agg = _zero(t.conversions)
    count_sq_agg = ibis.ifelse(units > 0, conv_agg + conv_agg * conv_agg / units, 0.0)

    def pick(on_unit: ir.Value, on_agg: ir.Value) -> ir.NumericValue:
        return ibis.ifelse(unit, on_unit, on_agg)

    def when_x(value: ir.NumericValue) -> ir.NumericValue:
        return ibis.ifelse(with_x, value, 0.0)

    metrics = {
        "units": pick(1.0, _zero(units)).sum(),
        "unit_rows": unit.cast("float64").sum(),
        "conv": pick(c, conv_agg).sum(),
        "conv_sq": pick(c * c, conv_agg).sum(),
        "count_sq": pick(c * c, count_sq_agg).sum(),
        "value": pick(v, _zero(t.value_sum)).sum(),
        "value_sq": pick(v * v, _zero(t.value_sum_squares)).sum(),
        "conv_value": pick(c * v, _zero(t.value_sum)).sum(),
        "conv_rows": pick(t.converted.notnull(), t.conversions.notnull()).cast("float64").sum(),
        "value_rows": pick(t.value.notnull(), t.value_sum.notnull()).cast("float64").sum(),
        "value_sq_rows": pick(t.value.notnull(), t.value_sum_squares.notnull())
        .cast("float64")
        .sum(),
        "pre_units": with_x.cast("float64").sum(),
        "pre": when_x(x).sum(),
        "pre_sq": when_x(x * x).sum(),
        "pre_conv": when_x(x * c).sum(),
        "pre_value": when_x(x * v).sum(),
        "conv_with_pre": when_x(c).sum(),
        "value_with_pre": when_x(v).sum(),
        "planned_share": t.planned_share.max(),
        "planned_rows": t.planned_share.notnull().cast("float64").sum(),
        "bad_units": (~unit & (conv_agg > _zero(units))).cast("float64").sum(),
        "non_binary": (unit & (c != 0) & (c != 1)).cast("float64").sum(),
        "first_exposure": t.exposed_at.min(),
        "last_exposure": t.exposed_at.max(),
    }
    if order is not None:
        metrics["order"] = order.min().cast("float64")
    return t.group_by("experiment_id", "variant").aggregate(**metrics)


SUM_FIELDS = (
    "units",
    "conv",
    "conv_sq",
    "count_sq",
    "value",
    "value_sq",
    "conv_value",
    "conv_rows",
    "value_rows",
    "value_sq_rows",
    "unit_rows",
    "pre_units",
    "pre",
    "pre_sq",
    "pre_conv",
    "pre_value",
    "conv_with_pre",
    "value_with_pre",
)


def to_sums(row: Mapping[str, object], order: float) -> VariantSums:
    """A row of :func:`variant_sums` as VariantSums (an empty sum reads as zero)."""

    def num(name: str) -> float:
        value = row.get(name)
        return float(value) if isinstance(value, int | float | Decimal) else 0.0

    share = row.get("planned_share")
    return VariantSums(
        variant=str(row["variant"]),
        planned_share=float(share) if isinstance(share, int | float) else None,
        order=order,
        **{name: num(name) for name in SUM_FIELDS},
    )


def with_optional_columns(table: ir.Table) -> ir.Table:
    """``table`` with every optional experiments column (null where absent)."""
    missing = {
        name: ibis.null().cast(kind)
        for name, kind in COLUMN_TYPES.items()
        if name not in table.columns
    }
    if "exposed_at" not in table.columns:
        missing["exposed_at"] = ibis.null().cast("timestamp")
    return table.mutate(**missing) if missing else table
