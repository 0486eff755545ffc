"""A/B tests with known truths: unit-level (with a CUPED covariate), aggregate-level, a
three-variant aggregate test and a unit-level test with a deliberate sample-ratio mismatch."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

from pilotage.data.demo.config import US_PER_DAY, Calendar
from pilotage.data.demo.tables import build_table

UNITS_PER_SCALE = 20_000


def _unit_test(
    rng: np.random.Generator,
    cal: Calendar,
    name: str,
    n: int,
    share_b: float,
    base_rate: float,
    lift: float,
    start_share: float,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Rows of a unit-level test: conversion with relative ``lift`` in B, a revenue value and a
    pre-period value correlated with it (rho ~ 0.6) for CUPED."""
    b = rng.random(n) < share_b
    rate = base_rate * np.where(b, 1 + lift, 1.0)
    converted = (rng.random(n) < rate).astype(np.float64)
    propensity = rng.lognormal(0, 0.5, n)  # the same customer spends before and during
    pre = np.round(propensity * 60 * rng.lognormal(0, 0.3, n), 2)
    value = np.round(converted * propensity * 120 * rng.lognormal(0, 0.3, n), 2)
    start = cal.start_us + int(start_share * (cal.end_us - cal.start_us))
    exposed = np.sort(start + rng.integers(0, 28 * US_PER_DAY, n))
    cols = {
        "experiment_id": [name] * n,
        "variant": np.where(b, "B", "A").tolist(),
        "unit_id": [f"{name}-u{i:06d}" for i in range(n)],
        "exposed_at": exposed,
        "converted": converted,
        "value": value,
        "pre_value": pre,
    }
    truth = {
        "level": "unit",
        "planned_share_b": 0.5,
        "actual_share_b": share_b,
        "control_conversion_rate": base_rate,
        "true_relative_lift": lift,
        "true_absolute_lift": round(base_rate * lift, 6),
        "cuped_covariate": "pre_value",
        "value_per_conversion_mean_eur": round(120 * np.exp(0.5**2 / 2 + 0.3**2 / 2), 2),
    }
    return cols, truth


def build_experiments(
    cal: Calendar, rng: np.random.Generator, scale: float
) -> tuple[pa.Table, dict[str, Any]]:
    n = max(400, round(UNITS_PER_SCALE * scale))
    parts: list[pa.Table] = []
    truth: dict[str, Any] = {}
    onboarding, truth["EXP-ONBOARDING-CHECKLIST"] = _unit_test(
        rng, cal, "EXP-ONBOARDING-CHECKLIST", n, 0.5, 0.12, 0.15, 0.3
    )
    truth["EXP-ONBOARDING-CHECKLIST"]["sample_ratio_mismatch"] = False
    parts.append(build_table("experiments", onboarding))
    # Bots were filtered from B only: 47 % of units land in B although 50 % was planned.
    srm, truth["EXP-EMAIL-SUBJECT"] = _unit_test(
        rng, cal, "EXP-EMAIL-SUBJECT", n // 2, 0.47, 0.05, 0.0, 0.55
    )
    truth["EXP-EMAIL-SUBJECT"]["sample_ratio_mismatch"] = True
    parts.append(build_table("experiments", srm))
    for name, lifts, base in (
        ("EXP-PRICING-PAGE", {"A": 0.0, "B": 0.08}, 0.04),
        ("EXP-DEMO-FORM", {"A": 0.0, "B": 0.05, "C": -0.03}, 0.06),
    ):
        share = 1.0 / len(lifts)
        units = rng.multinomial(n * 2, [share] * len(lifts))
        rows: dict[str, list[Any]] = {
            k: []
            for k in (
                "experiment_id",
                "variant",
                "units",
                "conversions",
                "value_sum",
                "value_sum_squares",
                "planned_share",
            )
        }
        for (variant, lift), u in zip(lifts.items(), units, strict=True):
            conv = rng.binomial(int(u), base * (1 + lift))
            values = rng.lognormal(np.log(500), 0.6, conv)
            for key, val in (
                ("experiment_id", name),
                ("variant", variant),
                ("units", int(u)),
                ("conversions", float(conv)),
                ("value_sum", float(values.sum())),
                ("value_sum_squares", float((values**2).sum())),
                ("planned_share", share),
            ):
                rows[key].append(val)
        parts.append(build_table("experiments", rows))
        truth[name] = {
            "level": "aggregate",
            "control_conversion_rate": base,
            "true_relative_lift": {k: v for k, v in lifts.items() if k != "A"},
            "planned_share": share,
            "sample_ratio_mismatch": False,
            "value_per_conversion_median_eur": 500.0,
        }
    return pa.concat_tables(parts), truth
