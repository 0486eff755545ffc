"""Cost, last-touch revenue, ROI and ROAS by channel or campaign and period.

The set-based part is an Ibis expression (it runs where the data lives: DuckDB by default,
a warehouse at scale); it uses joins and row_number windows only, which compile on every
supported engine. Ratios are then recomputed from the summed parts of each row and total.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import ibis
import ibis.expr.types as ir

from pilotage.core.kpis.periods import Dialect, Period, local_date, period_start
from pilotage.core.metrics.registry import safe_ratio

Dimension = Literal["channel", "campaign_id"]
#: Channel shown for revenue with no touch in the lookback window.
UNATTRIBUTED = "unattributed"


@dataclass(frozen=True)
class Window:
    """Inclusive local calendar days; None means open-ended."""

    start: datetime.date | None = None
    end: datetime.date | None = None

    def __post_init__(self) -> None:
        if self.start and self.end and self.start > self.end:
            raise ValueError(f"start {self.start} is after end {self.end}")


def last_touch_orders(orders: ir.Table, touchpoints: ir.Table, lookback_days: int) -> ir.Table:
    """One row per order with the channel and campaign of the last touch at or before it.

    An order is matched on its person when it has one, else on its account. Touches after
    the order never count; touches older than ``lookback_days`` neither. Ties at the same
    instant are broken by channel then campaign so that the result is deterministic.
    Columns: order_id, ordered_at, amount, channel (null if unattributed), campaign_id.
    """
    o = orders.select(
        "order_id",
        "ordered_at",
        "amount",
        match=ibis.ifelse(
            orders.person_id.notnull(), "p:" + orders.person_id, "a:" + orders.account_id
        ),
    )
    keep = ("touched_at", "channel", "campaign_id")
    by_person = touchpoints.filter(touchpoints.person_id.notnull()).select(
        *keep, match="p:" + touchpoints.person_id
    )
    by_account = touchpoints.filter(touchpoints.account_id.notnull()).select(
        *keep, match="a:" + touchpoints.account_id
    )
    touches = by_person.union(by_account)
    joined = o.join(
        touches,
        [
            o.match == touches.match,
            touches.touched_at <= o.ordered_at,
            touches.touched_at >= o.ordered_at - ibis.interval(days=lookback_days),
        ],
    )
    ranked = joined.mutate(
        rank=ibis.row_number().over(
            group_by=joined.order_id,
            order_by=[
                ibis.desc(joined.touched_at),
                joined.channel,
                joined.campaign_id.fill_null(""),
            ],
        )
    )
    last = ranked.filter(ranked["rank"] == 0).select("order_id", "channel", "campaign_id")
    return o.left_join(last, "order_id").select(
        "order_id", "ordered_at", "amount", "channel", "campaign_id"
    )


def cost_and_revenue(
    spend: ir.Table,
    attributed_orders: ir.Table,
    dims: Sequence[Dimension],
    period: Period | None,
    zone: str,
    window: Window,
    dialect: Dialect = "duckdb",
) -> ir.Table:
    """Summed cost and revenue per dimension values (and period start when ``period``).

    Columns: the dims, ``period_start`` when a period is asked, ``cost``, ``revenue``.
    Unattributed revenue appears under channel ``unattributed``.
    """
    day = local_date(attributed_orders.ordered_at, zone, dialect)
    revenue = attributed_orders.mutate(
        day=day, channel=attributed_orders.channel.fill_null(UNATTRIBUTED)
    )
    cost = spend.mutate(day=spend.date)
    revenue = _within(revenue, window)
    cost = _within(cost, window)
    keys: list[str] = list(dims)
    if period is not None:
        revenue = revenue.mutate(period_start=period_start(revenue.day, period))
        cost = cost.mutate(period_start=period_start(cost.day, period))
        keys.append("period_start")
    cost_sums = cost.group_by(keys).aggregate(cost=cost.cost.sum())
    revenue_sums = revenue.group_by(keys).aggregate(revenue=revenue.amount.cast("float64").sum())
    if not keys:
        return cost_sums.cross_join(revenue_sums)
    joined = cost_sums.outer_join(revenue_sums, keys)
    coalesced = {k: ibis.coalesce(joined[k], joined[f"{k}_right"]) for k in keys}
    return joined.select(
        **coalesced,
        cost=joined.cost.fill_null(0.0),
        revenue=joined.revenue.fill_null(0.0),
    )


def _within(table: ir.Table, window: Window) -> ir.Table:
    if window.start is not None:
        table = table.filter(table.day >= window.start)
    if window.end is not None:
        table = table.filter(table.day <= window.end)
    return table


def with_ratios(cost: float, revenue: float) -> dict[str, float | None]:
    """The ratio metrics of one row, recomputed from its summed parts."""
    return {
        "roi": safe_ratio(revenue - cost, cost),
        "roas": safe_ratio(revenue, cost),
    }
