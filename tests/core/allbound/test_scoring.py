"""The engagement score: exponential decay by half-life, the weighted sum explained per
component, the defaults, and every refusal of a bad weight, half-life or window."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pilotage.core.allbound.scoring import (
    COMPONENTS,
    DEFAULT_POINTS,
    Activity,
    Component,
    ScoringModel,
    component,
    decay,
    score,
)
from pilotage.errors import UsageError


@pytest.mark.parametrize(
    ("age", "half_life", "expected"),
    [(0.0, 30.0, 1.0), (30.0, 30.0, 0.5), (60.0, 30.0, 0.25), (15.0, 30.0, 2**-0.5)],
)
def test_an_activity_loses_half_its_weight_every_half_life(
    age: float, half_life: float, expected: float
) -> None:
    assert decay(age, half_life) == pytest.approx(expected, rel=1e-12)


def test_the_defaults_rank_intent_from_an_ad_to_a_meeting() -> None:
    model = ScoringModel.default()
    assert model.version is None and model.half_life_days == 30 and model.window_days == 180
    assert [c for c, _ in model.points] == list(COMPONENTS)
    points = dict(model.points)
    assert points["ad_click"] < points["email_click"] < points["form_submit"]
    assert points["form_submit"] < points["webinar"] < points["sales_meeting"]


def test_a_score_is_the_weighted_sum_of_decayed_activity_explained_per_component() -> None:
    activity: dict[Component, Activity] = {
        "webinar": Activity(count=2, decayed=1.5, decayed_before=0.5),
        "sales_meeting": Activity(count=1, decayed=2**-0.5, decayed_before=0.0),
        "opportunity_open": Activity(count=1, decayed=1.0, decayed_before=1.0),
    }
    done = score(activity, ScoringModel.default())
    assert done.score == pytest.approx(10 * 1.5 + 15 * 2**-0.5 + 25, rel=1e-12)
    assert done.score_before == pytest.approx(10 * 0.5 + 25, rel=1e-12)
    assert done.trend == pytest.approx(done.score - done.score_before)
    assert [c.component for c in done.contributions] == [
        "opportunity_open",
        "webinar",
        "sales_meeting",
    ]
    webinar = done.contributions[1]
    assert (webinar.count, webinar.points, webinar.value) == (2, 10.0, 15.0)


def test_an_account_with_no_activity_scores_zero() -> None:
    done = score({}, ScoringModel.default())
    assert done.score == 0.0 and done.contributions == ()


def test_changing_weights_makes_a_new_unsaved_model_and_keeps_the_others() -> None:
    model = ScoringModel.default().changed({"webinar": 12.0}, half_life_days=14.0)
    assert model.weight("webinar") == 12.0 and model.weight("event") == DEFAULT_POINTS["event"]
    assert model.half_life_days == 14.0 and model.window_days == 180 and model.version is None


def test_stored_points_missing_a_component_take_its_default() -> None:
    model = ScoringModel.of({"webinar": 3.0, "retired_component": 9.0}, 20.0, 90, version=4)
    assert model.weight("webinar") == 3.0 and model.weight("visit") == DEFAULT_POINTS["visit"]
    assert model.version == 4 and "retired_component" not in dict(model.points)


@pytest.mark.parametrize(
    ("change", "message", "fix"),
    [
        ({"updates": {"webinars": 3.0}}, "unknown engagement component 'webinars'", "webinar"),
        ({"updates": {"visit": -1.0}}, "the points of visit (-1.0)", "from 0 to 1000"),
        ({"updates": {"visit": math.nan}}, "the points of visit (nan)", "from 0 to 1000"),
        ({"updates": {"visit": 5000.0}}, "the points of visit (5000.0)", "from 0 to 1000"),
        ({"updates": {}, "half_life_days": 0.0}, "half-life of 0.0 days", "from 1 to 365"),
        ({"updates": {}, "half_life_days": math.inf}, "half-life of inf days", "from 1"),
        ({"updates": {}, "window_days": 3}, "window of 3 days", "from 7 to 730"),
    ],
)
def test_bad_weights_are_refused_with_the_field_and_the_fix(
    change: dict[str, object], message: str, fix: str
) -> None:
    with pytest.raises(UsageError) as caught:
        ScoringModel.default().changed(**change)  # type: ignore[arg-type]
    assert message in caught.value.message and fix in (caught.value.fix or "")


def test_a_model_must_name_every_component_once() -> None:
    with pytest.raises(UsageError, match="missing"):
        ScoringModel((("visit", 1.0),))


def test_component_names_are_checked() -> None:
    assert component("webinar") == "webinar"
    with pytest.raises(UsageError, match="unknown engagement component"):
        component("Webinar")


_ACTIVITY = st.dictionaries(
    st.sampled_from(COMPONENTS),
    st.builds(
        Activity,
        count=st.integers(0, 1000),
        decayed=st.floats(0, 1000, allow_nan=False),
        decayed_before=st.floats(0, 1000, allow_nan=False),
    ),
)


@given(_ACTIVITY, st.floats(0.0, 50.0, allow_nan=False))
def test_contributions_sum_to_the_score_and_scale_with_the_points(
    activity: dict[str, Activity], factor: float
) -> None:
    model = ScoringModel.default()
    done = score(activity, model)  # type: ignore[arg-type]
    assert done.score >= 0
    assert math.fsum(c.value for c in done.contributions) == pytest.approx(done.score)
    scaled = ScoringModel(tuple((c, min(p * factor, 1000.0)) for c, p in model.points))
    if factor * max(DEFAULT_POINTS.values()) <= 1000:
        expected = done.score * factor
        assert score(activity, scaled).score == pytest.approx(expected, rel=1e-9, abs=1e-9)  # type: ignore[arg-type]
