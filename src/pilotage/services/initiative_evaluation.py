"""Measure an initiative from the workspace: its plan's KPI over the plan's scope and window,
the before window, the method's estimate of the impact, and actual against expected side by
side (KPI, impact, cost, return, ROI, payback). Every KPI comes from the KPI engine."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from pilotage.core.experiments.options import AnalysisSettings
from pilotage.core.kpis.credit import CreditModel
from pilotage.core.metrics.registry import METRICS
from pilotage.core.mmm.posterior import FittedModel
from pilotage.core.planning.evaluation import (
    Verdict,
    before_window,
    controlled_counterfactual,
    verdict,
)
from pilotage.core.planning.metrics import default_direction
from pilotage.core.planning.plans import BusinessCase, MeasurementPlan
from pilotage.core.scenarios.economics import Economics, economics_from_cases
from pilotage.data.metadata.store import MetadataStore
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.errors import UsageError
from pilotage.services.experiment_results import stored_lifts
from pilotage.services.experiments import analyze_workspace
from pilotage.services.kpis import kpi_table
from pilotage.services.reports import last_data_day

Item = Literal["kpi", "impact", "cost", "return", "roi", "payback_months"]


class EconomicsInfo(BaseModel):
    """A business case's economics (``pilotage.core.scenarios.economics``): the return in a
    low / base / high case, ROI, break-even return, payback in months, P(ROI > 0)."""

    model_config = ConfigDict(frozen=True)

    cost: float
    expected_return: float
    return_low: float
    return_high: float
    roi: float | None
    roi_low: float | None
    roi_high: float | None
    break_even_return: float
    payback_months: float | None
    probability_roi_positive: float | None
    margin: float
    months: int

    @classmethod
    def of(cls, e: Economics) -> EconomicsInfo:
        return cls(
            cost=e.cost,
            expected_return=e.expected_return,
            return_low=e.return_low,
            return_high=e.return_high,
            roi=e.roi,
            roi_low=e.roi_low,
            roi_high=e.roi_high,
            break_even_return=e.break_even_return,
            payback_months=e.payback_months,
            probability_roi_positive=e.probability_roi_positive,
            margin=e.margin,
            months=e.months,
        )


class MmmEvidence(BaseModel):
    """The mix model's return per euro on the plan's channel (its 10th-90th percentiles),
    read from a fitted model (``pilotage mmm fit --save``)."""

    model_config = ConfigDict(frozen=True)

    roas: float = Field(ge=0)
    roas_low: float = Field(ge=0)
    roas_high: float = Field(ge=0)


class MethodResult(BaseModel):
    """The method's estimate of the KPI impact (``impact``), or, for the mix model, of the
    return (``return_low``/``return_high`` around it); ``how`` says what was computed."""

    model_config = ConfigDict(frozen=True)

    method: str
    how: str
    impact: float | None
    counterfactual: float | None = None
    control_before: float | None = None
    control_after: float | None = None
    experiment_id: str | None = None
    variant: str | None = None
    lift_abs: float | None = None
    lift_rel: float | None = None
    lift_ci_low: float | None = None
    lift_ci_high: float | None = None
    p_value: float | None = None
    experiment_decision: str | None = None
    modelled_return: float | None = None
    return_low: float | None = None
    return_high: float | None = None


class ComparisonRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    item: Item
    unit: str
    expected: float | None
    actual: float | None
    difference: float | None


class InitiativeEvaluation(BaseModel):
    """Actual against expected for one initiative, as of ``as_of`` (the last data day).
    ``complete`` is false while the data stops before the evaluation date."""

    model_config = ConfigDict(frozen=True)

    initiative_id: int
    computed_on: datetime.date
    as_of: datetime.date | None
    complete: bool
    currency: str
    kpi: str
    kpi_name: str
    kpi_unit: str
    scope: dict[str, list[str]]
    attribution_model: str
    start: datetime.date
    end: datetime.date
    before_start: datetime.date
    before_end: datetime.date
    actual: float | None
    before: float | None
    baseline: float
    target: float
    expected_impact: float
    measured_impact: float | None
    verdict: Verdict
    method: MethodResult
    return_metric: str
    actual_return: float | None
    actual_cost: float
    cost_source: Literal["workspace", "plan"]
    expected_economics: EconomicsInfo
    actual_economics: EconomicsInfo | None
    rows: list[ComparisonRow]
    notes: list[str]


def business_economics(plan: MeasurementPlan, case: BusinessCase) -> EconomicsInfo | None:
    """The case's economics at the plan's cost (None until both are there)."""
    if plan.cost is None or case.low is None or case.base is None or case.high is None:
        return None
    return EconomicsInfo.of(
        economics_from_cases(
            plan.cost, case.low, case.base, case.high, margin=case.margin, months=case.months
        )
    )


def kpi_value(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    metric: str,
    scope: Mapping[str, Sequence[str]],
    start: datetime.date,
    end: datetime.date,
    model: CreditModel = "last",
) -> float | None:
    """``metric`` over [start, end] within ``scope`` (None: its data can't be cut so)."""
    table = kpi_table(
        store, settings, metrics=[metric], start=start, end=end, filters=scope, model=model
    )
    if table.not_sliced.get(metric):
        return None
    return table.totals.get(metric)


def workspace_baseline(
    store: AnalyticsStore, settings: WorkspaceSettings, plan: MeasurementPlan
) -> float:
    """The plan's KPI over the window just before its own: the baseline the data gives."""
    if plan.kpi is None or plan.start is None or plan.evaluation_date is None:
        raise UsageError(
            "the baseline comes from the KPI over the window before the start",
            fix="give the plan's kpi, start and evaluation_date first",
        )
    first, last = before_window(plan.start, plan.evaluation_date)
    value = kpi_value(store, settings, plan.kpi, plan.scope, first, last, plan.attribution_model)
    if value is None:
        raise UsageError(
            f"{plan.kpi} can't be cut by the plan's scope {plan.scope}",
            fix="choose a scope its data has (see not_sliced in 'pilotage kpis')",
        )
    return value


def mmm_evidence(model: FittedModel, channel: str) -> MmmEvidence:
    """The channel's ROAS from a fitted mix model: mean and 10th-90th percentiles."""
    if channel not in model.channels:
        raise UsageError(
            f"the mix model has no channel {channel!r}",
            fix=f"its channels are {', '.join(model.channels)}; fix the plan's channel",
        )
    draws = model.draws["roas"][:, model.channels.index(channel)]
    low, high = np.percentile(draws, [10.0, 90.0])
    return MmmEvidence(roas=float(draws.mean()), roas_low=float(low), roas_high=float(high))


def measure(
    store: AnalyticsStore,
    meta: MetadataStore,
    settings: WorkspaceSettings,
    initiative_id: int,
    plan: MeasurementPlan,
    case: BusinessCase,
    *,
    today: datetime.date,
    mmm: MmmEvidence | None = None,
) -> InitiativeEvaluation:
    """Actual against expected for a complete plan and case, from the workspace as it is."""
    missing = plan.missing() + case.missing()
    if missing:
        raise UsageError(
            f"initiative {initiative_id} can't be measured: its plan or case lacks "
            + ", ".join(missing),
            fix="complete the plan and case first",
        )
    assert plan.kpi and plan.start and plan.evaluation_date and plan.method
    assert plan.baseline is not None and plan.target is not None and plan.cost is not None
    assert case.return_metric is not None
    if plan.method == "mmm" and mmm is None:
        raise UsageError(
            "the plan measures the impact with the mix model: its ROAS on the channel is needed",
            fix="fit and save the mix model first ('pilotage mmm fit'), or give its ROAS",
        )
    as_of = last_data_day(store)
    start, end = plan.start, plan.evaluation_date
    b_start, b_end = before_window(start, end)
    model = plan.attribution_model

    def value(
        metric: str, scope: Mapping[str, Sequence[str]], a: datetime.date, b: datetime.date
    ) -> float | None:
        return kpi_value(store, settings, metric, scope, a, b, model)

    actual = value(plan.kpi, plan.scope, start, end)
    before = value(plan.kpi, plan.scope, b_start, b_end)
    method = _method(store, meta, settings, plan, actual, before, mmm)
    cost_seen = value("cost", plan.scope, start, end) if plan.scope else None
    actual_cost = cost_seen if cost_seen else plan.cost
    returned = value(case.return_metric, plan.scope, start, end)
    if plan.method == "pre_post_control" and returned is not None:
        assert plan.control_scope is not None
        counter = controlled_counterfactual(
            value(case.return_metric, plan.scope, b_start, b_end) or 0.0,
            value(case.return_metric, plan.control_scope, b_start, b_end) or 0.0,
            value(case.return_metric, plan.control_scope, start, end) or 0.0,
        )
        returned = None if counter is None else returned - counter
    if plan.method == "mmm":
        assert mmm is not None
        returned = mmm.roas * actual_cost
    expected = business_economics(plan, case)
    assert expected is not None
    achieved = (
        EconomicsInfo.of(
            economics_from_cases(
                actual_cost, returned, returned, returned, margin=case.margin, months=case.months
            )
        )
        if returned is not None
        else None
    )
    metric = METRICS[plan.kpi]
    expected_impact = plan.target - plan.baseline
    notes = _notes(as_of, end, cost_seen, plan)
    return InitiativeEvaluation(
        initiative_id=initiative_id,
        computed_on=today,
        as_of=as_of,
        complete=as_of is not None and as_of >= end,
        currency=settings.reporting_currency,
        kpi=plan.kpi,
        kpi_name=metric.name_en,
        kpi_unit=metric.unit,
        scope=plan.scope,
        attribution_model=model,
        start=start,
        end=end,
        before_start=b_start,
        before_end=b_end,
        actual=actual,
        before=before,
        baseline=plan.baseline,
        target=plan.target,
        expected_impact=expected_impact,
        measured_impact=method.impact,
        verdict=verdict(method.impact, expected_impact, default_direction(plan.kpi)),
        method=method,
        return_metric=case.return_metric,
        actual_return=returned,
        actual_cost=actual_cost,
        cost_source="workspace" if cost_seen else "plan",
        expected_economics=expected,
        actual_economics=achieved,
        rows=_rows(metric.unit, plan, expected, achieved, actual, method.impact, returned),
        notes=notes,
    )


def _method(
    store: AnalyticsStore,
    meta: MetadataStore,
    settings: WorkspaceSettings,
    plan: MeasurementPlan,
    actual: float | None,
    before: float | None,
    mmm: MmmEvidence | None,
) -> MethodResult:
    assert plan.kpi and plan.start and plan.evaluation_date and plan.baseline is not None
    over_baseline = None if actual is None else actual - plan.baseline
    if plan.method == "attribution":
        return MethodResult(
            method="attribution",
            how=f"{plan.kpi} credited to the scope by the {plan.attribution_model} model "
            "over the window, minus the stated baseline",
            impact=over_baseline,
        )
    if plan.method == "pre_post_control":
        assert plan.control_scope is not None
        b_start, b_end = before_window(plan.start, plan.evaluation_date)
        model = plan.attribution_model
        c_before = kpi_value(store, settings, plan.kpi, plan.control_scope, b_start, b_end, model)
        c_after = kpi_value(
            store, settings, plan.kpi, plan.control_scope, plan.start, plan.evaluation_date, model
        )
        counter = (
            controlled_counterfactual(before, c_before, c_after)
            if before is not None and c_before is not None and c_after is not None
            else None
        )
        return MethodResult(
            method="pre_post_control",
            how="the scope after, minus the scope before scaled by the control group's "
            "change (proportional difference-in-differences)",
            impact=None if counter is None or actual is None else actual - counter,
            counterfactual=counter,
            control_before=c_before,
            control_after=c_after,
        )
    if plan.method == "experiment":
        assert plan.experiment_id is not None
        return _experiment(store, meta, plan.experiment_id, over_baseline, plan.kpi)
    assert mmm is not None and plan.cost is not None
    return MethodResult(
        method="mmm",
        how=f"the mix model's return per euro on {plan.channel} times the cost; the KPI "
        "impact is the KPI over the window minus the stated baseline",
        impact=over_baseline,
        modelled_return=mmm.roas * plan.cost,
        return_low=mmm.roas_low * plan.cost,
        return_high=mmm.roas_high * plan.cost,
    )


def _experiment(
    store: AnalyticsStore,
    meta: MetadataStore,
    experiment_id: str,
    over_baseline: float | None,
    kpi: str,
) -> MethodResult:
    """The best variant's lift: the latest saved analysis, else one made now (conversion
    rate, the defaults of ``pilotage experiment analyze``)."""
    saved = stored_lifts(meta, experiment_id).results
    how = (
        f"the A/B test {experiment_id} gives the causal lift; the KPI impact is {kpi} over "
        "the window minus the stated baseline"
    )
    if saved:
        latest = max(r.analysed_at for r in saved)
        best = max((r for r in saved if r.analysed_at == latest), key=lambda r: r.lift_abs)
        return MethodResult(
            method="experiment",
            how=how + " (lift as saved on " + latest.date().isoformat() + ")",
            impact=over_baseline,
            experiment_id=experiment_id,
            variant=best.variant,
            lift_abs=best.lift_abs,
            lift_rel=best.lift_rel,
            lift_ci_low=best.ci_low,
            lift_ci_high=best.ci_high,
            p_value=best.p_value,
            experiment_decision=best.decision,
        )
    analysis = analyze_workspace(store, experiment_id, "conversion", AnalysisSettings())
    variants = [v for v in analysis.variants if not v.is_control and v.lift_abs is not None]
    top = max(variants, key=lambda v: v.lift_abs or 0.0) if variants else None
    return MethodResult(
        method="experiment",
        how=how + " (conversion lift analysed now)",
        impact=over_baseline,
        experiment_id=experiment_id,
        variant=top.variant if top else None,
        lift_abs=top.lift_abs if top else None,
        lift_rel=top.lift_rel if top else None,
        lift_ci_low=top.ci_low if top else None,
        lift_ci_high=top.ci_high if top else None,
        p_value=top.p_value if top else None,
        experiment_decision=analysis.decision,
    )


def _rows(
    unit: str,
    plan: MeasurementPlan,
    expected: EconomicsInfo,
    achieved: EconomicsInfo | None,
    actual: float | None,
    impact: float | None,
    returned: float | None,
) -> list[ComparisonRow]:
    assert plan.target is not None and plan.baseline is not None
    pairs: list[tuple[Item, str, float | None, float | None]] = [
        ("kpi", unit, plan.target, actual),
        ("impact", unit, plan.target - plan.baseline, impact),
        ("cost", "currency", expected.cost, achieved.cost if achieved else None),
        ("return", "currency", expected.expected_return, returned),
        ("roi", "ratio", expected.roi, achieved.roi if achieved else None),
        (
            "payback_months",
            "months",
            expected.payback_months,
            achieved.payback_months if achieved else None,
        ),
    ]
    return [
        ComparisonRow(
            item=item,
            unit=u,
            expected=e,
            actual=a,
            difference=None if e is None or a is None else a - e,
        )
        for item, u, e, a in pairs
    ]


def _notes(
    as_of: datetime.date | None,
    end: datetime.date,
    cost_seen: float | None,
    plan: MeasurementPlan,
) -> list[str]:
    notes = []
    if as_of is None or as_of < end:
        notes.append(
            f"the data stops on {as_of}, before the end of the window ({end}): "
            "the figures are partial"
        )
    if not cost_seen:
        notes.append("no spend found for the scope in the workspace: the plan's cost is used")
    if plan.method == "attribution" and not plan.scope:
        notes.append("the scope is the whole company: attribution credits every touch to it")
    return notes
