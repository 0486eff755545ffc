"""Planning: units per variant for a minimum detectable effect (MDE), the MDE for a given
traffic, power, and the duration from daily traffic.

Proportions use the formula of Evan Miller's sample-size calculator (normal approximation,
null variance under the baseline, alternative variance under both rates):

    n = ( z_{1-a/2} sqrt(2 p1 (1 - p1)) + z_{1-b} sqrt(p1 (1 - p1) + p2 (1 - p2)) )^2 / d^2

with p1 the baseline rate and d = p2 - p1. Means use n = 2 s^2 (z_{1-a/2} + z_{1-b})^2 / d^2.
One-sided plans use z_{1-a}. The plan holds only if the test is read once, at the planned
size: stopping as soon as p < alpha inflates false wins (use the sequential method to look
early).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import optimize, stats

from pilotage.core.experiments.options import Alternative
from pilotage.errors import UsageError


@dataclass(frozen=True)
class PlanSpec:
    """``baseline``: control conversion rate (0-1), or the control mean when ``sd`` is given;
    ``alpha``: false-win rate; ``power``: chance to detect a true effect of the MDE."""

    baseline: float
    alpha: float = 0.05
    power: float = 0.8
    sd: float | None = None
    alternative: Alternative = "two-sided"

    def __post_init__(self) -> None:
        if self.sd is None and not 0 < self.baseline < 1:
            raise UsageError(
                f"baseline rate {self.baseline} is not allowed",
                fix="give the control's conversion rate between 0 and 1, e.g. 0.20 for 20 %",
            )
        if self.sd is not None and not (self.sd > 0 and math.isfinite(self.sd)):
            raise UsageError(
                f"sd {self.sd} is not allowed", fix="give a positive standard deviation"
            )
        if not 0 < self.alpha < 0.5:
            raise UsageError(f"alpha {self.alpha} is not allowed", fix="use e.g. 0.05")
        if not 0.5 <= self.power < 1:
            raise UsageError(f"power {self.power} is not allowed", fix="use e.g. 0.8 (0.5 to 1)")

    @property
    def z_alpha(self) -> float:
        tail = self.alpha / 2 if self.alternative == "two-sided" else self.alpha
        return float(stats.norm.ppf(1 - tail))

    @property
    def z_power(self) -> float:
        return float(stats.norm.ppf(self.power))


def absolute_mde(spec: PlanSpec, mde: float, relative: bool) -> float:
    """The MDE as a difference of rates (or means); checks it fits the baseline."""
    delta = mde * spec.baseline if relative else mde
    if not (delta != 0 and math.isfinite(delta)):
        raise UsageError(f"MDE {mde} is not allowed", fix="give a non-zero effect, e.g. 0.05")
    if spec.sd is None and not 0 < spec.baseline + delta < 1:
        raise UsageError(
            f"a rate of {spec.baseline} moved by {delta:g} leaves 0-1",
            fix="give a smaller MDE (with --relative it is a share of the baseline)",
        )
    return delta


def exact_units(spec: PlanSpec, delta: float) -> float:
    """Units per variant (not rounded) to detect ``delta`` with the spec's power."""
    if spec.sd is not None:
        return 2 * spec.sd**2 * (spec.z_alpha + spec.z_power) ** 2 / delta**2
    p1, p2 = spec.baseline, spec.baseline + delta
    spread = spec.z_alpha * math.sqrt(2 * p1 * (1 - p1)) + spec.z_power * math.sqrt(
        p1 * (1 - p1) + p2 * (1 - p2)
    )
    return spread**2 / delta**2


def units_per_variant(spec: PlanSpec, mde: float, *, relative: bool = False) -> int:
    return math.ceil(exact_units(spec, absolute_mde(spec, mde, relative)) - 1e-9)


def power_of(spec: PlanSpec, delta: float, units: float) -> float:
    """Chance to detect ``delta`` with ``units`` per variant (the plan formula, inverted)."""
    if units <= 0:
        return 0.0
    if spec.sd is not None:
        return float(stats.norm.cdf(abs(delta) * math.sqrt(units / 2) / spec.sd - spec.z_alpha))
    p1, p2 = spec.baseline, spec.baseline + delta
    null = spec.z_alpha * math.sqrt(2 * p1 * (1 - p1))
    alt = math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    return float(stats.norm.cdf((abs(delta) * math.sqrt(units) - null) / alt))


def mde_for(spec: PlanSpec, units: float) -> float:
    """Smallest upward absolute effect detectable with ``units`` per variant."""
    if units < 2:
        raise UsageError(f"{units:g} units per variant is too few", fix="give 2 units or more")
    if spec.sd is not None:
        return (spec.z_alpha + spec.z_power) * spec.sd * math.sqrt(2 / units)
    ceiling = 1 - spec.baseline - 1e-12
    if exact_units(spec, ceiling) > units:
        raise UsageError(
            f"{units:g} units per variant cannot detect any effect at this power",
            fix="give more units (or a longer duration)",
        )
    found: float = optimize.brentq(lambda d: exact_units(spec, d) - units, 1e-12, ceiling)
    return found


def days_for(units_per_variant: int, variants: int, daily_units: float) -> int:
    """Whole days for every variant to reach its units, ``daily_units`` entering per day."""
    if not (daily_units > 0 and math.isfinite(daily_units)):
        raise UsageError(
            f"{daily_units:g} daily units is not allowed",
            fix="give the units entering the experiment per day (all variants), e.g. 1500",
        )
    if variants < 2:
        raise UsageError(f"{variants} variants is not allowed", fix="an experiment has 2 or more")
    return math.ceil(units_per_variant * variants / daily_units - 1e-9)
