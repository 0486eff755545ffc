"""Delays between funnel stages and touchpoint outcomes, as Ibis expressions (grouped in
the engine; only one row per step, slice and period comes back).

- Stage delays: for each consecutive pair of stages (lead -> MQL -> SQL -> opportunity ->
  customer), people who reached both, by the period they entered the first (the KPI
  engine's cohort) and by segment (read as the engine reads it): median days between them.
- Touchpoint outcomes: identified people touching a landing page, campaign or touch type
  in a period (their first such touch in it), and whether a conversion of theirs followed
  within ``window_days``: entrants, reached, and the median days to that conversion.
"""

from __future__ import annotations

import datetime
import itertools
from typing import Literal

import ibis
import ibis.expr.types as ir

from pilotage.core.kpis.facts.parties import with_party
from pilotage.core.kpis.facts.people import STAGES
from pilotage.core.kpis.periods import Dialect, Period, local_date, period_start, seconds_between

#: Consecutive funnel transitions: (step name, from stage, to stage).
TRANSITIONS: tuple[tuple[str, str, str], ...] = tuple(
    (f"{a[0]}→{b[0]}", a[0], b[0]) for a, b in itertools.pairwise(STAGES)
)
_COLUMN = {stage: column for stage, column, _ in STAGES}
TouchKind = Literal["landing_page", "campaign", "touch_type"]
TOUCH_KINDS: tuple[TouchKind, ...] = ("landing_page", "campaign", "touch_type")
_TOUCH_COLUMN = {
    "landing_page": "landing_page",
    "campaign": "campaign_id",
    "touch_type": "touch_type",
}
DAY_SECONDS = 86_400.0


def _transitions(people: ir.Table, accounts: ir.Table) -> ir.Table:
    """``step``, ``segment``, ``entered``, ``reached`` for every person and transition whose
    both stages are dated (in order)."""
    p = with_party(people, people, accounts)
    parts = [
        p.select(
            step=ibis.literal(step),
            segment=p.segment,
            entered=p[_COLUMN[a]],
            reached=p[_COLUMN[b]],
        )
        for step, a, b in TRANSITIONS
    ]
    every = ibis.union(*parts)
    return every.filter(
        every.entered.notnull() & every.reached.notnull() & (every.reached >= every.entered)
    )


def stage_delays(
    people: ir.Table,
    accounts: ir.Table,
    zone: str,
    dialect: Dialect,
    period: Period,
    by_segment: bool,
) -> ir.Table:
    """``step``, ``slice`` (segment, or "all"), ``period_start``, ``delay_days`` (median),
    ``people``."""
    t = _transitions(people, accounts)
    t = t.mutate(
        period_start=period_start(local_date(t.entered, zone, dialect), period),
        slice=t.segment if by_segment else ibis.literal("all"),
        days=seconds_between(t.reached, t.entered) / DAY_SECONDS,
    )
    return t.group_by(["step", "slice", "period_start"]).aggregate(
        delay_days=t.days.median(), people=t.count()
    )


def delay_quantiles(
    people: ir.Table,
    accounts: ir.Table,
    q: float,
    zone: str,
    dialect: Dialect,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> ir.Table:
    """``step``, ``median_days`` and ``late_days`` (the ``q`` quantile) over the people who
    entered the step on the local days [start, end]."""
    t = _transitions(people, accounts)
    day = local_date(t.entered, zone, dialect)
    if start is not None:
        t = t.filter(day >= start)
    if end is not None:
        t = t.filter(day <= end)
    t = t.mutate(days=seconds_between(t.reached, t.entered) / DAY_SECONDS)
    return t.group_by("step").aggregate(
        median_days=t.days.median(), late_days=t.days.quantile(q), people=t.count()
    )


def touch_outcomes(
    touchpoints: ir.Table,
    conversions: ir.Table,
    kind: TouchKind,
    window_days: int,
    zone: str,
    dialect: Dialect,
    period: Period,
) -> ir.Table:
    """``step`` (the landing page, campaign or touch type), ``period_start``, ``entrants``,
    ``reached``, ``delay_days`` (median, among those who reached)."""
    column = _TOUCH_COLUMN[kind]
    t = touchpoints.filter(touchpoints.person_id.notnull() & touchpoints[column].notnull())
    t = t.mutate(
        step=t[column].cast("string"),
        period_start=period_start(local_date(t.touched_at, zone, dialect), period),
    )
    first = t.group_by(["person_id", "step", "period_start"]).aggregate(first_at=t.touched_at.min())
    c = conversions.filter(conversions.person_id.notnull()).select(
        c_person="person_id", c_at="converted_at"
    )
    joined = first.left_join(
        c,
        (first.person_id == c.c_person)
        & (c.c_at >= first.first_at)
        & (c.c_at < first.first_at + ibis.interval(days=window_days)),
    )
    each = joined.group_by(["person_id", "step", "period_start", "first_at"]).aggregate(
        next_at=joined.c_at.min()
    )
    days = seconds_between(each.next_at, each.first_at) / DAY_SECONDS
    return each.group_by(["step", "period_start"]).aggregate(
        entrants=each.count(),
        reached=each.next_at.count(),
        delay_days=days.median(),
    )


def converters_becoming_customers(conversions: ir.Table, people: ir.Table) -> ir.Table:
    """One row: people with a conversion, and how many of them became customers."""
    who = conversions.filter(conversions.person_id.notnull()).select("person_id").distinct()
    p = people.select(c_person="person_id", c_customer="customer_at")
    j = who.left_join(p, who.person_id == p.c_person)
    return j.aggregate(
        converters=j.count(), customers=ibis.ifelse(j.c_customer.notnull(), 1, 0).sum()
    )
