"""Friction points and the journey map on the small demo company: the same numbers as the
KPI engine and the lifecycle funnel, the revenue-lost formula, survey stages placed on the
map, and bad options refused with the field named."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pilotage.data.store import AnalyticsStore
from pilotage.data.workspace import ANALYTICS_FILE, open_workspace
from pilotage.errors import UsageError
from pilotage.services.friction import FrictionResult, friction
from pilotage.services.funnels import funnel, lifecycle_spec
from pilotage.services.journey_map import FUNNEL_STAGES, JourneyMap, journey_map, place
from pilotage.services.kpis import kpi_table

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo(small_demo: Path) -> Iterator[tuple[AnalyticsStore, object]]:
    with AnalyticsStore.open(small_demo / ANALYTICS_FILE, read_only=True) as store:
        yield store, open_workspace(small_demo).settings


@pytest.fixture(scope="module")
def result(demo: tuple[AnalyticsStore, object]) -> FrictionResult:
    store, settings = demo
    # A low bar for the small company: groups of 5, judged against 3 earlier periods.
    return friction(store, settings, min_entrants=5, threshold=2.0)  # type: ignore[arg-type]


def test_stages_carry_the_kpi_engines_cohort_conversion(
    demo: tuple[AnalyticsStore, object], result: FrictionResult
) -> None:
    store, settings = demo
    totals = kpi_table(
        store,
        settings,  # type: ignore[arg-type]
        metrics=["conv_lead_mql", "conv_opportunity_customer"],
        start=result.start,
        end=result.end,
    ).totals
    stages = {s.step: s for s in result.stages}
    assert list(stages) == ["lead→mql", "mql→sql", "sql→opportunity", "opportunity→customer"]
    assert stages["lead→mql"].conversion == totals["conv_lead_mql"]
    assert stages["opportunity→customer"].conversion == totals["conv_opportunity_customer"]
    assert all(s.median_delay_days is None or s.median_delay_days >= 0 for s in stages.values())


def test_points_are_abnormal_and_ranked_by_revenue_lost(result: FrictionResult) -> None:
    assert result.points, "the demo's low bar finds friction"
    lost = [p.revenue_lost for p in result.points]
    assert lost == sorted(lost, reverse=True)
    value = result.deal_value or 0.0
    for p in result.points:
        assert p.abnormal_drop or p.abnormal_delay
        assert p.revenue_lost == pytest.approx(
            p.excess_dropped * (p.downstream_conversion or 0.0) * value
        )
        if p.abnormal_drop:
            assert p.baseline is not None and p.drop_off is not None
            assert p.excess_dropped == pytest.approx(p.entrants * (p.drop_off - p.baseline))
    assert "Revenue lost = excess drop-offs" in result.formula


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"period": "day"}, "period 'day'"),
        ({"by": "country"}, "peers by 'country'"),
        ({"touch_kinds": ["utm"]}, "touchpoint kind 'utm'"),
        ({"window_days": 0}, "window 0 days"),
        ({"threshold": 0}, "threshold 0"),
        ({"min_entrants": 0}, "min entrants 0"),
        ({"history": 1}, "history 1"),
        ({"top": 0}, "top 0"),
    ],
)
def test_bad_friction_options_are_refused(
    demo: tuple[AnalyticsStore, object], options: dict[str, object], message: str
) -> None:
    store, settings = demo
    with pytest.raises(UsageError, match=message):
        friction(store, settings, **options)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def the_map(demo: tuple[AnalyticsStore, object], small_demo: Path) -> JourneyMap:
    store, settings = demo
    return journey_map(store, settings, themes_from=small_demo / "pilotage.toml", lang="fr")  # type: ignore[arg-type]


def test_the_map_shows_the_funnel_then_after_the_purchase(
    demo: tuple[AnalyticsStore, object], the_map: JourneyMap
) -> None:
    store, settings = demo
    flow = funnel(store, settings, lifecycle_spec())  # type: ignore[arg-type]
    names = [s.stage for s in the_map.stages]
    assert names[:8] == [*FUNNEL_STAGES, "onboarding", "adoption", "renewal"]
    assert the_map.conversion_source == "funnel"
    for stage, step in zip(the_map.stages[:5], flow.total.steps, strict=True):
        assert stage.reached == step.reached
    assert the_map.stages[3].label == "Opportunité"
    renewal = next(s for s in the_map.stages if s.stage == "renewal")
    assert renewal.measure == "logo_retention_12m"
    placed = {j for s in the_map.stages for j in s.journey_stages}
    assert {"purchase", "onboarding", "renewal"} <= placed


def test_survey_stage_labels_find_their_place() -> None:
    assert place("Purchase") == "customer" and place("achat en ligne") == "customer"
    assert place("Renouvellement") == "renewal" and place("integration") == "onboarding"
    assert place("relationship") == "adoption"
    assert place("Brand awareness") == "lead"
    assert place("gala dinner") is None
