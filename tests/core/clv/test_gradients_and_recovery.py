"""Analytic gradients against central finite differences; known parameters recovered from
simulated data; fitted models saved to JSON and loaded back unchanged."""

from __future__ import annotations

import numpy as np
import pytest

from pilotage.core.clv import bgbb, bgnbd, gamma_gamma, mbgnbd, pareto_nbd, sbg
from pilotage.core.clv.mle import Estimate, total
from pilotage.core.clv.models import MODELS, fit
from pilotage.core.clv.summary import Summary


def _continuous(rng: np.random.Generator) -> Summary:
    x = rng.integers(0, 12, 60).astype(float)
    age = rng.uniform(5, 40, 60)
    tx = np.where(x > 0, age * rng.uniform(0.05, 1, 60), 0.0)
    money = np.where(x > 0, rng.uniform(5, 80, 60), np.nan)
    return Summary(x, tx, age, rng.uniform(1, 3, 60), money)


def _discrete(rng: np.random.Generator) -> Summary:
    n = np.full(40, 6.0)
    tx = rng.integers(0, 7, 40).astype(float)
    x = np.where(tx > 0, np.minimum(tx, rng.integers(1, 7, 40)), 0).astype(float)
    return Summary(x, tx, n, np.ones(40), np.full(40, np.nan))


CASES = [
    ("bgnbd", np.array([0.4, 5.0, 0.8, 2.5]), _continuous),
    ("mbgnbd", np.array([0.6, 3.0, 1.3, 1.7]), _continuous),
    ("pareto_nbd", np.array([0.55, 10.0, 0.6, 12.0]), _continuous),
    ("pareto_nbd", np.array([0.9, 2.0, 1.5, 30.0]), _continuous),  # beta > alpha branch
    ("gamma_gamma", np.array([6.0, 3.5, 15.0]), _continuous),
    ("bgbb", np.array([1.2, 0.75, 0.66, 2.8]), _discrete),
]


@pytest.mark.parametrize(("name", "params", "make"), CASES, ids=[c[0] for c in CASES])
def test_gradient_matches_finite_differences(name, params, make) -> None:
    data = make(np.random.default_rng(7))
    if name == "gamma_gamma":
        data = data.repeat_buyers()
    rows = MODELS[name].log_likelihood
    _, grad = total(rows, params, data)
    for j in range(len(params)):
        h = 1e-6 * params[j]
        up, down = params.copy(), params.copy()
        up[j] += h
        down[j] -= h
        numeric = (total(rows, up, data)[0] - total(rows, down, data)[0]) / (2 * h)
        assert grad[j] == pytest.approx(numeric, rel=1e-5, abs=1e-6), (name, j)


def test_sbg_gradient_matches_finite_differences() -> None:
    data = sbg.from_survivors([1000, 631, 468, 382, 326])
    params = np.array([0.7, 1.2])
    _, grad = total(sbg.log_likelihood, params, data)
    for j in range(2):
        up, down = params.copy(), params.copy()
        up[j] += 1e-6
        down[j] -= 1e-6
        numeric = (
            total(sbg.log_likelihood, up, data)[0] - total(sbg.log_likelihood, down, data)[0]
        ) / 2e-6
        assert grad[j] == pytest.approx(numeric, rel=1e-5)


def _within(estimate: Estimate, truth: np.ndarray, names: tuple[str, ...]) -> None:
    for name, value in zip(names, truth, strict=True):
        low, high = estimate.ci_low[name], estimate.ci_high[name]
        assert low is not None and high is not None
        # 99.9% band from the 95% one: truth inside unless the estimator is off.
        width = (np.log(high) - np.log(low)) / 2 * 3.29 / 1.96
        assert abs(np.log(estimate.params[name]) - np.log(value)) < width, name


@pytest.mark.parametrize(
    ("name", "module", "truth"),
    [
        ("bgnbd", bgnbd, np.array([0.8, 10.0, 0.9, 3.5])),  # the demo's truth, in weeks
        ("mbgnbd", mbgnbd, np.array([0.8, 10.0, 0.9, 3.5])),
        ("pareto_nbd", pareto_nbd, np.array([0.55, 10.5, 0.6, 11.7])),
    ],
)
def test_recovers_simulated_parameters(name, module, truth) -> None:
    rng = np.random.default_rng(2024)
    age = rng.uniform(26, 78, 6000)
    x, tx = module.simulate(truth, age, rng)
    done = fit(name, Summary(x, tx, age, np.ones(len(x)), np.full(len(x), np.nan)))
    assert done.convergence.converged
    _within(done, truth, module.NAMES)


def test_recovers_bgbb_and_gamma_gamma_and_sbg() -> None:
    rng = np.random.default_rng(11)
    truth = np.array([1.2, 0.75, 0.66, 2.8])
    n = np.full(8000, 6.0)
    x, tx = bgbb.simulate(truth, n, rng)
    done = fit("bgbb", Summary(x, tx, n, np.ones(8000), np.full(8000, np.nan)))
    _within(done, truth, bgbb.NAMES)
    spend_truth = np.array([6.0, 3.7, 15.0])
    freq = rng.integers(1, 10, 5000).astype(float)
    mean = gamma_gamma.simulate(spend_truth, freq, rng)
    done = fit("gamma_gamma", Summary(freq, freq, freq, np.ones(5000), mean))
    _within(done, spend_truth, gamma_gamma.NAMES)
    churn_truth = np.array([1.1, 5.5])  # the demo's annual churn
    done = fit("sbg", sbg.simulate(churn_truth, 10, 5000, rng))
    _within(done, churn_truth, sbg.NAMES)


def test_model_json_round_trip(cdnow: Summary) -> None:
    done = fit("bgnbd", cdnow)
    again = Estimate.from_dict(done.to_dict())
    assert again == done
    assert again.convergence.starts >= 3 and again.convergence.starts_agreeing >= 2
