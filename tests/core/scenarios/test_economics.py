"""Economics of a proposal: hand-computed numbers and invariants."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pilotage.core.scenarios.economics import (
    Z90,
    economics_from_cases,
    economics_from_samples,
)
from pilotage.errors import UsageError


def test_z90_is_the_standard_normal_90th_percentile() -> None:
    assert round(Z90, 6) == 1.281552


def test_cases_by_hand() -> None:
    # cost 100, cases 80 / 150 / 250, 80 % margin, returns over 12 months
    e = economics_from_cases(100, 80, 150, 250, margin=0.8)
    assert e.expected_return == 150
    assert e.roi == pytest.approx((150 * 0.8 - 100) / 100)  # 0.20
    assert e.roi_low == pytest.approx(-0.36)
    assert e.roi_high == pytest.approx(1.0)
    assert e.break_even_return == pytest.approx(125.0)
    # monthly margin 150 x 0.8 / 12 = 10, cost 100 -> 10 months
    assert e.payback_months == pytest.approx(10.0)
    # break-even 125 below the base: lower half, sigma = 70 / 1.28155 = 54.62,
    # z = -25 / 54.62 = -0.4577, P = Phi(0.4577) = 0.6764
    assert e.probability_roi_positive == pytest.approx(0.6764, abs=1e-4)
    assert e.probability_roi_negative == pytest.approx(0.3236, abs=1e-4)
    assert e.spread == 170


def test_cases_break_even_above_the_base_uses_the_upper_half() -> None:
    # break-even 200, base 150, high 250: sigma = 100 / 1.28155 = 78.03, z = 0.6408
    e = economics_from_cases(200, 100, 150, 250)
    assert e.probability_roi_positive == pytest.approx(0.2608, abs=1e-4)
    assert e.payback_months is None  # 150 never covers 200
    assert e.roi == pytest.approx(-0.25)


def test_break_even_at_the_low_case_is_ninety_percent() -> None:
    e = economics_from_cases(80, 80, 150, 250)
    assert e.probability_roi_positive == pytest.approx(0.90)


def test_certain_case() -> None:
    assert economics_from_cases(100, 120, 120, 120).probability_roi_positive == 1.0
    assert economics_from_cases(100, 90, 90, 90).probability_roi_positive == 0.0


def test_zero_cost_has_no_roi() -> None:
    e = economics_from_cases(0, 10, 20, 30)
    assert e.roi is None and e.roi_low is None and e.probability_roi_positive is None
    assert e.payback_months == 0.0
    assert e.break_even_return == 0.0


def test_samples_by_hand() -> None:
    draws = np.arange(1.0, 101.0)  # 1..100, mean 50.5
    e = economics_from_samples(40, draws, months=6)
    assert e.expected_return == pytest.approx(50.5)
    assert e.return_low == pytest.approx(10.9)  # numpy linear quantile of 1..100 at 0.1
    assert e.return_high == pytest.approx(90.1)
    assert e.roi == pytest.approx((50.5 - 40) / 40)
    assert e.probability_roi_positive == pytest.approx(0.60)  # draws 41..100
    assert e.payback_months == pytest.approx(6 * 40 / 50.5)


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: economics_from_cases(-1, 1, 2, 3), "cost"),
        (lambda: economics_from_cases(1, 3, 2, 1), "low <= base <= high"),
        (lambda: economics_from_cases(1, 1, 2, 3, margin=0), "margin"),
        (lambda: economics_from_cases(1, 1, 2, 3, months=0), "months"),
        (lambda: economics_from_cases(1, 1, math.nan, 3), "finite"),
        (lambda: economics_from_samples(1, np.array([])), "draw"),
        (lambda: economics_from_samples(1, np.array([1.0, np.inf])), "draw"),
    ],
)
def test_bad_input_names_the_field(call: object, field: str) -> None:
    with pytest.raises(UsageError, match=field):
        call()  # type: ignore[operator]


amounts = st.floats(0, 1e7, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(
    cost=st.floats(1, 1e6),
    cases=st.lists(amounts, min_size=3, max_size=3).map(sorted),
    margin=st.floats(0.05, 1.0),
    months=st.integers(1, 36),
)
def test_case_invariants(cost: float, cases: list[float], margin: float, months: int) -> None:
    low, base, high = cases
    e = economics_from_cases(cost, low, base, high, margin=margin, months=months)
    assert e.roi_low is not None and e.roi is not None and e.roi_high is not None
    assert e.roi_low <= e.roi <= e.roi_high
    assert e.probability_roi_positive is not None
    assert 0.0 <= e.probability_roi_positive <= 1.0
    assert e.break_even_return * margin == pytest.approx(cost)
    if e.roi >= 0:
        assert e.payback_months is not None and e.payback_months <= months * (1 + 1e-9)
    else:
        assert e.payback_months is None
    # a dearer proposal with the same return is never more likely to pay back
    dearer = economics_from_cases(cost * 1.5, low, base, high, margin=margin, months=months)
    assert dearer.probability_roi_positive is not None
    assert dearer.probability_roi_positive <= e.probability_roi_positive + 1e-12


@settings(max_examples=100, deadline=None)
@given(
    cost=st.floats(1, 1e5),
    draws=st.lists(st.floats(-1e5, 1e6), min_size=1, max_size=200),
)
def test_sample_invariants(cost: float, draws: list[float]) -> None:
    e = economics_from_samples(cost, np.array(draws))
    assert e.return_low <= e.return_high
    assert e.roi_low is not None and e.roi_high is not None and e.roi_low <= e.roi_high
    p = e.probability_roi_positive
    assert p is not None and 0.0 <= p <= 1.0
    assert min(draws) - 1e-6 <= e.expected_return <= max(draws) + 1e-6


def test_split_normal_draws_hit_the_stated_percentiles() -> None:
    from pilotage.core.scenarios.economics import split_normal_draws

    draws = split_normal_draws(80, 150, 250, 200_000, np.random.default_rng(1))
    low, mid, high = np.quantile(draws, [0.1, 0.5, 0.9])
    assert (low, mid, high) == pytest.approx((80, 150, 250), rel=0.01)
    # and P(ROI > 0) from the draws agrees with the closed form
    closed = economics_from_cases(100, 80, 150, 250, margin=0.8).probability_roi_positive
    assert np.mean(draws * 0.8 > 100) == pytest.approx(closed, abs=0.005)
