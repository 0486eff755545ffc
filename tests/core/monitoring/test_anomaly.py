"""The detector on series built like the demo's: a yearly seasonality (August and Christmas
dips), a trend, log-normal and Poisson noise, and for organic social the platform's
algorithm change (reach x 0.4 from a Monday 60 % into the period)."""

from __future__ import annotations

import datetime

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pilotage.core.monitoring.anomaly import DetectorSettings, detect, screen
from pilotage.data.demo.config import DemoConfig, build_calendar
from pilotage.data.demo.truth import (
    algo_change_date,
    baseline_multiplier,
    organic_social_factor,
)

CAL = build_calendar(DemoConfig())
#: Complete weeks only, as the service scores them.
FULL = CAL.week_days == 7
ALGO_WEEK = int(np.flatnonzero(organic_social_factor(CAL)[FULL] < 1)[0])


def demo_series(level: float, seed: int, *, algorithm_change: bool) -> np.ndarray:
    """(complete weeks,) counts: level x trend x seasonality (x the algorithm change)."""
    rng = np.random.default_rng(seed)
    mean = level * baseline_multiplier(CAL) * np.exp(rng.normal(0.0, 0.06, CAL.n_weeks))
    if algorithm_change:
        mean = mean * organic_social_factor(CAL)
    counts: np.ndarray = rng.poisson(mean[FULL]).astype(np.float64)
    return counts


def test_the_algorithm_change_is_found_once_since_its_week() -> None:
    y = demo_series(300.0, 1, algorithm_change=True)
    found = detect(y)
    assert found is not None and found.kind == "shift" and found.seasonal
    assert found.start == ALGO_WEEK
    monday = datetime.date.fromordinal(
        datetime.date(1970, 1, 1).toordinal() + int(CAL.week_monday[FULL][found.start])
    )
    assert monday == algo_change_date(CAL)
    # Reach x 0.4: arrivals fall by 60 %, seasonally adjusted.
    assert found.change == pytest.approx(-0.6, abs=0.08)
    assert found.z < -5
    assert found.weeks == len(y) - ALGO_WEEK


@pytest.mark.parametrize("level", [30.0, 300.0, 3000.0])
def test_plain_seasonality_raises_no_alarm(level: float) -> None:
    """August (-45 %) and Christmas (-30 %) dips come back every year: not alarms."""
    alarms = [detect(demo_series(level, seed, algorithm_change=False)) for seed in range(40)]
    assert sum(a is not None for a in alarms) == 0


def test_a_drop_in_the_last_weeks_is_a_dip_since_its_first_week() -> None:
    y = demo_series(500.0, 3, algorithm_change=False)
    y[-2:] *= 0.3
    found = detect(y)
    assert found is not None and found.kind == "dip"
    assert found.start == len(y) - 2 and found.weeks == 2
    assert found.change == pytest.approx(-0.7, abs=0.1)


def test_a_spike_last_week() -> None:
    y = demo_series(500.0, 4, algorithm_change=False)
    y[-1] *= 3
    found = detect(y)
    assert found is not None and found.kind == "spike" and found.start == len(y) - 1
    assert found.change == pytest.approx(2.0, abs=0.4)


def test_an_old_spike_is_left_out_and_raises_nothing() -> None:
    y = demo_series(500.0, 5, algorithm_change=False)
    y[40] *= 4
    y[41] *= 0.2
    assert detect(y) is None


def test_without_two_years_no_seasonal_terms_are_fitted() -> None:
    y = demo_series(500.0, 6, algorithm_change=True)[ALGO_WEEK - 30 : ALGO_WEEK + 20]
    found = detect(y)
    assert found is not None and not found.seasonal and found.start == 30


def test_a_ramp_up_at_the_start_is_not_scored() -> None:
    y = demo_series(500.0, 7, algorithm_change=False)
    y[:5] = [0, 10, 40, 120, 200]
    screened = screen(y, DetectorSettings())
    assert screened.offset == 5 and screened.skipped is None
    assert detect(y) is None


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        (np.zeros(100), "no data"),
        (np.full(10, 50.0), "too short"),
        (np.tile([100.0, 100.0, 0.0, 0.0, 100.0], 20), "intermittent"),
        (np.where(np.arange(100) % 3 == 0, np.nan, 50.0), "too many empty weeks"),
    ],
)
def test_series_that_are_not_scored_say_why(values: np.ndarray, reason: str) -> None:
    assert screen(values, DetectorSettings()).skipped == reason
    assert detect(values) is None


def test_a_series_with_negative_values_is_scored_on_its_own_scale() -> None:
    rng = np.random.default_rng(8)
    y = rng.normal(0.5, 0.05, 70)
    y[50:] -= 0.6
    found = detect(y)
    assert found is not None and found.scale == "linear" and found.start == 50
    assert found.observed - found.expected == pytest.approx(-0.6, abs=0.05)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("harmonics", 20, "harmonics"),
        ("min_before", 1, "weeks before"),
        ("shift_z", 0.0, "shift_z"),
        ("min_change", 0.0, "min_change"),
    ],
)
def test_settings_refuse_nonsense(field: str, value: float, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        DetectorSettings(**{field: value})  # type: ignore[arg-type]


@settings(max_examples=30, deadline=None)
@given(
    level=st.floats(50, 5000),
    scale=st.floats(0.01, 100),
    seed=st.integers(0, 10_000),
)
def test_the_unit_does_not_matter(level: float, scale: float, seed: int) -> None:
    """Euros or thousands of euros: the same finding (same start, same relative change)."""
    y = demo_series(level, seed, algorithm_change=True)
    a, b = detect(y), detect(y * scale)
    assert (a is None) == (b is None)
    if a is not None and b is not None:
        assert a.start == b.start and a.kind == b.kind
        assert a.change == pytest.approx(b.change, rel=1e-6, abs=1e-9)
