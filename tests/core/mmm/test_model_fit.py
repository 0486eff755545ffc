"""NUTS fit on a small simulated table with known truth: coverage, seed, JSON round trip.

Kept small (short chains, few weeks): the whole file is a couple of model compilations."""

from __future__ import annotations

import numpy as np
import pytest

from pilotage.core.mmm import outputs
from pilotage.core.mmm.design import build_design
from pilotage.core.mmm.posterior import FittedModel
from pilotage.core.mmm.simulate import simulate
from pilotage.core.mmm.spec import ModelSpec

SPEC = {
    "max_lag": 4,
    "draws": 150,
    "warmup": 150,
    "chains": 2,
    "seed": 7,
    "fourier_order": 1,
    "trend_changepoints": 1,
}


@pytest.fixture(scope="module")
def fitted():
    from pilotage.core.mmm.model import fit

    sim = simulate(n_weeks=60, n_channels=2, seed=3, max_lag=4)
    spec = ModelSpec(channels=sim.data.channels, **SPEC)  # type: ignore[arg-type]
    return sim, spec, fit(sim.data, spec)


def test_roas_intervals_cover_the_truth(fitted):
    sim, spec, model = fitted
    assert model.diagnostics.status in ("good", "caution")
    results = outputs.channel_results(model, build_design(sim.data, spec), sim.data)
    for r, truth in zip(results, sim.true_roas, strict=True):
        assert r.roas.low <= truth <= r.roas.high, (r.channel, r.roas, truth)
        assert r.roi is not None and r.roi.mean == pytest.approx(r.roas.mean - 1.0)
        assert 0 < r.mroas.mean < r.roas.mean * 1.5
    quality = outputs.fit_quality(model, build_design(sim.data, spec), sim.data)
    assert quality.r2 > 0.7 and quality.mape < 0.1 and quality.coverage > 0.7


def test_same_data_and_seed_same_result_and_json_round_trip(fitted):
    from pilotage.core.mmm.model import fit

    sim, spec, model = fitted
    again = fit(sim.data, spec)
    np.testing.assert_array_equal(again.draws["roas"], model.draws["roas"])
    loaded = FittedModel.from_json(model.to_json())
    np.testing.assert_array_equal(loaded.draws["beta"], model.draws["beta"])
    spend = sim.data.spend
    np.testing.assert_allclose(loaded.contributions(spend), model.contributions(spend))
    assert loaded.diagnostics == model.diagnostics


def test_a_bad_model_file_is_refused():
    with pytest.raises(ValueError, match="not a Pilotage mix model"):
        FittedModel.from_dict({"format": "other"})
