"""The objective forecast: OLS prediction intervals checked against the closed-form
simple-regression formula (built from scipy's linregress, independently of the matrix
code), model choice by AICc, and the probability of reaching a target."""

from __future__ import annotations

import datetime
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from pilotage.core.kpis.periods import add_months
from pilotage.core.planning.forecast import choose, forecast, reach_probability

FIRST = datetime.date(2024, 1, 1)


def months(n: int, first: datetime.date = FIRST) -> list[datetime.date]:
    return [add_months(first, i) for i in range(n)]


def closed_form(y: np.ndarray, x0: float) -> tuple[float, float]:
    """(prediction, standard error of a new observation) at x0, textbook formula:
    se = s * sqrt(1 + 1/n + (x0 - mean x)^2 / Sxx)."""
    x = np.arange(len(y), dtype=float)
    fit = stats.linregress(x, y)
    resid = y - (fit.intercept + fit.slope * x)
    s = math.sqrt(float(resid @ resid) / (len(y) - 2))
    sxx = float(((x - x.mean()) ** 2).sum())
    return fit.intercept + fit.slope * x0, s * math.sqrt(
        1 + 1 / len(y) + (x0 - x.mean()) ** 2 / sxx
    )


# Twelve months of leads with a clear trend and some noise (a trend beats the mean by AICc).
LEADS = np.array([102, 111, 118, 121, 135, 138, 149, 150, 163, 171, 174, 188], dtype=float)


def test_level_forecast_is_the_textbook_prediction_interval() -> None:
    hist = months(12)
    future = [
        (add_months(FIRST, 12), 1.0),
        (add_months(FIRST, 13), 1.0),
        (add_months(FIRST, 14), 1.0),
    ]
    fc = forecast(
        hist, LEADS, future, aggregation="level", so_far=0, target=210, direction="at_least"
    )
    assert fc is not None and fc.model == "trend" and fc.months_used == 12
    mean, se = closed_form(LEADS, 14.0)
    q = stats.t.ppf(0.9, 10)
    assert fc.value == pytest.approx(mean, rel=1e-10)
    assert fc.high - fc.value == pytest.approx(q * se, rel=1e-9)
    assert fc.probability == pytest.approx(stats.t.sf((210 - mean) / se, 10), rel=1e-9)
    # Pinned (by hand: a = 101.987, b = 7.5175, a + 14 b = 207.23): an 80 % interval of
    # +-4.75 and a 22 % chance of 210 leads.
    assert round(fc.value, 2) == 207.23 and round(fc.high - fc.value, 2) == 4.75
    assert round(fc.probability, 3) == 0.221


def test_total_adds_the_weighted_months_with_their_joint_variance() -> None:
    hist = months(12)
    future = [(add_months(FIRST, 12), 1.0), (add_months(FIRST, 13), 0.5)]
    fc = forecast(
        hist, LEADS, future, aggregation="total", so_far=1000, target=1300, direction="at_least"
    )
    assert fc is not None
    x = np.arange(12, dtype=float)
    fit = stats.linregress(x, LEADS)
    resid = LEADS - (fit.intercept + fit.slope * x)
    s2 = float(resid @ resid) / 10
    design = np.column_stack([np.ones(12), x])
    inv = np.linalg.inv(design.T @ design)
    x0 = np.array([[1.0, 12.0], [1.0, 13.0]])
    w = np.array([1.0, 0.5])
    expected = 1000 + w @ (x0 @ np.array([fit.intercept, fit.slope]))
    var = s2 * (w @ w + w @ x0 @ inv @ x0.T @ w)
    assert fc.value == pytest.approx(expected, rel=1e-10)
    assert fc.high - fc.value == pytest.approx(stats.t.ppf(0.9, 10) * math.sqrt(var), rel=1e-9)
    # The path is cumulative: the first month alone, then both.
    assert fc.path[0].value == pytest.approx(1000 + fit.intercept + 12 * fit.slope, rel=1e-10)
    assert fc.path[-1].value == fc.value


def test_two_years_of_seasonal_data_choose_the_seasonal_model() -> None:
    rng = np.random.default_rng(7)
    season = np.array([0, -5, 3, 8, 12, 4, -10, -30, 6, 10, 5, -15], dtype=float)
    y = np.array([100 + 0.5 * t + season[t % 12] + rng.normal(0, 1.5) for t in range(36)])
    fit = choose(FIRST, months(36), y)
    assert fit is not None and fit.model == "trend_seasonal"
    future = [(add_months(FIRST, 36 + k), 1.0) for k in range(12)]
    fc = forecast(
        months(36), y, future, aggregation="level", so_far=0, target=0, direction="at_least"
    )
    assert fc is not None
    # August (index 7) is the low month again, near 100 + 0.5 * 43 - 30.
    assert fc.path[7].value == pytest.approx(100 + 0.5 * 43 - 30, abs=3)


def test_flat_noise_chooses_the_mean_and_short_histories_are_not_forecast() -> None:
    rng = np.random.default_rng(3)
    y = 50 + rng.normal(0, 2, 18)
    fit = choose(FIRST, months(18), y)
    assert fit is not None and fit.model == "mean"
    future = [(add_months(FIRST, 18), 1.0)]
    assert (
        forecast(
            months(2), y[:2], future, aggregation="level", so_far=0, target=1, direction="at_least"
        )
        is None
    )
    three = forecast(
        months(3), y[:3], future, aggregation="level", so_far=0, target=1, direction="at_least"
    )
    assert three is not None and three.model == "mean"


def test_nothing_left_to_forecast_is_refused() -> None:
    with pytest.raises(ValueError, match="nothing left"):
        forecast(
            months(6), LEADS[:6], [], aggregation="level", so_far=0, target=1, direction="at_least"
        )


def test_a_perfect_fit_gives_certain_answers() -> None:
    assert reach_probability(10.0, 0.0, 5, 9.0, "at_least") == 1.0
    assert reach_probability(10.0, 0.0, 5, 9.0, "at_most") == 0.0


@settings(max_examples=50, deadline=None)
@given(
    target=st.floats(min_value=-1e6, max_value=1e6),
    step=st.floats(min_value=0.1, max_value=1e5),
    se=st.floats(min_value=1e-3, max_value=1e5),
)
def test_probability_falls_as_a_floor_rises_and_mirrors_a_ceiling(target, step, se) -> None:
    low = reach_probability(100.0, se, 8, target, "at_least")
    high = reach_probability(100.0, se, 8, target + step, "at_least")
    assert 0.0 <= high <= low <= 1.0
    assert reach_probability(100.0, se, 8, target, "at_most") == pytest.approx(1 - low, abs=1e-12)
