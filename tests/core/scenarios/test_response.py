"""Response curves and a channel proposal's extra outcome, on a hand-made posterior."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from pilotage.core.scenarios.response import increment_draws, response_curves

_HERE = Path(__file__).parents[1] / "mmm" / "test_optimizer.py"
_spec = importlib.util.spec_from_file_location("mmm_optimizer_tests", _HERE)
assert _spec is not None and _spec.loader is not None
_mod = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_mod)
posterior = _mod.posterior


def test_curves_rise_from_zero_and_pass_through_the_current_spend() -> None:
    m = posterior()
    curves = response_curves(m, weeks=13, points=9)
    assert [c.channel for c in curves] == list(m.channels)
    for k, c in enumerate(curves):
        outcome = np.array([p.outcome for p in c.points])
        assert c.points[0].spend == 0 and outcome[0] == 0
        assert np.all(np.diff(outcome) > 0)  # more spend, more outcome
        mroas = np.array([p.mroas for p in c.points])
        assert np.all(np.diff(mroas) <= 1e-12)  # diminishing returns (hill, slope 1)
        assert all(p.outcome_low <= p.outcome <= p.outcome_high for p in c.points)
        assert c.current_spend == pytest.approx(m.recent_weekly_spend[k] * 13)
        # hill with slope 1: x / (1 + x) of beta x y_scale per week, x in spend scales
        x = m.recent_weekly_spend[k] / m.spend_scale[k]
        expected = (m.draws["beta"][:, k] * m.y_scale * x / (1 + x) * 13).mean()
        assert c.current_outcome == pytest.approx(expected)


def test_the_extra_outcome_of_more_spend_is_the_curve_difference() -> None:
    m = posterior()
    extra = increment_draws(m, "paid_search", 26_000.0, weeks=13)  # +2 000 EUR a week
    k = m.channels.index("paid_search")
    x0 = m.recent_weekly_spend[k] / m.spend_scale[k]
    x1 = (m.recent_weekly_spend[k] + 2_000) / m.spend_scale[k]
    by_hand = m.draws["beta"][:, k] * m.y_scale * (x1 / (1 + x1) - x0 / (1 + x0)) * 13
    np.testing.assert_allclose(extra, by_hand)
    assert np.all(increment_draws(m, "paid_search", -26_000.0) < 0)


def test_bad_channel_proposals_explain_themselves() -> None:
    m = posterior()
    with pytest.raises(ValueError, match="'tv' is not in the mix model"):
        increment_draws(m, "tv", 1000.0)
    with pytest.raises(ValueError, match="cannot cut"):
        increment_draws(m, "video", -1e9)
    with pytest.raises(ValueError, match="points >= 2"):
        response_curves(m, points=1)
