"""Confidence sequences: intervals valid at every look, so the team may check daily.

The asymptotic normal-mixture confidence sequence of Waudby-Smith, Arbour, Sinha, Kennedy
and Ramdas (2021, "Time-uniform central limit theory and asymptotic confidence sequences",
two-sided form; the boundary is Robbins' normal mixture as in Howard et al. 2021): with N
units so far and sigma^2 = N var(lift), the lift lies in

    lift +- sigma * sqrt( 2 (N rho^2 + 1) / (N^2 rho^2) * log( sqrt(N rho^2 + 1) / alpha ) )

for all N at once with probability >= 1 - alpha (asymptotically). ``rho`` sets where the
sequence is tightest: rho^2 = (-2 log alpha + log(-2 log alpha + 1)) / N*, N* the tuning
sample size. Solving the half-width for alpha gives the always-valid p-value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from pilotage.core.experiments.effects import Effect
from pilotage.core.experiments.options import Alternative


@dataclass(frozen=True)
class SequenceOutcome:
    lift: float
    half_width: float
    low: float | None
    high: float | None
    p_value: float


def rho_squared(alpha: float, tuning: float) -> float:
    """Mixture variance that minimises the width at ``tuning`` units."""
    log_a = -2 * math.log(alpha)
    return (log_a + math.log(log_a + 1)) / tuning


def half_width(sigma2: float, n: float, alpha: float, rho2: float) -> float:
    """Half-width of the two-sided sequence; ``sigma2``: per-unit variance of the lift."""
    if n <= 0 or sigma2 <= 0:
        return 0.0
    spread = 2 * (n * rho2 + 1) / (n**2 * rho2) * math.log(math.sqrt(n * rho2 + 1) / alpha)
    return math.sqrt(sigma2 * spread)


def always_valid_p(lift: float, sigma2: float, n: float, rho2: float) -> float:
    """The smallest alpha whose sequence (same rho) excludes zero, capped at 1."""
    if sigma2 <= 0 or n <= 0:
        return 1.0 if lift == 0 else 0.0
    exponent = -(lift**2) * n**2 * rho2 / (2 * sigma2 * (n * rho2 + 1))
    return min(1.0, math.sqrt(n * rho2 + 1) * math.exp(exponent))


def sequence(
    effect: Effect, alpha: float, alternative: Alternative, tuning: float
) -> SequenceOutcome:
    """The sequence at the current sample. A one-sided question keeps the matching side of
    the two-sided sequence (conservative), so both sides stay valid at every look."""
    rho2 = rho_squared(alpha, tuning)
    sigma2 = max(effect.variance, 0.0) * effect.n
    width = half_width(sigma2, effect.n, alpha, rho2)
    p = always_valid_p(effect.value, sigma2, effect.n, rho2)
    low: float | None = effect.value - width
    high: float | None = effect.value + width
    if alternative == "greater":
        high = None
        p = p if effect.value > 0 else 1.0
    elif alternative == "less":
        low = None
        p = p if effect.value < 0 else 1.0
    return SequenceOutcome(effect.value, width, low, high, p)
