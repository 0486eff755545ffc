"""Simulated weekly tables with a known truth, to check the model recovers it (tests and
benchmarks). Revenue = baseline (trend x seasons) + sum of channel responses + noise."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import numpy as np

from pilotage.core.mmm.design import WeeklyData
from pilotage.core.mmm.transforms import F64, adstock, geometric_weights, hill


@dataclass(frozen=True)
class Simulated:
    data: WeeklyData
    true_roas: F64  # (c,) contribution / spend over the whole table
    true_contribution: F64  # (n, c)


def simulate(
    n_weeks: int = 104,
    n_channels: int = 3,
    seed: int = 0,
    noise: float = 0.03,
    max_lag: int = 6,
) -> Simulated:
    rng = np.random.default_rng(seed)
    start = datetime.date(2023, 1, 2)
    weeks = tuple(start + datetime.timedelta(weeks=i) for i in range(n_weeks))
    mean_spend = rng.uniform(5_000, 20_000, n_channels)
    # Flighted spend: on/off blocks times log-normal noise, so channels vary independently.
    on = rng.uniform(size=(n_weeks, n_channels)) < 0.75
    spend = mean_spend * on * np.exp(rng.normal(0.0, 0.35, (n_weeks, n_channels)))
    decay = rng.uniform(0.1, 0.6, n_channels)
    half = rng.uniform(0.6, 1.4, n_channels) * mean_spend
    slope = rng.uniform(0.9, 1.6, n_channels)
    true_roas = rng.uniform(1.0, 4.0, n_channels)
    contrib = np.zeros((n_weeks, n_channels))
    for c in range(n_channels):
        sat = hill(adstock(spend[:, c], geometric_weights(decay[c], max_lag)), half[c], slope[c])
        contrib[:, c] = sat * true_roas[c] * spend[:, c].sum() / sat.sum()
    t = np.arange(n_weeks) / 52.0
    base_level = contrib.sum(axis=1).mean() * 1.5
    baseline = base_level * (1 + 0.1 * t) * (1 + 0.1 * np.sin(2 * np.pi * t))
    mu = baseline + contrib.sum(axis=1)
    revenue = mu * np.exp(rng.normal(0.0, noise, n_weeks))
    data = WeeklyData(weeks, revenue, tuple(f"ch{c + 1}" for c in range(n_channels)), spend)
    return Simulated(data, true_roas, contrib)
