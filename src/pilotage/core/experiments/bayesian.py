"""Bayesian reading of a lift, in the spirit of GrowthBook's engine: a normal posterior of
the lift (the likelihood of the estimate, times a normal prior when one is given),
the chance that the variant beats the control, and the expected loss of each decision.

With the flat prior the credible interval equals the z interval, so the chance to win is
above 1 - alpha/2 exactly when the two-sided interval excludes zero: one decision rule.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import stats

from pilotage.core.experiments.effects import Effect
from pilotage.core.experiments.options import Alternative, Prior


@dataclass(frozen=True)
class Posterior:
    """Normal posterior of the lift: ``mean`` and ``sd``; ``low``/``high`` the credible
    interval; ``chance_to_win`` = P(lift > 0); ``risk`` = expected loss of shipping the
    variant, E[max(0, -lift)]; ``risk_control`` = expected loss of keeping the control,
    E[max(0, lift)] (both in the lift's units)."""

    mean: float
    sd: float
    low: float | None
    high: float | None
    chance_to_win: float
    risk: float
    risk_control: float


def posterior(effect: Effect, prior: Prior) -> tuple[float, float]:
    """(mean, sd): the estimate alone under a flat prior; otherwise precision-weighted with
    the prior (conjugate normal-normal update)."""
    variance = max(effect.variance, 0.0)
    if prior.flat or prior.sd is None:
        return effect.value, math.sqrt(variance)
    if variance == 0:
        return effect.value, 0.0
    precision = 1 / variance + 1 / prior.sd**2
    mean = (effect.value / variance + prior.mean / prior.sd**2) / precision
    return mean, math.sqrt(1 / precision)


def expected_losses(mean: float, sd: float) -> tuple[float, float]:
    """(E[max(0, -X)], E[max(0, X)]) for X ~ N(mean, sd^2)."""
    if sd == 0:
        return max(0.0, -mean), max(0.0, mean)
    z = mean / sd
    density = float(stats.norm.pdf(z))
    below = sd * density - mean * float(stats.norm.cdf(-z))
    above = sd * density + mean * float(stats.norm.cdf(z))
    return max(0.0, below), max(0.0, above)


def chance_to_win(mean: float, sd: float) -> float:
    if sd == 0:
        return 1.0 if mean > 0 else 0.0 if mean < 0 else 0.5
    return float(stats.norm.cdf(mean / sd))


def bayes(effect: Effect, prior: Prior, alpha: float, alternative: Alternative) -> Posterior:
    mean, sd = posterior(effect, prior)
    risk, risk_control = expected_losses(mean, sd)
    low: float | None
    high: float | None
    if alternative == "two-sided":
        q = float(stats.norm.ppf(1 - alpha / 2))
        low, high = mean - q * sd, mean + q * sd
    else:
        q = float(stats.norm.ppf(1 - alpha))
        low = mean - q * sd if alternative == "greater" else None
        high = mean + q * sd if alternative == "less" else None
    return Posterior(
        mean=mean,
        sd=sd,
        low=low,
        high=high,
        chance_to_win=chance_to_win(mean, sd),
        risk=risk,
        risk_control=risk_control,
    )
