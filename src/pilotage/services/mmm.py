"""Mix model use cases: the weekly table (KPI engine or a file), fit, summary, budget.

JAX is imported only when a model is fitted (``pilotage.core.mmm.model``)."""

from __future__ import annotations

import csv
import datetime
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict

from pilotage.core.mmm import outputs
from pilotage.core.mmm.checks import pre_fit_checks, prior_driven
from pilotage.core.mmm.design import WeeklyData, build_design
from pilotage.core.mmm.optimizer import Allocation, optimize_for_roi, optimize_total
from pilotage.core.mmm.posterior import FittedModel
from pilotage.core.mmm.spec import ModelSpec
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.errors import InputError, RowError, UsageError
from pilotage.services.kpis import kpi_table


class MmmChannel(BaseModel):
    model_config = ConfigDict(frozen=True)

    channel: str
    spend: float
    roas: float
    roas_ci_low: float
    roas_ci_high: float
    roi: float | None
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


class MmmDiagnostics(BaseModel):
    model_config = ConfigDict(frozen=True)

    status: str
    rhat_max: float
    ess_min: float
    divergences: int
    warnings: list[str]


class MmmFit(BaseModel):
    model_config = ConfigDict(frozen=True)

    mape: float
    r2: float
    coverage: float


class MmmResult(BaseModel):
    """``pilotage mmm fit --format json``: intervals are 90 % credible intervals."""

    model_config = ConfigDict(frozen=True)

    channels: list[MmmChannel]
    diagnostics: MmmDiagnostics
    fit: MmmFit
    kpi: str
    weeks: int
    seed: int


def workspace_weekly(
    store: AnalyticsStore, settings: WorkspaceSettings, channels: Sequence[str] = ()
) -> WeeklyData:
    """Weekly revenue (all orders) and spend per paid channel, from the KPI engine."""
    cost = kpi_table(store, settings, metrics=["cost"], by=["channel"], period="week")
    revenue = kpi_table(store, settings, metrics=["revenue"], period="week")
    weeks = sorted({_monday(str(r["period"])) for r in revenue.rows})
    if not weeks:
        raise UsageError("the workspace has no revenue yet", fix="import orders first")
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
    if missing:
        raise UsageError(f"no spend for channels {missing}", fix=f"use {sorted(spent)}")
    target = np.zeros(len(weeks))
    for row in revenue.rows:
        target[index[_monday(str(row["period"]))]] = float(str(row.get("revenue") or 0.0))
    # The first and last weeks are usually partial: drop them.
    keep = slice(1, len(weeks) - 1) if len(weeks) > 4 else slice(None)
    return WeeklyData(
        tuple(weeks[keep]),
        target[keep],
        names,
        np.column_stack([spent[c] for c in names])[keep],
    )


def _monday(label: str) -> datetime.date:
    return datetime.date.fromisoformat(f"{label}-1" if "-W" in label else label)


def read_weekly_file(
    path: Path, date_col: str, target: str, channels: Sequence[str], controls: Sequence[str] = ()
) -> WeeklyData:
    """A CSV with one row per week: date, KPI, spend per channel, controls."""
    if not path.exists():
        raise UsageError(f"file {path} does not exist")
    errors: list[RowError] = []
    rows: list[tuple[datetime.date, list[float]]] = []
    cols = [target, *channels, *controls]
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        header = reader.fieldnames or []
        absent = [c for c in [date_col, *cols] if c not in header]
        if absent:
            raise InputError(
                str(path),
                [RowError(1, c, None, "missing column", f"columns are {header}") for c in absent],
            )
        for line, rec in enumerate(reader, start=2):
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
        return WeeklyData(
            tuple(d for d, _ in rows),
            arr[:, 0],
            tuple(channels),
            arr[:, 1 : 1 + len(channels)],
            tuple(controls),
            arr[:, 1 + len(channels) :] if controls else None,
        )
    except ValueError as exc:
        raise InputError(str(path), [RowError(None, None, None, str(exc))]) from exc


def fit_mmm(data: WeeklyData, spec: ModelSpec) -> tuple[FittedModel, MmmResult]:
    """Check, fit, summarise. Findings of the checks join the diagnostics' warnings."""
    from pilotage.core.mmm.model import fit  # JAX is set up on this import only

    try:
        model = fit(data, spec)
        build_design(data, spec)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    return model, summarise(model, data, spec)


def summarise(model: FittedModel, data: WeeklyData, spec: ModelSpec) -> MmmResult:
    design = build_design(data, spec)
    findings = pre_fit_checks(data) + prior_driven(
        model.channels,
        model.draws["roas"],
        np.array([spec.prior(c).sigma for c in model.channels]),
    )
    quality = outputs.fit_quality(model, design, data, seed=spec.seed)
    d = model.diagnostics
    return MmmResult(
        channels=[_channel(r) for r in outputs.channel_results(model, design, data)],
        diagnostics=MmmDiagnostics(
            status=d.status,
            rhat_max=round(d.rhat_max, 4),
            ess_min=round(d.ess_min, 1),
            divergences=d.divergences,
            warnings=[*d.warnings, *(f.en for f in findings)],
        ),
        fit=MmmFit(mape=quality.mape, r2=quality.r2, coverage=quality.coverage),
        kpi=model.kpi,
        weeks=data.n_weeks,
        seed=spec.seed,
    )


def _channel(r: outputs.ChannelResult) -> MmmChannel:
    return MmmChannel(
        channel=r.channel,
        spend=round(r.spend, 2),
        roas=r.roas.mean,
        roas_ci_low=r.roas.low,
        roas_ci_high=r.roas.high,
        roi=None if r.roi is None else r.roi.mean,
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
    )


class BudgetChannel(BaseModel):
    model_config = ConfigDict(frozen=True)

    channel: str
    current: float
    optimal: float
    change: float
    mroas: float


class BudgetResult(BaseModel):
    """Budget over ``weeks`` weeks; expected outcome with its 80 % interval."""

    model_config = ConfigDict(frozen=True)

    total: float
    weeks: int
    channels: list[BudgetChannel]
    expected: float
    expected_ci_low: float
    expected_ci_high: float
    current_expected: float
    moves: list[str]
    moves_fr: list[str]
    status: str


def optimize_budget(
    model: FittedModel,
    *,
    total: float | None = None,
    target_roi: float | None = None,
    weeks: int = 13,
    bounds: Mapping[str, tuple[float, float]] | None = None,
) -> BudgetResult:
    if (total is None) == (target_roi is None):
        raise UsageError("give a total budget or a target ROI", fix="--total N or --target-roi R")
    try:
        if total is not None:
            a = optimize_total(model, total, weeks=weeks, bounds=bounds)
        else:
            assert target_roi is not None
            a = optimize_for_roi(model, target_roi, weeks=weeks, bounds=bounds)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    return _budget(a, model.diagnostics.status)


def _budget(a: Allocation, status: str) -> BudgetResult:
    return BudgetResult(
        total=a.total,
        weeks=a.weeks,
        channels=[
            BudgetChannel(
                channel=c,
                current=round(float(a.current[k]), 2),
                optimal=float(a.optimal[k]),
                change=round(float(a.optimal[k] - a.current[k]), 2),
                mroas=float(a.mroas[k]),
            )
            for k, c in enumerate(a.channels)
        ],
        expected=a.expected,
        expected_ci_low=a.expected_low,
        expected_ci_high=a.expected_high,
        current_expected=a.current_expected,
        moves=[m.text("en") for m in a.moves],
        moves_fr=[m.text("fr") for m in a.moves],
        status=status,
    )


def load_model(path: Path) -> FittedModel:
    try:
        return FittedModel.from_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError) as exc:
        raise UsageError(f"cannot read model file {path}: {exc}", fix="refit with --save") from exc
