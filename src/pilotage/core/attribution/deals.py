"""Per-deal credit: each opportunity's amount split over the channels (and campaigns) of the
touches before it, so that every deal's credits add up to its amount.

A deal is an opportunity at a stage: ``opportunity`` (created: the pipeline amount, touches
up to its creation) or ``won`` (won and closed: the won amount, touches up to its close).
Its touches are the account's own and its people's, within the lookback window before
that time (the KPI engine's set-based join, :func:`pilotage.core.kpis.credit.credited`).

- Rule models (first, last, last_non_direct, linear, position, time_decay): the KPI
  engine's weights per touch, summed by (deal, channel, campaign) in the engine.
- Data-driven models (Markov, Shapley): the model is run on all account journeys of the
  stage and gives each channel a weight (its share of the credited value); each deal's
  amount goes to the channels on its own path in proportion to those weights, restricted
  to these channels; a channel's part goes to its campaigns in proportion to their touches.
- Milestone models (U, W, full path, custom): each deal's journey (touches tagged with the
  lead, opportunity and closed-won milestones) and the model's position weights; these
  paths carry no campaign.

A deal with no touch (or whose path's channels all have zero model weight) keeps its
amount as unattributed, never spread over channels.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, get_args

import ibis.expr.types as ir
import numpy as np

from pilotage.core.attribution.build import DealPaths
from pilotage.core.attribution.paths import FloatArray, sum_by
from pilotage.core.kpis.credit import CreditModel, account_touches, credited

DealStage = Literal["opportunity", "won"]
DEAL_STAGES: tuple[DealStage, ...] = get_args(DealStage)

#: (deal, channel or None, campaign or None) -> credited amount.
CreditKey = tuple[str, str | None, str | None]


@dataclass(frozen=True)
class Deal:
    opportunity_id: str
    account_id: str
    amount: float


def deal_outcomes(opportunities: ir.Table, stage: DealStage) -> ir.Table:
    """One row per deal of ``stage``: outcome_id, account_id, at, match, amount (null: 0)."""
    o = opportunities
    if stage == "won":
        o = o.filter(o.is_won.fill_null(False) & o.closed_at.notnull())
    return o.select(
        outcome_id=o.opportunity_id,
        account_id=o.account_id,
        at=o.closed_at if stage == "won" else o.created_at,
        match="a:" + o.account_id,
        amount=o.amount.cast("float64").fill_null(0.0),
    )


def deal_touch_weights(
    tables: Mapping[str, ir.Table],
    stage: DealStage,
    model: CreditModel,
    lookback_days: int,
    *,
    half_life_days: float = 7.0,
    include_sales: bool = True,
) -> ir.Table:
    """Summed touch weights by deal, channel and campaign (``credited``): outcome_id,
    channel (null: no touch), campaign_id, weight (summing to 1 per deal)."""
    touches = account_touches(tables["touchpoints"], tables["people"])
    if not include_sales:
        touches = touches.filter(~touches.is_sales)
    outcomes = deal_outcomes(tables["opportunities"], stage).select("outcome_id", "at", "match")
    c = credited(outcomes, touches, model, lookback_days, half_life_days)
    return c.group_by(["outcome_id", "channel", "campaign_id"]).aggregate(
        weight=c.weight.sum().cast("float64")
    )


def deal_totals(opportunities: ir.Table, stage: DealStage) -> ir.Table:
    """The CRM's side of the reconciliation: deals (count) and amount of ``stage``."""
    o = deal_outcomes(opportunities, stage)
    return o.aggregate(deals=o.count(), amount=o.amount.sum().cast("float64"))


def rule_credits(
    deals: Mapping[str, Deal],
    weights: list[tuple[str, str | None, str | None, float]],
) -> dict[CreditKey, float]:
    """Each deal's amount times its touch weights, renormalised per deal so that a deal's
    credits sum to its amount to the last rounding; unknown deals are ignored."""
    per_deal: dict[str, float] = {}
    for deal, _, _, weight in weights:
        per_deal[deal] = per_deal.get(deal, 0.0) + weight
    out: dict[CreditKey, float] = {}
    for deal, channel, campaign, weight in weights:
        if deal in deals and per_deal[deal] > 0:
            key = (deal, channel, campaign)
            out[key] = out.get(key, 0.0) + deals[deal].amount * weight / per_deal[deal]
    return out


def spread_by_channel_weights(
    deals: Mapping[str, Deal],
    touches: list[tuple[str, str | None, str | None, float]],
    channel_weight: Mapping[str, float],
) -> dict[CreditKey, float]:
    """Data-driven per-deal credit: ``touches`` (deal, channel, campaign, touch share, e.g.
    linear weights) say which channels and campaigns are on each deal's path; the deal's
    amount goes to those channels in proportion to ``channel_weight`` restricted to them,
    then to a channel's campaigns in proportion to their touch share. A deal whose
    channels all weigh 0 (or with no touch) goes to (deal, None, None): unattributed."""
    by_deal: dict[str, list[tuple[str | None, str | None, float]]] = {}
    for deal, channel, campaign, share in touches:
        by_deal.setdefault(deal, []).append((channel, campaign, share))
    out: dict[CreditKey, float] = {}
    for deal, rows in by_deal.items():
        if deal not in deals:
            continue
        amount = deals[deal].amount
        within: dict[str, float] = {}
        for channel, _, share in rows:
            if channel is not None:
                within[channel] = within.get(channel, 0.0) + share
        mass = sum(channel_weight.get(c, 0.0) for c in within)
        if mass <= 0:
            out[(deal, None, None)] = amount
            continue
        for channel, campaign, share in rows:
            if channel is None or within[channel] <= 0:
                continue
            part = amount * channel_weight.get(channel, 0.0) / mass * share / within[channel]
            if part:
                key = (deal, channel, campaign)
                out[key] = out.get(key, 0.0) + part
    return out


def path_credits(
    deals: Mapping[str, Deal], paths: DealPaths, fractions: FloatArray
) -> dict[CreditKey, float]:
    """Per-deal credit from each deal's own path: ``fractions`` (n_touches,) sum to 1 within
    a path (e.g. :func:`rules.position_fractions`); a deal seen on several paths (it should
    not be) has its amount split evenly over them."""
    counts = paths.paths
    seen: dict[str, int] = {}
    for deal in paths.deals:
        seen[deal] = seen.get(deal, 0) + 1
    out: dict[CreditKey, float] = {}
    n = len(counts.channels)
    for i, deal in enumerate(paths.deals):
        if deal not in deals:
            continue
        s, e = counts.offsets[i], counts.offsets[i + 1]
        if e == s:
            continue
        by_channel = sum_by(counts.touches[s:e], fractions[s:e], n)
        by_channel = by_channel / by_channel.sum()
        for c in np.flatnonzero(by_channel):
            key = (deal, counts.channels[c], None)
            out[key] = out.get(key, 0.0) + deals[deal].amount * by_channel[c] / seen[deal]
    return out


def linear_shares(
    tables: Mapping[str, ir.Table], stage: DealStage, lookback_days: int, include_sales: bool
) -> ir.Table:
    """Which channels and campaigns each deal's path holds, as linear touch shares."""
    return deal_touch_weights(tables, stage, "linear", lookback_days, include_sales=include_sales)
