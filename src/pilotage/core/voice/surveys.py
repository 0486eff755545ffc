"""Survey score parts by slices the KPI engine has no dimension for (journey stage,
acquisition channel): the engine's own survey fact, run on the answers of one slice at a
time, so the counts and the scores' definitions stay the engine's. Plus the sum of squared
CES scores, the one part an interval needs that the engine does not sum."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import replace

import ibis
import ibis.expr.types as ir

from pilotage.core.kpis.facts.base import FactContext, TableSource
from pilotage.core.kpis.facts.parties import with_party
from pilotage.core.kpis.facts.people import surveys_fact
from pilotage.core.kpis.periods import Period, local_date, period_start

#: The measures of the engine's survey fact, summed per slice.
SURVEY_PARTS = (
    "nps_responses",
    "promoters",
    "detractors",
    "csat_responses",
    "csat_satisfied",
    "ces_responses",
    "ces_total",
)
UNKNOWN = "unknown"


class _OneSlice:
    """The tables with only the survey answers of one slice value."""

    def __init__(self, tables: TableSource, keep: Callable[[ir.Table], ir.BooleanValue]):
        self._tables = tables
        self._keep = keep

    def __getitem__(self, name: str) -> ir.Table:
        table = self._tables[name]
        return table.filter(self._keep(table)) if name == "surveys" else table


def stage_keep(value: str) -> Callable[[ir.Table], ir.BooleanValue]:
    def keep(s: ir.Table) -> ir.BooleanValue:
        return s.journey_stage.fill_null(UNKNOWN) == value

    return keep


def channel_keep(value: str, people: ir.Table) -> Callable[[ir.Table], ir.BooleanValue]:
    """Answers of people acquired through ``value`` (``unknown``: no known channel)."""
    known = people.filter(people.acquisition_channel.notnull())

    def keep(s: ir.Table) -> ir.BooleanValue:
        if value == UNKNOWN:
            return ~s.person_id.isin(known.person_id) | s.person_id.isnull()
        chosen = known.filter(known.acquisition_channel == value)
        return s.person_id.isin(chosen.person_id)

    return keep


def slice_parts(
    ctx: FactContext,
    keep: Callable[[ir.Table], ir.BooleanValue],
    start: datetime.date | None,
    end: datetime.date | None,
) -> ir.Table:
    """One row: the survey fact's measures summed over the answers ``keep`` selects."""
    fact = surveys_fact(replace(ctx, tables=_OneSlice(ctx.tables, keep))).table
    if start is not None:
        fact = fact.filter(fact.day >= start)
    if end is not None:
        fact = fact.filter(fact.day <= end)
    return fact.aggregate(**{m: fact[m].sum() for m in SURVEY_PARTS})


def ces_squares(
    ctx: FactContext,
    by: str,
    start: datetime.date | None,
    end: datetime.date | None,
    period: Period = "month",
) -> ir.Table:
    """``key`` and ``ces_squares`` (sum of squared CES scores) per value of ``by``:
    segment (as the engine reads it), journey_stage, channel (acquisition channel), period
    (its first day) or anything else (one row, key "all")."""
    t = ctx.tables
    s = with_party(t["surveys"], t["people"], t["accounts"])
    s = s.filter(s.survey_type == "ces").mutate(
        day=local_date(s.answered_at, ctx.zone, ctx.dialect)
    )
    if start is not None:
        s = s.filter(s.day >= start)
    if end is not None:
        s = s.filter(s.day <= end)
    if by == "channel":
        people = t["people"].select(c_person="person_id", c_channel="acquisition_channel")
        s = s.left_join(people, s.person_id == people.c_person)
        key = s.c_channel.fill_null(UNKNOWN)
    elif by == "journey_stage":
        key = s.journey_stage.fill_null(UNKNOWN)
    elif by == "segment":
        key = s.segment
    elif by == "period":
        key = period_start(s.day, period).cast("string")
    else:
        key = ibis.literal("all")
    s = s.mutate(key=key, square=s.score * s.score)
    return s.group_by("key").aggregate(ces_squares=s.square.sum())


def slice_values(surveys: ir.Table, people: ir.Table, by: str) -> ir.Table:
    """``key`` and ``answers`` for every journey stage or acquisition channel answering."""
    if by == "channel":
        p = people.select(c_person="person_id", c_channel="acquisition_channel")
        j = surveys.left_join(p, surveys.person_id == p.c_person)
        keyed = j.mutate(key=j.c_channel.fill_null(UNKNOWN))
    else:
        keyed = surveys.mutate(key=surveys.journey_stage.fill_null(UNKNOWN))
    return keyed.group_by("key").aggregate(answers=keyed.count())
