"""Shared goals: the metrics and their checks, and how progress reads on a day (not
started, on track at a linear pace, behind, achieved, missed; coverages have no pace)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pilotage.core.allbound.goals import (
    GOAL_DEFINITIONS,
    GOAL_METRICS,
    GOAL_NAMES,
    GOAL_UNITS,
    check_target,
    goal_metric,
    progress,
)
from pilotage.errors import UsageError

Q1 = (dt.date(2026, 1, 1), dt.date(2026, 3, 31))  # 90 days


def test_every_goal_has_a_unit_a_name_and_a_definition_in_both_languages() -> None:
    for metric in GOAL_METRICS:
        assert GOAL_UNITS[metric] in ("currency", "count", "percent")
        assert all(GOAL_NAMES[metric]) and all(GOAL_DEFINITIONS[metric])


@pytest.mark.parametrize(
    ("as_of", "actual", "status", "expected"),
    [
        (dt.date(2025, 12, 31), 0.0, "not_started", 0.0),
        (dt.date(2026, 1, 1), 0.0, "behind", 900 / 90),
        (dt.date(2026, 2, 14), 450.0, "on_track", 900 * 45 / 90),
        (dt.date(2026, 2, 14), 449.0, "behind", 900 * 45 / 90),
        (dt.date(2026, 2, 14), 900.0, "achieved", 900 * 45 / 90),
        (dt.date(2026, 3, 31), 899.0, "missed", 900.0),
        (dt.date(2026, 6, 1), 950.0, "achieved", 900.0),
    ],
)
def test_a_flow_goal_is_read_against_a_linear_pace(
    as_of: dt.date, actual: float, status: str, expected: float
) -> None:
    done = progress("pipeline", 900.0, actual, *Q1, as_of)
    assert done.status == status
    assert done.expected == pytest.approx(expected)
    assert done.attainment == pytest.approx(actual / 900.0)


def test_a_coverage_has_no_pace_it_is_behind_until_reached() -> None:
    early = progress("engaged_coverage", 0.6, 0.1, *Q1, dt.date(2026, 1, 2))
    assert early.status == "behind" and early.expected == 0.6
    done = progress("opportunity_coverage", 0.6, 0.6, *Q1, dt.date(2026, 1, 2))
    assert done.status == "achieved"


@given(
    st.floats(0.001, 1e9, allow_nan=False),
    st.floats(0, 1e9, allow_nan=False),
    st.integers(-30, 130),
)
def test_elapsed_stays_within_the_period_and_expected_never_exceeds_the_target(
    target: float, actual: float, day: int
) -> None:
    done = progress("meetings", target, actual, *Q1, Q1[0] + dt.timedelta(days=day))
    assert 0.0 <= done.elapsed <= 1.0
    assert done.expected <= target * (1 + 1e-12)
    assert (done.status == "achieved") == (actual >= target and day >= 0)


@pytest.mark.parametrize(
    ("metric", "target", "message", "fix"),
    [
        ("pipeline", 0.0, "the pipeline target 0.0 is not a positive number", "above 0"),
        ("meetings", -3.0, "the meetings target -3.0", "above 0"),
        ("meetings", float("nan"), "the meetings target nan", "above 0"),
        ("pipeline", 1e13, "is not a positive number", "at most 1e+12"),
        ("engaged_coverage", 60.0, "above 1: a coverage is a share", "0.6 for 60%"),
    ],
)
def test_bad_targets_are_refused(metric: str, target: float, message: str, fix: str) -> None:
    with pytest.raises(UsageError) as caught:
        check_target(goal_metric(metric), target)
    assert message in caught.value.message and fix in (caught.value.fix or "")


def test_an_unknown_goal_metric_lists_the_known_ones() -> None:
    with pytest.raises(UsageError) as caught:
        goal_metric("revenue")
    assert "unknown goal metric 'revenue'" in caught.value.message
    assert "pipeline, opportunities, meetings" in (caught.value.fix or "")


def test_a_period_ending_before_it_starts_is_a_bug() -> None:
    with pytest.raises(ValueError, match="after its end"):
        progress("pipeline", 1.0, 0.0, Q1[1], Q1[0], Q1[0])
