"""KPI use cases: read the store, compute in core, return result objects."""

from __future__ import annotations

import datetime
from typing import Literal

import ibis
import ibis.expr.types as ir

from pilotage.core.kpis.channel_roi import (
    Window,
    cost_and_revenue,
    last_touch_orders,
    with_ratios,
)
from pilotage.core.kpis.periods import Period, period_label
from pilotage.core.metrics.registry import METRICS
from pilotage.data.schema import TABLES, arrow_schema
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.errors import UsageError
from pilotage.services.results import KpiTable, MetricInfo

By = Literal["channel", "campaign"]
Lang = Literal["en", "fr"]
CHANNEL_KPIS = ("cost", "revenue", "roi", "roas")


def _table(store: AnalyticsStore, backend: ibis.BaseBackend, name: str) -> ir.Table:
    """The stored table, or an empty one with the canonical columns when nothing is loaded."""
    if store.table_exists(name):
        return backend.table(name)
    return ibis.memtable(arrow_schema(TABLES[name]).empty_table())


def channel_kpis(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    *,
    by: By = "channel",
    period: Period | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    lang: Lang = "en",
) -> KpiTable:
    """Cost, last-touch revenue, ROI and ROAS by channel or campaign (and period)."""
    if by not in ("channel", "campaign"):
        raise UsageError(f"cannot group by {by!r}", fix="use --by channel or --by campaign")
    try:
        window = Window(start, end)
    except ValueError as exc:
        raise UsageError(str(exc), fix="give a start date on or before the end date") from exc
    backend = ibis.duckdb.from_connection(store.con)
    attributed = last_touch_orders(
        _table(store, backend, "orders"),
        _table(store, backend, "touchpoints"),
        settings.lookback_days,
    )
    dims: tuple[Literal["channel", "campaign_id"], ...] = (
        ("channel",) if by == "channel" else ("channel", "campaign_id")
    )
    expr = cost_and_revenue(
        _table(store, backend, "spend"), attributed, dims, period, settings.timezone, window
    )
    rows: list[dict[str, object]] = []
    total_cost = total_revenue = 0.0
    for rec in backend.to_pyarrow(expr).to_pylist():
        row: dict[str, object] = {d: rec[d] for d in dims}
        if period is not None:
            row["period"] = period_label(rec["period_start"], period)
        cost, revenue = float(rec["cost"]), float(rec["revenue"])
        total_cost += cost
        total_revenue += revenue
        row |= {"cost": cost, "revenue": revenue, **with_ratios(cost, revenue)}
        rows.append(row)
    rows.sort(key=_row_order)
    return KpiTable(
        metrics=[MetricInfo.of(METRICS[m], lang) for m in CHANNEL_KPIS],
        dimensions=list(dims) + (["period"] if period else []),
        period=period,
        currency=settings.reporting_currency,
        attribution="last_touch",
        lookback_days=settings.lookback_days,
        start=start,
        end=end,
        rows=rows,
        totals={
            "cost": total_cost,
            "revenue": total_revenue,
            **with_ratios(total_cost, total_revenue),
        },
    )


def _row_order(row: dict[str, object]) -> tuple[str, float, str]:
    """Periods in time order, then the biggest spenders first."""
    cost = row["cost"]
    assert isinstance(cost, float)
    return (str(row.get("period", "")), -cost, str(row["channel"]))
