"""Simulated weekly tables with a known truth, to check the model recovers it (tests and
benchmarks).

KPI = baseline + sum of channel responses, times log-normal noise. The baseline has what the
issue says decides accuracy: a trend that bends once, yearly seasonality, French public
holidays and the year-end break, and one control (a price index) with a known effect. Spend
comes in four realistic patterns that rotate over the channels: always on with drift,
flighted (on/off waves), following the seasons, and bursts over a low floor. Each channel
has its own geometric carry-over, Hill saturation and true ROAS (log-uniform 0.7 to 5).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import numpy as np

from pilotage.core.mmm.baseline import fourier_basis, year_fraction
from pilotage.core.mmm.design import WeeklyData
from pilotage.core.mmm.holidays import holiday_columns
from pilotage.core.mmm.transforms import F64, adstock, geometric_weights, hill

SPEND_PATTERNS = ("always_on", "flighted", "seasonal", "bursts")


@dataclass(frozen=True)
class Simulated:
    data: WeeklyData
    true_roas: F64  # (c,) contribution / spend over the whole table
    true_contribution: F64  # (n, c) KPI per week and channel
    true_baseline: F64  # (n,) KPI per week without media (before noise)
    decay: F64  # (c,) geometric carry-over
    half_saturation: F64  # (c,) EUR of adstocked weekly spend
    slope: F64  # (c,)


def _spend(pattern: str, n: int, mean: float, season: F64, rng: np.random.Generator) -> F64:
    if pattern == "always_on":
        drift = np.cumsum(rng.normal(0.0, 0.05, n))
        x = np.exp(drift - drift.mean() + rng.normal(0.0, 0.3, n))
    elif pattern == "flighted":
        x = np.zeros(n)
        week, on = int(rng.integers(0, 4)), True
        while week < n:
            length = int(rng.integers(3, 9) if on else rng.integers(1, 5))
            x[week : week + length] = 1.0 if on else 0.0
            week, on = week + length, not on
        x *= np.exp(rng.normal(0.0, 0.2, n))
    elif pattern == "seasonal":
        x = season * np.exp(rng.normal(0.0, 0.3, n))
    else:
        x = np.full(n, 0.25)
        for start in rng.choice(n - 4, size=max(1, n // 13), replace=False):
            x[start : start + int(rng.integers(2, 5))] = 2.5
        x *= np.exp(rng.normal(0.0, 0.2, n))
    return np.asarray(mean * x / x.mean(), dtype=np.float64)


def simulate(
    n_weeks: int = 156,
    n_channels: int = 10,
    seed: int = 0,
    noise: float = 0.04,
    max_lag: int = 8,
    media_share: float = 0.35,
    multiplicative: bool = False,
) -> Simulated:
    """A table of ``n_weeks`` Mondays from 2023-01-02, ``n_channels`` channels ``ch1``...,
    media driving about ``media_share`` of the KPI and weekly noise ``noise`` (log sd).

    The baseline's parts add up (the model's own form) unless ``multiplicative``, where
    they multiply each other: a harder case that no additive model captures exactly."""
    rng = np.random.default_rng(seed)
    start = datetime.date(2023, 1, 2)
    weeks = [start + datetime.timedelta(weeks=i) for i in range(n_weeks)]
    frac = year_fraction(weeks)
    season_shape = fourier_basis(frac, 2) @ rng.normal(0.0, 0.05, 4)
    season = np.exp(season_shape)
    mean_spend = np.exp(rng.uniform(np.log(5_000), np.log(30_000), n_channels))
    spend = np.column_stack(
        [
            _spend(SPEND_PATTERNS[c % len(SPEND_PATTERNS)], n_weeks, mean_spend[c], season, rng)
            for c in range(n_channels)
        ]
    )
    decay = rng.uniform(0.1, 0.7, n_channels)
    half = rng.uniform(0.5, 1.5, n_channels) * mean_spend
    slope = rng.uniform(0.8, 1.5, n_channels)
    true_roas = np.exp(rng.uniform(np.log(0.7), np.log(5.0), n_channels))
    contrib = np.zeros((n_weeks, n_channels))
    for c in range(n_channels):
        sat = hill(adstock(spend[:, c], geometric_weights(decay[c], max_lag)), half[c], slope[c])
        contrib[:, c] = sat * true_roas[c] * spend[:, c].sum() / sat.sum()
    t = np.arange(n_weeks) / 52.0
    bend = rng.uniform(0.3, 0.7) * t[-1]
    trend = rng.uniform(-0.05, 0.15) * t + rng.uniform(-0.15, 0.15) * np.maximum(0, t - bend)
    days = holiday_columns(weeks, "FR")
    holiday_effect = -0.04 * days[:, 0] - 0.25 * days[:, 1]
    price = np.cumsum(rng.normal(0.0, 0.02, n_weeks))
    price = 100.0 * np.exp(price - price.mean())
    price_effect = -0.8 * np.log(price / 100.0)  # price elasticity of the baseline demand
    parts = np.column_stack([trend, season - 1.0, holiday_effect, price_effect])
    shape = np.prod(1.0 + parts, axis=1) if multiplicative else 1.0 + parts.sum(axis=1)
    level = contrib.sum(axis=1).mean() * (1.0 - media_share) / media_share / shape.mean()
    baseline = level * shape
    mu = baseline + contrib.sum(axis=1)
    kpi = mu * np.exp(rng.normal(0.0, noise, n_weeks))
    data = WeeklyData(
        tuple(weeks),
        kpi,
        tuple(f"ch{c + 1}" for c in range(n_channels)),
        spend,
        ("price_index",),
        price[:, None],
    )
    return Simulated(data, true_roas, contrib, baseline, decay, half, slope)
