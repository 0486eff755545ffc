"""Experiment analysis use case: sufficient statistics -> tests -> the result objects the
CLI, the API and the experiments page show.

:class:`ExperimentResult` is the summary ``pilotage experiment analyze --format json``
prints; :class:`ExperimentAnalysis` extends it with everything behind it (method, interval
scale, checks, readouts in both languages) and is what the API and the page use.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from pilotage.core.experiments.analysis import Analysis, Comparison, analyze
from pilotage.core.experiments.decision import Decision, Verdict
from pilotage.core.experiments.metrics import DEFINITIONS
from pilotage.core.experiments.options import (
    METRICS,
    AnalysisSettings,
    Correction,
    Difference,
    Method,
    MetricKind,
    check_choice,
)
from pilotage.core.experiments.statistics import VariantSums
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.errors import UsageError
from pilotage.services.experiment_data import (
    ExperimentData,
    all_workspace_data,
    file_data,
    workspace_data,
)
from pilotage.services.experiment_readout import Lang, family_notes, readout


class VariantResult(BaseModel):
    """One variant. The control has no lift. ``ci_low``/``ci_high`` bound the absolute lift
    (the relative one with --relative) at 1 - alpha, by the method's interval; ``p_value``
    after the multiple-testing correction; ``chance_to_win`` = P(lift > 0); ``risk`` =
    expected loss of shipping the variant, in the metric's units (or relative)."""

    model_config = ConfigDict(frozen=True)

    variant: str
    units: int
    mean: float
    lift_abs: float | None
    lift_rel: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    chance_to_win: float | None
    risk: float | None


class ExperimentResult(BaseModel):
    """``decision``: ship (a variant wins), keep_control (every variant loses),
    inconclusive, or check_data (the split does not match the plan)."""

    model_config = ConfigDict(frozen=True)

    experiment_id: str
    metric: MetricKind
    srm_p_value: float
    decision: Decision
    readout: str
    variants: list[VariantResult]


class VariantDetail(VariantResult):
    """``verdict`` by the one decision rule; ``p_value_unadjusted`` before the correction;
    ``risk_control``: expected loss of keeping the control instead of this variant."""

    is_control: bool
    verdict: Verdict | None
    p_value_unadjusted: float | None
    risk_control: float | None
    planned_share: float
    observed_share: float


class CupedInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    theta: float
    variance_reduction: float
    units_without_pre_value: int
    imbalance_p_value: float | None


class ExperimentAnalysis(ExperimentResult):
    """The summary and what is behind it."""

    definition: str
    method: Method
    difference: Difference
    alternative: str
    alpha: float
    correction: Correction
    control: str
    winner: str | None
    split_planned: bool
    cuped: CupedInfo | None
    readout_fr: str
    readout_en: str
    first_exposure: datetime.datetime | None
    last_exposure: datetime.datetime | None
    variants: list[VariantDetail]  # type: ignore[assignment]

    def summary(self) -> ExperimentResult:
        """Exactly the fields of :class:`ExperimentResult` (the CLI's JSON)."""
        return ExperimentResult.model_validate(self.model_dump())


class ExperimentReadouts(BaseModel):
    """Every experiment of the workspace read with the defaults (the experiments page)."""

    model_config = ConfigDict(frozen=True)

    analyses: list[ExperimentAnalysis]
    problems: dict[str, str]


def check_data(data: ExperimentData, kind: MetricKind) -> None:
    """Refuse what the metric cannot be computed from, naming the columns to add."""
    check_choice("metric", kind, METRICS)
    where = f"{data.source}, experiment {data.experiment_id}"
    if data.bad_units:
        raise UsageError(
            f"{where}: {data.bad_units} aggregate row(s) have more conversions than units",
            fix="conversions count converting units: conversions <= units",
        )
    needs_conv = kind in ("conversion", "count", "ratio")
    if needs_conv and not any(v.conv_rows for v in data.variants):
        raise UsageError(
            f"{where}: missing columns for --metric {kind}",
            fix="give 'converted' (unit rows) or 'conversions' (aggregate rows)",
        )
    if kind in ("mean", "ratio"):
        if not any(v.value_rows for v in data.variants):
            raise UsageError(
                f"{where}: missing columns for --metric {kind}",
                fix="give 'value' (unit rows) or 'value_sum' and 'value_sum_squares' "
                "(aggregate rows)",
            )
        if any(v.value_sq_rows < v.value_rows for v in data.variants):
            raise UsageError(
                f"{where}: value_sum_squares is missing where value_sum is given",
                fix="add value_sum_squares (the sum of each unit's value squared)",
            )
    if kind == "conversion" and data.non_binary:
        raise UsageError(
            f"{where}: {data.non_binary} unit row(s) have 'converted' other than 0 or 1",
            fix="use --metric count for several conversions per unit",
        )


def with_shares(
    variants: tuple[VariantSums, ...], shares: Mapping[str, float]
) -> list[VariantSums]:
    """The variants with the planned shares given on the command line (they win over the
    file's ``planned_share``)."""
    unknown = sorted(set(shares) - {v.variant for v in variants})
    if unknown:
        raise UsageError(
            f"planned share for unknown variant(s) {', '.join(unknown)}",
            fix=f"name variants among: {', '.join(v.variant for v in variants)}",
        )
    return [replace(v, planned_share=shares.get(v.variant, v.planned_share)) for v in variants]


def analyze_data(
    data: ExperimentData,
    kinds: list[MetricKind],
    settings: AnalysisSettings,
    *,
    control: str | None = None,
    lang: Lang = "en",
    shares: Mapping[str, float] | None = None,
) -> list[ExperimentAnalysis]:
    """Each metric of ``kinds``, corrected together (one analysis per metric)."""
    if not kinds:
        raise UsageError(
            "no metric to analyse", fix="use --metric conversion, mean, ratio or count"
        )
    for kind in kinds:
        check_data(data, kind)
    variants = with_shares(data.variants, shares or {})
    analyses = analyze(variants, kinds, settings, control=control)
    langs: tuple[Lang, ...] = ("fr", "en")
    notes = {la: family_notes(analyses, la) for la in langs}
    out = []
    for a in analyses:
        texts = {la: " ".join([readout(a, la), *notes[la]]) for la in langs}
        out.append(_result(data, a, texts, lang))
    return out


def _variant(
    a: Analysis, sums: VariantSums, comparison: Comparison | None, index: int
) -> VariantDetail:
    mean = a.control_estimate.mean if comparison is None else comparison.estimate.mean
    c = comparison
    return VariantDetail(
        variant=sums.variant,
        units=round(sums.units),
        mean=mean,
        lift_abs=c.lift_abs if c else None,
        lift_rel=c.lift_rel if c else None,
        ci_low=c.low if c else None,
        ci_high=c.high if c else None,
        p_value=c.adjusted_p if c else None,
        chance_to_win=c.chance_to_win if c else None,
        risk=c.risk if c else None,
        is_control=c is None,
        verdict=c.verdict if c else None,
        p_value_unadjusted=c.p_value if c else None,
        risk_control=c.risk_control if c else None,
        planned_share=a.srm.expected[index],
        observed_share=a.srm.observed[index],
    )


def _result(
    data: ExperimentData, a: Analysis, texts: Mapping[Lang, str], lang: Lang
) -> ExperimentAnalysis:
    rows = [_variant(a, a.variants[0], None, 0)] + [
        _variant(a, s, c, i)
        for i, (s, c) in enumerate(zip(a.variants[1:], a.comparisons, strict=True), start=1)
    ]
    cuped = None
    if a.cuped is not None:
        cuped = CupedInfo(
            theta=a.cuped.theta,
            variance_reduction=a.cuped.reduction,
            units_without_pre_value=round(sum(v.pre_missing for v in a.variants)),
            imbalance_p_value=a.imbalance_p,
        )
    winner = a.winner
    return ExperimentAnalysis(
        experiment_id=data.experiment_id,
        metric=a.kind,
        srm_p_value=a.srm.p_value,
        decision=a.decision,
        readout=texts[lang],
        variants=rows,
        definition=DEFINITIONS[a.kind],
        method=a.settings.method,
        difference=a.settings.difference,
        alternative=a.settings.alternative,
        alpha=a.settings.alpha,
        correction=a.settings.correction,
        control=a.control,
        winner=winner.variant if winner else None,
        split_planned=a.srm.planned,
        cuped=cuped,
        readout_fr=texts["fr"],
        readout_en=texts["en"],
        first_exposure=data.first_exposure,
        last_exposure=data.last_exposure,
    )


def analyze_file(
    path: Path,
    kind: MetricKind,
    settings: AnalysisSettings,
    *,
    experiment_id: str | None = None,
    control: str | None = None,
    lang: Lang = "en",
    shares: Mapping[str, float] | None = None,
) -> ExperimentAnalysis:
    data = file_data(path, experiment_id)
    return analyze_data(data, [kind], settings, control=control, lang=lang, shares=shares)[0]


def analyze_workspace(
    store: AnalyticsStore,
    experiment_id: str,
    kind: MetricKind,
    settings: AnalysisSettings,
    *,
    control: str | None = None,
    lang: Lang = "en",
    shares: Mapping[str, float] | None = None,
) -> ExperimentAnalysis:
    data = workspace_data(store, experiment_id)
    return analyze_data(data, [kind], settings, control=control, lang=lang, shares=shares)[0]


def default_metrics(data: ExperimentData) -> list[MetricKind]:
    """What the page reads without being asked: the conversion rate when conversions are
    given, and the value per unit when values are."""
    kinds: list[MetricKind] = []
    if any(v.conv_rows for v in data.variants):
        kinds.append("conversion" if not data.non_binary else "count")
    if any(v.value_rows for v in data.variants) and all(
        v.value_sq_rows >= v.value_rows for v in data.variants
    ):
        kinds.append("mean")
    return kinds


def experiment_readouts(store: AnalyticsStore, settings: WorkspaceSettings) -> ExperimentReadouts:
    """Every experiment with its default metrics (corrected together, Holm), frequentist at
    95 %, control = first variant alphabetically. An experiment that cannot be read is
    listed in ``problems`` with the reason, never dropped silently."""
    analyses: list[ExperimentAnalysis] = []
    problems: dict[str, str] = {}
    for data in all_workspace_data(store):
        try:
            analyses += analyze_data(data, default_metrics(data), AnalysisSettings())
        except UsageError as refused:
            problems[data.experiment_id] = str(refused)
    return ExperimentReadouts(analyses=analyses, problems=problems)
