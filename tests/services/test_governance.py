"""Committees, members and roles, RACI, the decision log with action items, the agendas of
each cadence built from the data, and the strategy health check."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pilotage.data.metadata.store import MetadataStore
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.errors import NotFoundError, PilotageError, UsageError
from pilotage.services import governance as gov
from pilotage.services.governance_agenda import build_agenda
from pilotage.services.governance_health import answer_question, health_check
from pilotage.services.initiatives import create_initiative
from pilotage.services.report_periods import ReportKind, parse_period

D = datetime.date
TODAY = D(2026, 4, 2)
Store = tuple[AnalyticsStore, WorkspaceSettings]


@pytest.fixture
def meta(tmp_path: Path) -> Iterator[MetadataStore]:
    clock = lambda: datetime.datetime(2026, 4, 2, 9, 0, tzinfo=datetime.UTC)  # noqa: E731
    with MetadataStore.open(f"sqlite:///{tmp_path / 'metadata.db'}", now=clock) as store:
        store.upgrade()
        yield store


def test_the_standard_cadence_is_created_once(meta: MetadataStore) -> None:
    first = gov.standard_committees(meta, "cmo", "en")
    again = gov.standard_committees(meta, "cmo", "en")
    assert [(c.name, c.cadence) for c in again.committees] == [
        ("weekly", "weekly"),
        ("digital", "monthly"),
        ("strategy", "quarterly"),
    ]
    assert first == again
    assert again.committees[1].title == "Monthly digital committee"
    assert gov.find_committee(meta, "DIGITAL").cadence == "monthly"
    assert gov.find_committee(meta, str(again.committees[0].id)).name == "weekly"


def test_members_with_roles(meta: MetadataStore) -> None:
    digital = gov.create_committee(meta, "Digital", "Comité digital", "monthly", "cmo")
    assert digital.name == "digital"
    for name, role in [("Claire", "cmo"), ("Marc", "cdo"), ("Sofia", "sales")]:
        gov.add_member(meta, digital.id, name, role, "cmo", email=f"{name}@Acme.test")
    updated = gov.add_member(meta, digital.id, "Marc", "it", "cmo")
    assert sorted((m.name, m.role) for m in updated.members) == [
        ("Claire", "cmo"),
        ("Marc", "it"),
        ("Sofia", "sales"),
    ]
    assert next(m for m in updated.members if m.name == "Claire").email == "claire@acme.test"
    left = gov.remove_member(meta, digital.id, "Sofia", "cmo")
    assert [m.name for m in left.members] == ["Claire", "Marc"]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda m: gov.create_committee(m, " ", "T", "monthly", "x"), UsageError, "blank"),
        (lambda m: gov.create_committee(m, "a", "T", "yearly", "x"), UsageError, "cadence"),
        (lambda m: gov.add_member(m, 999, "A", "cmo", "x"), NotFoundError, "committee 999"),
        (lambda m: gov.find_committee(m, "board"), NotFoundError, "board"),
        (lambda m: gov.set_responsibility(m, "tv", "A", "responsible", "x"), UsageError, "domain"),
        (lambda m: gov.set_responsibility(m, "seo", "A", "owner", "x"), UsageError, "RACI"),
        (lambda m: gov.set_action_status(m, 5, "done", "x", today=TODAY), NotFoundError, "5"),
        (lambda m: gov.list_actions(m, today=TODAY, status="late"), UsageError, "status"),
        (lambda m: gov.get_decision(m, 3, today=TODAY), NotFoundError, "decision 3"),
    ],
)
def test_bad_input_is_refused_with_what_to_do(
    meta: MetadataStore,
    call: Callable[[MetadataStore], object],
    error: type[PilotageError],
    message: str,
) -> None:
    with pytest.raises(error, match=message) as refused:
        call(meta)
    assert refused.value.fix


def test_a_duplicate_committee_or_member_is_refused(meta: MetadataStore) -> None:
    c = gov.create_committee(meta, "weekly", "Weekly", "weekly", "x")
    with pytest.raises(UsageError, match="exists"):
        gov.create_committee(meta, "Weekly", "Again", "weekly", "x")
    with pytest.raises(UsageError, match="role"):
        gov.add_member(meta, c.id, "A", "intern", "x")
    with pytest.raises(NotFoundError, match="not a member"):
        gov.remove_member(meta, c.id, "Nobody", "x")


def test_raci_matrix_and_its_gaps(meta: MetadataStore) -> None:
    gov.set_responsibility(meta, "seo", "Léa", "responsible", "x")
    matrix = gov.set_responsibility(meta, "seo", "Claire", "accountable", "x")
    assert "seo" not in matrix.gaps and "sea" in matrix.gaps
    matrix = gov.set_responsibility(meta, "seo", "Léa", "consulted", "x")
    assert "seo" in matrix.gaps
    assert gov.remove_responsibility(meta, "seo", "Léa", "x").entries == [
        gov.ResponsibilityInfo(domain="seo", person="Claire", level="accountable")
    ]


def test_a_decision_carries_its_action_items(meta: MetadataStore) -> None:
    c = gov.create_committee(meta, "digital", "Digital", "monthly", "cmo")
    entry = gov.record_decision(
        meta,
        c.id,
        "Move 10% of display to search",
        "Display ROI negative for 3 months",
        "cmo@acme.test",
        today=TODAY,
        actions=[
            gov.NewAction(title="Cut display flight", owner="Julien", due_date=D(2026, 4, 15)),
            gov.NewAction(title="Raise search caps", owner="Léa", due_date=D(2026, 3, 30)),
        ],
    )
    assert entry.committee == "digital" and len(entry.actions) == 2
    late = next(a for a in entry.actions if a.owner == "Léa")
    assert late.overdue and late.committee == "digital"
    done = gov.set_action_status(meta, late.id, "done", "lea", today=TODAY)
    assert done.status == "done" and not done.overdue and done.closed_at is not None
    assert [a.title for a in gov.list_actions(meta, today=TODAY, status="open").actions] == [
        "Cut display flight"
    ]
    log = gov.decision_log(meta, today=TODAY)
    assert [d.title for d in log.decisions] == ["Move 10% of display to search"]
    assert gov.decision_log(meta, today=TODAY, committee="weekly").decisions == []


def test_a_decision_with_a_bad_action_saves_nothing(meta: MetadataStore) -> None:
    c = gov.create_committee(meta, "digital", "Digital", "monthly", "cmo")
    with pytest.raises(UsageError, match="action owner"):
        gov.record_decision(
            meta,
            c.id,
            "Decision",
            "",
            "cmo",
            today=TODAY,
            actions=[gov.NewAction(title="Do", owner=" ", due_date=TODAY)],
        )
    with pytest.raises(NotFoundError, match="initiative"):
        gov.record_decision(meta, c.id, "Decision", "", "cmo", today=TODAY, initiative_id=9)
    assert gov.decision_log(meta, today=TODAY).decisions == []


def test_agendas_follow_their_cadence(meta: MetadataStore, kpi_store: Store) -> None:
    store, settings = kpi_store
    create_initiative(meta, name="Lyon event", kind="event", owner="cmo", actor="cmo")
    c = gov.create_committee(meta, "digital", "Digital", "monthly", "cmo")
    gov.add_action(
        meta,
        gov.NewAction(title="Fix UTM tags", owner="Marc", due_date=D(2026, 4, 5)),
        "cmo",
        today=TODAY,
        committee_id=c.id,
    )
    codes = {}
    kinds: list[tuple[ReportKind, str]] = [
        ("weekly", "2026-W13"),
        ("monthly", "2026-03"),
        ("quarterly", "2026-Q1"),
    ]
    for kind, label in kinds:
        agenda = build_agenda(store, meta, settings, parse_period(kind, label), today=TODAY)
        codes[kind] = [s.code for s in agenda.sections]
        assert agenda.period == label
        sections = {s.code: s for s in agenda.sections}
        assert [i.title for i in sections["actions"].items] == ["Fix UTM tags"]
    assert codes["weekly"] == ["objectives", "alerts", "pacing", "actions"]
    assert codes["monthly"] == [
        "objectives",
        "alerts",
        "initiatives",
        "experiments",
        "reallocation",
        "actions",
    ]
    assert "health" in codes["quarterly"] and "decisions" in codes["quarterly"]
    monthly = build_agenda(store, meta, settings, parse_period("monthly", "2026-03"), today=TODAY)
    sections = {s.code: s for s in monthly.sections}
    assert [(i.title, i.status) for i in sections["initiatives"].items] == [
        ("Lyon event", "proposed")
    ]
    # Without a mix model the proposal comes from the channels' ROI over 13 weeks.
    assert sections["reallocation"].note == "roi"


def test_health_check_from_data_and_answers(meta: MetadataStore, kpi_store: Store) -> None:
    store, settings = kpi_store
    before = {c.id: c for c in health_check(store, meta, settings, today=TODAY).criteria}
    assert before["skills.seo"].source == "missing"
    assert before["tracking.data_trust"].source == "data"
    assert before["resources.seo"].source == "missing"
    answer_question(meta, "skills.seo", 3, "cmo", "agency helps")
    answer_question(meta, "resources.seo", 1, "cmo")
    c = gov.create_committee(meta, "digital", "Digital", "monthly", "cmo")
    for name, role in [("A", "cmo"), ("B", "sales"), ("C", "it")]:
        gov.add_member(meta, c.id, name, role, "cmo")
    gov.set_responsibility(meta, "seo", "Léa", "responsible", "x")
    gov.set_responsibility(meta, "seo", "Claire", "accountable", "x")
    after = health_check(store, meta, settings, today=TODAY)
    by = {c.id: c for c in after.criteria}
    assert (by["skills.seo"].score, by["skills.seo"].source) == (75.0, "answer")
    # The RACI is data now: it wins over the answer.
    assert (by["resources.seo"].score, by["resources.seo"].source) == (100.0, "data")
    assert by["resources.sea"].score == 0.0
    # Three of the four key functions sit on a committee.
    assert by["collaboration.committee"].score == 75.0
    assert after.overall is not None and 0 <= after.overall <= 100


@pytest.mark.parametrize(
    ("question", "score", "message"),
    [("skills.tv", 2, "unknown health-check question"), ("skills.seo", 5, "out of range")],
)
def test_bad_answers(meta: MetadataStore, question: str, score: int, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        answer_question(meta, question, score, "cmo")
