"""KPI use cases: read the store, compute in core, return result objects."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Literal

from pilotage.core.kpis.channel_roi import (
    Window,
    cost_and_revenue,
    last_touch_orders,
    with_ratios,
)
from pilotage.core.kpis.periods import Period, period_label
from pilotage.core.kpis.slices import (
    credited_in_channels,
    orderers,
    orders_of,
    spend_in_channels,
)
from pilotage.core.metrics.registry import METRICS
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.errors import UsageError
from pilotage.services.results import KpiTable, MetricInfo
from pilotage.services.tables import StoredTables

By = Literal["channel", "campaign"]
Lang = Literal["en", "fr"]
CHANNEL_KPIS = ("cost", "revenue", "roi", "roas")


def check_window(start: datetime.date | None, end: datetime.date | None) -> Window:
    try:
        return Window(start, end)
    except ValueError as exc:
        raise UsageError(str(exc), fix="give a start date on or before the end date") from exc


def channel_kpis(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    *,
    by: By = "channel",
    period: Period | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    lang: Lang = "en",
    channels: Sequence[str] = (),
    segments: Sequence[str] = (),
    countries: Sequence[str] | None = None,
    account_ids: Sequence[str] | None = None,
) -> KpiTable:
    """Cost, last-touch revenue, ROI and ROAS by channel or campaign (and period).

    ``channels`` keeps the spend of those channels and the revenue credited to them;
    ``segments`` keeps the revenue of orders placed by people (or accounts) of those
    segments. Spend has no segment: with ``segments`` cost, ROI and ROAS are null (not
    the whole cost set against a slice of revenue) and ``cost_sliced`` says so.
    ``countries`` and ``account_ids`` (a user's restriction; None: unrestricted) keep the
    revenue of orderers of those countries or accounts and hide cost the same way.
    """
    if by not in ("channel", "campaign"):
        raise UsageError(f"cannot group by {by!r}", fix="use --by channel or --by campaign")
    window = check_window(start, end)
    tables = StoredTables(store)
    attributed = last_touch_orders(tables["orders"], tables["touchpoints"], settings.lookback_days)
    attributed = credited_in_channels(attributed, channels)
    has_cost = not segments and countries is None and account_ids is None
    if not has_cost:
        who = orderers(tables["orders"], tables["people"], tables["accounts"])
        attributed = orders_of(attributed, who, segments, countries, account_ids)
    dims: tuple[Literal["channel", "campaign_id"], ...] = (
        ("channel",) if by == "channel" else ("channel", "campaign_id")
    )
    spend = spend_in_channels(tables["spend"], channels)
    expr = cost_and_revenue(spend, attributed, dims, period, settings.timezone, window)
    rows: list[dict[str, object]] = []
    total_cost = total_revenue = 0.0
    for rec in tables.rows(expr):
        row: dict[str, object] = {d: rec[d] for d in dims}
        if period is not None:
            row["period"] = period_label(_day(rec["period_start"]), period)
        cost, revenue = _amount(rec["cost"]), _amount(rec["revenue"])
        if not has_cost and not revenue:
            continue  # a row that only carried (hidden) cost
        total_cost += cost
        total_revenue += revenue
        row |= _values(cost, revenue, has_cost)
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
        totals=_values(total_cost, total_revenue, has_cost),
        channels=sorted(channels),
        segments=sorted(segments),
        cost_sliced=has_cost,
    )


def _values(cost: float, revenue: float, has_cost: bool) -> dict[str, float | None]:
    if not has_cost:
        return {"cost": None, "revenue": revenue, "roi": None, "roas": None}
    return {"cost": cost, "revenue": revenue, **with_ratios(cost, revenue)}


def _amount(value: object) -> float:
    assert isinstance(value, int | float)
    return float(value)


def _day(value: object) -> datetime.date:
    assert isinstance(value, datetime.date)
    return value


def _row_order(row: dict[str, object]) -> tuple[str, float, float, str]:
    """Periods in time order, then the biggest spenders (or earners) first."""
    cost, revenue = row["cost"], row["revenue"]
    spent = cost if isinstance(cost, float) else 0.0
    earned = revenue if isinstance(revenue, float) else 0.0
    return (str(row.get("period", "")), -spent, -earned, str(row["channel"]))
