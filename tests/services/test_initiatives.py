"""Initiatives through their lifecycle on the KPI test workspace: guarded moves logged with
who and when, plans frozen at launch, refused changes that leave everything as it was, and
an evaluation whose actuals are the KPI engine's numbers for the plan's scope and window."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path

import pytest

from pilotage.data.metadata.store import MetadataStore
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.errors import NotFoundError, UsageError
from pilotage.services.initiatives import (
    create_initiative,
    evaluate_initiative,
    get_initiative,
    list_initiatives,
    measure_initiative,
    move_initiative,
    update_case,
    update_plan,
)
from pilotage.services.kpis import kpi_table

D = datetime.date
Store = tuple[AnalyticsStore, WorkspaceSettings]
Q1 = (D(2026, 1, 1), D(2026, 3, 31))
PLAN = {
    "kpi": "touches",
    "scope": {"channel": ["paid_search"]},
    "target": 3.0,
    "start": Q1[0],
    "evaluation_date": Q1[1],
    "cost": 150.0,
    "method": "attribution",
}
CASE = {
    "return_metric": "attributed_revenue",
    "low": 200.0,
    "base": 600.0,
    "high": 1200.0,
    "margin": 0.5,
    "months": 6,
}


class Clock:
    def __init__(self) -> None:
        self.now = datetime.datetime(2025, 11, 3, 9, 0, tzinfo=datetime.UTC)

    def __call__(self) -> datetime.datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def meta(tmp_path: Path, clock: Clock) -> Iterator[MetadataStore]:
    with MetadataStore.open(f"sqlite:///{tmp_path / 'metadata.db'}", now=clock) as store:
        store.upgrade()
        yield store


def new(meta: MetadataStore, **kwargs) -> int:
    return create_initiative(
        meta, name="Search push", kind="campaign", owner="cmo@acme.test", actor="cmo", **kwargs
    ).id


def test_the_whole_lifecycle_logs_who_decided_and_when(
    meta: MetadataStore, clock: Clock, kpi_store: Store
) -> None:
    store, settings = kpi_store
    initiative = new(meta, description="More search in Q1")
    refused = "missing measurement plan: kpi, baseline, target, start, evaluation_date, cost"
    with pytest.raises(UsageError, match=refused):
        move_initiative(meta, initiative, "launch", "cmo", today=D(2025, 11, 3))
    # The baseline from the data: touches on paid search over the 90 days before the start.
    detail = update_plan(
        meta, initiative, PLAN, "ana", store=store, settings=settings, baseline_from_data=True
    )
    assert detail.plan.baseline == 0.0 and detail.plan.baseline_source == "workspace"
    assert detail.plan_missing == [] and detail.case_missing == [
        "return_metric",
        "low",
        "base",
        "high",
    ]
    with pytest.raises(UsageError, match="cannot approve without a complete business case"):
        move_initiative(meta, initiative, "approve", "cfo", today=D(2025, 11, 3))
    detail = update_case(meta, initiative, CASE, "ana")
    assert detail.economics is not None and detail.economics.roi == pytest.approx(1.0)
    clock.now += datetime.timedelta(days=7)
    approved = move_initiative(meta, initiative, "approve", "cfo", today=D(2025, 11, 10), note="ok")
    assert approved.status == "approved"
    # A change after approval withdraws it: the committee approved another plan.
    clock.now += datetime.timedelta(days=1)
    changed = update_plan(meta, initiative, {"target": 4.0}, "ana")
    assert changed.status == "proposed"
    assert [t.note for t in changed.transitions][-1] == "changed after approval"
    move_initiative(meta, initiative, "approve", "cfo", today=D(2025, 11, 11))
    launched = move_initiative(meta, initiative, "launch", "cmo", today=D(2025, 12, 20))
    assert [(t.from_status, t.to_status, t.by) for t in launched.transitions] == [
        (None, "proposed", "cmo"),
        ("proposed", "approved", "cfo"),
        ("approved", "proposed", "ana"),
        ("proposed", "approved", "cfo"),
        ("approved", "launched", "cmo"),
    ]
    assert launched.transitions[1].at == datetime.datetime(2025, 11, 10, 9, tzinfo=datetime.UTC)
    assert launched.transitions[1].note == "ok"
    with pytest.raises(UsageError, match="frozen since launch"):
        update_plan(meta, initiative, {"target": 9.0}, "ana")
    with pytest.raises(UsageError, match="cannot evaluate before the evaluation date 2026-03-31"):
        evaluate_initiative(store, meta, settings, initiative, "cmo", today=D(2026, 3, 30))
    done = evaluate_initiative(store, meta, settings, initiative, "cmo", today=D(2026, 4, 2))
    assert done.status == "evaluated" and done.evaluation is not None
    assert get_initiative(meta, initiative).evaluation == done.evaluation


def test_the_evaluation_is_the_kpi_engines_numbers(meta: MetadataStore, kpi_store: Store) -> None:
    store, settings = kpi_store
    initiative = new(meta, plan={**PLAN, "baseline": 1.0}, case=CASE)
    result = measure_initiative(store, meta, settings, initiative, today=D(2026, 4, 2))
    engine = kpi_table(
        store,
        settings,
        metrics=["touches", "attributed_revenue", "cost"],
        start=Q1[0],
        end=Q1[1],
        filters={"channel": ["paid_search"]},
    ).totals
    # t1 and t2 on paid search in January; 100 + 100 USD x 0.8 of paid search spend.
    assert result.actual == engine["touches"] == 2.0
    assert result.actual_cost == engine["cost"] == 180.0 and result.cost_source == "workspace"
    assert result.actual_return == engine["attributed_revenue"]
    assert result.before == 0.0 and result.before_end == D(2025, 12, 31)
    assert result.measured_impact == 1.0 and result.expected_impact == 2.0
    assert result.verdict == "partly"
    rows = {r.item: r for r in result.rows}
    assert rows["kpi"].expected == 3.0 and rows["kpi"].actual == 2.0
    assert rows["cost"].expected == 150.0 and rows["cost"].difference == 30.0
    actual_roi = (engine["attributed_revenue"] * 0.5 - 180.0) / 180.0
    assert rows["roi"].actual == pytest.approx(actual_roi)
    assert rows["return"].expected == 600.0


def test_pre_post_with_a_control_group(meta: MetadataStore, kpi_store: Store) -> None:
    store, settings = kpi_store
    plan = {
        **PLAN,
        "baseline": 0.0,
        "method": "pre_post_control",
        "control_scope": {"channel": ["email"]},
        "start": D(2026, 1, 1),
        "evaluation_date": D(2026, 1, 31),
    }
    result = measure_initiative(
        store, meta, settings, new(meta, plan=plan, case=CASE), today=D(2026, 4, 2)
    )
    # Email had no touch in December, so its change can't be read as a rate.
    assert result.method.control_before == 0.0 and result.method.counterfactual is None
    assert result.measured_impact is None and result.verdict == "unknown"


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"kpi": "likes"}, "kpi: 'likes' is not a metric of the registry"),
        ({"evaluation_date": D(2025, 12, 1)}, "must come after the start"),
        ({"cost": -1.0}, "the cost must be an amount >= 0"),
    ],
)
def test_a_refused_change_leaves_the_plan_as_it_was(
    meta: MetadataStore, changes: dict, fragment: str
) -> None:
    initiative = new(meta, plan=PLAN)
    with pytest.raises(UsageError, match=fragment):
        update_plan(meta, initiative, changes, "ana")
    assert get_initiative(meta, initiative).plan.model_dump(exclude_none=True) == {
        **PLAN,
        "attribution_model": "last",
    }


@pytest.mark.parametrize(
    ("fields", "fragment"),
    [
        ({"name": " "}, "the initiative's name is blank"),
        ({"kind": "party"}, "unknown initiative kind 'party'"),
        ({"owner": ""}, "the initiative's owner is blank"),
        ({"plan": {"kpi": "nope"}}, "kpi: 'nope' is not a metric"),
        ({"case": {"low": 5.0, "base": 1.0}}, "ordered low <= base <= high"),
    ],
)
def test_a_bad_initiative_is_not_created(meta: MetadataStore, fields: dict, fragment: str) -> None:
    base = {"name": "X", "kind": "event", "owner": "me", "actor": "me"}
    with pytest.raises(UsageError, match=fragment):
        create_initiative(meta, **{**base, **fields})
    assert list_initiatives(meta).initiatives == []


def test_lists_filter_by_status_and_flag_due_evaluations(meta: MetadataStore) -> None:
    first = new(meta, plan={**PLAN, "baseline": 0.0}, case=CASE)
    new(meta)
    move_initiative(meta, first, "approve", "cfo", today=D(2025, 11, 3))
    move_initiative(meta, first, "launch", "cmo", today=D(2025, 11, 3))
    launched = list_initiatives(meta, status="launched", today=D(2026, 4, 1)).initiatives
    assert [i.id for i in launched] == [first] and launched[0].evaluation_due is True
    assert launched[0].last_move is not None and launched[0].last_move.by == "cmo"
    everything = list_initiatives(meta, today=D(2026, 3, 1)).initiatives
    assert [i.evaluation_due for i in everything] == [False, False]
    assert everything[1].launchable is False and "kpi" in everything[1].plan_missing
    with pytest.raises(UsageError, match="unknown status 'done'"):
        list_initiatives(meta, status="done")
    with pytest.raises(NotFoundError, match="no initiative 99"):
        get_initiative(meta, 99)
