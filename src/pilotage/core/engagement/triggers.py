"""The usage that goes before an outcome, as Ibis expressions: for each unit an observation
window and whether it reached the outcome, then per feature how many units used it inside
their window. The counts are the sufficient statistics of :mod:`association`.

- Purchase: units whose first product event comes before their first purchase (or who never
  bought). Window = [first event, first event + horizon), cut at the purchase; reached =
  bought within the horizon. Units whose horizon has not ended by ``as_of`` are left out
  (they may still buy), as are units that had bought before using the product.
- Churn (accounts): an account churns when its last subscription ends. Window = the
  horizon before the churn, or before ``as_of`` for accounts still subscribed; only accounts
  subscribed since the window's start are compared.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Literal

import ibis
import ibis.expr.types as ir

from pilotage.core.engagement.activity import Unit

Outcome = Literal["purchase", "churn"]
OUTCOMES: tuple[Outcome, ...] = ("purchase", "churn")
#: Conversion types that are a purchase.
PURCHASE_TYPES: tuple[str, ...] = ("purchase",)


def _owner(table: ir.Table, people: ir.Table, unit: Unit) -> ir.Table:
    """``table`` plus ``unit_id``: its person, or its account (else its person's)."""
    if unit == "person":
        return table.mutate(unit_id=table.person_id)
    owners = people.select(o_person="person_id", o_account="account_id")
    j = table.left_join(owners, table.person_id == owners.o_person)
    return j.mutate(unit_id=ibis.coalesce(j.account_id, j.o_account))


def purchase_times(
    orders: ir.Table,
    conversions: ir.Table,
    subscriptions: ir.Table,
    people: ir.Table,
    unit: Unit,
    types: Sequence[str] = PURCHASE_TYPES,
) -> ir.Table:
    """``unit_id``, ``outcome_at``: the first order, purchase conversion or (accounts)
    subscription start of each unit."""
    o = _owner(orders, people, unit).select("unit_id", outcome_at="ordered_at")
    bought = conversions.filter(conversions.conversion_type.isin(list(types)))
    c = _owner(bought, people, unit).select("unit_id", outcome_at="converted_at")
    parts = [o, c]
    if unit == "account":
        parts.append(subscriptions.select(unit_id="account_id", outcome_at="started_at"))
    every = ibis.union(*parts).filter(lambda t: t.unit_id.notnull() & t.outcome_at.notnull())
    return every.group_by("unit_id").aggregate(outcome_at=every.outcome_at.min())


def purchase_units(
    act: ir.Table, outcomes: ir.Table, horizon_days: int, as_of: datetime.datetime
) -> ir.Table:
    """``unit_id``, ``first_day``, ``start_at``, ``stop_at``, ``reached`` per unit at risk."""
    first = act.group_by("unit_id").aggregate(first_at=act.at.min(), first_day=act.day.min())
    o = outcomes.select(o_unit="unit_id", outcome_at="outcome_at")
    j = first.left_join(o, first.unit_id == o.o_unit)
    deadline = j.first_at + ibis.interval(days=horizon_days)
    at_risk = j.outcome_at.isnull() | (j.outcome_at > j.first_at)
    j = j.filter(at_risk & (deadline <= ibis.literal(as_of)))
    deadline = j.first_at + ibis.interval(days=horizon_days)
    reached = j.outcome_at.notnull() & (j.outcome_at < deadline)
    return j.select(
        "unit_id",
        "first_day",
        start_at=j.first_at,
        stop_at=ibis.ifelse(reached, j.outcome_at, deadline),
        reached=reached,
    )


def churn_units(
    subscriptions: ir.Table,
    horizon_days: int,
    as_of: datetime.datetime,
    since: datetime.datetime | None = None,
    *,
    whole_window: bool = True,
) -> ir.Table:
    """``unit_id`` (account), ``start_at``, ``stop_at``, ``reached`` (churned). Accounts
    that churned before ``since`` or after ``as_of`` are not compared (the latter: still
    subscribed as of ``as_of``). With ``whole_window`` only accounts subscribed since the
    window's start are kept (usage counts compare like with like)."""
    s = subscriptions.filter(subscriptions.started_at <= ibis.literal(as_of))
    still = s.ended_at.isnull() | (s.ended_at > ibis.literal(as_of))
    per = s.group_by("account_id").aggregate(
        first_start=s.started_at.min(),
        open=ibis.ifelse(still, 1, 0).sum(),
        last_end=s.ended_at.max(),
    )
    churned = per.open == 0
    ref = ibis.ifelse(churned, per.last_end, ibis.literal(as_of))
    units = per.select(
        unit_id=per.account_id,
        first_start=per.first_start,
        start_at=ref - ibis.interval(days=horizon_days),
        stop_at=ref,
        reached=churned,
    )
    if whole_window:
        units = units.filter(units.first_start <= units.start_at)
    if since is not None:
        units = units.filter(~units.reached | (units.stop_at >= ibis.literal(since)))
    return units.drop("first_start")


def exposure_counts(act: ir.Table, units: ir.Table) -> ir.Table:
    """Per feature: ``users`` who used it in their window, ``users_reached`` of them who
    reached the outcome, and the ``events`` (``events_reached``) inside the windows."""
    u = units.select(w_unit="unit_id", w_start="start_at", w_stop="stop_at", w_reached="reached")
    j = act.join(u, act.unit_id == u.w_unit)
    j = j.filter((j.at >= j.w_start) & (j.at < j.w_stop))
    return j.group_by("feature").aggregate(
        users=j.unit_id.nunique(),
        users_reached=j.unit_id.nunique(where=j.w_reached),
        events=j.count(),
        events_reached=ibis.ifelse(j.w_reached, 1, 0).sum(),
    )


def population(units: ir.Table) -> ir.Table:
    """One row: the units compared and how many reached the outcome."""
    return units.aggregate(units=units.count(), reached=ibis.ifelse(units.reached, 1, 0).sum())
