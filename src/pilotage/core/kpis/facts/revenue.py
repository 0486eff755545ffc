"""Orders, new customers and conversions, credited to touches by the rule model."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import ibis
import ibis.expr.types as ir

from pilotage.core.kpis.credit import credited, person_or_account_touches
from pilotage.core.kpis.facts.base import (
    CREDITED_DIMS,
    PARTY_DIMS,
    Fact,
    FactContext,
    credited_dims,
    is_paid,
    row_id,
    with_campaign_attributes,
    zero,
)
from pilotage.core.kpis.facts.parties import with_party
from pilotage.core.kpis.periods import local_date, seconds_between

#: Conversion types of the data model, each with its own count and CPA.
CONVERSION_TYPES = ("signup", "lead", "mql", "sql", "opportunity", "purchase")
_DAYS_PER_MONTH = 30.4375
_PARTY = ("segment", "country", "tier", "target", "account")


def _match(t: ir.Table) -> ir.StringValue:
    return ibis.ifelse(t.person_id.notnull(), "p:" + t.person_id, "a:" + t.account_id)


def _margin(orders: ir.Table) -> ir.FloatingValue:
    """Gross margin in the reporting currency: a ratio of the amount when flagged so,
    else an amount in the order's own currency (converted like the amount)."""
    gm = orders.gross_margin
    as_ratio = orders.margin_is_ratio.fill_null(False)
    rate: ir.FloatingValue = ibis.literal(1.0)
    if "amount_original" in orders.columns:
        rate = (orders.amount / orders.amount_original.nullif(0.0)).fill_null(1.0)
    return ibis.ifelse(as_ratio, orders.amount * gm, gm * rate)


def _orders(ctx: FactContext) -> ir.Table:
    t = ctx.tables
    o = with_party(t["orders"], t["people"], t["accounts"])
    first_at = o.ordered_at.min().over(group_by=o.customer)
    return o.mutate(margin=_margin(o), first_at=first_at)


def _cohort(at: ir.TimestampValue, ctx: FactContext) -> ir.DateValue:
    return local_date(at, ctx.zone, ctx.dialect).truncate("M")


def orders_fact(ctx: FactContext) -> Fact:
    o = _orders(ctx)
    outcomes = o.select(
        *_PARTY,
        outcome_id=o.order_id,
        at=o.ordered_at,
        match=_match(o),
        amount=o.amount,
        margin=o.margin,
        first_at=o.first_at,
    )
    c = _credit(outcomes, ctx)
    w = c.weight
    attributed = c.channel.notnull()
    table = c.select(
        *_PARTY,
        **credited_dims(c),
        day=local_date(c.at, ctx.zone, ctx.dialect),
        cohort=_cohort(c.first_at, ctx),
        revenue=c.amount * w,
        attributed_revenue=ibis.ifelse(attributed, c.amount * w, zero()),
        margin=c.margin.fill_null(0.0) * w,
        attributed_margin=ibis.ifelse(attributed, c.margin.fill_null(0.0) * w, zero()),
        orders=w,
        refunds=ibis.ifelse(c.amount < 0, c.amount * w, zero()),
    )
    return Fact(table, CREDITED_DIMS | PARTY_DIMS | {"cohort"})


def customers_fact(ctx: FactContext) -> Fact:
    """One outcome per customer (account, else person) on their first order: new customers,
    and their revenue, margin and months as customers up to ``as_of`` (LTV, payback)."""
    o = _orders(ctx)
    day = local_date(o.ordered_at, ctx.zone, ctx.dialect)
    to_date = day <= ctx.as_of if ctx.as_of is not None else ibis.literal(True)
    per_customer = ibis.window(group_by=o.customer)
    o = o.mutate(
        rank=ibis.row_number().over(group_by=o.customer, order_by=[o.ordered_at, o.order_id]),
        revenue_to_date=ibis.ifelse(to_date, o.amount, zero()).sum().over(per_customer),
        margin_to_date=ibis.ifelse(to_date, o.margin.fill_null(0.0), zero())
        .sum()
        .over(per_customer),
    )
    first = o.filter((o["rank"] == 0) & o.customer.notnull())
    if ctx.as_of is not None:
        first = first.filter(local_date(first.ordered_at, ctx.zone, ctx.dialect) <= ctx.as_of)
        seconds = seconds_between(ibis.literal(_day_end_utc(ctx.as_of, ctx.zone)), first.ordered_at)
    else:
        seconds = seconds_between(first.ordered_at.max().over(ibis.window()), first.ordered_at)
    months = ibis.greatest(seconds, 0.0) / 86_400.0 / _DAYS_PER_MONTH
    outcomes = first.select(
        *_PARTY,
        outcome_id=first.customer,
        at=first.ordered_at,
        match=_match(first),
        revenue_to_date=first.revenue_to_date,
        margin_to_date=first.margin_to_date,
        months=months,
    )
    c = _credit(outcomes, ctx)
    w = c.weight
    table = c.select(
        *_PARTY,
        **credited_dims(c),
        day=local_date(c.at, ctx.zone, ctx.dialect),
        cohort=_cohort(c.at, ctx),
        new_customers=w,
        new_customers_paid=ibis.ifelse(is_paid(c.channel.fill_null("")), w, zero()),
        cohort_revenue=c.revenue_to_date * w,
        cohort_margin=c.margin_to_date * w,
        customer_months=c.months * w,
    )
    return Fact(table, CREDITED_DIMS | PARTY_DIMS | {"cohort"})


def _day_end_utc(day: datetime.date, zone: str) -> datetime.datetime:
    """The UTC instant that ends ``day`` in ``zone`` (its next local midnight)."""
    midnight = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    return midnight.replace(tzinfo=ZoneInfo(zone)).astimezone(datetime.UTC)


def conversions_fact(ctx: FactContext) -> Fact:
    t = ctx.tables
    cv = with_party(t["conversions"], t["people"], t["accounts"])
    outcomes = cv.select(
        *_PARTY,
        outcome_id=row_id(cv, "conversion_id"),
        at=cv.converted_at,
        match=_match(cv),
        conversion_type=cv.conversion_type,
        value=cv.value.fill_null(0.0),
    )
    c = _credit(outcomes, ctx)
    w = c.weight
    per_type = {
        f"conversions_{kind}": ibis.ifelse(c.conversion_type == kind, w, zero())
        for kind in CONVERSION_TYPES
    }
    table = c.select(
        *_PARTY,
        **credited_dims(c),
        conversion_type=c.conversion_type,
        day=local_date(c.at, ctx.zone, ctx.dialect),
        conversions=w,
        conversion_value=c.value * w,
        **per_type,
    )
    return Fact(table, CREDITED_DIMS | PARTY_DIMS | {"conversion_type"})


def _credit(outcomes: ir.Table, ctx: FactContext) -> ir.Table:
    touches = person_or_account_touches(ctx.tables["touchpoints"])
    c = credited(outcomes, touches, ctx.model, ctx.lookback_days, ctx.half_life_days)
    return with_campaign_attributes(c, ctx.tables["campaigns"])
