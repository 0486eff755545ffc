"""Opportunities created and closed, credited at account level, with the three common
definitions of marketing-sourced pipeline and marketing-influenced pipeline.

Sourced (a setting in most tools, side by side here):
- ``field``: the CRM's source field says marketing;
- ``first_touch``: the account's first touch ever, before the opportunity, is marketing;
- ``pre_sales``: within the lookback window, a marketing touch comes before the first
  sales activity.
Influenced: any marketing touch within the lookback window before the opportunity.
A marketing touch is one that is neither sales nor direct nor unassigned.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from pilotage.core.kpis.credit import account_touches, credited
from pilotage.core.kpis.facts.base import (
    CREDITED_DIMS,
    PARTY_DIMS,
    Fact,
    FactContext,
    credited_dims,
    with_campaign_attributes,
    zero,
)
from pilotage.core.kpis.facts.parties import with_party
from pilotage.core.kpis.periods import local_date, seconds_between

_PARTY = ("segment", "country", "tier", "target", "account")
_NOT_MARKETING = ("sales", "direct", "unassigned")


def credited_opportunities(ctx: FactContext) -> ir.Table:
    """Credited opportunity rows with their sourcing flags and party."""
    t = ctx.tables
    opps = t["opportunities"].mutate(person_id=ibis.null("string"))
    o = with_party(opps, t["people"], t["accounts"])
    touches = account_touches(t["touchpoints"], t["people"])
    outcomes = o.select(
        *_PARTY,
        outcome_id=o.opportunity_id,
        at=o.created_at,
        match="a:" + o.account_id,
        amount=o.amount,
        closed_at=o.closed_at,
        is_closed=o.is_closed.fill_null(o.closed_at.notnull()),
        is_won=o.is_won.fill_null(False),
        field_sourced=o.source.fill_null("") == "marketing",
    )
    outcomes = outcomes.left_join(_sourcing(outcomes, touches, ctx.lookback_days), "outcome_id")
    c = credited(outcomes, touches, ctx.model, ctx.lookback_days, ctx.half_life_days)
    return with_campaign_attributes(c, t["campaigns"])


def _sourcing(outcomes: ir.Table, touches: ir.Table, lookback_days: int) -> ir.Table:
    """Per opportunity: first_touch_sourced, pre_sales_sourced, influenced (booleans)."""
    marketing = touches.mutate(
        marketing=~touches.is_sales & ~touches.channel.isin(list(_NOT_MARKETING))
    )
    ranked = marketing.mutate(
        rank=ibis.row_number().over(
            group_by=marketing.match,
            order_by=[marketing.touched_at, marketing.channel, marketing.campaign_id.fill_null("")],
        )
    )
    first = ranked.filter(ranked["rank"] == 0).select(
        f_match="match", f_at="touched_at", f_marketing="marketing"
    )
    o = outcomes.select("outcome_id", "at", "match")
    with_first = o.left_join(first, (o.match == first.f_match) & (first.f_at <= o.at))
    first_flags = with_first.select(
        "outcome_id", first_touch_sourced=with_first.f_marketing.fill_null(False)
    )
    w = marketing.select(
        w_match="match", w_at="touched_at", w_marketing="marketing", w_sales="is_sales"
    )
    near = o.join(
        w,
        [
            o.match == w.w_match,
            w.w_at <= o.at,
            w.w_at >= o.at - ibis.interval(days=lookback_days),
        ],
    )
    firsts = near.group_by("outcome_id").aggregate(
        first_marketing=near.w_at.min(where=near.w_marketing),
        first_sales=near.w_at.min(where=near.w_sales),
    )
    pre_sales = firsts.first_marketing.notnull() & (
        firsts.first_sales.isnull() | (firsts.first_marketing < firsts.first_sales)
    )
    window_flags = firsts.select(
        "outcome_id",
        pre_sales_sourced=pre_sales,
        influenced=firsts.first_marketing.notnull(),
    )
    flags = first_flags.left_join(window_flags, "outcome_id")
    return flags.mutate(
        pre_sales_sourced=flags.pre_sales_sourced.fill_null(False),
        influenced=flags.influenced.fill_null(False),
    )


def opportunities_created_fact(ctx: FactContext) -> Fact:
    c = credited_opportunities(ctx)
    w = c.weight
    amount = c.amount * w

    def when(flag: ir.BooleanValue) -> ir.FloatingValue:
        return ibis.ifelse(flag, amount, zero())

    table = c.select(
        *_PARTY,
        **credited_dims(c),
        day=local_date(c.at, ctx.zone, ctx.dialect),
        pipeline_created=amount,
        opportunities_created=w,
        pipeline_sourced_field=when(c.field_sourced),
        pipeline_sourced_first_touch=when(c.first_touch_sourced),
        pipeline_sourced_pre_sales=when(c.pre_sales_sourced),
        pipeline_influenced=when(c.influenced),
    )
    return Fact(table, CREDITED_DIMS | PARTY_DIMS)


def opportunities_closed_fact(ctx: FactContext) -> Fact:
    """Closed opportunities on their closing day, credited like their creation."""
    c = credited_opportunities(ctx)
    c = c.filter(c.is_closed & c.closed_at.notnull())
    w = c.weight
    won = c.is_won
    days = seconds_between(c.closed_at, c.at) / 86_400.0
    table = c.select(
        *_PARTY,
        **credited_dims(c),
        day=local_date(c.closed_at, ctx.zone, ctx.dialect),
        won_amount=ibis.ifelse(won, c.amount * w, zero()),
        won_deals=ibis.ifelse(won, w, zero()),
        lost_deals=ibis.ifelse(won, zero(), w),
        cycle_days_won=ibis.ifelse(won, days * w, zero()),
    )
    return Fact(table, CREDITED_DIMS | PARTY_DIMS)
