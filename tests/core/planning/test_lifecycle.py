"""The lifecycle's guard: forward only, rule zero at launch, a case to approve, the
evaluation date to evaluate; every refusal says what is missing and how to fix it."""

from __future__ import annotations

import datetime

import pytest

from pilotage.core.planning.lifecycle import readiness, refusal
from pilotage.core.planning.plans import BusinessCase, MeasurementPlan

TODAY = datetime.date(2026, 6, 1)
PLAN = MeasurementPlan(
    kpi="mqls",
    baseline=0.0,
    target=120.0,
    start=datetime.date(2026, 6, 15),
    evaluation_date=datetime.date(2026, 9, 30),
    cost=39_000.0,
    method="attribution",
)
CASE = BusinessCase(return_metric="pipeline_created", low=1.0, base=2.0, high=3.0)


def test_launch_without_a_plan_lists_everything_missing() -> None:
    refused = refusal("launch", "approved", MeasurementPlan(kpi="mqls"), BusinessCase(), TODAY)
    assert refused is not None
    assert "rule zero" in refused.reason
    assert "measurement plan: baseline, target, start, evaluation_date, cost, method" in (
        refused.reason
    )
    assert "business case: return_metric, low, base, high" in refused.reason
    assert "pilotage initiative plan" in refused.fix


def test_launch_of_a_proposed_initiative_names_what_is_missing_first() -> None:
    refused = refusal("launch", "proposed", MeasurementPlan(), CASE, TODAY)
    assert refused is not None and "missing measurement plan" in refused.reason


@pytest.mark.parametrize(
    ("action", "status", "fragment"),
    [
        ("approve", "approved", "cannot approve an initiative that is approved"),
        ("launch", "proposed", "only an approved one can be"),
        ("evaluate", "approved", "only a launched one can be"),
        ("launch", "evaluated", "cannot launch an initiative that is evaluated"),
    ],
)
def test_the_lifecycle_moves_forward_only(action, status, fragment) -> None:
    refused = refusal(action, status, PLAN, CASE, TODAY)
    assert refused is not None and fragment in refused.reason


def test_approval_needs_a_complete_case_and_nothing_else() -> None:
    refused = refusal("approve", "proposed", MeasurementPlan(), BusinessCase(low=1.0), TODAY)
    assert refused is not None and "lacks return_metric, base, high" in refused.reason
    assert refusal("approve", "proposed", MeasurementPlan(), CASE, TODAY) is None


def test_launch_and_evaluation_dates() -> None:
    assert refusal("launch", "approved", PLAN, CASE, TODAY) is None
    late = refusal("launch", "approved", PLAN, CASE, datetime.date(2026, 9, 30))
    assert late is not None and "evaluation date 2026-09-30 is not after today" in late.reason
    early = refusal("evaluate", "launched", PLAN, CASE, datetime.date(2026, 9, 29))
    assert early is not None and "before the evaluation date 2026-09-30" in early.reason
    assert refusal("evaluate", "launched", PLAN, CASE, datetime.date(2026, 9, 30)) is None


def test_readiness() -> None:
    assert readiness(PLAN, CASE).launchable
    assert not readiness(PLAN, BusinessCase()).launchable
