"""Fixed-horizon tests of a lift: the two-proportion z-test and Welch's t-test, one or two
sided. The p-value and the interval come from the same distribution and the same standard
error, so ``p < alpha`` exactly when the interval excludes zero."""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import stats

from pilotage.core.experiments.effects import Effect
from pilotage.core.experiments.options import Alternative


@dataclass(frozen=True)
class TestOutcome:
    """``low``/``high``: interval bounds (None: unbounded side of a one-sided test)."""

    __test__ = False  # not a pytest class

    lift: float
    se: float
    low: float | None
    high: float | None
    p_value: float


class LiftTest:
    """A test of ``lift = 0`` whose statistic follows ``distribution`` under the null."""

    name = "z"

    def distribution(self, effect: Effect) -> stats.rv_continuous:
        return stats.norm

    def run(self, effect: Effect, alpha: float, alternative: Alternative) -> TestOutcome:
        se = math.sqrt(max(effect.variance, 0.0))
        dist = self.distribution(effect)
        if se == 0:
            p = 1.0 if effect.value == 0 else 0.0
            return TestOutcome(effect.value, 0.0, effect.value, effect.value, p)
        z = effect.value / se
        if alternative == "two-sided":
            q = float(dist.ppf(1 - alpha / 2))
            p = float(2 * dist.sf(abs(z)))
            return TestOutcome(effect.value, se, effect.value - q * se, effect.value + q * se, p)
        q = float(dist.ppf(1 - alpha))
        if alternative == "greater":
            return TestOutcome(effect.value, se, effect.value - q * se, None, float(dist.sf(z)))
        return TestOutcome(effect.value, se, None, effect.value + q * se, float(dist.cdf(z)))


class ZTest(LiftTest):
    """Two-proportion z-test (unpooled standard error, as its Wald interval) and the normal
    test of a delta-method ratio."""

    name = "z"


class WelchTTest(LiftTest):
    """Welch's unequal-variance t-test (Welch-Satterthwaite degrees of freedom)."""

    name = "welch"

    def distribution(self, effect: Effect) -> stats.rv_continuous:
        if effect.df is None:
            return stats.norm
        return stats.t(effect.df)
