"""Mix model use cases: the weekly table (KPI engine or a file), business priors, experiment
lifts (saved analyses or a file), the fit with its checks, holdout validation, contributions,
ROAS/ROI/CPA with 90 % intervals, decomposition over time and response curves.

JAX is imported only when a model is fitted (``pilotage.core.mmm.model``)."""

from __future__ import annotations

import csv
import datetime
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict

from pilotage.core.metrics.registry import METRICS
from pilotage.core.mmm import outputs
from pilotage.core.mmm.calibration import ExperimentLift, lift_from_experiment, lift_from_totals
from pilotage.core.mmm.checks import Finding, negative_baseline, pre_fit_checks, prior_driven
from pilotage.core.mmm.design import MIN_WEEKS, WeeklyData, build_design, event_columns
from pilotage.core.mmm.periods import weekly_table
from pilotage.core.mmm.posterior import FittedModel
from pilotage.core.mmm.spec import KpiKind, LiftCalibration, ModelSpec, RoasPrior
from pilotage.data.metadata.store import MetadataStore
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.errors import InputError, RowError, UsageError
from pilotage.services.experiment_results import stored_lifts
from pilotage.services.kpis import kpi_table

#: The workspace KPI by default: new people (leads and sign-ups), which paid media drives
#: within weeks; total revenue of a subscription business mostly is not.
DEFAULT_TARGET = "leads"


class MmmChannel(BaseModel):
    """One channel's results; ``*_ci_low``/``*_ci_high`` bound the 90 % credible interval.
    ``roas`` is incremental KPI per euro (conversions per euro for a conversions KPI)."""

    model_config = ConfigDict(frozen=True)

    channel: str
    spend: float
    prior_roas_low: float
    prior_roas_high: float
    calibrated: bool
    roas: float
    roas_median: float
    roas_ci_low: float
    roas_ci_high: float
    roi: float | None
    roi_ci_low: float | None
    roi_ci_high: float | None
    contribution: float
    contribution_ci_low: float
    contribution_ci_high: float
    contribution_share: float
    contribution_share_ci_low: float
    contribution_share_ci_high: float
    mroas: float
    mroas_ci_low: float
    mroas_ci_high: float
    cpa: float | None
    cpa_ci_low: float | None
    cpa_ci_high: float | None


class MmmCheck(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    channels: list[str]
    text: str
    text_fr: str


class MmmDiagnostics(BaseModel):
    """``status`` good, caution or unreliable; ``warnings`` lists the sampler's problems
    then every check's text (English), ``checks`` the checks in both languages."""

    model_config = ConfigDict(frozen=True)

    status: str
    rhat_max: float
    ess_min: float
    divergences: int
    warnings: list[str]
    checks: list[MmmCheck]


class MmmFit(BaseModel):
    """Fit of the posterior predictive on ``weeks`` weeks: ``on`` holdout or in_sample;
    ``coverage`` is the share of weeks inside the 90 % predictive interval."""

    model_config = ConfigDict(frozen=True)

    mape: float
    r2: float
    coverage: float
    weeks: int
    on: str


class MmmWeek(BaseModel):
    """One week of the decomposition: the KPI, the fitted KPI (90 % interval) and its parts
    (``trend`` with the level, ``seasonality``, ``holidays``, ``control:<name>``, channels)."""

    model_config = ConfigDict(frozen=True)

    week: datetime.date
    actual: float
    fitted: float
    fitted_ci_low: float
    fitted_ci_high: float
    holdout: bool
    parts: dict[str, float]


class MmmCurve(BaseModel):
    """Steady-state incremental KPI per week against spend per week (EUR), 90 % interval."""

    model_config = ConfigDict(frozen=True)

    channel: str
    current_weekly_spend: float
    weekly_spend: list[float]
    response: list[float]
    response_ci_low: list[float]
    response_ci_high: list[float]


class MmmLift(BaseModel):
    model_config = ConfigDict(frozen=True)

    channel: str
    source: str
    start: datetime.date | None
    end: datetime.date | None
    roas: float
    std_error: float


class MmmSettings(BaseModel):
    model_config = ConfigDict(frozen=True)

    target: str
    adstock: str
    saturation: str
    max_lag: int
    fourier_order: int
    trend_changepoints: int
    holidays: str | None
    controls: list[str]
    draws: int
    warmup: int
    chains: int
    holdout_weeks: int


class MmmResult(BaseModel):
    """``pilotage mmm fit --format json``: intervals are 90 % credible intervals."""

    model_config = ConfigDict(frozen=True)

    channels: list[MmmChannel]
    diagnostics: MmmDiagnostics
    fit: MmmFit
    fit_in_sample: MmmFit
    kpi: str
    weeks: int
    first_week: datetime.date
    last_week: datetime.date
    seed: int
    settings: MmmSettings
    lifts: list[MmmLift]
    lifts_skipped: list[str]
    decomposition: list[MmmWeek]
    response_curves: list[MmmCurve]


def target_kind(metric_id: str) -> KpiKind:
    """``revenue`` for a money metric, ``conversions`` for a count; only additive metrics
    (a weekly ratio cannot be split into channel contributions)."""
    metric = METRICS.get(metric_id)
    if metric is None:
        raise UsageError(f"unknown metric {metric_id!r}", fix="see 'pilotage metrics'")
    if metric.kind != "additive":
        additive = sorted(m.id for m in METRICS.values() if m.kind == "additive")
        raise UsageError(
            f"metric {metric_id!r} is a {metric.kind}; a mix model needs an additive KPI",
            fix=f"use one of {', '.join(additive)}",
        )
    return "revenue" if metric.unit == "currency" else "conversions"


def workspace_weekly(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    channels: Sequence[str] = (),
    target: str = DEFAULT_TARGET,
) -> WeeklyData:
    """Weekly ``target`` (a KPI-engine metric) and spend per paid channel; the first and last
    weeks of the data, usually partial, are left out."""
    target_kind(target)
    cost = kpi_table(store, settings, metrics=["cost"], by=["channel"], period="week")
    kpi = kpi_table(store, settings, metrics=[target], period="week")
    weeks = sorted({_monday(str(r["period"])) for r in kpi.rows})
    if not weeks:
        raise UsageError(f"the workspace has no {target} yet", fix="import data first")
    index = {w: i for i, w in enumerate(weeks)}
    spent: dict[str, np.ndarray] = {}
    for row in cost.rows:
        value = row.get("cost")
        week = _monday(str(row["period"]))
        if value and week in index:
            arr = spent.setdefault(str(row["channel"]), np.zeros(len(weeks)))
            arr[index[week]] += float(str(value))
    names = tuple(channels) or tuple(sorted(c for c, v in spent.items() if v.sum() > 0))
    missing = [c for c in names if c not in spent]
    if missing or not names:
        raise UsageError(f"no spend for channels {missing}", fix=f"use {sorted(spent)}")
    values = np.zeros(len(weeks))
    for row in kpi.rows:
        values[index[_monday(str(row["period"]))]] = float(str(row.get(target) or 0.0))
    keep = slice(1, len(weeks) - 1) if len(weeks) > 4 else slice(None)
    return _table(
        tuple(weeks[keep]), values[keep], names, np.column_stack([spent[c] for c in names])[keep]
    )


def _table(
    weeks: tuple[datetime.date, ...], target: np.ndarray, names: tuple[str, ...], spend: np.ndarray
) -> WeeklyData:
    try:
        return WeeklyData(weeks, target, names, spend)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc


def _monday(label: str) -> datetime.date:
    return datetime.date.fromisoformat(f"{label}-1" if "-W" in label else label)


def read_weekly_file(
    path: Path, date_col: str, target: str, channels: Sequence[str], controls: Sequence[str] = ()
) -> WeeklyData:
    """A CSV with one row per week (or per day, summed into ISO weeks): date, KPI, spend
    per channel, controls."""
    _, records = _csv_rows(path, [date_col, target, *channels, *controls])
    errors: list[RowError] = []
    rows: list[tuple[datetime.date, list[float]]] = []
    cols = [target, *channels, *controls]
    for line, rec in records:
        try:
            day = datetime.date.fromisoformat(rec[date_col].strip())
        except ValueError:
            errors.append(RowError(line, date_col, rec[date_col], "not a date", "YYYY-MM-DD"))
            continue
        values = []
        for c in cols:
            try:
                values.append(float(rec[c]))
            except (TypeError, ValueError):
                errors.append(RowError(line, c, rec[c], "not a number", "write 0 for none"))
                values.append(0.0)
                continue
            if c in channels and values[-1] < 0:
                errors.append(RowError(line, c, rec[c], "negative spend", "spend is >= 0"))
        rows.append((day, values))
    if errors:
        raise InputError(str(path), errors)
    rows.sort(key=lambda r: r[0])
    arr = np.array([v for _, v in rows], dtype=np.float64).reshape(len(rows), len(cols))
    try:
        return weekly_table(
            [d for d, _ in rows],
            arr[:, 0],
            tuple(channels),
            arr[:, 1 : 1 + len(channels)],
            tuple(controls),
            arr[:, 1 + len(channels) :] if controls else None,
        )
    except ValueError as exc:
        raise InputError(str(path), [RowError(None, date_col, None, str(exc))]) from exc


def _csv_rows(
    path: Path, needed: Sequence[str]
) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    if not path.is_file():
        raise UsageError(f"file {path} does not exist")
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        header = list(reader.fieldnames or [])
        absent = [c for c in needed if c not in header]
        if absent:
            raise InputError(
                str(path),
                [RowError(1, c, None, "missing column", f"columns are {header}") for c in absent],
            )
        return header, list(enumerate(reader, start=2))


def with_events(
    data: WeeklyData, events: Mapping[str, tuple[datetime.date, datetime.date | None]]
) -> WeeklyData:
    """The table with one control per one-off event (``event:<name>``): its weeks, or every
    week from its start when it has no end (a lasting change)."""
    if not events:
        return data
    names = tuple(f"event:{name}" for name in events)
    try:
        return data.with_controls(names, event_columns(data.weeks, events))
    except ValueError as exc:
        raise UsageError(str(exc), fix="give each event its own name") from exc


def business_priors(
    kpi: KpiKind,
    roas: Mapping[str, tuple[float, float]] | None = None,
    roi: Mapping[str, tuple[float, float]] | None = None,
    cpa: Mapping[str, tuple[float, float]] | None = None,
) -> dict[str, RoasPrior]:
    """Each channel's 90 % range, stated as ROAS, ROI (revenue KPI) or CPA (conversions)."""
    if roi and kpi != "revenue":
        raise UsageError("an ROI range needs a revenue KPI", fix="state a CPA or ROAS range")
    if cpa and kpi != "conversions":
        raise UsageError("a CPA range needs a conversions KPI", fix="state an ROI or ROAS range")
    out: dict[str, RoasPrior] = {}
    makers = ((roas, RoasPrior), (roi, RoasPrior.from_roi), (cpa, RoasPrior.from_cpa))
    for ranges, make in makers:
        for channel, (low, high) in (ranges or {}).items():
            if channel in out:
                raise UsageError(f"two ranges for {channel}", fix="state one range per channel")
            try:
                out[channel] = make(low, high)
            except ValueError as exc:
                raise UsageError(f"{channel}: {exc}") from exc
    return out


def read_lift_file(path: Path, data: WeeklyData) -> list[LiftCalibration]:
    """A CSV of lift tests: ``channel``, ``start``, ``end`` (dates), ``lift`` (incremental
    KPI over those days), ``std_error`` (of the lift) and optionally ``spend`` (EUR behind
    the lift; default the channel's spend in the table over those weeks)."""
    header, records = _csv_rows(path, ["channel", "start", "end", "lift", "std_error"])
    errors: list[RowError] = []
    out: list[LiftCalibration] = []
    for line, rec in records:
        try:
            start = datetime.date.fromisoformat(rec["start"].strip())
            end = datetime.date.fromisoformat(rec["end"].strip())
        except ValueError:
            errors.append(RowError(line, "start", rec["start"], "not a date", "YYYY-MM-DD"))
            continue
        try:
            lift, se = float(rec["lift"]), float(rec["std_error"])
            spend = float(rec["spend"]) if "spend" in header and rec["spend"].strip() else None
        except ValueError:
            errors.append(RowError(line, "lift", rec["lift"], "not a number"))
            continue
        channel = rec["channel"].strip()
        try:
            out.append(
                lift_from_totals(
                    data, channel, lift, se, start, end, spend, f"{path.name} line {line}"
                )
            )
        except ValueError as exc:
            errors.append(RowError(line, "channel", channel, str(exc)))
    if errors:
        raise InputError(str(path), errors)
    return out


def saved_lifts(
    meta: MetadataStore, data: WeeklyData, kpi: KpiKind
) -> tuple[list[LiftCalibration], list[str]]:
    """The latest saved analysis of each experiment variant linked to one of the table's
    channels, as ROAS observations; the reasons the others could not serve."""
    latest: dict[tuple[str, str], ExperimentLift] = {}
    for r in sorted(stored_lifts(meta).results, key=lambda r: r.analysed_at):
        if r.channel is None or r.channel not in data.channels:
            continue
        latest[(r.experiment_id, r.variant)] = ExperimentLift(
            source=f"{r.experiment_id} {r.variant}",
            channel=r.channel,
            metric=r.metric,
            difference=r.difference,
            alpha=r.alpha,
            units=r.units,
            control_mean=r.control_mean,
            lift_abs=r.lift_abs,
            ci_low=r.ci_low,
            ci_high=r.ci_high,
            start=r.started_at.date() if r.started_at else None,
            end=r.ended_at.date() if r.ended_at else None,
        )
    lifts: list[LiftCalibration] = []
    skipped: list[str] = []
    for e in latest.values():
        try:
            lifts.append(lift_from_experiment(data, kpi, e))
        except ValueError as exc:
            skipped.append(str(exc))
    return lifts, skipped


def pre_fit(data: WeeklyData) -> list[MmmCheck]:
    """The checks that need no fit: collinear, flat or unidentifiable channels."""
    return [_check(f) for f in pre_fit_checks(data)]


def fit_mmm(
    data: WeeklyData,
    spec: ModelSpec,
    *,
    holdout_weeks: int = 0,
    target: str = "",
    lifts_skipped: Sequence[str] = (),
) -> tuple[FittedModel, MmmResult]:
    """Check, fit (leaving the last ``holdout_weeks`` out of the fit), summarise."""
    from pilotage.core.mmm.model import fit  # JAX is set up on this import only

    fitted = _fitted_weeks(data, holdout_weeks)
    try:
        model = fit(data, spec, fitted)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    return model, summarise(model, data, spec, holdout_weeks, target, lifts_skipped)


def _fitted_weeks(data: WeeklyData, holdout_weeks: int) -> int:
    fitted = data.n_weeks - holdout_weeks
    if holdout_weeks < 0 or fitted < MIN_WEEKS:
        raise UsageError(
            f"{holdout_weeks} holdout weeks leave {fitted} of {data.n_weeks} weeks to fit",
            fix=f"keep at least {MIN_WEEKS} weeks to fit (holdout 0 to "
            f"{max(0, data.n_weeks - MIN_WEEKS)})",
        )
    return fitted


def summarise(
    model: FittedModel,
    data: WeeklyData,
    spec: ModelSpec,
    holdout_weeks: int = 0,
    target: str = "",
    lifts_skipped: Sequence[str] = (),
) -> MmmResult:
    design = build_design(data, spec, _fitted_weeks(data, holdout_weeks))
    parts = outputs.decomposition(model, design, data)
    media = sum((parts.parts[c] for c in model.channels), np.zeros(data.n_weeks))
    fitted = design.train > 0
    findings = (
        pre_fit_checks(data)
        + prior_driven(model.channels, model.draws["roas"], design.roas_sigma)
        + negative_baseline((parts.fitted - media)[fitted])
    )
    in_sample = _fit(outputs.fit_quality(model, design, data, seed=spec.seed), "in_sample")
    d = model.diagnostics
    calibrated = {lift.channel for lift in spec.calibration}
    results = outputs.channel_results(model, design, data)
    return MmmResult(
        channels=[
            _channel(r, p, r.channel in calibrated)
            for r, p in zip(results, design.priors, strict=True)
        ],
        diagnostics=MmmDiagnostics(
            status=d.status,
            rhat_max=round(d.rhat_max, 4),
            ess_min=round(d.ess_min, 1),
            divergences=d.divergences,
            warnings=[*d.warnings, *(f.en for f in findings)],
            checks=[_check(f) for f in findings],
        ),
        fit=_fit(outputs.fit_quality(model, design, data, holdout=True, seed=spec.seed), "holdout")
        if holdout_weeks
        else in_sample,
        fit_in_sample=in_sample,
        kpi=model.kpi,
        weeks=data.n_weeks,
        first_week=data.weeks[0],
        last_week=data.weeks[-1],
        seed=spec.seed,
        settings=MmmSettings(
            target=target,
            adstock=spec.adstock,
            saturation=spec.saturation,
            max_lag=spec.max_lag,
            fourier_order=spec.fourier_order,
            trend_changepoints=design.n_trend - 1,
            holidays=spec.holidays,
            controls=list(data.control_names),
            draws=spec.draws,
            warmup=spec.warmup,
            chains=spec.chains,
            holdout_weeks=holdout_weeks,
        ),
        lifts=[
            MmmLift(
                channel=x.channel,
                source=x.source,
                start=x.start,
                end=x.end,
                roas=x.roas,
                std_error=x.std_error,
            )
            for x in spec.calibration
        ],
        lifts_skipped=list(lifts_skipped),
        decomposition=[
            MmmWeek(
                week=w,
                actual=float(data.target[t]),
                fitted=float(parts.fitted[t]),
                fitted_ci_low=float(parts.fitted_low[t]),
                fitted_ci_high=float(parts.fitted_high[t]),
                holdout=not fitted[t],
                parts={k: float(v[t]) for k, v in parts.parts.items()},
            )
            for t, w in enumerate(data.weeks)
        ],
        response_curves=[
            MmmCurve(
                channel=c.channel,
                current_weekly_spend=c.current_weekly_spend,
                weekly_spend=c.weekly_spend.tolist(),
                response=c.mean.tolist(),
                response_ci_low=c.low.tolist(),
                response_ci_high=c.high.tolist(),
            )
            for c in outputs.response_curves(model)
        ],
    )


def _fit(q: outputs.FitQuality, on: str) -> MmmFit:
    return MmmFit(mape=q.mape, r2=q.r2, coverage=q.coverage, weeks=q.weeks, on=on)


def _check(f: Finding) -> MmmCheck:
    return MmmCheck(code=f.code, channels=list(f.channels), text=f.en, text_fr=f.fr)


def _channel(r: outputs.ChannelResult, prior: RoasPrior, calibrated: bool) -> MmmChannel:
    return MmmChannel(
        channel=r.channel,
        spend=round(r.spend, 2),
        prior_roas_low=prior.low,
        prior_roas_high=prior.high,
        calibrated=calibrated,
        roas=r.roas.mean,
        roas_median=r.roas.median,
        roas_ci_low=r.roas.low,
        roas_ci_high=r.roas.high,
        roi=None if r.roi is None else r.roi.mean,
        roi_ci_low=None if r.roi is None else r.roi.low,
        roi_ci_high=None if r.roi is None else r.roi.high,
        contribution=r.contribution.mean,
        contribution_ci_low=r.contribution.low,
        contribution_ci_high=r.contribution.high,
        contribution_share=r.contribution_share.mean,
        contribution_share_ci_low=r.contribution_share.low,
        contribution_share_ci_high=r.contribution_share.high,
        mroas=r.mroas.mean,
        mroas_ci_low=r.mroas.low,
        mroas_ci_high=r.mroas.high,
        cpa=None if r.cpa is None else r.cpa.mean,
        cpa_ci_low=None if r.cpa is None else r.cpa.low,
        cpa_ci_high=None if r.cpa is None else r.cpa.high,
    )
