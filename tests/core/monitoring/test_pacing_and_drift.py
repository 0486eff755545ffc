"""Pacing: a flight's budget spread evenly over its days; CPA drift: the log rate-ratio
z-test on conversion counts."""

from __future__ import annotations

import datetime
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pilotage.core.monitoring.drift import cpa_drift
from pilotage.core.monitoring.pacing import Flight, pace, pacing_kind

D = datetime.date


def test_a_flight_spreads_its_budget_evenly() -> None:
    flight = Flight(3100.0, D(2026, 10, 1), D(2026, 10, 31))
    assert flight.planned(D(2026, 10, 1), D(2026, 10, 10)) == pytest.approx(1000.0)
    assert flight.planned(D(2026, 9, 1), D(2026, 9, 30)) == 0.0
    # Only the overlap counts: a window reaching past the flight stops at its end.
    assert flight.planned(D(2026, 10, 30), D(2026, 11, 30)) == pytest.approx(200.0)


def test_a_flight_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError, match="ends"):
        Flight(1.0, D(2026, 10, 2), D(2026, 10, 1))


@given(
    budget=st.floats(0, 1e7),
    cut=st.integers(0, 59),
)
def test_planned_parts_add_up_to_the_budget(budget: float, cut: int) -> None:
    flight = Flight(budget, D(2026, 1, 1), D(2026, 3, 1))
    middle = D(2026, 1, 1) + datetime.timedelta(days=cut)
    whole = flight.planned(D(2026, 1, 1), middle) + flight.planned(
        middle + datetime.timedelta(days=1), D(2026, 3, 1)
    )
    assert whole == pytest.approx(budget, rel=1e-9, abs=1e-6)


def test_pace_projects_the_month_at_the_current_rate() -> None:
    p = pace(
        planned_to_date=1000.0,
        spent_to_date=1300.0,
        planned_period=3100.0,
        elapsed_days=10,
        period_days=31,
    )
    assert p.ratio == pytest.approx(1.3)
    assert p.projected == pytest.approx(4030.0)
    assert p.gap == pytest.approx(930.0)
    assert pacing_kind(p, tolerance=0.15, min_amount=50.0) == "overspend"
    assert pacing_kind(p, tolerance=0.35, min_amount=50.0) is None
    assert pacing_kind(p, tolerance=0.15, min_amount=500.0) is None


def test_underspend_and_spend_without_plan() -> None:
    under = pace(1000.0, 500.0, 3000.0, 10, 30)
    assert pacing_kind(under, 0.15, 10.0) == "underspend"
    unplanned = pace(0.0, 200.0, 0.0, 5, 30)
    assert unplanned.ratio is None
    assert pacing_kind(unplanned, 0.15, 10.0) == "overspend"


def test_pace_refuses_days_outside_the_period() -> None:
    with pytest.raises(ValueError, match="elapsed"):
        pace(1.0, 1.0, 1.0, 0, 30)


def test_cpa_drift_by_hand() -> None:
    """Baseline 13 000 EUR for 200 conversions (65 EUR), recent 5 000 EUR for 50 (100 EUR):
    z = ln(100 / 65) / sqrt(1/50 + 1/200) = 0.43078 / 0.15811 = 2.7245."""
    drift = cpa_drift(13_000.0, 200.0, 5_000.0, 50.0)
    assert drift is not None
    assert drift.baseline == pytest.approx(65.0)
    assert drift.recent == pytest.approx(100.0)
    assert drift.change == pytest.approx(100 / 65 - 1)
    assert drift.z == pytest.approx(math.log(100 / 65) / math.sqrt(1 / 50 + 1 / 200))
    assert drift.z == pytest.approx(2.7245, abs=1e-4)


@pytest.mark.parametrize(
    "args", [(0.0, 10.0, 100.0, 10.0), (100.0, 0.0, 100.0, 10.0), (100.0, 10.0, 100.0, 0.0)]
)
def test_no_cpa_without_cost_or_conversions(args: tuple[float, float, float, float]) -> None:
    assert cpa_drift(*args) is None


@given(cost=st.floats(1, 1e6), conv=st.floats(1, 1e4), factor=st.floats(0.1, 10))
def test_drift_sign_follows_the_cpa(cost: float, conv: float, factor: float) -> None:
    drift = cpa_drift(cost, conv, cost * factor, conv)
    assert drift is not None
    assert (drift.z > 0) == (factor > 1) or math.isclose(factor, 1.0, rel_tol=1e-12)
