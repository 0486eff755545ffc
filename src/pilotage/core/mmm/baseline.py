"""Baseline regressors: Fourier seasonality and a trend that can bend (pure NumPy)."""

from __future__ import annotations

import datetime

import numpy as np

from pilotage.core.mmm.transforms import F64

DAYS_PER_YEAR = 365.25


def year_fraction(days: list[datetime.date]) -> F64:
    """Position of each date in its year, in [0, 1) (mid-week dates for weekly data)."""
    return np.array(
        [((d - datetime.date(d.year, 1, 1)).days + 0.5) / DAYS_PER_YEAR for d in days],
        dtype=np.float64,
    )


def fourier_basis(year_frac: F64, order: int) -> F64:
    """``(n, 2 * order)`` columns sin(2 pi k t), cos(2 pi k t) for k = 1..order."""
    if order < 0:
        raise ValueError(f"Fourier order must be >= 0, got {order}")
    cols = []
    for k in range(1, order + 1):
        cols += [np.sin(2 * np.pi * k * year_frac), np.cos(2 * np.pi * k * year_frac)]
    if not cols:
        return np.zeros((len(year_frac), 0), dtype=np.float64)
    return np.asarray(np.column_stack(cols), dtype=np.float64)


def trend_basis(n: int, changepoints: int, fit_n: int | None = None) -> F64:
    """``(n, 1 + changepoints)``: time (0 at the first week, 1 at the last fitted week) then
    hinges ``max(0, t - c_j)`` at evenly spaced changepoints inside the fitted weeks, so the
    trend is a piecewise-linear line that can bend; weeks after ``fit_n`` (a holdout) carry
    the last slope forward."""
    fit = n if fit_n is None else fit_n
    if fit < 2 or fit > n:
        raise ValueError(f"a trend needs at least 2 fitted periods out of {n}, got {fit}")
    t = np.arange(n, dtype=np.float64) / (fit - 1)
    cuts = np.linspace(0.0, 1.0, changepoints + 2)[1:-1]
    cols = [t] + [np.maximum(0.0, t - c) for c in cuts]
    return np.asarray(np.column_stack(cols), dtype=np.float64)
