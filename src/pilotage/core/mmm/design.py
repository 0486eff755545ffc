"""The weekly table a mix model is fitted on, and the scaled design matrix built from it.

Scaling: the KPI is divided by its mean, each channel's spend by its mean weekly spend and
each control by its standard deviation (after centring), so that priors are unit-free. The
scales are kept so every output is given back in euros (or conversions).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import numpy as np

from pilotage.core.mmm.baseline import fourier_basis, trend_basis, year_fraction
from pilotage.core.mmm.spec import ModelSpec
from pilotage.core.mmm.transforms import F64

MIN_WEEKS = 20


@dataclass(frozen=True)
class WeeklyData:
    """``weeks`` (n,) Mondays; ``target`` (n,) KPI; ``spend`` (n, c) EUR per week in
    ``channels`` order; ``controls`` (n, k) other drivers (price, events, holidays)."""

    weeks: tuple[datetime.date, ...]
    target: F64
    channels: tuple[str, ...]
    spend: F64
    control_names: tuple[str, ...] = ()
    controls: F64 | None = None

    def __post_init__(self) -> None:
        n = len(self.weeks)
        problems = []
        if self.target.shape != (n,):
            problems.append(f"target has shape {self.target.shape}, expected ({n},)")
        if self.spend.shape != (n, len(self.channels)):
            problems.append(
                f"spend has shape {self.spend.shape}, expected ({n}, {len(self.channels)})"
            )
        if self.controls is not None and self.controls.shape != (n, len(self.control_names)):
            problems.append("controls do not match control_names and weeks")
        if not np.all(np.isfinite(self.target)) or not np.all(np.isfinite(self.spend)):
            problems.append("target and spend must be finite numbers (no blanks)")
        elif np.any(self.spend < 0):
            problems.append("spend cannot be negative")
        if list(self.weeks) != sorted(set(self.weeks)):
            problems.append("weeks must be distinct and in order")
        if problems:
            raise ValueError("invalid weekly table: " + "; ".join(problems))

    @property
    def n_weeks(self) -> int:
        return len(self.weeks)

    def head(self, n: int) -> WeeklyData:
        """The first ``n`` weeks (the training part of a holdout split)."""
        return WeeklyData(
            self.weeks[:n],
            self.target[:n],
            self.channels,
            self.spend[:n],
            self.control_names,
            None if self.controls is None else self.controls[:n],
        )


@dataclass(frozen=True)
class Design:
    """Scaled arrays the model consumes. ``lagged`` is (max_lag, n, c): spend of week t - l
    at [l, t], so adstock is a weighted sum over the first axis (no convolution in JAX)."""

    y: F64  # (n,) target / y_scale
    lagged: F64  # (max_lag, n, c) spend / spend_scale, shifted by lag
    baseline: F64  # (n, p) trend then Fourier then controls
    n_trend: int
    spend_scale: F64  # (c,) mean weekly spend EUR
    y_scale: float
    spend_total: F64  # (c,) EUR over the weeks where the likelihood applies
    train: F64  # (n,) 1.0 where the week is in the likelihood, 0.0 for holdout weeks


def lag_stack(x: F64, max_lag: int) -> F64:
    """``(max_lag, n, c)`` with ``out[l, t] = x[t - l]`` (0 before the first week)."""
    n, c = x.shape
    out = np.zeros((max_lag, n, c), dtype=np.float64)
    for lag in range(min(max_lag, n)):
        out[lag, lag:] = x[: n - lag]
    return out


def build_design(data: WeeklyData, spec: ModelSpec, train_weeks: int | None = None) -> Design:
    """Scale the table and build the regressors; ``train_weeks`` masks later weeks out of
    the likelihood (holdout) while keeping their spend for carry-over and prediction."""
    if tuple(data.channels) != tuple(spec.channels):
        raise ValueError(
            f"data channels {list(data.channels)} differ from the spec's {list(spec.channels)}"
        )
    n = data.n_weeks
    train_n = n if train_weeks is None else train_weeks
    if train_n < MIN_WEEKS:
        raise ValueError(f"a mix model needs at least {MIN_WEEKS} weeks, got {train_n}")
    train = (np.arange(n) < train_n).astype(np.float64)
    y_scale = float(np.mean(data.target[:train_n]))
    if y_scale <= 0:
        raise ValueError("the KPI's mean must be positive")
    spend_scale = data.spend[:train_n].mean(axis=0)
    if np.any(spend_scale <= 0):
        idle = [c for c, s in zip(data.channels, spend_scale, strict=True) if s <= 0]
        raise ValueError(f"channels with no spend at all: {idle}")
    trend = trend_basis(n, spec.trend_changepoints)
    cols = [trend - trend[:train_n].mean(axis=0)]  # centred: the intercept is the mean level
    cols.append(fourier_basis(year_fraction(list(data.weeks)), spec.fourier_order))
    if data.controls is not None and data.controls.shape[1]:
        c = data.controls - data.controls[:train_n].mean(axis=0)
        sd = data.controls[:train_n].std(axis=0)
        cols.append(c / np.where(sd > 0, sd, 1.0))
    return Design(
        y=data.target / y_scale,
        lagged=lag_stack(data.spend / spend_scale, spec.max_lag),
        baseline=np.column_stack(cols),
        n_trend=1 + spec.trend_changepoints,
        spend_scale=np.asarray(spend_scale, dtype=np.float64),
        y_scale=y_scale,
        spend_total=np.asarray(data.spend[:train_n].sum(axis=0), dtype=np.float64),
        train=train,
    )
