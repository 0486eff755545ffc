"""The normal posterior of the lift: flat and informative priors, chance to win, risk."""

from __future__ import annotations

import math

import pytest
from scipy import stats

from pilotage.core.experiments.analysis import analyze
from pilotage.core.experiments.bayesian import bayes, expected_losses, posterior
from pilotage.core.experiments.effects import Effect
from pilotage.core.experiments.options import AnalysisSettings, Prior
from pilotage.errors import UsageError

EFFECT = Effect(value=0.05, variance=0.0003475, df=None, n=2000)


def test_flat_prior_is_the_likelihood() -> None:
    post = bayes(EFFECT, Prior(), 0.05, "two-sided")
    sd = math.sqrt(0.0003475)
    assert post.mean == 0.05 and post.sd == pytest.approx(sd)
    # P(lift > 0) = Phi(0.05 / sd) = 1 - p/2 of the z-test (p = 0.0073138).
    assert round(post.chance_to_win, 5) == round(1 - 0.0073138 / 2, 5)
    assert post.low == pytest.approx(0.0134636, abs=1e-6)


def test_informative_prior_shrinks_towards_its_mean() -> None:
    # Conjugate normal: precision 1/v + 1/tau^2, mean weighted by precisions.
    mean, sd = posterior(EFFECT, Prior(0.0, 0.02))
    precision = 1 / 0.0003475 + 1 / 0.02**2
    assert mean == pytest.approx((0.05 / 0.0003475) / precision)
    assert sd == pytest.approx(math.sqrt(1 / precision))
    assert 0 < mean < 0.05 and sd < math.sqrt(0.0003475)


def test_expected_losses_are_the_normal_partial_moments() -> None:
    # E[max(0, -X)] for X ~ N(m, s^2) = s phi(m/s) - m Phi(-m/s); pinned for m=0.01, s=0.02.
    below, above = expected_losses(0.01, 0.02)
    assert round(below, 5) == round(0.02 * stats.norm.pdf(0.5) - 0.01 * stats.norm.cdf(-0.5), 5)
    assert round(below, 5) == 0.00396
    assert above - below == pytest.approx(0.01)  # E[X+] - E[X-] = E[X]


def test_bayesian_and_frequentist_decide_alike_with_a_flat_prior(agg) -> None:
    for conversions in range(190, 260, 4):
        variants = [agg("A", 1000, 200), agg("B", 1000, conversions)]
        freq = analyze(variants, ["conversion"], AnalysisSettings())[0]
        bay = analyze(variants, ["conversion"], AnalysisSettings(method="bayesian"))[0]
        assert freq.decision == bay.decision
        c = bay.comparisons[0]
        assert (c.verdict == "winner") == (c.chance_to_win > 0.975)


def test_a_prior_sd_must_be_positive() -> None:
    with pytest.raises(UsageError, match="prior sd"):
        Prior(0.0, -1.0)
