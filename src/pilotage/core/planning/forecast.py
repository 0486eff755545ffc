"""Forecast an objective's metric to its deadline from its monthly history.

Three ordinary-least-squares models on the monthly values y_t (t = months since the first):
``mean`` (y = a), ``trend`` (y = a + b t) and ``trend_seasonal`` (a + b t + one effect per
calendar month, needs two years). The one with the lowest AICc among those the history can
support is used, and said. Prediction intervals are the exact OLS ones (Student t with
n - p degrees of freedom): for a future row x0, Var = s² (1 + x0' (X'X)⁻¹ x0); for a
weighted sum w of future months, Var = s² (w'w + w' X0 (X'X)⁻¹ X0' w), which is how a total
objective (leads over the year) adds its remaining months, the deadline's month weighted by
the share of its days inside the objective.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from scipy.stats import t as student_t

from pilotage.core.planning.metrics import Aggregation, Direction, meets

F64 = NDArray[np.float64]
ForecastModel = Literal["mean", "trend", "trend_seasonal"]
#: The interval shown: 80 % (10th to 90th percentile), as the business cases.
INTERVAL = 0.80
MIN_MONTHS = 3
SEASONAL_MONTHS = 24


@dataclass(frozen=True)
class PathPoint:
    """The objective's value at the end of ``month`` (cumulative for a total), with its
    80 % interval."""

    month: datetime.date
    value: float
    low: float
    high: float


@dataclass(frozen=True)
class Forecast:
    model: ForecastModel
    months_used: int
    #: The objective's value at the deadline and its 80 % interval.
    value: float
    low: float
    high: float
    #: Probability that the value at the deadline meets the target (direction included).
    probability: float
    path: tuple[PathPoint, ...]


@dataclass(frozen=True)
class _Fit:
    model: ForecastModel
    beta: F64
    sigma: float
    xtx_inv: F64
    df: int
    aicc: float


def month_index(first: datetime.date, month: datetime.date) -> int:
    return (month.year - first.year) * 12 + month.month - first.month


def _design(first: datetime.date, months: Sequence[datetime.date], model: ForecastModel) -> F64:
    """Rows (len(months), p): intercept, trend, 11 calendar-month dummies (January is the
    reference)."""
    cols: list[list[float]] = [[1.0] * len(months)]
    if model != "mean":
        cols.append([float(month_index(first, m)) for m in months])
    if model == "trend_seasonal":
        cols += [[float(m.month == k) for m in months] for k in range(2, 13)]
    return np.array(cols, dtype=np.float64).T


def _fit(
    first: datetime.date, months: Sequence[datetime.date], y: F64, model: ForecastModel
) -> _Fit:
    x = _design(first, months, model)
    n, p = x.shape
    xtx_inv: F64 = np.asarray(np.linalg.pinv(x.T @ x), dtype=np.float64)
    beta = xtx_inv @ x.T @ y
    rss = float(np.sum((y - x @ beta) ** 2))
    df = n - p
    sigma = math.sqrt(rss / df)
    k = p + 1  # the variance is estimated too
    aicc = (
        n * math.log(max(rss, 1e-300) / n) + 2 * k + 2 * k * (k + 1) / (n - k - 1)
        if n - k - 1 > 0
        else math.inf
    )
    return _Fit(model, beta, sigma, xtx_inv, df, aicc)


def candidate_models(n: int) -> list[ForecastModel]:
    """Models a history of ``n`` months supports (two years for a seasonal pattern)."""
    models: list[ForecastModel] = ["mean"] if n >= MIN_MONTHS else []
    if n >= 6:
        models.append("trend")
    if n >= SEASONAL_MONTHS:
        models.append("trend_seasonal")
    return models


def choose(first: datetime.date, months: Sequence[datetime.date], y: F64) -> _Fit | None:
    """The supported model with the lowest AICc (None: too short a history)."""
    fits = [_fit(first, months, y, model) for model in candidate_models(len(y))]
    return min(fits, key=lambda f: f.aicc) if fits else None


def forecast(
    months: Sequence[datetime.date],
    values: Sequence[float],
    future: Sequence[tuple[datetime.date, float]],
    *,
    aggregation: Aggregation,
    so_far: float,
    target: float,
    direction: Direction,
) -> Forecast | None:
    """The objective's value at the deadline from complete months of history.

    ``months`` are first days of consecutive months with ``values``; ``future`` the months
    still to come up to the deadline's, each with the share of its days the objective covers
    (0-1]. A total adds ``so_far`` (the value to date) and the weighted future months; a level
    is the deadline month's value. None when the history has fewer than 3 months.
    """
    y = np.asarray(values, dtype=np.float64)
    if not future:
        raise ValueError("nothing left to forecast: the deadline is within the history")
    fit = choose(months[0], months, y) if len(y) >= MIN_MONTHS else None
    if fit is None:
        return None
    quantile = float(student_t.ppf(0.5 + INTERVAL / 2, fit.df))
    x0 = _design(months[0], [m for m, _ in future], fit.model)
    mean = x0 @ fit.beta
    weights = np.array([w for _, w in future], dtype=np.float64)
    path = []
    for k in range(len(future)):
        if aggregation == "total":
            w = np.zeros(len(future))
            w[: k + 1] = weights[: k + 1]
            value = so_far + float(w @ mean)
            var = fit.sigma**2 * float(w @ w + w @ x0 @ fit.xtx_inv @ x0.T @ w)
        else:
            value = float(mean[k])
            var = fit.sigma**2 * float(1.0 + x0[k] @ fit.xtx_inv @ x0[k])
        spread = quantile * math.sqrt(max(var, 0.0))
        path.append(PathPoint(future[k][0], value, value - spread, value + spread))
    end = path[-1]
    se = (end.high - end.value) / quantile
    return Forecast(
        model=fit.model,
        months_used=len(y),
        value=end.value,
        low=end.low,
        high=end.high,
        probability=reach_probability(end.value, se, fit.df, target, direction),
        path=tuple(path),
    )


def reach_probability(
    value: float, se: float, df: int, target: float, direction: Direction
) -> float:
    """P(outcome meets target) for an outcome ~ value + se × Student t(df)."""
    if se == 0:
        return 1.0 if meets(value, target, direction) else 0.0
    z = (target - value) / se
    return float(student_t.sf(z, df) if direction == "at_least" else student_t.cdf(z, df))
