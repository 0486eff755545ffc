"""Experiment lifts turned into ROAS observations over their weeks."""

from __future__ import annotations

import datetime

import numpy as np
import pytest

from pilotage.core.mmm.calibration import ExperimentLift, lift_from_experiment, lift_from_totals
from pilotage.core.mmm.design import WeeklyData, build_design, window_mask
from pilotage.core.mmm.spec import LiftCalibration, ModelSpec

D = datetime.date
WEEKS = tuple(D(2024, 1, 1) + datetime.timedelta(weeks=i) for i in range(30))


def _data() -> WeeklyData:
    spend = np.column_stack([np.full(30, 1000.0), np.arange(30, dtype=float) * 100])
    return WeeklyData(WEEKS, np.full(30, 50_000.0), ("search", "social"), spend)


def test_window_takes_every_week_that_overlaps_the_dates():
    mask = window_mask(WEEKS, D(2024, 1, 10), D(2024, 1, 22))  # Wed of week 2 to Mon of week 4
    np.testing.assert_array_equal(np.flatnonzero(mask), [1, 2, 3])
    assert window_mask(WEEKS, None, None).sum() == 30


def test_lift_from_totals_divides_by_the_channel_spend_of_those_weeks():
    lift = lift_from_totals(_data(), "search", 6000.0, 1500.0, D(2024, 1, 8), D(2024, 1, 21))
    assert (lift.roas, lift.std_error) == (3.0, 0.75)  # 2 weeks x 1000 EUR
    given = lift_from_totals(
        _data(), "search", 6000.0, 1500.0, D(2024, 1, 8), D(2024, 1, 21), 500.0
    )
    assert given.roas == 12.0
    with pytest.raises(ValueError, match="not one of"):
        lift_from_totals(_data(), "tv", 1.0, 1.0, None, None)
    with pytest.raises(ValueError, match="no spend"):
        lift_from_totals(_data(), "social", 1.0, 1.0, D(2024, 1, 1), D(2024, 1, 7))


def _experiment(**kw: object) -> ExperimentLift:
    base = {
        "source": "EXP-1 B",
        "channel": "search",
        "metric": "mean",
        "difference": "absolute",
        "alpha": 0.05,
        "units": 100,
        "control_mean": 40.0,
        "lift_abs": 30.0,
        "ci_low": 30.0 - 1.959963984540054 * 5.0,
        "ci_high": 30.0 + 1.959963984540054 * 5.0,
        "start": D(2024, 1, 8),
        "end": D(2024, 1, 21),
    }
    return ExperimentLift(**{**base, **kw})  # type: ignore[arg-type]


def test_saved_analysis_gives_incremental_kpi_over_spend():
    lift = lift_from_experiment(_data(), "revenue", _experiment())
    assert lift.roas == pytest.approx(30.0 * 100 / 2000)
    assert lift.std_error == pytest.approx(5.0 * 100 / 2000)
    assert lift.source == "EXP-1 B"
    relative = _experiment(difference="relative", ci_low=0.75 - 0.245, ci_high=0.75 + 0.245)
    assert lift_from_experiment(_data(), "revenue", relative).std_error == pytest.approx(
        0.245 / 1.959963984540054 * 40.0 * 100 / 2000
    )


@pytest.mark.parametrize(
    ("kw", "kpi", "message"),
    [
        ({}, "conversions", "does not measure a conversions KPI"),
        ({"metric": "ratio"}, "revenue", "does not measure a revenue KPI"),
        ({"ci_low": None}, "revenue", "no interval"),
        ({"start": None}, "revenue", "exposure period is unknown"),
        ({"channel": "tv"}, "revenue", "not one of"),
    ],
)
def test_saved_analysis_that_cannot_calibrate_says_why(kw, kpi, message):
    with pytest.raises(ValueError, match=message):
        lift_from_experiment(_data(), kpi, _experiment(**kw))


def test_design_keeps_the_lift_window_inside_the_fitted_weeks():
    lift = LiftCalibration("social", 2.0, 0.5, D(2024, 6, 1), D(2024, 12, 31), "late")
    spec = ModelSpec(channels=("search", "social"), calibration=(lift,))
    design = build_design(_data(), spec)
    assert design.lift_window.sum() == 9  # weeks of 27 May to 22 Jul
    assert design.lift_spend[0] == pytest.approx(sum(range(21, 30)) * 100)
    with pytest.raises(ValueError, match="no social spend in the fitted weeks"):
        build_design(_data(), spec, train_weeks=20)


def test_lift_refuses_bad_numbers():
    with pytest.raises(ValueError, match="std_error must be > 0"):
        LiftCalibration("a", 1.0, 0.0)
    with pytest.raises(ValueError, match="ends before it starts"):
        LiftCalibration("a", 1.0, 1.0, D(2024, 2, 1), D(2024, 1, 1))
    with pytest.raises(ValueError, match="must be a number"):
        LiftCalibration("a", float("nan"), 1.0)
