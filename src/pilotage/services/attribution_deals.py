"""Per-deal attribution at account level: every opportunity's amount split over channels
and campaigns by one model, reconciled to the CRM's totals (see
:mod:`pilotage.core.attribution.deals`)."""

from __future__ import annotations

from collections.abc import Mapping

import ibis.expr.types as ir
from pydantic import BaseModel, ConfigDict

from pilotage.core.attribution.build import JourneySpec, deal_paths
from pilotage.core.attribution.deals import (
    DEAL_STAGES,
    CreditKey,
    Deal,
    DealStage,
    deal_outcomes,
    deal_totals,
    deal_touch_weights,
    linear_shares,
    path_credits,
    rule_credits,
    spread_by_channel_weights,
)
from pilotage.core.attribution.options import ModelOptions
from pilotage.core.attribution.registry import Model, model, weights_of
from pilotage.core.attribution.rules import position_fractions
from pilotage.core.attribution.run import attribute
from pilotage.core.kpis.credit import CREDIT_MODELS, CreditModel
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.errors import UsageError
from pilotage.services.attribution import JOURNEY_TABLES, journey_paths
from pilotage.services.attribution_sourcing import (
    DealFlags,
    SourcingSummary,
    account_sourcing,
    deal_sourcing,
)
from pilotage.services.tables import StoredTables, as_float, as_int

#: Largest |difference| the reconciliation tolerates (money rounding of float sums).
TOLERANCE = 1e-6
UNATTRIBUTED = "unattributed"

_RULE_METHOD = (
    "Rule model on each deal's touches (the account's and its people's, within the lookback "
    "window before the deal), the KPI engine's set-based weights; each deal's credits sum to "
    "its amount."
)
_DATA_METHOD = (
    "Data-driven model run on all account journeys of the stage; each channel's weight is "
    "its share of the credited value (of conversions when no value). Each deal's amount is "
    "split over the channels on its own path (its touches within the lookback window) in "
    "proportion to those weights restricted to these channels, then over a channel's "
    "campaigns in proportion to their touches. A deal whose channels all weigh 0 is "
    "unattributed."
)
_PATH_METHOD = (
    "Milestone model on each deal's own journey (touches after the account's previous deal "
    "of the stage, tagged with lead, opportunity and closed-won milestones); these paths "
    "carry no campaign (``campaigns`` is empty)."
)


class DealChannel(BaseModel):
    model_config = ConfigDict(frozen=True)

    channel: str
    value: float


class DealCampaign(BaseModel):
    """A campaign's credit within a deal (``campaign_id`` null: touches with no campaign)."""

    model_config = ConfigDict(frozen=True)

    channel: str
    campaign_id: str | None
    value: float


class DealCredit(BaseModel):
    """One deal: its amount split over ``channels`` (and ``campaigns``), plus what no
    channel could take (``unattributed``): they sum to ``amount``. ``sourced_*`` and
    ``influenced`` are the KPI engine's flags of the opportunity (null when unknown)."""

    model_config = ConfigDict(frozen=True)

    opportunity_id: str
    account_id: str
    amount: float
    unattributed: float
    channels: list[DealChannel]
    campaigns: list[DealCampaign]
    sourced_field: bool | None
    sourced_first_touch: bool | None
    sourced_pre_sales: bool | None
    influenced: bool | None


class ChannelDeals(BaseModel):
    """A channel's credit over all deals: ``value``, ``deals`` it has credit in, and
    ``share`` of the credited total."""

    model_config = ConfigDict(frozen=True)

    channel: str
    value: float
    deals: int
    share: float | None


class Reconciliation(BaseModel):
    """The credits against the CRM: ``crm_total`` (the opportunities table's amount of the
    stage's deals), ``credited_total`` (to channels), ``unattributed`` (deals with no touch,
    or no channel the model weights), ``difference`` = crm - credited - unattributed (0
    within ``tolerance``), and ``max_deal_difference`` (the largest per-deal gap)."""

    model_config = ConfigDict(frozen=True)

    crm_total: float
    crm_deals: int
    credited_total: float
    unattributed: float
    unattributed_deals: int
    difference: float
    max_deal_difference: float
    tolerance: float
    reconciled: bool


class DealCreditResult(BaseModel):
    """Per-deal credit of one model at one stage (``opportunity``: pipeline created,
    ``won``: won amount), with channel totals, the reconciliation and sourcing."""

    model_config = ConfigDict(frozen=True)

    model: str
    definition: str
    method: str
    stage: DealStage
    level: str
    lookback_days: int
    include_sales: bool
    currency: str
    deals: list[DealCredit]
    channels: list[ChannelDeals]
    reconciliation: Reconciliation
    sourcing: SourcingSummary
    warnings: list[str]


def deal_credits(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    *,
    model_name: str = "linear",
    stage: DealStage = "opportunity",
    lookback_days: int | None = None,
    include_sales: bool = True,
    options: ModelOptions | None = None,
) -> DealCreditResult:
    """Every deal of ``stage`` credited by ``model_name``, reconciled to the CRM."""
    chosen = model(model_name)
    if stage not in DEAL_STAGES:
        raise UsageError(f"unknown deal stage {stage!r}", fix="use opportunity or won")
    days = settings.lookback_days if lookback_days is None else lookback_days
    if not 1 <= days <= 730:
        raise UsageError(f"lookback of {days} days is not allowed", fix="use 1 to 730 days")
    opts = options or ModelOptions()
    stored = StoredTables(store)
    tables = {n: stored[n] for n in JOURNEY_TABLES}
    found = stored.rows(deal_outcomes(tables["opportunities"], stage))
    deals = {
        str(r["outcome_id"]): Deal(
            str(r["outcome_id"]), str(r["account_id"]), as_float(r["amount"])
        )
        for r in found
    }
    crm = stored.rows(deal_totals(tables["opportunities"], stage))[0]
    warnings: list[str] = []
    if chosen.name in CREDIT_MODELS:
        rule: CreditModel = chosen.name
        weights = deal_touch_weights(
            tables,
            stage,
            rule,
            days,
            half_life_days=opts.half_life_days,
            include_sales=include_sales,
        )
        credits = rule_credits(deals, _weights(stored, weights))
        method = _RULE_METHOD
    elif chosen.data_driven:
        spec = JourneySpec("account", (stage,), days, include_sales, with_ages=False)
        credits = _data_driven(store, stored, tables, spec, stage, chosen, opts, deals, warnings)
        method = _DATA_METHOD
    else:
        position = weights_of(chosen, opts)
        if position is None:
            raise UsageError(f"{chosen.name} needs weights", fix="pass --weights")
        spec = JourneySpec("account", (stage,), days, include_sales, with_ages=False)
        paths = deal_paths(tables, spec, stored.backend.to_pyarrow)
        credits = path_credits(deals, paths, position_fractions(paths.paths, position))
        method = _PATH_METHOD
    flags = deal_sourcing(store, settings)
    rows = _deal_rows(deals, credits, flags, with_campaigns=method != _PATH_METHOD)
    return DealCreditResult(
        model=chosen.name,
        definition=chosen.definition,
        method=method,
        stage=stage,
        level="account",
        lookback_days=days,
        include_sales=include_sales,
        currency=settings.reporting_currency,
        deals=rows,
        channels=_channel_totals(rows),
        reconciliation=_reconcile(rows, as_float(crm["amount"]), as_int(crm["deals"]), warnings),
        sourcing=account_sourcing(store, settings, flags),
        warnings=warnings,
    )


def _weights(
    stored: StoredTables, expr: ir.Table
) -> list[tuple[str, str | None, str | None, float]]:
    return [
        (
            str(r["outcome_id"]),
            None if r["channel"] is None else str(r["channel"]),
            None if r["campaign_id"] is None else str(r["campaign_id"]),
            as_float(r["weight"]),
        )
        for r in stored.rows(expr)
    ]


def _data_driven(
    store: AnalyticsStore,
    stored: StoredTables,
    tables: Mapping[str, ir.Table],
    spec: JourneySpec,
    stage: DealStage,
    chosen: Model,
    options: ModelOptions,
    deals: Mapping[str, Deal],
    warnings: list[str],
) -> dict[CreditKey, float]:
    paths, _ = journey_paths(store, spec)
    done = attribute(paths, chosen, options)
    warnings += [f"{chosen.name}: {w}" for w in done.warnings]
    c = done.credits
    basis = c.value if float(c.value.sum()) > 0 else c.conversions
    total = float(basis.sum())
    channel_weight = {name: float(v) / total for name, v in zip(c.channels, basis, strict=True)}
    if total <= 0:
        warnings.append(f"{chosen.name} credited nothing: every deal is unattributed")
    shares = linear_shares(tables, stage, spec.lookback_days, spec.include_sales)
    credits = spread_by_channel_weights(deals, _weights(stored, shares), channel_weight)
    zero = sum(1 for d, ch, _ in credits if ch is None and d in deals and deals[d].amount)
    if zero:
        warnings.append(
            f"{zero} deal(s) with no touch, or only channels this model gives no weight: "
            "their amount is unattributed"
        )
    return credits


def _deal_rows(
    deals: Mapping[str, Deal],
    credits: Mapping[CreditKey, float],
    flags: Mapping[str, DealFlags],
    *,
    with_campaigns: bool,
) -> list[DealCredit]:
    by_deal: dict[str, list[tuple[str | None, str | None, float]]] = {}
    for (deal, channel, campaign), value in credits.items():
        by_deal.setdefault(deal, []).append((channel, campaign, value))
    rows = []
    for deal_id in sorted(deals):
        one = deals[deal_id]
        parts = by_deal.get(deal_id, [])
        channels: dict[str, float] = {}
        campaigns: dict[tuple[str, str | None], float] = {}
        unattributed = 0.0
        for channel, campaign, value in parts:
            if channel is None:
                unattributed += value
            else:
                channels[channel] = channels.get(channel, 0.0) + value
                campaigns[(channel, campaign)] = campaigns.get((channel, campaign), 0.0) + value
        if not channels and not unattributed:
            unattributed = one.amount
        flag = flags.get(deal_id)
        rows.append(
            DealCredit(
                opportunity_id=deal_id,
                account_id=one.account_id,
                amount=one.amount,
                unattributed=unattributed,
                channels=[
                    DealChannel(channel=c, value=v)
                    for c, v in sorted(channels.items(), key=lambda kv: (-kv[1], kv[0]))
                ],
                campaigns=[
                    DealCampaign(channel=c, campaign_id=k, value=v)
                    for (c, k), v in sorted(
                        campaigns.items(), key=lambda kv: (-kv[1], kv[0][0], kv[0][1] or "")
                    )
                    if with_campaigns
                ],
                sourced_field=None if flag is None else flag.field,
                sourced_first_touch=None if flag is None else flag.first_touch,
                sourced_pre_sales=None if flag is None else flag.pre_sales,
                influenced=None if flag is None else flag.influenced,
            )
        )
    return rows


def _channel_totals(rows: list[DealCredit]) -> list[ChannelDeals]:
    value: dict[str, float] = {}
    count: dict[str, int] = {}
    for row in rows:
        for c in row.channels:
            value[c.channel] = value.get(c.channel, 0.0) + c.value
            count[c.channel] = count.get(c.channel, 0) + (1 if c.value else 0)
    total = sum(value.values())
    return [
        ChannelDeals(channel=c, value=v, deals=count[c], share=v / total if total else None)
        for c, v in sorted(value.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def _reconcile(
    rows: list[DealCredit], crm_total: float, crm_deals: int, warnings: list[str]
) -> Reconciliation:
    credited = sum(c.value for r in rows for c in r.channels)
    unattributed = sum(r.unattributed for r in rows)
    worst = max(
        (abs(r.amount - r.unattributed - sum(c.value for c in r.channels)) for r in rows),
        default=0.0,
    )
    difference = crm_total - credited - unattributed
    reconciled = abs(difference) <= TOLERANCE and worst <= TOLERANCE and crm_deals == len(rows)
    if not reconciled:
        warnings.append(
            f"credits do not reconcile with the CRM: difference {difference:g}, "
            f"largest per-deal gap {worst:g}, {len(rows)} deals credited of {crm_deals}"
        )
    return Reconciliation(
        crm_total=crm_total,
        crm_deals=crm_deals,
        credited_total=credited,
        unattributed=unattributed,
        unattributed_deals=sum(1 for r in rows if r.unattributed > TOLERANCE),
        difference=difference,
        max_deal_difference=worst,
        tolerance=TOLERANCE,
        reconciled=reconciled,
    )
