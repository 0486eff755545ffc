"""One account's journey: its own and its people's touches, conversions, survey answers and
product usage, and its opportunities' creation and close, merged into one timeline."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, get_args

import ibis
import ibis.expr.types as ir

from pilotage.core.allbound.activity import with_account

JourneyKind = Literal[
    "touch",
    "conversion",
    "opportunity_created",
    "opportunity_won",
    "opportunity_lost",
    "survey",
    "product",
]
JOURNEY_KINDS: tuple[JourneyKind, ...] = get_args(JourneyKind)


def account_journey(tables: Mapping[str, ir.Table], account_id: str) -> ir.Table:
    """Every event of ``account_id``: at, kind, detail (touch type, conversion type, stage,
    survey type or product event), channel, campaign_id, person_id, amount (conversion value,
    opportunity amount or survey score) and ref (the row's id)."""
    people = tables["people"]
    t = with_account(tables["touchpoints"], people)
    t = t.filter(t.acct == account_id)
    c = with_account(tables["conversions"], people)
    c = c.filter(c.acct == account_id)
    s = with_account(tables["surveys"], people)
    s = s.filter(s.acct == account_id)
    p = with_account(tables["product_events"], people)
    p = p.filter(p.acct == account_id)
    o = tables["opportunities"]
    o = o.filter(o.account_id == account_id)
    closed = o.filter(o.closed_at.notnull() & o.is_closed.fill_null(False))
    parts = [
        _row(
            t,
            t.touched_at,
            "touch",
            t.touch_type,
            t.channel,
            t.campaign_id,
            t.person_id,
            None,
            t.touch_id,
        ),
        _row(
            c,
            c.converted_at,
            "conversion",
            c.conversion_type,
            None,
            None,
            c.person_id,
            c.value,
            c.conversion_id,
        ),
        _row(
            s,
            s.answered_at,
            "survey",
            s.survey_type,
            None,
            None,
            s.person_id,
            s.score,
            s.response_id,
        ),
        _row(p, p.occurred_at, "product", p.event, None, None, p.person_id, None, p.event_id),
        _row(
            o,
            o.created_at,
            "opportunity_created",
            o.stage,
            None,
            o.primary_campaign_id,
            None,
            o.amount,
            o.opportunity_id,
        ),
        _row(
            closed,
            closed.closed_at,
            ibis.ifelse(
                closed.is_won.fill_null(False),
                ibis.literal("opportunity_won"),
                ibis.literal("opportunity_lost"),
            ),
            closed.stage,
            None,
            closed.primary_campaign_id,
            None,
            closed.amount,
            closed.opportunity_id,
        ),
    ]
    events = ibis.union(*parts)
    return events.filter(events.at.notnull())


def _row(
    table: ir.Table,
    at: ir.Value,
    kind: str | ir.Value,
    detail: ir.Value,
    channel: ir.Value | None,
    campaign_id: ir.Value | None,
    person_id: ir.Value | None,
    amount: ir.Value | None,
    ref: ir.Value,
) -> ir.Table:
    def text(value: ir.Value | None) -> ir.Value:
        return ibis.null("string") if value is None else value.cast("string")

    return table.select(
        at=at.cast("timestamp('UTC')"),
        kind=ibis.literal(kind) if isinstance(kind, str) else kind,
        detail=text(detail),
        channel=text(channel),
        campaign_id=text(campaign_id),
        person_id=text(person_id),
        amount=ibis.null("float64") if amount is None else amount.cast("float64"),
        ref=text(ref),
    )
