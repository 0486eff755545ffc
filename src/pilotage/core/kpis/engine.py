"""Plan a KPI query: for each fact a measure needs, the Ibis expressions of its rows
(grouped by the dimensions and period) and, where the rows cannot give it, of its total.

Pure: expressions only, no execution. A fact that cannot be sliced by a requested
dimension gives no rows (its measures read null there, never a wrong split) but still a
total; a fact that cannot be filtered by a requested filter gives nothing at all.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import ibis
import ibis.expr.types as ir

from pilotage.core.kpis.facts.base import Fact, FactBuilder, FactContext
from pilotage.core.kpis.measures import FACTS, MEASURE_FACT
from pilotage.core.kpis.periods import Period, add_months, period_spans, period_start
from pilotage.core.kpis.window import Window

#: Dimensions a KPI can be sliced by, in display order.
DIMENSIONS: tuple[str, ...] = (
    "channel",
    "campaign",
    "program",
    "initiative",
    "tier",
    "target",
    "segment",
    "country",
    "cohort",
    "conversion_type",
)
#: (English, French) name of each dimension.
DIMENSION_NAMES: dict[str, tuple[str, str]] = {
    "channel": ("Channel", "Canal"),
    "campaign": ("Campaign", "Campagne"),
    "program": ("Program", "Programme"),
    "initiative": ("Initiative", "Initiative"),
    "tier": ("Account tier", "Niveau de compte"),
    "target": ("Target account", "Compte cible"),
    "segment": ("Segment", "Segment"),
    "country": ("Country", "Pays"),
    "cohort": ("Acquisition cohort (month)", "Cohorte d'acquisition (mois)"),
    "conversion_type": ("Conversion type", "Type de conversion"),
}
#: Keys a query may filter on: the dimensions and ``account`` (row-level restrictions).
FILTER_KEYS: tuple[str, ...] = (*DIMENSIONS, "account")


@dataclass(frozen=True)
class KpiQuery:
    measures: tuple[str, ...]
    by: tuple[str, ...] = ()
    period: Period | None = None
    window: Window = field(default_factory=Window)
    #: key -> values kept (an empty tuple keeps nothing).
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = [m for m in self.measures if m not in MEASURE_FACT]
        if unknown:
            raise ValueError(f"no fact computes {unknown}")
        for name in (*self.by, *self.filters):
            if name not in FILTER_KEYS:
                raise ValueError(f"unknown dimension {name!r}")


@dataclass(frozen=True)
class FactPlan:
    """What to run for one fact: ``rows`` grouped by the query's keys (None: the fact
    cannot be sliced that way), ``total`` one row (None: the sum of ``rows`` is exact, or
    the fact cannot be filtered that way — then ``applicable`` is False)."""

    fact: str
    measures: tuple[str, ...]
    dims: frozenset[str]
    rows: ir.Table | None
    total: ir.Table | None
    applicable: bool


def plan(
    ctx: FactContext, query: KpiQuery, builders: Mapping[str, FactBuilder] = FACTS
) -> list[FactPlan]:
    """One plan per fact the query's measures need; ``builders`` may replace the facts'
    builders (a cache of materialised facts)."""
    needed: dict[str, list[str]] = {}
    for measure in query.measures:
        needed.setdefault(MEASURE_FACT[measure], []).append(measure)
    return [_plan_fact(ctx, query, name, tuple(ms), builders[name]) for name, ms in needed.items()]


def _plan_fact(
    ctx: FactContext,
    query: KpiQuery,
    name: str,
    measures: tuple[str, ...],
    builder: FactBuilder,
) -> FactPlan:
    probe = builder(_with_spans(ctx, query, whole=True))
    if any(key not in probe.dims for key in query.filters):
        return FactPlan(name, measures, probe.dims, None, None, applicable=False)
    sliceable = all(d in probe.dims for d in query.by)
    grouped = bool(query.by) or query.period is not None
    rows = None
    if sliceable and grouped:
        fact = builder(_with_spans(ctx, query, whole=False)) if probe.stock else probe
        rows = _aggregate(fact, measures, query, query.by, query.period)
    exact_sum = sliceable and not probe.stock and not _distinct(probe, measures)
    total = None if grouped and exact_sum else _aggregate(probe, measures, query, (), None)
    return FactPlan(name, measures, probe.dims, rows, total, applicable=True)


def _distinct(fact: Fact, measures: Sequence[str]) -> bool:
    return any(m in fact.distinct for m in measures)


def _with_spans(ctx: FactContext, query: KpiQuery, *, whole: bool) -> FactContext:
    """Spans for a stock fact: the whole window, or each period of it (a stock fact needs
    a closed window: the service fills open ends from the data)."""
    start, end = query.window.start, query.window.end
    if start is None or end is None:
        return ctx
    if whole or query.period is None:
        return replace(ctx, spans=((start, start, end),))
    return replace(ctx, spans=period_spans(start, end, query.period))


def _aggregate(
    fact: Fact,
    measures: Sequence[str],
    query: KpiQuery,
    by: Sequence[str],
    period: Period | None,
) -> ir.Table:
    t = fact.table
    if not fact.stock:
        if query.window.start is not None:
            t = t.filter(t.day >= query.window.start)
        if query.window.end is not None:
            t = t.filter(t.day <= query.window.end)
    for key, values in query.filters.items():
        t = t.filter(t[key].isin(list(values)) if values else ibis.literal(False))
    keys = list(by)
    if period is not None:
        if not fact.stock:
            t = t.mutate(period_start=period_start(t.day, period))
        keys.append("period_start")
    sums = {
        m: (t[fact.distinct[m]].nunique() if m in fact.distinct else t[m].sum()) for m in measures
    }
    return t.group_by(keys).aggregate(**sums) if keys else t.aggregate(**sums)


def data_bounds_needed(query: KpiQuery) -> bool:
    """True when a stock fact needs the window's open ends filled from the data."""
    stock = any(MEASURE_FACT[m] == "retention" for m in query.measures)
    return stock and (query.window.start is None or query.window.end is None)


def shifted(window: Window, days: int = 0, years: int = 0) -> Window:
    """``window`` moved back by ``days`` or ``years`` (for comparisons)."""

    def move(day: datetime.date | None) -> datetime.date | None:
        if day is None:
            return None
        return add_months(day, -12 * years) - datetime.timedelta(days=days)

    return Window(move(window.start), move(window.end))
