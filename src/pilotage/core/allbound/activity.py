"""Accounts' activity as set-based expressions: the dated activities the engagement score
weighs, the opportunities open at a moment, and what a goal period counts.

A row belongs to the account it names, else to its person's account (the KPI engine's rule
for account-level outcomes); rows with neither are nobody's account and are left out.
Instants are UTC; the services turn a workspace's local days into them.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence

import ibis
import ibis.expr.types as ir

from pilotage.core.allbound.scoring import TOUCH_TYPES
from pilotage.core.kpis.periods import seconds_between

_SECONDS_PER_DAY = 86_400.0


def with_account(table: ir.Table, people: ir.Table) -> ir.Table:
    """``table`` (with ``account_id`` and ``person_id``) plus ``acct``: its own account,
    else its person's."""
    p = people.select(w_person="person_id", w_account="account_id")
    j = table.left_join(p, table.person_id == p.w_person)
    return j.mutate(acct=ibis.coalesce(j.account_id, j.w_account)).drop("w_person", "w_account")


def touch_component(touch_type: ir.StringValue) -> ir.StringValue:
    """The score component of a touch: its type when scored on its own, else other_touch."""
    known = touch_type.fill_null("").isin(list(TOUCH_TYPES))
    return ibis.ifelse(known, touch_type, ibis.literal("other_touch"))


def activity_events(tables: Mapping[str, ir.Table]) -> ir.Table:
    """Every dated activity of an account: account_id, component, at."""
    people = tables["people"]
    t = with_account(tables["touchpoints"], people)
    p = with_account(tables["product_events"], people)
    s = with_account(tables["surveys"], people)
    o = tables["opportunities"]
    parts = [
        t.select(account_id=t.acct, component=touch_component(t.touch_type), at=t.touched_at),
        p.select(account_id=p.acct, component=ibis.literal("product_event"), at=p.occurred_at),
        s.select(account_id=s.acct, component=ibis.literal("survey_response"), at=s.answered_at),
        o.select(
            account_id=o.account_id,
            component=ibis.literal("opportunity_created"),
            at=o.created_at,
        ),
    ]
    events = ibis.union(*(_typed(e) for e in parts))
    return events.filter(events.account_id.notnull() & events.at.notnull())


def _typed(events: ir.Table) -> ir.Table:
    return events.select(
        account_id=events.account_id.cast("string"),
        component=events.component.cast("string"),
        at=events.at.cast("timestamp('UTC')"),
    )


def decayed_activity(
    events: ir.Table,
    at: datetime.datetime,
    half_life_days: float,
    window_days: int,
    trend_days: int,
) -> ir.Table:
    """Per account and component: ``count`` of activities in the window before ``at``
    ([at - window_days, at): ``at`` is the midnight ending a day, which belongs to the
    next), ``decayed`` = sum of 2^(-age/half-life) with ages in days from ``at``, and
    ``decayed_before``: the same ``trend_days`` earlier."""
    earlier = at - datetime.timedelta(days=trend_days)
    e = events.filter(
        events.at >= ibis.literal(earlier - datetime.timedelta(days=window_days)),
        events.at < ibis.literal(at),
    )
    age = seconds_between(ibis.literal(at), e.at) / _SECONDS_PER_DAY
    now = e.at >= ibis.literal(at - datetime.timedelta(days=window_days))
    before = e.at < ibis.literal(earlier)
    two = ibis.literal(2.0)
    zero = ibis.literal(0.0)
    return e.group_by(["account_id", "component"]).aggregate(
        count=ibis.ifelse(now, 1, 0).sum(),
        decayed=ibis.ifelse(now, two.pow(-age / half_life_days), zero).sum(),
        decayed_before=ibis.ifelse(
            before, two.pow(-(age - trend_days) / half_life_days), zero
        ).sum(),
    )


def _closed_by(o: ir.Table, when: datetime.datetime) -> ir.BooleanValue:
    """Closed before ``when``; a closed opportunity with no close date counts as closed
    all along (its close time is unknown)."""
    return ibis.ifelse(
        o.closed_at.isnull(), o.is_closed.fill_null(False), o.closed_at < ibis.literal(when)
    )


def open_opportunities(opportunities: ir.Table, at: datetime.datetime, trend_days: int) -> ir.Table:
    """Per account: ``open_now`` opportunities open at ``at`` (created before it, not
    closed before it), their ``open_amount``, and ``open_before``, the count ``trend_days``
    earlier."""
    o = opportunities.filter(opportunities.account_id.notnull())
    earlier = at - datetime.timedelta(days=trend_days)

    def is_open(when: datetime.datetime) -> ir.BooleanValue:
        return (o.created_at < ibis.literal(when)) & ~_closed_by(o, when)

    return o.group_by("account_id").aggregate(
        open_now=ibis.ifelse(is_open(at), 1, 0).sum(),
        open_amount=ibis.ifelse(is_open(at), o.amount.cast("float64"), 0.0).sum(),
        open_before=ibis.ifelse(is_open(earlier), 1, 0).sum(),
    )


def period_touches(
    tables: Mapping[str, ir.Table],
    members: Sequence[str],
    start: datetime.datetime,
    end: datetime.datetime,
) -> ir.Table:
    """Per member account with a touch in [start, end): ``touches`` and ``meetings``
    (touches of type sales_meeting)."""
    t = with_account(tables["touchpoints"], tables["people"])
    t = t.filter(
        t.acct.isin(list(members)),
        t.touched_at >= ibis.literal(start),
        t.touched_at < ibis.literal(end),
    )
    return t.group_by(account_id=t.acct).aggregate(
        touches=t.count(),
        meetings=ibis.ifelse(t.touch_type == "sales_meeting", 1, 0).sum(),
    )


def open_during(
    opportunities: ir.Table,
    members: Sequence[str],
    start: datetime.datetime,
    end: datetime.datetime,
) -> ir.Table:
    """The member accounts (``account_id``) with an opportunity open at some moment of
    [start, end): created before ``end`` and not closed before ``start``."""
    o = opportunities
    o = o.filter(
        o.account_id.isin(list(members)),
        o.created_at < ibis.literal(end),
        ~_closed_by(o, start),
    )
    return o.select("account_id").distinct()
