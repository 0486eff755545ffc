"""Retention cohorts as Ibis expressions.

A cohort member is an owner whose first ``start`` event (their birth) falls in the
period; their row is the acquisition period of the birth (or an attribute such as the
acquisition channel). Periods since birth are fixed lengths (day 1 d, week 7 d, month
30 d, as Amplitude does), counted from the birth instant; period 0 holds the birth.

A member's period k is observed only once it is over: ``horizon`` is the last complete
period of each member, and every cell counts only the members whose horizon reaches it.
The engine returns small tables of counts by (row, period, horizon); the retention modes
(N-day, unbounded, bracket), the revenue retention and the survival fitted by the sBG
are computed from them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Literal, get_args

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from pilotage.core.attribution.milestones import Level
from pilotage.core.journey.clock import elapsed
from pilotage.core.journey.events import (
    ATTRIBUTES,
    kept_owners,
    matched,
    owner_attributes,
    with_owner,
)
from pilotage.core.journey.steps import EventMatcher
from pilotage.core.kpis.facts.base import UNKNOWN, TableSource
from pilotage.core.kpis.periods import Dialect, Period, local_date, period_start
from pilotage.errors import UsageError

RetentionMode = Literal["n_day", "unbounded", "bracket"]
MODES: tuple[RetentionMode, ...] = get_args(RetentionMode)
Unit = Literal["day", "week", "month"]
UNITS: dict[Unit, int] = {"day": 86_400, "week": 7 * 86_400, "month": 30 * 86_400}
RowsBy = Literal["period", "channel", "segment", "tier", "country"]
ROWS_BY: tuple[RowsBy, ...] = get_args(RowsBy)
Measure = Literal["people", "revenue"]
MEASURES: tuple[Measure, ...] = get_args(Measure)
RevenueSource = Literal["orders", "subscriptions"]
REVENUE_SOURCES: tuple[RevenueSource, ...] = get_args(RevenueSource)
COHORT_GRAINS: tuple[Period, ...] = ("week", "month", "quarter", "year")
MAX_PERIODS = 60


@dataclass(frozen=True)
class RetentionSpec:
    start_event: EventMatcher
    return_event: EventMatcher
    level: Level = "person"
    unit: Unit = "month"
    #: Columns 0..periods.
    periods: int = 12
    mode: RetentionMode = "n_day"
    #: Inclusive (first, last) periods of each bracket column (mode ``bracket``).
    brackets: tuple[tuple[int, int], ...] = ()
    rows: RowsBy = "period"
    cohort_grain: Period = "month"
    measure: Measure = "people"
    revenue_source: RevenueSource = "orders"
    #: Birth days kept (local, inclusive).
    start: datetime.date | None = None
    end: datetime.date | None = None
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()
    as_of: datetime.datetime | None = None
    filter_map: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _one_of("mode", self.mode, MODES)
        _one_of("unit", self.unit, tuple(UNITS))
        _one_of("rows", self.rows, ROWS_BY)
        _one_of("cohort grain", self.cohort_grain, COHORT_GRAINS)
        _one_of("measure", self.measure, MEASURES)
        _one_of("revenue source", self.revenue_source, REVENUE_SOURCES)
        _one_of("level", self.level, ("person", "account"))
        if not 1 <= self.periods <= MAX_PERIODS:
            raise UsageError(
                f"{self.periods} periods is out of range", fix=f"use 1 to {MAX_PERIODS}"
            )
        if self.mode == "bracket":
            if not self.brackets:
                raise UsageError(
                    "bracket retention needs brackets", fix="give brackets such as 1-1,2-4,5-12"
                )
            previous = -1
            for first, last in self.brackets:
                if not previous < first <= last <= self.periods:
                    raise UsageError(
                        f"bracket {first}-{last} is not after the one before, within "
                        f"0-{self.periods}",
                        fix="give increasing, non-overlapping FIRST-LAST periods",
                    )
                previous = last
        elif self.brackets:
            raise UsageError("brackets are for mode bracket", fix="add mode bracket")
        if self.measure == "revenue" and self.mode != "n_day":
            raise UsageError("revenue retention is per period (mode n_day)", fix="use mode n_day")
        if self.revenue_source == "subscriptions" and self.level != "account":
            raise UsageError("subscriptions belong to accounts", fix="use level account, or orders")
        if self.start and self.end and self.start > self.end:
            raise UsageError(
                f"start {self.start} is after end {self.end}",
                fix="give a start date on or before the end date",
            )
        filters = {}
        for key, values in self.filters:
            _one_of("filter", key, ATTRIBUTES)
            filters[key] = tuple(sorted(set(values)))
        object.__setattr__(self, "filter_map", filters)

    @property
    def seconds(self) -> int:
        return UNITS[self.unit]


def _one_of(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise UsageError(f"unknown {name} {value!r}", fix=f"use one of: {', '.join(allowed)}")


def members(
    tables: TableSource,
    spec: RetentionSpec,
    data_end: datetime.datetime,
    zone: str,
    dialect: Dialect = "duckdb",
) -> ir.Table:
    """One row per cohort member: owner, birth, row (the cohort row's key), horizon
    (last complete period, -1 if none yet)."""
    births = matched(tables, spec.start_event, spec.level)
    births = births.group_by("owner").aggregate(birth=births.at.min())
    day = local_date(births.birth, zone, dialect)
    births = births.mutate(day=day)
    if spec.start is not None:
        births = births.filter(births.day >= spec.start)
    if spec.end is not None:
        births = births.filter(births.day <= spec.end)
    kept = kept_owners(tables, spec.level, spec.filter_map)
    if kept is not None:
        births = births.semi_join(kept, births.owner == kept.k_owner)
    end = ibis.literal(data_end, type="timestamp('UTC')")
    waited = elapsed(end, births.birth, dialect)
    births = births.mutate(horizon=(waited / spec.seconds).floor().cast("int64") - 1)
    if spec.rows == "period":
        row = period_start(births.day, spec.cohort_grain).strftime("%Y-%m-%d")
        return births.select("owner", "birth", "horizon", row=row)
    attrs = owner_attributes(tables, spec.level)
    found = attrs.select(a_owner=attrs.owner, a_value=attrs[spec.rows])
    j = births.left_join(found, births.owner == found.a_owner)
    return j.select("owner", "birth", "horizon", row=j.a_value.fill_null(UNKNOWN))


def activity(
    tables: TableSource, spec: RetentionSpec, cohort: ir.Table, dialect: Dialect = "duckdb"
) -> ir.Table:
    """Distinct (owner, row, horizon, period) of every member's return events within
    their complete periods; the birth counts as activity in period 0."""
    ev = matched(tables, spec.return_event, spec.level).rename(e_owner="owner", e_at="at")
    j = cohort.join(ev, cohort.owner == ev.e_owner)
    since = elapsed(j.e_at, j.birth, dialect)
    j = j.mutate(period=(since / spec.seconds).floor().cast("int64"))
    # Not capped at the table's columns: the last active period feeds the survival curve.
    j = j.filter((since >= 0) & (j.period <= j.horizon))
    returns = j.select("owner", "row", "horizon", "period")
    seen = cohort.filter(cohort.horizon >= 0)
    born = seen.select("owner", "row", "horizon", period=ibis.literal(0, type="int64"))
    return ibis.union(returns, born, distinct=True)


def horizons(cohort: ir.Table) -> ir.Table:
    """Members by (row, horizon): row, horizon, members."""
    return cohort.group_by(["row", "horizon"]).aggregate(members=cohort.count())


def active(act: ir.Table, periods: int) -> ir.Table:
    """Members active by (row, period <= periods), each counted once: row, period,
    members (their horizon reaches the period by construction)."""
    a = act.filter(act.period <= periods)
    return a.group_by(["row", "period"]).aggregate(members=a.owner.nunique())


def in_brackets(act: ir.Table, brackets: tuple[tuple[int, int], ...]) -> ir.Table:
    """Members active at least once in each bracket: row, bracket (index), horizon,
    members."""
    bracket = ibis.cases(
        *((act.period.between(first, last), i) for i, (first, last) in enumerate(brackets)),
        else_=-1,
    )
    a = act.mutate(bracket=bracket)
    a = a.filter(a.bracket >= 0)
    return a.group_by(["row", "bracket", "horizon"]).aggregate(members=a.owner.nunique())


def lasts(act: ir.Table) -> ir.Table:
    """Members by (row, last active period, horizon): the unbounded retention and the
    survival the sBG is fitted on. Columns: row, last, horizon, members."""
    per = act.group_by(["owner", "row", "horizon"]).aggregate(last=act.period.max())
    return per.group_by(["row", "last", "horizon"]).aggregate(members=per.count())


def revenue(
    tables: TableSource, spec: RetentionSpec, cohort: ir.Table, dialect: Dialect = "duckdb"
) -> ir.Table:
    """Revenue of the members by (row, period, horizon): order amounts booked in each
    period, or the MRR of the subscriptions active at each period's start.
    Columns: row, period, horizon, amount."""
    if spec.revenue_source == "subscriptions":
        s = tables["subscriptions"]
        subs = s.select(s_owner=s.account_id, s_start=s.started_at, s_end=s.ended_at, mrr=s.mrr)
        j = cohort.join(subs, cohort.owner == subs.s_owner)
        offsets = ibis.memtable(pa.table({"period": list(range(spec.periods + 1))}))
        x = j.cross_join(offsets)
        at = elapsed(x.s_start, x.birth, dialect)
        moment = x.period * spec.seconds
        ended = elapsed(x.s_end, x.birth, dialect)
        live = (at <= moment) & (x.s_end.isnull() | (ended > moment))
        x = x.filter(live & (x.period <= x.horizon + 1))
        return x.group_by(["row", "period", "horizon"]).aggregate(
            amount=x.mrr.cast("float64").sum()
        )
    o = with_owner(tables["orders"], tables["people"], spec.level)
    orders = o.select(o_owner=o.owner, o_at=o.ordered_at, o_amount=o.amount)
    j = cohort.join(orders, cohort.owner == orders.o_owner)
    since = elapsed(j.o_at, j.birth, dialect)
    j = j.mutate(period=(since / spec.seconds).floor().cast("int64"))
    j = j.filter((since >= 0) & (j.period <= j.horizon) & (j.period <= spec.periods))
    return j.group_by(["row", "period", "horizon"]).aggregate(
        amount=j.o_amount.cast("float64").sum()
    )
