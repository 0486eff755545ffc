"""The health check's scoring: data first, then answers, else unscored."""

from __future__ import annotations

import pytest

from pilotage.core.governance.health import (
    AREAS,
    CRITERIA,
    CRITERIA_BY_ID,
    area_scores,
    experiments_score,
    overall,
    score_criteria,
    share_score,
)
from pilotage.core.governance.vocabulary import DOMAINS


def test_every_area_has_criteria_and_every_domain_is_rated() -> None:
    assert {c.area for c in CRITERIA} == set(AREAS)
    for d in DOMAINS:
        assert f"skills.{d}" in CRITERIA_BY_ID and f"resources.{d}" in CRITERIA_BY_ID
    assert all(c.question_fr and c.question_en for c in CRITERIA)


def test_data_wins_over_answers_and_answers_fill_the_gaps() -> None:
    scored = {
        s.criterion.id: s
        for s in score_criteria(
            {"tracking.data_trust": 80.0, "alignment.cascade": None},
            {"tracking.data_trust": 0, "alignment.cascade": 3, "skills.seo": 4},
        )
    }
    assert scored["tracking.data_trust"].score == 80.0
    assert scored["tracking.data_trust"].source == "data"
    assert scored["alignment.cascade"].score == 75.0
    assert scored["alignment.cascade"].source == "answer"
    assert scored["skills.seo"].score == 100.0
    assert scored["skills.sea"].score is None and scored["skills.sea"].source == "missing"


def test_area_and_overall_are_means_of_what_is_scored() -> None:
    scored = score_criteria({"tracking.data_trust": 80.0}, {"tracking.alerts_handled": 2})
    areas = area_scores(scored)
    assert areas["tracking"] == pytest.approx((80.0 + 50.0) / 2)
    assert areas["skills"] is None
    assert overall(areas) == pytest.approx(65.0)
    assert overall(area_scores(score_criteria({}, {}))) is None


def test_scores_are_clamped_to_0_100() -> None:
    scored = score_criteria({"tracking.data_trust": 140.0}, {})
    assert next(s for s in scored if s.criterion.id == "tracking.data_trust").score == 100.0


def test_helpers() -> None:
    assert (
        experiments_score(0) == 0.0
        and experiments_score(3) == 50.0
        and experiments_score(12) == 100.0
    )
    assert share_score(1, 4) == 25.0 and share_score(0, 0) is None
