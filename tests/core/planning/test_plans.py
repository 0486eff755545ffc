"""Measurement plans and business cases: every bad value is refused naming the field, and
``missing`` lists what launch still needs, by method."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pilotage.core.planning.plans import BusinessCase, MeasurementPlan, merged, parse
from pilotage.errors import UsageError

D = datetime.date


def refused(data: dict, fragment: str, model: type = MeasurementPlan) -> None:
    with pytest.raises(UsageError, match=fragment) as caught:
        parse(model, data)
    assert "nothing was saved" in (caught.value.fix or "")


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({"kpi": "likes"}, "kpi: 'likes' is not a metric of the registry"),
        ({"kpi": "stage_conversion"}, "kpi: 'stage_conversion' is not computed"),
        ({"cost": -5.0}, r"cost: the cost must be an amount >= 0 \(got -5.0\)"),
        ({"cost": float("nan")}, "cost: the cost must be an amount"),
        ({"target": float("inf")}, "target: the value must be a finite number"),
        ({"scope": {"region": ["ARA"]}}, "scope: 'region' is not a dimension"),
        ({"scope": {"country": [" "]}}, "needs at least one non-blank value"),
        (
            {"start": D(2026, 5, 1), "evaluation_date": D(2026, 5, 1)},
            r"the evaluation date \(2026-05-01\) must come after the start",
        ),
        ({"method": "gut_feeling"}, "method: Input should be"),
        ({"control_scope": {}}, "the control group needs at least one dimension"),
        (
            {"scope": {"country": ["FR"]}, "control_scope": {"country": ["FR"]}},
            "the control group is the scope itself",
        ),
        ({"colour": "red"}, "colour: Extra inputs are not permitted"),
    ],
)
def test_a_bad_plan_is_refused_naming_the_field(data: dict, fragment: str) -> None:
    refused(data, fragment)


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({"return_metric": "mqls"}, "'mqls' is not an amount of money"),
        ({"return_metric": "roi"}, "'roi' is not an amount of money"),
        ({"return_metric": "nope"}, "'nope' is not a metric the workspace measures"),
        ({"low": 3.0, "base": 2.0}, r"ordered low <= base <= high \(got low=3.0, base=2.0"),
        ({"low": -1.0}, "a case must be an amount >= 0"),
        ({"margin": 0.0}, "margin: Input should be greater than 0"),
        ({"margin": 1.5}, "margin: Input should be less than or equal to 1"),
        ({"months": 0}, "months: Input should be greater than or equal to 1"),
    ],
)
def test_a_bad_case_is_refused_naming_the_field(data: dict, fragment: str) -> None:
    refused(data, fragment, BusinessCase)


def test_missing_lists_what_launch_needs_by_method() -> None:
    assert MeasurementPlan().missing() == [
        "kpi",
        "baseline",
        "target",
        "start",
        "evaluation_date",
        "cost",
        "method",
    ]
    base = {
        "kpi": "mqls",
        "baseline": 0.0,
        "target": 100.0,
        "start": D(2026, 1, 1),
        "evaluation_date": D(2026, 3, 31),
        "cost": 1000.0,
    }
    assert parse(MeasurementPlan, {**base, "method": "attribution"}).missing() == []
    assert parse(MeasurementPlan, {**base, "method": "experiment"}).missing() == ["experiment_id"]
    assert parse(MeasurementPlan, {**base, "method": "pre_post_control"}).missing() == [
        "control_scope"
    ]
    assert parse(MeasurementPlan, {**base, "method": "mmm"}).missing() == ["channel"]
    assert BusinessCase(low=1.0).missing() == ["return_metric", "base", "high"]


def test_merged_keeps_the_old_values_and_checks_the_whole() -> None:
    current = {"kpi": "mqls", "start": "2026-01-01", "cost": 10.0}
    plan = merged(MeasurementPlan, current, {"target": 50.0, "kpi": None})
    assert plan.kpi == "mqls" and plan.target == 50.0 and plan.cost == 10.0
    # The new evaluation date contradicts the stored start: refused as a whole.
    with pytest.raises(UsageError, match="must come after the start"):
        merged(MeasurementPlan, current, {"evaluation_date": D(2025, 12, 1)})


def test_scopes_are_normalised() -> None:
    plan = parse(MeasurementPlan, {"scope": {"country": ["FR", " BE", "FR"]}})
    assert plan.scope == {"country": ["BE", "FR"]}


@given(
    low=st.floats(min_value=0, max_value=1e9),
    spread=st.floats(min_value=0, max_value=1e9),
    up=st.floats(min_value=0, max_value=1e9),
)
def test_an_ordered_case_round_trips_through_json(low: float, spread: float, up: float) -> None:
    case = BusinessCase(return_metric="revenue", low=low, base=low + spread, high=low + spread + up)
    assert BusinessCase.model_validate_json(case.model_dump_json()) == case
    assert case.missing() == []
