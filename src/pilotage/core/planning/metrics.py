"""Which registry metrics a plan or an objective may use, and how they add up over time."""

from __future__ import annotations

from typing import Literal

from pilotage.core.kpis.engine import FILTER_KEYS
from pilotage.core.kpis.measures import MEASURE_FACT
from pilotage.core.metrics.registry import METRICS, Metric

#: total: the metric over a window is the sum of its months (leads, pipeline); level: it is
#: read as a value at a time (a ratio, a stock, a distinct count) and is judged on the
#: deadline's month.
Aggregation = Literal["total", "level"]
Direction = Literal["at_least", "at_most"]

#: Metrics where less is better: a target on them is a ceiling.
LOWER_IS_BETTER = frozenset(
    {
        "cost",
        "paid_cost",
        "overhead_cost",
        "refunds",
        "cpc",
        "cpm",
        "cpl",
        "cpa",
        *(f"cpa_{kind}" for kind in ("signup", "lead", "mql", "sql", "opportunity", "purchase")),
        "cac_paid",
        "cac_blended",
        "cac_fully_loaded",
        "cac_payback_months",
        "customers_churned",
        "logo_churn",
        "detractors",
        "ces",
        "sales_cycle_days",
        "cycle_days_won",
        "lost_deals",
        "sourced_definition_gap",
    }
)


def measurable(metric_id: str) -> Metric | None:
    """The registry metric when the KPI engine computes it (every part is a measure of a
    fact), else None: only such a metric can be measured from the workspace."""
    metric = METRICS.get(metric_id)
    if metric is None or not metric.parts:
        return None
    if not all(p in MEASURE_FACT for p in metric.parts):
        return None
    return metric


def measurable_ids() -> list[str]:
    return [m for m in METRICS if measurable(m) is not None]


def aggregation_of(metric: Metric) -> Aggregation:
    return "total" if metric.kind == "additive" else "level"


def default_direction(metric_id: str) -> Direction:
    return "at_most" if metric_id in LOWER_IS_BETTER else "at_least"


def meets(value: float, target: float, direction: Direction) -> bool:
    return value >= target if direction == "at_least" else value <= target


def scope_problems(scope: dict[str, list[str]]) -> list[str]:
    """What is wrong with a scope (dimension -> values kept), in plain words."""
    problems = []
    for key, values in scope.items():
        if key not in FILTER_KEYS:
            problems.append(f"{key!r} is not a dimension (one of {', '.join(FILTER_KEYS)})")
        elif not values or any(not str(v).strip() for v in values):
            problems.append(f"the scope {key!r} needs at least one non-blank value")
    return problems
