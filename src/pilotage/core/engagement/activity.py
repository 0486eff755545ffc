"""Product activity as Ibis expressions: who was active on which local day, and with which
event. Set-based and engine-neutral (DuckDB, Spark, ...): only group-bys, joins and
distinct counts, so the counts stay in the warehouse and only small tables come back."""

from __future__ import annotations

import datetime
from typing import Literal

import ibis
import ibis.expr.types as ir

from pilotage.core.kpis.periods import Dialect, Period, local_date, period_start

#: Who counts as an active user: a person, or an account (a company, all its users).
Unit = Literal["person", "account"]
UNITS: tuple[Unit, ...] = ("person", "account")


def activity(
    events: ir.Table,
    people: ir.Table,
    unit: Unit,
    zone: str,
    dialect: Dialect,
    *,
    feature: str = "event",
) -> ir.Table:
    """One row per product event of a known unit: ``unit_id``, ``feature`` (the event name,
    or the value of another event column such as a ``feature`` property), ``at`` (UTC) and
    ``day`` (local). An account-level unit takes the event's account, else its person's."""
    if unit == "person":
        who: ir.StringValue = events.person_id
        source = events
    else:
        owners = people.select(o_person="person_id", o_account="account_id")
        source = events.left_join(owners, events.person_id == owners.o_person)
        who = ibis.coalesce(source.account_id, source.o_account)
    rows = source.select(
        unit_id=who,
        feature=source[feature].cast("string"),
        at=source.occurred_at,
        day=local_date(source.occurred_at, zone, dialect),
    )
    return rows.filter(rows.unit_id.notnull() & rows.feature.notnull())


def within(act: ir.Table, start: datetime.date | None, end: datetime.date | None) -> ir.Table:
    """Activity on the inclusive local days [start, end] (None: open)."""
    if start is not None:
        act = act.filter(act.day >= start)
    if end is not None:
        act = act.filter(act.day <= end)
    return act


def actives_by(act: ir.Table, period: Period) -> ir.Table:
    """Distinct active units and events per period (``period_start``)."""
    keyed = act.mutate(period_start=period_start(act.day, period))
    return keyed.group_by("period_start").aggregate(
        actives=keyed.unit_id.nunique(), events=keyed.count()
    )


def feature_use_by(act: ir.Table, period: Period) -> ir.Table:
    """Distinct units using each feature, and its events, per period."""
    keyed = act.mutate(period_start=period_start(act.day, period))
    return keyed.group_by(["period_start", "feature"]).aggregate(
        users=keyed.unit_id.nunique(), events=keyed.count()
    )


def feature_use(act: ir.Table) -> ir.Table:
    """Distinct units using each feature, and its events, over the whole activity."""
    return act.group_by("feature").aggregate(users=act.unit_id.nunique(), events=act.count())


def total_actives(act: ir.Table) -> ir.Table:
    """One row: distinct active units, events, first and last active day."""
    return act.aggregate(
        actives=act.unit_id.nunique(), events=act.count(), first=act.day.min(), last=act.day.max()
    )
