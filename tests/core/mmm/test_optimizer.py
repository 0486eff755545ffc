"""Budget optimizer invariants on a hand-made posterior (no sampling needed)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pilotage.core.mmm.optimizer import optimize_for_roi, optimize_total
from pilotage.core.mmm.posterior import Diagnostics, FittedModel

CHANNELS = ("display", "paid_search", "video")


def posterior(channels: tuple[str, ...] = CHANNELS, seed: int = 0) -> FittedModel:
    rng = np.random.default_rng(seed)
    s, c = 200, len(channels)
    beta = np.array([0.3, 1.2, 0.6])[:c] * np.exp(rng.normal(0, 0.1, (s, c)))
    return FittedModel(
        channels=channels,
        kpi="revenue",
        adstock="geometric",
        saturation="hill",
        max_lag=4,
        y_scale=100_000.0,
        spend_scale=np.array([10_000.0, 20_000.0, 8_000.0])[:c],
        draws={
            "roas": np.ones((s, c)),
            "beta": beta,
            "ad_a": np.full((s, c), 0.3),
            "ad_b": np.zeros((s, c)),
            "sat_a": np.full((s, c), 1.0),
            "sat_b": np.full((s, c), 1.0),
            "baseline": np.zeros((s, 1)),
            "intercept": np.full(s, 0.5),
            "sigma": np.full(s, 0.05),
        },
        diagnostics=Diagnostics(1.0, 500.0, 0, "good"),
        seed=0,
        recent_weekly_spend=np.array([12_000.0, 15_000.0, 6_000.0])[:c],
    )


def test_budget_is_exact_and_never_worse_than_current():
    m = posterior()
    current_total = float(m.recent_weekly_spend.sum() * 13)
    a = optimize_total(m, current_total, weeks=13)
    assert round(float(a.optimal.sum()), 2) == round(current_total, 2)
    assert a.expected >= a.current_expected - 1e-6
    assert a.moves, "a better split should come with moves"
    assert a.moves[0].text("en").startswith("move ")
    assert "80 % interval" in a.moves[0].text("en")
    assert "intervalle à 80 %" in a.moves[0].text("fr")
    assert a.expected_low <= a.expected <= a.expected_high
    # At an interior optimum the marginal returns are equal.
    inside = a.optimal > 1.0
    assert np.ptp(a.mroas[inside]) < 0.05 * a.mroas[inside].mean()


def test_bounds_hold_by_name_whatever_the_order():
    m = posterior()
    bounds = {"video": (50_000.0, 60_000.0), "display": (0.0, 10_000.0)}
    a = optimize_total(m, 300_000.0, bounds=bounds)
    got = dict(zip(a.channels, a.optimal, strict=True))
    assert 50_000 <= got["video"] <= 60_000
    assert got["display"] <= 10_000
    reordered = optimize_total(m, 300_000.0, bounds=dict(reversed(list(bounds.items()))))
    np.testing.assert_allclose(reordered.optimal, a.optimal)


def test_bad_budgets_explain_themselves():
    m = posterior()
    with pytest.raises(ValueError, match="unknown channels"):
        optimize_total(m, 1000.0, bounds={"tv": (0.0, 1.0)})
    with pytest.raises(ValueError, match="bounds allow"):
        optimize_total(m, 1000.0, bounds=dict.fromkeys(CHANNELS, (0.0, 100.0)))
    with pytest.raises(ValueError, match="> 0"):
        optimize_total(m, -5.0)


@settings(max_examples=15, deadline=None)
@given(st.floats(10_000, 1_000_000), st.floats(1.05, 3.0))
def test_more_budget_never_lowers_the_outcome(total, factor):
    m = posterior()
    small = optimize_total(m, round(total, 2))
    large = optimize_total(m, round(total * factor, 2))
    assert round(float(small.optimal.sum()), 2) == round(total, 2)
    assert large.expected >= small.expected - 1e-6 * small.expected


def test_target_roi_finds_a_budget_that_reaches_it():
    m = posterior()
    a = optimize_for_roi(m, 1.0)
    assert (a.expected - a.total) / a.total >= 1.0 - 1e-3
    bigger = optimize_total(m, a.total * 1.5)
    assert (bigger.expected - bigger.total) / bigger.total < 1.0
