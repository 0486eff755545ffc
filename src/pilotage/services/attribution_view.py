"""The attribution page: revenue credited to channels by every model side by side, where
they disagree, and the ROI each model gives.

The rule models come from the KPI engine (the same credited revenue and ROI as `pilotage
kpis --model`), within the page's filters. The data-driven models (Markov order 1, exact
Shapley) credit the workspace's journeys to a conversion (all history); their share of
value per channel is applied to the attributed revenue of the same window, so that every
column is in revenue and sums to the same attributed total. They are shown only without
row filters (their journeys have no segment or restriction).
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from pilotage.core.attribution.options import ModelOptions
from pilotage.core.kpis.credit import CREDIT_MODELS, UNATTRIBUTED, CreditModel
from pilotage.core.metrics.registry import METRICS, safe_ratio
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.errors import UsageError
from pilotage.services.attribution import journey_paths, journey_spec, run_model
from pilotage.services.kpis import Lang, channel_kpis
from pilotage.services.results import KpiTable, MetricInfo
from pilotage.services.slices import Slice

CREDIT_METRICS = ("revenue", "attributed_orders", "revenue_share")
#: Data-driven models shown beside the rule models.
DATA_DRIVEN = ("markov", "shapley")
#: A channel is flagged when its most generous model credits it this many times its least.
DISAGREEMENT = 1.5
_MEASURES = ("attributed_revenue", "revenue", "orders", "cost")


class CreditRow(BaseModel):
    """One channel: last-touch revenue, orders and share (``revenue`` includes the
    ``unattributed`` row), its cost, and under each model the revenue credited and ROI."""

    model_config = ConfigDict(frozen=True)

    channel: str
    revenue: float
    attributed_orders: int
    revenue_share: float | None
    cost: float | None
    by_model: dict[str, float | None]
    roi_by_model: dict[str, float | None]
    #: (max - min) / mean of the models' credit; None for unattributed.
    spread: float | None
    disagree: bool


class AttributionView(BaseModel):
    model_config = ConfigDict(frozen=True)

    rule: str
    lookback_days: int
    currency: str
    metrics: list[MetricInfo]
    cost_metric: MetricInfo
    roi_metric: MetricInfo
    models: list[str]
    rows: list[CreditRow]
    total_revenue: float
    total_orders: int
    attributed_revenue: float
    warnings: list[str]


def attribution_view(
    store: AnalyticsStore, settings: WorkspaceSettings, sl: Slice, lang: Lang = "en"
) -> AttributionView:
    by_rule = {model: _kpis(store, settings, sl, lang, model) for model in CREDIT_MODELS}
    last = by_rule["last"]
    attributed = float(last.totals["attributed_revenue"] or 0.0)
    credits: dict[str, dict[str, float]] = {
        model: {str(r["channel"]): float(r["attributed_revenue"] or 0.0) for r in t.rows}
        for model, t in by_rule.items()
    }
    warnings: list[str] = []
    filtered = bool(sl.channels or sl.segments) or sl.restricted
    if filtered:
        warnings.append("data-driven models are shown without channel, segment or restriction")
    else:
        for name, shares in _data_driven_shares(store, settings, warnings).items():
            credits[name] = {c: share * attributed for c, share in shares.items()}
    models = list(credits)
    total_revenue = float(last.totals["revenue"] or 0.0)
    rows = [
        _row(r, credits, models, total_revenue)
        for r in last.rows
        if r["revenue"] or r["cost"] or any(credits[m].get(str(r["channel"])) for m in models)
    ]
    rows.sort(key=lambda r: (-r.revenue, r.channel))
    return AttributionView(
        rule="last_touch",
        lookback_days=settings.lookback_days,
        currency=settings.reporting_currency,
        metrics=[MetricInfo.of(METRICS[m], lang) for m in CREDIT_METRICS],
        cost_metric=MetricInfo.of(METRICS["cost"], lang),
        roi_metric=MetricInfo.of(METRICS["roi"], lang),
        models=models,
        rows=rows,
        total_revenue=total_revenue,
        total_orders=round(float(last.totals["orders"] or 0.0)),
        attributed_revenue=attributed,
        warnings=warnings,
    )


def _kpis(
    store: AnalyticsStore, settings: WorkspaceSettings, sl: Slice, lang: Lang, model: CreditModel
) -> KpiTable:
    return channel_kpis(
        store,
        settings,
        start=sl.start,
        end=sl.end,
        lang=lang,
        channels=sl.channels,
        segments=sl.segments,
        countries=sl.countries,
        account_ids=sl.account_ids,
        metrics=_MEASURES,
        model=model,
    )


def _data_driven_shares(
    store: AnalyticsStore, settings: WorkspaceSettings, warnings: list[str]
) -> dict[str, dict[str, float]]:
    """Model -> each channel's share of the attributed value, from one build of the
    workspace's journeys."""
    try:
        paths, _ = journey_paths(store, journey_spec(store, settings))
    except UsageError as refused:
        warnings.append(f"data-driven models not run: {refused.message}")
        return {}
    shares: dict[str, dict[str, float]] = {}
    for name in DATA_DRIVEN:
        try:
            result = run_model(paths, name, ModelOptions())
        except UsageError as refused:
            warnings.append(f"{name} not run: {refused.message}")
            continue
        total = sum(c.value for c in result.channels)
        if total <= 0:
            warnings.append(f"{name}: no converting journey with value")
            continue
        shares[name] = {c.channel: c.value / total for c in result.channels}
    return shares


def _row(
    r: dict[str, object],
    credits: dict[str, dict[str, float]],
    models: Sequence[str],
    total_revenue: float,
) -> CreditRow:
    channel = str(r["channel"])
    cost = r["cost"] if isinstance(r["cost"], float) else None
    revenue = float(r["revenue"]) if isinstance(r["revenue"], int | float) else 0.0
    by_model: dict[str, float | None] = {m: credits[m].get(channel, 0.0) for m in models}
    values = [v for v in by_model.values() if v is not None]
    spread = None
    if channel != UNATTRIBUTED and values:
        mean = sum(values) / len(values)
        spread = safe_ratio(max(values) - min(values), mean)
    low, high = (min(values), max(values)) if values else (0.0, 0.0)
    orders = r["orders"]
    return CreditRow(
        channel=channel,
        revenue=revenue,
        attributed_orders=round(float(orders)) if isinstance(orders, int | float) else 0,
        revenue_share=safe_ratio(revenue, total_revenue),
        cost=cost,
        by_model=by_model if channel != UNATTRIBUTED else dict.fromkeys(models),
        roi_by_model={
            m: safe_ratio(v - cost, cost) if v is not None and cost is not None else None
            for m, v in by_model.items()
        },
        spread=spread,
        disagree=channel != UNATTRIBUTED and high > DISAGREEMENT * low,
    )
