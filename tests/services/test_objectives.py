"""SMART objectives on the KPI test workspace: refusals that say what is wrong and store
nothing, the cascade, progress from the KPI engine, the forecast and the final value once
the deadline's data is in. The batched monthly numbers equal the engine's own totals."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path

import pytest

from pilotage.data.metadata.store import MetadataStore
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.errors import NotFoundError, UsageError
from pilotage.services.kpis import kpi_table
from pilotage.services.objective_numbers import ask, objectives_numbers
from pilotage.services.objectives import (
    ObjectiveSpec,
    check_objective,
    create_objective,
    list_objectives,
    objective_status,
    objectives_status,
)

D = datetime.date
Store = tuple[AnalyticsStore, WorkspaceSettings]
CREATED = D(2026, 1, 1)
LATER = D(2026, 4, 15)  # the data's last day is 31 March 2026


@pytest.fixture
def meta(tmp_path: Path) -> Iterator[MetadataStore]:
    with MetadataStore.open(f"sqlite:///{tmp_path / 'metadata.db'}") as store:
        store.upgrade()
        yield store


def spec(**changes) -> ObjectiveSpec:
    base = {
        "name": "Spend 2026",
        "metric_id": "cost",
        "target": 1000.0,
        "start": D(2026, 1, 1),
        "deadline": D(2026, 12, 31),
        "kind": "business",
    }
    return ObjectiveSpec(**{**base, **changes})


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"metric_id": "likes"}, "no measurable metric: 'likes' is not a metric of the registry"),
        ({"metric_id": "stage_conversion"}, "'stage_conversion' is not computed from"),
        ({"deadline": D(2025, 12, 31)}, "the deadline 2025-12-31 is not in the future"),
        ({"start": D(2027, 1, 1)}, "the start 2027-01-01 is not before the deadline"),
        ({"scope": {"planet": ["mars"]}}, "'planet' is not a dimension"),
        ({"target": float("nan")}, "the target must be a finite number"),
        ({"name": "  "}, "the objective's name is blank"),
        ({"parent_id": 1}, "a business objective has no parent"),
    ],
)
def test_bad_objectives_are_refused_and_nothing_is_stored(
    meta: MetadataStore, changes: dict, fragment: str
) -> None:
    with pytest.raises(UsageError, match=fragment) as caught:
        create_objective(meta, spec(**changes), "cmo", today=CREATED)
    assert caught.value.fix
    assert list_objectives(meta) == []


def test_the_cascade_links_marketing_objectives_to_business_ones(meta: MetadataStore) -> None:
    business = create_objective(meta, spec(), "cmo", today=CREATED)
    leads = create_objective(
        meta,
        spec(name="Leads", metric_id="leads", kind="marketing", parent_id=business.id),
        "cmo",
        today=CREATED,
    )
    with pytest.raises(UsageError, match=f"objective {leads.id} \\(Leads\\) is not a business"):
        create_objective(meta, spec(kind="marketing", parent_id=leads.id), "cmo", today=CREATED)
    with pytest.raises(NotFoundError, match="no objective 99 to cascade from"):
        create_objective(meta, spec(kind="marketing", parent_id=99), "cmo", today=CREATED)
    assert leads.direction == "at_least" and leads.created_by == "cmo"
    cac = create_objective(
        meta, spec(name="CAC", metric_id="cac_blended", kind="marketing"), "cmo", today=CREATED
    )
    assert cac.direction == "at_most"  # a CAC target is a ceiling


def test_status_numbers_come_from_the_kpi_engine(meta: MetadataStore, kpi_store: Store) -> None:
    store, settings_ = kpi_store
    business = create_objective(meta, spec(), "cmo", today=CREATED)
    create_objective(
        meta,
        spec(
            name="Mid-January spend", start=D(2026, 1, 15), kind="marketing", parent_id=business.id
        ),
        "cmo",
        today=CREATED,
    )
    create_objective(
        meta,
        spec(
            name="CTR",
            metric_id="ctr",
            target=0.05,
            kind="marketing",
            scope={"channel": ["paid_search"]},
        ),
        "cmo",
        today=CREATED,
    )
    result = objectives_status(store, meta, settings_, today=LATER, lang="en")
    assert result.as_of == D(2026, 3, 31)
    spend, mid, ctr = result.objectives  # the business objective, its child, then the orphan
    # 100 + 200 USD x 0.9 in January, 100 USD x 0.8 + 40 in March.
    assert spend.value_to_date == 400.0 and spend.progress == pytest.approx(0.4)
    assert mid.value_to_date == 300.0 and mid.parent_name == "Spend 2026"
    assert spend.aggregation == "total" and ctr.aggregation == "level"
    # From February 2025 (spend starts mid-January 2025) to March 2026.
    assert len(spend.history) == 14 and spend.history[-1].value == 120.0
    assert spend.forecast is not None and spend.forecast.path[-1].month == D(2026, 12, 1)
    assert spend.status in ("on_track", "at_risk", "off_track")
    assert {s.letter: s.passed for s in mid.smart}["R"] is True
    # March: 30 clicks for 1000 impressions on paid search.
    assert ctr.value_to_date == pytest.approx(0.03)
    assert {s.letter: s.passed for s in ctr.smart}["R"] is False
    engine = kpi_table(store, settings_, metrics=["cost"], start=D(2026, 1, 1), end=D(2026, 3, 31))
    assert spend.value_to_date == engine.totals["cost"]


def test_the_final_value_once_the_deadline_is_in_the_data(
    meta: MetadataStore, kpi_store: Store
) -> None:
    store, settings_ = kpi_store
    made = create_objective(
        meta,
        spec(name="Q1 leads", metric_id="leads", target=3, deadline=D(2026, 2, 28)),
        "cmo",
        today=CREATED,
    )
    done = objective_status(store, meta, settings_, made.id, today=LATER, lang="fr")
    # p1 and p2 are created in January; none in February.
    assert done.final == 2.0 and done.status == "missed" and done.probability == 0.0
    assert done.forecast is None
    smart = {s.letter: s for s in done.smart}
    assert smart["A"].passed is False and "Échéance passée" in smart["A"].reason


def test_an_objective_is_checked_before_it_is_created(
    meta: MetadataStore, kpi_store: Store
) -> None:
    store, settings_ = kpi_store
    checked = check_objective(
        store, meta, settings_, spec(kind="marketing"), today=LATER, lang="en"
    )
    assert checked.id is None and checked.value_to_date == 400.0
    assert {s.letter: s.passed for s in checked.smart}["R"] is False
    assert list_objectives(meta) == []
    with pytest.raises(UsageError, match="no measurable metric"):
        check_objective(store, meta, settings_, spec(metric_id="x"), today=LATER)
    with pytest.raises(NotFoundError, match="no objective 7"):
        objective_status(store, meta, settings_, 7, today=LATER)


@pytest.mark.parametrize(
    ("start", "deadline"),
    [
        (D(2025, 11, 1), D(2025, 12, 16)),  # whole months, then one cut mid-month
        (D(2026, 1, 1), D(2026, 5, 20)),  # whole months up to the data's last day
        (D(2026, 1, 15), D(2026, 3, 10)),  # starts and ends inside months
        (D(2026, 3, 31), D(2026, 4, 1)),  # one day of data
        (D(2026, 2, 1), D(2026, 2, 28)),  # a month with nothing in it
    ],
)
def test_batched_numbers_equal_the_engines_totals(kpi_store: Store, start: D, deadline: D) -> None:
    store, settings_ = kpi_store
    as_of, metrics = D(2026, 3, 31), ["cost", "leads", "attributed_revenue"]
    found = objectives_numbers(
        store, settings_, [ask(m, {}, start, deadline) for m in metrics], as_of
    )
    engine = kpi_table(store, settings_, metrics=metrics, start=start, end=min(as_of, deadline))
    for metric, numbers in zip(metrics, found, strict=True):
        assert numbers.to_date == pytest.approx(engine.totals[metric]), metric
