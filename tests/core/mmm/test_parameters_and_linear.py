"""Priors of the sampled parameters, and the baseline integrated out exactly."""

from __future__ import annotations

import datetime

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, stats

from pilotage.core.mmm.design import WeeklyData, build_design
from pilotage.core.mmm.linear import baseline_draws, log_marginal, regressors
from pilotage.core.mmm.parameters import (
    adstock_params,
    constrain,
    log_prior,
    log_sigma_prior,
    prior_median,
    saturation_params,
    unconstrain,
)
from pilotage.core.mmm.spec import ModelSpec

ALL_PARAMS = (
    *adstock_params("geometric", 8),
    *adstock_params("delayed", 8),
    *adstock_params("weibull", 8),
    *saturation_params("hill"),
    *saturation_params("logistic"),
)


@pytest.mark.parametrize("p", ALL_PARAMS, ids=lambda p: p.name)
def test_each_prior_is_a_density_over_the_unconstrained_line(p):
    total, _ = integrate.quad(lambda u: np.exp(log_prior(p, u, np)), -40, 40, limit=200)
    assert total == pytest.approx(1.0, abs=1e-6)
    u = prior_median(p)
    assert np.isfinite(log_prior(p, u, np))
    assert unconstrain(p, constrain(p, u, np), np) == pytest.approx(u)


def test_beta_prior_matches_scipy_after_the_jacobian():
    p = adstock_params("geometric", 8)[0]
    u = 0.3
    x = constrain(p, u, np)
    expected = stats.beta(p.a, p.b).logpdf(x) + np.log(x * (1 - x))
    assert log_prior(p, u, np) == pytest.approx(expected)
    peak = adstock_params("delayed", 8)[1]
    assert constrain(peak, 50.0, np) == pytest.approx(7.0)  # in weeks, up to max_lag - 1


def test_sigma_prior_is_half_normal_on_sigma():
    total, _ = integrate.quad(lambda u: np.exp(log_sigma_prior(u, np)), -30, 5)
    assert total == pytest.approx(1.0, abs=1e-6)


def _design(n=40, holdout=0, seed=0):
    rng = np.random.default_rng(seed)
    weeks = tuple(datetime.date(2024, 1, 1) + datetime.timedelta(weeks=i) for i in range(n))
    spend = rng.uniform(50, 150, (n, 1))
    target = 100 + 10 * np.sin(np.arange(n) / 5) + rng.normal(0, 2, n)
    data = WeeklyData(weeks, target, ("a",), spend)
    spec = ModelSpec(channels=("a",), trend_changepoints=1, fourier_order=1)
    return build_design(data, spec, n - holdout if holdout else None)


def test_log_marginal_equals_the_joint_integrated_numerically():
    """One baseline column: integrate (intercept, slope) out on a grid."""
    d = _design(n=25)
    d = type(d)(
        **{
            **d.__dict__,
            "baseline": d.baseline[:, :1],
            "baseline_sd": d.baseline_sd[:1],
            "baseline_names": d.baseline_names[:1],
        }
    )
    x, g0, sd = regressors(d)
    media = np.full(25, 0.1)
    sigma = 0.2

    def joint(b1, b0):
        mu = x @ np.array([b0, b1]) + media
        return np.exp(
            stats.norm.logpdf(d.y, mu, sigma).sum()
            + stats.norm.logpdf([b0, b1], g0, sd).sum()
            + 60.0  # keeps the integrand away from underflow; removed below
        )

    b0_hat = float(np.mean(d.y - media))
    total, _ = integrate.dblquad(
        joint, b0_hat - 0.5, b0_hat + 0.5, -1.5, 1.5, epsabs=0, epsrel=1e-7
    )
    assert log_marginal(d, media, sigma) == pytest.approx(np.log(total) - 60.0, abs=1e-4)


def test_baseline_draws_follow_the_exact_conditional_posterior():
    d = _design(n=40, holdout=8)
    x, g0, sd = regressors(d)
    keep = d.train > 0
    media = np.full(40, 0.05)
    sigma = 0.03
    prec = np.diag(1 / sd**2) + x[keep].T @ x[keep] / sigma**2
    cov = np.linalg.inv(prec)
    mean = g0 + cov @ (x[keep].T @ (d.y - media - x @ g0)[keep]) / sigma**2
    s = 20_000
    draws = baseline_draws(d, np.tile(media, (s, 1)), np.full(s, sigma), np.random.default_rng(1))
    np.testing.assert_allclose(draws.mean(axis=0), mean, atol=4 * np.sqrt(np.diag(cov) / s).max())
    scale = np.outer(np.sqrt(np.diag(cov)), np.sqrt(np.diag(cov)))
    np.testing.assert_allclose(np.cov(draws.T) / scale, cov / scale, atol=0.04)


@settings(max_examples=25, deadline=None)
@given(st.floats(0.01, 1.0), st.floats(-0.5, 0.5))
def test_log_marginal_is_finite_and_ignores_holdout_weeks(sigma, shift):
    d = _design(n=30, holdout=6)
    media = np.full(30, 0.1)
    moved = media.copy()
    moved[-6:] += shift  # weeks outside the fit change nothing
    assert np.isfinite(log_marginal(d, media, sigma))
    assert log_marginal(d, moved, sigma) == pytest.approx(log_marginal(d, media, sigma))
