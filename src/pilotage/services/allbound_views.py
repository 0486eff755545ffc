"""The two readings of a target list: a simple one for sales (accounts by score, the next
best accounts to work, goals progress) and a detailed one for marketing (score components,
pipeline credited per channel, coverage gaps).

They only assemble what other services computed: scores (:mod:`allbound_scores`), goals
(:mod:`allbound_goals`) and per-deal credit (:mod:`attribution_deals`).
"""

from __future__ import annotations

from collections.abc import Collection

from pydantic import BaseModel, ConfigDict

from pilotage.core.allbound.gaps import GAP_DEFINITIONS, GAPS, Gap, gaps_of
from pilotage.core.allbound.scoring import COMPONENT_NAMES, COMPONENTS, Component, ScoringModel
from pilotage.services.allbound_goals import GoalProgress
from pilotage.services.allbound_lists import TargetListInfo
from pilotage.services.allbound_scores import (
    AccountActivity,
    AccountScore,
    Scoreboard,
    scoreboard,
    visible,
)
from pilotage.services.attribution_deals import DealCreditResult
from pilotage.services.kpis import Lang
from pilotage.services.slices import Slice

#: How many accounts the sales view suggests working next.
NEXT_BEST = 10
#: No row-level restriction: every member is seen.
EVERYONE = Slice()


class NextBestAccount(BaseModel):
    """A list account with no open opportunity, ranked by score: ``reasons`` are its
    largest score components."""

    model_config = ConfigDict(frozen=True)

    account_id: str
    name: str
    sales_owner: str | None
    score: float
    trend: float
    reasons: list[str]


class SalesView(BaseModel):
    """The list for sales: accounts by score, the next best accounts and the goals (empty
    with ``goals_withheld`` for a restricted user: they are about the whole list).
    ``hidden_accounts`` are members the asker's restriction hides."""

    model_config = ConfigDict(frozen=True)

    target_list: TargetListInfo
    scores: Scoreboard
    next_best: list[NextBestAccount]
    goals: list[GoalProgress]
    goals_withheld: bool
    hidden_accounts: int


class ComponentTotal(BaseModel):
    """One score component over the list: its ``points``, ``accounts`` with activity in
    it, ``count`` of activities, ``value`` it adds to the list's scores and its ``share``."""

    model_config = ConfigDict(frozen=True)

    component: Component
    name: str
    points: float
    accounts: int
    count: int
    value: float
    share: float | None


class ChannelContribution(BaseModel):
    """Per-deal credit of the list's deals to one channel: ``pipeline`` (opportunities
    created) and ``won`` (closed won), by the attribution model of the view."""

    model_config = ConfigDict(frozen=True)

    channel: str
    pipeline: float
    won: float
    deals: int


class CoverageGap(BaseModel):
    model_config = ConfigDict(frozen=True)

    gap: Gap
    definition: str
    accounts: list[str]
    names: list[str]


class MarketingView(BaseModel):
    """The list for marketing: every account's score explained, component totals, the
    pipeline and won amounts of the list's deals credited per channel (``model``; what no
    channel took is ``unattributed_*``), and coverage gaps."""

    model_config = ConfigDict(frozen=True)

    target_list: TargetListInfo
    scores: Scoreboard
    components: list[ComponentTotal]
    model: str
    lookback_days: int
    channels: list[ChannelContribution]
    pipeline_total: float
    won_total: float
    unattributed_pipeline: float
    unattributed_won: float
    gaps: list[CoverageGap]
    hidden_accounts: int


def _seen(activity: AccountActivity, members: Collection[str], scope: Slice) -> list[str]:
    return [
        a for a in members if visible(activity.accounts.get(a), scope.countries, scope.account_ids)
    ]


def sales_view(
    target_list: TargetListInfo,
    members: tuple[str, ...],
    activity: AccountActivity,
    model: ScoringModel,
    currency: str,
    goals: list[GoalProgress] | None,
    scope: Slice = EVERYONE,
    lang: Lang = "en",
) -> SalesView:
    """``goals`` is None when they are withheld (a restricted user)."""
    seen = _seen(activity, members, scope)
    board = scoreboard(activity, model, currency, seen, lang)
    best = [s for s in board.accounts if s.open_opportunities == 0 and s.score > 0]
    best.sort(key=lambda s: (-s.score, -s.trend, s.name))
    return SalesView(
        target_list=target_list,
        scores=board,
        next_best=[
            NextBestAccount(
                account_id=s.account_id,
                name=s.name,
                sales_owner=s.sales_owner,
                score=s.score,
                trend=s.trend,
                reasons=[c.name for c in s.components[:2] if c.value > 0],
            )
            for s in best[:NEXT_BEST]
        ],
        goals=goals or [],
        goals_withheld=goals is None,
        hidden_accounts=len(members) - len(seen),
    )


def component_totals(accounts: list[AccountScore], lang: Lang = "en") -> list[ComponentTotal]:
    index = 1 if lang == "fr" else 0
    total = sum(s.score for s in accounts)
    out = []
    points: dict[Component, float] = {}
    for name in COMPONENTS:
        parts = [c for s in accounts for c in s.components if c.component == name]
        if parts:
            points[name] = parts[0].points
        value = sum(c.value for c in parts)
        out.append(
            ComponentTotal(
                component=name,
                name=COMPONENT_NAMES[name][index],
                points=points.get(name, 0.0),
                accounts=sum(1 for c in parts if c.count),
                count=sum(c.count for c in parts),
                value=value,
                share=value / total if total else None,
            )
        )
    out.sort(key=lambda c: (-c.value, COMPONENTS.index(c.component)))
    return out


def channel_contributions(
    pipeline: DealCreditResult, won: DealCreditResult, accounts: Collection[str]
) -> tuple[list[ChannelContribution], float, float, float, float]:
    """Channels' credit over the deals of ``accounts`` (pipeline created and won), and the
    totals and unattributed amounts of each stage."""
    kept = set(accounts)
    values: dict[str, list[float]] = {}
    deals: dict[str, set[str]] = {}
    totals = [0.0, 0.0]
    unattributed = [0.0, 0.0]
    for stage, result in enumerate((pipeline, won)):
        for deal in result.deals:
            if deal.account_id not in kept:
                continue
            totals[stage] += deal.amount
            unattributed[stage] += deal.unattributed
            for c in deal.channels:
                values.setdefault(c.channel, [0.0, 0.0])[stage] += c.value
                deals.setdefault(c.channel, set()).add(deal.opportunity_id)
    rows = [
        ChannelContribution(channel=c, pipeline=v[0], won=v[1], deals=len(deals[c]))
        for c, v in values.items()
    ]
    rows.sort(key=lambda r: (-r.pipeline, -r.won, r.channel))
    return rows, totals[0], totals[1], unattributed[0], unattributed[1]


def marketing_view(
    target_list: TargetListInfo,
    members: tuple[str, ...],
    activity: AccountActivity,
    model: ScoringModel,
    currency: str,
    pipeline: DealCreditResult,
    won: DealCreditResult,
    scope: Slice = EVERYONE,
    lang: Lang = "en",
) -> MarketingView:
    index = 1 if lang == "fr" else 0
    seen = _seen(activity, members, scope)
    board = scoreboard(activity, model, currency, seen, lang)
    channels, pipeline_total, won_total, lost_pipeline, lost_won = channel_contributions(
        pipeline, won, seen
    )
    found: dict[Gap, list[AccountScore]] = {g: [] for g in GAPS}
    for s in board.accounts:
        facts = activity.accounts[s.account_id]
        for gap in gaps_of(activity.activity.get(s.account_id, {}), facts.people):
            found[gap].append(s)
    return MarketingView(
        target_list=target_list,
        scores=board,
        components=component_totals(board.accounts, lang),
        model=pipeline.model,
        lookback_days=pipeline.lookback_days,
        channels=channels,
        pipeline_total=pipeline_total,
        won_total=won_total,
        unattributed_pipeline=lost_pipeline,
        unattributed_won=lost_won,
        gaps=[
            CoverageGap(
                gap=g,
                definition=GAP_DEFINITIONS[g][index],
                accounts=[s.account_id for s in found[g]],
                names=[s.name for s in found[g]],
            )
            for g in GAPS
        ],
        hidden_accounts=len(members) - len(seen),
    )
