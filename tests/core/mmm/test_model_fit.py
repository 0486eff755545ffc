"""NUTS fits on small simulated tables with known truth: recovery, honesty of the intervals,
same seed same draws, JSON round trip, calibration, holdout, the JAX density against NumPy.

Kept small (short chains, few weeks, a handful of fits): each fit is a JAX compilation."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from pilotage.core.mmm import outputs
from pilotage.core.mmm.design import build_design
from pilotage.core.mmm.linear import log_marginal
from pilotage.core.mmm.parameters import (
    adstock_params,
    log_prior,
    log_sigma_prior,
    normal_logpdf,
    saturation_params,
)
from pilotage.core.mmm.posterior import FittedModel
from pilotage.core.mmm.simulate import simulate
from pilotage.core.mmm.spec import LiftCalibration, ModelSpec
from pilotage.core.mmm.transforms import hill, kernels, logistic

SMALL = {"max_lag": 6, "draws": 200, "warmup": 200, "chains": 2, "seed": 7, "holidays": "FR"}


@pytest.fixture(scope="module")
def sim():
    return simulate(n_weeks=104, n_channels=3, seed=5, noise=0.02, media_share=0.4, max_lag=6)


@pytest.fixture(scope="module")
def fitted(sim):
    from pilotage.core.mmm.model import fit

    spec = ModelSpec(channels=sim.data.channels, **SMALL)  # type: ignore[arg-type]
    return spec, fit(sim.data, spec)


def test_roas_intervals_cover_the_truth(sim, fitted):
    spec, model = fitted
    assert model.diagnostics.status == "good", model.diagnostics
    design = build_design(sim.data, spec)
    results = outputs.channel_results(model, design, sim.data)
    for r, truth in zip(results, sim.true_roas, strict=True):
        assert r.roas.low <= truth <= r.roas.high, (r.channel, r.roas, truth)
        assert r.roi is not None and r.roi.mean == pytest.approx(r.roas.mean - 1.0)
        assert r.cpa is None
        assert r.contribution.mean == pytest.approx(r.roas.mean * r.spend)
    errors = [abs(r.roas.mean / t - 1) for r, t in zip(results, sim.true_roas, strict=True)]
    assert np.median(errors) < 0.25
    quality = outputs.fit_quality(model, design, sim.data)
    assert quality.r2 > 0.85 and quality.mape < 0.04 and 0.8 <= quality.coverage <= 1.0


def test_decomposition_adds_up_to_the_fitted_kpi(sim, fitted):
    spec, model = fitted
    design = build_design(sim.data, spec)
    parts = outputs.decomposition(model, design, sim.data)
    assert set(parts.parts) == {
        "trend",
        "seasonality",
        "holidays",
        "control:price_index",
        "ch1",
        "ch2",
        "ch3",
    }
    np.testing.assert_allclose(sum(parts.parts.values()), parts.fitted, rtol=1e-9)
    assert np.all(parts.fitted_low <= parts.fitted) and np.all(parts.fitted <= parts.fitted_high)
    media = sum(parts.parts[c] for c in sim.data.channels)
    truth = sim.true_contribution.sum(axis=1)
    assert abs(media.sum() / truth.sum() - 1) < 0.15
    curves = outputs.response_curves(model)
    assert all(c.mean[0] == 0 and np.all(np.diff(c.mean) > 0) for c in curves)


def test_same_data_and_seed_same_draws_and_json_round_trip(sim, fitted):
    from pilotage.core.mmm.model import fit

    spec, model = fitted
    again = fit(sim.data, spec)
    for key in model.draws:
        np.testing.assert_array_equal(again.draws[key], model.draws[key])
    assert again.diagnostics == model.diagnostics
    loaded = FittedModel.from_json(model.to_json())
    np.testing.assert_array_equal(loaded.draws["beta"], model.draws["beta"])
    spend = sim.data.spend
    np.testing.assert_allclose(loaded.contributions(spend), model.contributions(spend))
    assert loaded.diagnostics == model.diagnostics


def test_jax_density_matches_the_numpy_reference(sim):
    import jax.numpy as jnp

    from pilotage.core.mmm import density

    spec = ModelSpec(
        channels=sim.data.channels,
        adstock="delayed",
        saturation="hill",
        max_lag=6,
        holidays="FR",
        calibration=(LiftCalibration("ch2", 2.0, 0.4),),
    )
    design = build_design(sim.data, spec, train_weeks=90)
    rng = np.random.default_rng(0)
    ad_p, sat_p = adstock_params("delayed", 6), saturation_params("hill")
    z = {p.name: rng.normal(0, 0.5, 3) for p in (*ad_p, *sat_p)}
    z |= {"log_roas": np.log([1.0, 2.0, 3.0]), "log_sigma": np.log(0.03)}
    sat, beta, _ = density.media_and_beta(design, spec, {k: jnp.asarray(v) for k, v in z.items()})
    sat, beta = np.asarray(sat), np.asarray(beta)
    expected = log_marginal(design, sat @ beta, 0.03)
    expected += normal_logpdf(z["log_roas"], design.roas_mu, design.roas_sigma, np).sum()
    expected += sum(log_prior(p, z[p.name], np).sum() for p in (*ad_p, *sat_p))
    expected += log_sigma_prior(z["log_sigma"], np)
    window = design.lift_window[0]
    modelled = beta[1] * design.y_scale * (window * sat[:, 1]).sum() / design.lift_spend[0]
    expected += normal_logpdf(2.0, modelled, 0.4, np)
    got = -float(density.potential(design, spec)({k: jnp.asarray(v) for k, v in z.items()}))
    constant = 0.5 * 90 * np.log(2 * np.pi)  # dropped by the sampler's density
    assert got - constant == pytest.approx(expected, rel=1e-9)
    # the sampler's media transforms are the NumPy ones
    a, b = np.asarray(z["decay"]), np.asarray(z["peak"])
    from pilotage.core.mmm.parameters import constrain

    a, b = constrain(ad_p[0], a, np), constrain(ad_p[1], b, np)
    k, s = constrain(sat_p[0], z["half_saturation"], np), constrain(sat_p[1], z["slope"], np)
    w = kernels("delayed", a, b, 6)
    ad = np.einsum("lc,lnc->nc", w, design.lagged)
    np.testing.assert_allclose(sat, hill(ad, k, s), rtol=1e-9, atol=1e-200)
    x = np.linspace(0, 3, 7)
    np.testing.assert_allclose(
        np.asarray(density.saturate("logistic", jnp.asarray(x), 1.7, 1.0)), logistic(x, 1.7)
    )
    np.testing.assert_allclose(
        np.asarray(density.kernel("weibull", jnp.asarray([2.0]), jnp.asarray([0.4]), 6))[:, 0],
        kernels("weibull", np.array([2.0]), np.array([0.4]), 6)[:, 0],
    )


def test_an_experiment_lift_narrows_the_channel_interval(sim, fitted):
    from pilotage.core.mmm.model import fit

    spec, model = fitted
    truth = float(sim.true_roas[0])
    lift = LiftCalibration("ch1", truth, 0.05 * truth, source="geo test")
    calibrated = fit(sim.data, dataclasses.replace(spec, calibration=(lift,)))
    before = np.percentile(model.draws["roas"][:, 0], [5, 95])
    after = np.percentile(calibrated.draws["roas"][:, 0], [5, 95])
    assert after[1] - after[0] < 0.6 * (before[1] - before[0])
    assert after[0] <= truth <= after[1]


def test_holdout_weeks_are_predicted_within_their_intervals(sim):
    from pilotage.core.mmm.model import fit

    spec = ModelSpec(
        channels=sim.data.channels, adstock="weibull", saturation="logistic", **{**SMALL, "seed": 3}
    )  # type: ignore[arg-type]
    model = fit(sim.data, spec, train_weeks=91)
    assert model.diagnostics.status in ("good", "caution"), model.diagnostics
    design = build_design(sim.data, spec, train_weeks=91)
    holdout = outputs.fit_quality(model, design, sim.data, holdout=True)
    assert holdout.weeks == 13
    assert holdout.mape < 0.06 and holdout.coverage >= 0.75
    assert np.all(model.draws["sat_b"] == 1.0)  # logistic has one parameter


def test_too_short_a_run_is_reported_unreliable(sim):
    from pilotage.core.mmm.model import fit

    spec = ModelSpec(channels=sim.data.channels, **{**SMALL, "draws": 10, "warmup": 10})  # type: ignore[arg-type]
    model = fit(sim.data, spec)
    assert model.diagnostics.status == "unreliable"
    assert any("effective draws" in w or "R-hat" in w for w in model.diagnostics.warnings)


def test_a_bad_model_file_is_refused():
    with pytest.raises(ValueError, match="not a Pilotage mix model"):
        FittedModel.from_dict({"format": "other"})
