"""The budget page: spend per channel and month, against the budgets campaigns declare."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from pilotage.core.kpis.periods import period_label, period_start
from pilotage.core.kpis.slices import spend_in_channels
from pilotage.core.metrics.registry import METRICS, safe_ratio
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.errors import ForbiddenError
from pilotage.services.kpis import Lang
from pilotage.services.results import MetricInfo
from pilotage.services.slices import Slice
from pilotage.services.tables import StoredTables, as_float


class MonthlySpend(BaseModel):
    model_config = ConfigDict(frozen=True)

    channel: str
    month: str
    cost: float


class ChannelBudget(BaseModel):
    model_config = ConfigDict(frozen=True)

    channel: str
    cost: float
    budget: float | None
    budgeted_cost: float
    budget_used: float | None


class BudgetView(BaseModel):
    model_config = ConfigDict(frozen=True)

    currency: str
    metrics: list[MetricInfo]
    months: list[str]
    monthly: list[MonthlySpend]
    channels: list[ChannelBudget]


def budget_view(
    store: AnalyticsStore, settings: WorkspaceSettings, sl: Slice, lang: Lang = "en"
) -> BudgetView:
    """Spend in the period by channel and month; per channel, the spend of campaigns that
    declare a budget set against that budget (a whole-flight budget: no monthly split is
    invented). Segments do not apply to spend; a restricted user (countries, accounts) is
    refused: spend can't be restricted, and the whole of it is not theirs to see."""
    if sl.restricted:
        raise ForbiddenError(
            "the budget page shows spend, which has no country or account: it can't be "
            "restricted to your scope, so it is not shown",
            fix="ask an admin for an unrestricted account to see spend and budgets",
        )
    tables = StoredTables(store)
    spend = spend_in_channels(tables["spend"], sl.channels)
    if sl.start is not None:
        spend = spend.filter(spend.date >= sl.start)
    if sl.end is not None:
        spend = spend.filter(spend.date <= sl.end)
    monthly_expr = spend.group_by("channel", month=period_start(spend.date, "month")).aggregate(
        cost=spend.cost.sum()
    )
    monthly = [
        MonthlySpend(
            channel=str(r["channel"]),
            month=period_label(r["month"], "month"),  # type: ignore[arg-type]
            cost=as_float(r["cost"]),
        )
        for r in tables.rows(monthly_expr)
    ]
    monthly.sort(key=lambda m: (m.month, m.channel))
    campaigns = tables["campaigns"]
    budgeted = campaigns.filter(campaigns.budget.notnull()).select(
        b_id="campaign_id", budget="budget"
    )
    by_campaign = spend.group_by("channel", "campaign_id").aggregate(cost=spend.cost.sum())
    joined = by_campaign.left_join(budgeted, by_campaign.campaign_id == budgeted.b_id)
    per_channel = joined.group_by("channel").aggregate(
        cost=joined.cost.sum(),
        budgeted_cost=joined.cost.sum(where=joined.b_id.notnull()),
        budget=joined.budget.sum(),
    )
    channels = []
    for r in tables.rows(per_channel):
        budget = as_float(r["budget"]) if r["budget"] is not None else None
        budgeted_cost = as_float(r["budgeted_cost"])
        channels.append(
            ChannelBudget(
                channel=str(r["channel"]),
                cost=as_float(r["cost"]),
                budget=budget,
                budgeted_cost=budgeted_cost,
                budget_used=safe_ratio(budgeted_cost, budget),
            )
        )
    channels.sort(key=lambda c: (-c.cost, c.channel))
    return BudgetView(
        currency=settings.reporting_currency,
        metrics=[MetricInfo.of(METRICS[m], lang) for m in ("cost", "budget", "budget_used")],
        months=sorted({m.month for m in monthly}),
        monthly=monthly,
        channels=channels,
    )
