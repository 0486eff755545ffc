"""What a fitted mix model says, with 90 % credible intervals (5th and 95th percentiles).

- contribution: incremental KPI of the channel over the fitted weeks;
- contribution share: that contribution over the total KPI of those weeks;
- ROAS: contribution / spend; ROI (revenue KPI): (contribution - spend) / spend;
- marginal ROAS: extra KPI per extra euro if every week's spend were 1 % higher;
- CPA (conversions KPI): spend / incremental conversions;
- fit: MAPE, R² and 90 % interval coverage of the posterior predictive, in-sample or on
  the holdout weeks; decomposition over time; response curves.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pilotage.core.mmm.design import Design, WeeklyData
from pilotage.core.mmm.posterior import FittedModel
from pilotage.core.mmm.transforms import F64

LOW_Q, HIGH_Q = 5.0, 95.0
MARGINAL_STEP = 0.01


@dataclass(frozen=True)
class Interval:
    mean: float
    median: float
    low: float
    high: float

    @classmethod
    def of(cls, draws: F64) -> Interval:
        d = np.asarray(draws, dtype=np.float64)
        low, median, high = np.percentile(d, [LOW_Q, 50.0, HIGH_Q])
        return cls(float(d.mean()), float(median), float(low), float(high))


@dataclass(frozen=True)
class ChannelResult:
    channel: str
    spend: float
    contribution: Interval
    contribution_share: Interval
    roas: Interval
    roi: Interval | None  # revenue KPI only
    mroas: Interval
    cpa: Interval | None  # conversions KPI only


@dataclass(frozen=True)
class FitQuality:
    mape: float
    r2: float
    coverage: float  # share of weeks inside the 90 % predictive interval
    weeks: int


def predict(model: FittedModel, design: Design, data: WeeklyData) -> tuple[F64, F64]:
    """(S, n) expected KPI per draw, and (S, n, c) channel contributions, in KPI units."""
    contrib = model.contributions(data.spend)
    base = model.draws["intercept"][:, None] + model.draws["baseline"] @ design.baseline.T
    return base * model.y_scale + contrib.sum(axis=2), contrib


def channel_results(model: FittedModel, design: Design, data: WeeklyData) -> list[ChannelResult]:
    train = design.train > 0
    spend = data.spend[train].sum(axis=0)
    contrib = model.contributions(data.spend)[:, train, :].sum(axis=1)  # (S, c)
    bumped = model.contributions(data.spend * (1 + MARGINAL_STEP))[:, train, :].sum(axis=1)
    kpi_total = float(data.target[train].sum())
    out = []
    for k, ch in enumerate(model.channels):
        roas = contrib[:, k] / spend[k]
        out.append(
            ChannelResult(
                channel=ch,
                spend=float(spend[k]),
                contribution=Interval.of(contrib[:, k]),
                contribution_share=Interval.of(contrib[:, k] / kpi_total),
                roas=Interval.of(roas),
                roi=Interval.of(roas - 1.0) if model.kpi == "revenue" else None,
                mroas=Interval.of((bumped[:, k] - contrib[:, k]) / (MARGINAL_STEP * spend[k])),
                cpa=_cpa(spend[k], contrib[:, k]) if model.kpi == "conversions" else None,
            )
        )
    return out


def _cpa(spend: float, contribution: F64) -> Interval:
    """Cost per incremental conversion: spend over the contribution's mean (so CPA x ROAS is
    1 for the point values), its interval from the contribution's percentiles."""
    c = np.maximum(contribution, 1e-9)
    low, median, high = np.percentile(c, [LOW_Q, 50.0, HIGH_Q])
    return Interval(spend / float(c.mean()), spend / median, spend / high, spend / low)


def fit_quality(
    model: FittedModel, design: Design, data: WeeklyData, *, holdout: bool = False, seed: int = 0
) -> FitQuality:
    """In-sample (``holdout`` False) or on the weeks left out of the fit."""
    mu, _ = predict(model, design, data)
    rng = np.random.default_rng(seed)
    sims = mu + rng.normal(size=mu.shape) * (model.draws["sigma"][:, None] * model.y_scale)
    keep = (design.train == 0) if holdout else (design.train > 0)
    if not keep.any():
        raise ValueError("no holdout weeks to validate on")
    y = data.target[keep]
    pred = mu[:, keep].mean(axis=0)
    low = np.percentile(sims[:, keep], LOW_Q, axis=0)
    high = np.percentile(sims[:, keep], HIGH_Q, axis=0)
    ss_tot = float(((y - y.mean()) ** 2).sum())
    nonzero = y != 0
    return FitQuality(
        mape=float(np.mean(np.abs((y[nonzero] - pred[nonzero]) / y[nonzero])))
        if nonzero.any()
        else float("nan"),
        r2=1.0 - float(((y - pred) ** 2).sum()) / ss_tot if ss_tot > 0 else 0.0,
        coverage=float(np.mean((y >= low) & (y <= high))),
        weeks=int(keep.sum()),
    )


def _group(name: str) -> str:
    """Decomposition group of a baseline column (``design.baseline_names``)."""
    if name.startswith("trend"):
        return "trend"
    if name.startswith("season_"):
        return "seasonality"
    if name.startswith("holiday:"):
        return "holidays"
    return f"control:{name}"


@dataclass(frozen=True)
class Decomposition:
    """Posterior-mean KPI per week split into baseline parts and channels, each (n,):
    ``parts`` holds ``trend`` (the level included), ``seasonality``, ``holidays``,
    ``control:<name>`` and one entry per channel; ``fitted`` is their sum with its 90 %
    interval of the expected KPI."""

    parts: dict[str, F64]
    fitted: F64
    fitted_low: F64
    fitted_high: F64


def decomposition(model: FittedModel, design: Design, data: WeeklyData) -> Decomposition:
    mu, contrib = predict(model, design, data)
    coef = model.draws["baseline"].mean(axis=0)
    parts: dict[str, F64] = {"trend": np.full(data.n_weeks, model.draws["intercept"].mean())}
    for j, name in enumerate(design.baseline_names):
        group = _group(name)
        parts[group] = parts.get(group, np.zeros(data.n_weeks)) + design.baseline[:, j] * coef[j]
    parts = {k: np.asarray(v * model.y_scale, dtype=np.float64) for k, v in parts.items()}
    for k, ch in enumerate(model.channels):
        parts[ch] = np.asarray(contrib[:, :, k].mean(axis=0), dtype=np.float64)
    return Decomposition(
        parts=parts,
        fitted=np.asarray(mu.mean(axis=0), dtype=np.float64),
        fitted_low=np.asarray(np.percentile(mu, LOW_Q, axis=0), dtype=np.float64),
        fitted_high=np.asarray(np.percentile(mu, HIGH_Q, axis=0), dtype=np.float64),
    )


@dataclass(frozen=True)
class ResponseCurve:
    channel: str
    weekly_spend: F64  # (m,) EUR per week
    mean: F64  # (m,) incremental KPI per week
    low: F64
    high: F64
    current_weekly_spend: float


def response_curves(
    model: FittedModel, points: int = 25, up_to: float = 2.0
) -> list[ResponseCurve]:
    """Steady-state weekly response from 0 to ``up_to`` x the mean weekly spend."""
    grid = np.linspace(0.0, up_to, points)[:, None] * model.spend_scale[None, :]  # (m, c)
    resp = model.weekly_response(grid)  # (S, m, c)
    return [
        ResponseCurve(
            channel=ch,
            weekly_spend=grid[:, k],
            mean=resp[:, :, k].mean(axis=0),
            low=np.percentile(resp[:, :, k], LOW_Q, axis=0),
            high=np.percentile(resp[:, :, k], HIGH_Q, axis=0),
            current_weekly_spend=float(model.recent_weekly_spend[k])
            if model.recent_weekly_spend.size
            else float(model.spend_scale[k]),
        )
        for k, ch in enumerate(model.channels)
    ]
