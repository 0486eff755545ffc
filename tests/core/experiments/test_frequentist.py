"""The z and Welch tests against hand computations and scipy.stats, at 5 decimals."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from pilotage.core.experiments.analysis import analyze
from pilotage.core.experiments.effects import effect
from pilotage.core.experiments.frequentist import WelchTTest, ZTest
from pilotage.core.experiments.metrics import estimate
from pilotage.core.experiments.options import AnalysisSettings

DECIMALS = 5
#: Two unequal samples (revenue per visitor, say) for Welch's test.
A = [12.1, 9.8, 11.4, 10.2, 13.5, 8.7, 10.9, 12.8, 9.5, 11.1]
B = [13.2, 14.1, 11.9, 12.7, 15.3, 10.8, 13.9, 12.2, 14.8, 13.0, 12.5, 11.7]


def close(value: float | None, expected: float) -> bool:
    return value is not None and round(value, DECIMALS) == round(expected, DECIMALS)


def test_two_proportion_z_test_by_hand(agg) -> None:
    # 200/1000 vs 250/1000: se = sqrt(.2*.8/1000 + .25*.75/1000) = 0.0186413, z = 2.682209,
    # p = 2 (1 - Phi(z)) = 0.0073138; Wald interval 0.05 +- 1.959964 se.
    a, b = estimate(agg("A", 1000, 200), "conversion"), estimate(agg("B", 1000, 250), "conversion")
    out = ZTest().run(effect(a, b, "absolute", welch=False), 0.05, "two-sided")
    assert close(out.se, 0.0186413) and close(out.p_value, 0.0073138)
    assert close(out.low, 0.0134636) and close(out.high, 0.0865364)
    assert close(out.p_value, 2 * stats.norm.sf(0.05 / np.sqrt(0.0003475)))
    greater = ZTest().run(effect(a, b, "absolute", welch=False), 0.05, "greater")
    assert close(greater.p_value, 0.0036569) and greater.high is None


def test_relative_lift_by_the_delta_method(agg) -> None:
    # r = .25/.2 - 1 = 0.25; var = var_t / c^2 + t^2 var_c / c^4 -> se 0.1045825, p 0.0168274.
    a, b = estimate(agg("A", 1000, 200), "conversion"), estimate(agg("B", 1000, 250), "conversion")
    out = ZTest().run(effect(a, b, "relative", welch=False), 0.05, "two-sided")
    assert close(out.lift, 0.25) and close(out.se, 0.1045825) and close(out.p_value, 0.0168274)


def test_welch_matches_scipy(units) -> None:
    a, b = estimate(units("A", A, A), "mean"), estimate(units("B", B, B), "mean")
    eff = effect(a, b, "absolute", welch=True)
    out = WelchTTest().run(eff, 0.05, "two-sided")
    ref = stats.ttest_ind(B, A, equal_var=False)
    ci = ref.confidence_interval(0.95)
    assert close(eff.df, ref.df) and close(eff.df, 18.1478028)
    assert close(out.p_value, ref.pvalue) and close(out.p_value, 0.0040924)
    assert close(out.low, ci.low) and close(out.high, ci.high)
    assert close(out.low, 0.7241509) and close(out.high, 3.2925158)
    one = WelchTTest().run(eff, 0.05, "greater")
    ref_one = stats.ttest_ind(B, A, equal_var=False, alternative="greater")
    assert close(one.p_value, ref_one.pvalue) and close(one.low, 0.9482410)


def test_p_below_alpha_exactly_when_the_interval_excludes_zero(agg) -> None:
    for conversions in range(180, 260, 3):
        done = analyze(
            [agg("A", 1000, 200), agg("B", 1000, conversions)],
            ["conversion"],
            AnalysisSettings(),
        )[0]
        c = done.comparisons[0]
        assert c.low is not None and c.high is not None
        assert (c.p_value < 0.05) == (c.low > 0 or c.high < 0)
        assert (c.verdict == "winner") == (c.low > 0)


@pytest.mark.parametrize("conversions", [0, 1000])
def test_extreme_rates_give_a_degenerate_but_valid_test(agg, conversions: int) -> None:
    done = analyze(
        [agg("A", 1000, conversions), agg("B", 1000, conversions)],
        ["conversion"],
        AnalysisSettings(),
    )[0]
    c = done.comparisons[0]
    assert c.p_value == 1.0 and c.lift_abs == 0 and c.verdict == "inconclusive"
