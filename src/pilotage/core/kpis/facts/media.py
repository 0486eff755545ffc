"""Spend, overhead costs and web sessions: facts sliced by channel and campaign only
(spend has no people, so no segment, country or account)."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from pilotage.core.kpis.facts.base import (
    CREDITED_DIMS,
    UNKNOWN,
    Fact,
    FactContext,
    is_paid,
    with_campaign_attributes,
    zero,
)
from pilotage.core.kpis.periods import local_date

#: Engagement counts some platforms export (LinkedIn) beside clicks; kept as extra columns.
ENGAGEMENT_COLUMNS = ("reactions", "comments", "shares", "follows")


def spend_fact(ctx: FactContext) -> Fact:
    s = with_campaign_attributes(ctx.tables["spend"], ctx.tables["campaigns"])
    engagements: ir.NumericValue = s.clicks.fill_null(0).cast("float64")
    for column in ENGAGEMENT_COLUMNS:
        if column in s.columns:
            engagements = engagements + s[column].try_cast("float64").fill_null(0.0)
    table = s.select(
        day=s.date,
        channel=s.channel,
        campaign=s.campaign_id,
        program=s.program,
        initiative=s.initiative,
        cost=s.cost,
        paid_cost=ibis.ifelse(is_paid(s.channel), s.cost, zero()),
        impressions=s.impressions.fill_null(0).cast("float64"),
        clicks=s.clicks.fill_null(0).cast("float64"),
        engagements=engagements,
        platform_conversions=s.platform_conversions.fill_null(0.0),
        platform_conversion_value=s.platform_conversion_value.fill_null(0.0),
    )
    return Fact(table, CREDITED_DIMS)


def overhead_fact(ctx: FactContext) -> Fact:
    """Team, tool and agency costs per month (the ``costs`` table), on the month's first day;
    costs with no channel read ``unallocated``."""
    c = ctx.tables["costs"]
    table = c.select(
        day=c.month, channel=c.channel.fill_null("unallocated"), overhead_cost=c.amount
    )
    return Fact(table, frozenset({"channel"}))


def sessions_fact(ctx: FactContext) -> Fact:
    """Touchpoints as web activity: touches (summed), sessions and visitors (distinct)."""
    t = with_campaign_attributes(ctx.tables["touchpoints"], ctx.tables["campaigns"])
    table = t.select(
        day=local_date(t.touched_at, ctx.zone, ctx.dialect),
        channel=t.channel,
        campaign=t.campaign_id.fill_null(UNKNOWN),
        program=t.program,
        initiative=t.initiative,
        touches=ibis.literal(1.0),
        session=t.session_id,
        visitor=ibis.coalesce("p:" + t.person_id, "n:" + t.anonymous_id, "a:" + t.account_id),
    )
    return Fact(table, CREDITED_DIMS, distinct={"sessions": "session", "visitors": "visitor"})
