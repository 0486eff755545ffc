"""Which way is good for a metric, and how serious a change is."""

from __future__ import annotations

from typing import Literal

from pilotage.core.governance.vocabulary import Direction, Severity

Polarity = Literal["higher", "lower", "neutral"]

#: Metrics where a rise is bad news: costs per result, losses, churn, delays.
LOWER_IS_BETTER = frozenset(
    {
        "cpa",
        "cpl",
        "cpc",
        "cpm",
        "cac_paid",
        "cac_blended",
        "cac_fully_loaded",
        "cac_payback_months",
        "refunds",
        "lost_deals",
        "customers_churned",
        "logo_churn",
        "detractors",
        "sales_cycle_days",
        "cycle_days_won",
    }
)
#: Spend is steered, not good or bad in itself; pacing judges it against the plan.
NEUTRAL = frozenset({"cost", "paid_cost", "overhead_cost", "sourced_definition_gap"})
#: Slices where more is worse whatever the metric (revenue nobody can explain).
INVERTED_SLICES = frozenset({"unattributed", "unallocated"})
#: A change this large (relative) in the bad direction is critical.
CRITICAL_CHANGE = 0.5


def polarity(metric_id: str, slice_value: str | None = None) -> Polarity:
    if metric_id in NEUTRAL:
        return "neutral"
    lower = metric_id in LOWER_IS_BETTER or metric_id.startswith("cpa_")
    if slice_value in INVERTED_SLICES:
        lower = not lower
    return "lower" if lower else "higher"


def is_bad(direction: Direction, side: Polarity) -> bool | None:
    """True when the move hurts, False when it helps, None when neither (spend)."""
    if side == "neutral":
        return None
    return (direction == "down") == (side == "higher")


def severity(direction: Direction, change: float | None, side: Polarity) -> Severity:
    """Critical: a bad move of half or more; warning: any other bad move, or a large move
    of a neutral metric; info: good news."""
    bad = is_bad(direction, side)
    size = abs(change) if change is not None else None
    large = size is None or size >= CRITICAL_CHANGE
    if bad is False:
        return "info"
    if bad is None:
        return "warning" if large else "info"
    return "critical" if large else "warning"
