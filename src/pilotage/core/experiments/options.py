"""The closed vocabularies of an experiment analysis and its self-validating settings."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, get_args

from pilotage.errors import UsageError

#: conversion: share of units that converted (0/1 per unit); mean: value per unit (e.g.
#: revenue per visitor); ratio: value per conversion (delta method); count: conversions per
#: unit (several per unit allowed).
MetricKind = Literal["conversion", "mean", "ratio", "count"]
Method = Literal["frequentist", "bayesian", "sequential"]
#: two-sided: any difference; greater: the variant is better (higher); less: it is lower.
Alternative = Literal["two-sided", "greater", "less"]
Difference = Literal["absolute", "relative"]
Correction = Literal["holm", "bh", "none"]

METRICS: tuple[MetricKind, ...] = get_args(MetricKind)
METHODS: tuple[Method, ...] = get_args(Method)
ALTERNATIVES: tuple[Alternative, ...] = get_args(Alternative)
CORRECTIONS: tuple[Correction, ...] = get_args(Correction)

#: Below this SRM p-value the split is called broken (GrowthBook and Kohavi use 0.001).
SRM_THRESHOLD = 0.001
#: Below this p-value the pre-period covariate is called imbalanced between variants.
IMBALANCE_THRESHOLD = 0.001
#: Sample size (units, both arms) at which the confidence sequence is tightest.
SEQUENTIAL_TUNING = 5000.0


def check_choice(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise UsageError(f"unknown {name} {value!r}", fix=f"use one of: {', '.join(allowed)}")


@dataclass(frozen=True)
class Prior:
    """Normal prior on the lift, on the scale the lift is read (absolute or relative).
    ``sd`` None is the flat (improper) prior: the posterior is then the likelihood."""

    mean: float = 0.0
    sd: float | None = None

    def __post_init__(self) -> None:
        if not math.isfinite(self.mean):
            raise UsageError(f"prior mean {self.mean} is not allowed", fix="give a finite number")
        if self.sd is not None and not (self.sd > 0 and math.isfinite(self.sd)):
            raise UsageError(
                f"prior sd {self.sd} is not allowed",
                fix="give a positive sd, e.g. 0.3 for a relative lift, or none for a flat prior",
            )

    @property
    def flat(self) -> bool:
        return self.sd is None


@dataclass(frozen=True)
class AnalysisSettings:
    """How to compare each variant with the control.

    ``alpha``: error rate of the decision (interval level 1 - alpha). ``difference``: the
    scale of the interval and test (the relative one by the delta method). ``correction``:
    multiple-testing adjustment of the p-values across the comparisons analysed together.
    ``tuning``: sample size where the confidence sequence is tightest (sequential only).
    """

    method: Method = "frequentist"
    alternative: Alternative = "two-sided"
    difference: Difference = "absolute"
    alpha: float = 0.05
    prior: Prior = Prior()
    correction: Correction = "holm"
    cuped: bool = True
    tuning: float = SEQUENTIAL_TUNING

    def __post_init__(self) -> None:
        check_choice("method", self.method, METHODS)
        check_choice("alternative", self.alternative, ALTERNATIVES)
        check_choice("difference", self.difference, ("absolute", "relative"))
        check_choice("correction", self.correction, CORRECTIONS)
        if not 0 < self.alpha < 0.5:
            raise UsageError(f"alpha {self.alpha} is not allowed", fix="use e.g. 0.05 (0 to 0.5)")
        if not (self.tuning >= 1 and math.isfinite(self.tuning)):
            raise UsageError(f"tuning {self.tuning} is not allowed", fix="use e.g. 5000 units")

    @property
    def level(self) -> float:
        """Confidence (or credibility) of the intervals, e.g. 0.95."""
        return 1.0 - self.alpha
