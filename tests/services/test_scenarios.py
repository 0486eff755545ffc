"""Scenario planner on a small literal workspace: the history of programs (hand-computed),
the comparison, and every bad input with its message."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import pytest

from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.data.workspace import open_workspace
from pilotage.errors import NotFoundError, UsageError
from pilotage.interfaces.cli.main import main
from pilotage.services.scenarios import (
    Proposal,
    compare_proposals,
    program_history,
    program_types,
    workspace_comparison,
)
from pilotage.services.workspaces import analytics

_HERE = Path(__file__).parents[1] / "core" / "mmm" / "test_optimizer.py"
_spec = importlib.util.spec_from_file_location("mmm_optimizer_tests", _HERE)
assert _spec is not None and _spec.loader is not None
_mod = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_mod)
posterior = _mod.posterior

#: Lyon is one initiative of two campaigns; the guide (content) has no cost; gs1 has no
#: program (its type is its channel).
CAMPAIGNS = """campaign_id,name,channel,program,initiative_id
ev1,Salon Paris,events,events,
ev2,Salon Lille,events,events,
ev3,Salon Lyon,events,events,I-LYON
ev4,Salon Lyon J2,events,events,I-LYON
wb1,Webinar A,webinars,webinars,
wb2,Webinar B,webinars,webinars,
ct1,Guide,content,content,
gs1,Search,paid_search,,
"""
SPEND = """date,channel,campaign_id,cost
2026-03-02,events,ev1,10000
2026-03-03,events,ev2,20000
2026-03-04,events,ev3,30000
2026-03-05,events,ev4,10000
2026-03-06,webinars,wb1,2000
2026-03-07,webinars,wb2,3000
2026-03-08,paid_search,gs1,4000
"""
#: One person per campaign, one order each: under last touch each order is its campaign's.
TOUCHES = """touched_at,person_id,channel,campaign_id
2026-03-10 10:00,p1,events,ev1
2026-03-10 10:00,p2,events,ev2
2026-03-10 10:00,p3,events,ev3
2026-03-10 10:00,p4,events,ev4
2026-03-10 10:00,p5,webinars,wb1
2026-03-10 10:00,p6,webinars,wb2
2026-03-10 10:00,p7,content,ct1
2026-03-10 10:00,p8,paid_search,gs1
"""
ORDERS = """order_id,ordered_at,amount,person_id
o1,2026-03-20 12:00,15000,p1
o2,2026-03-20 12:00,10000,p2
o3,2026-03-20 12:00,50000,p3
o4,2026-03-20 12:00,10000,p4
o5,2026-03-20 12:00,8000,p5
o6,2026-03-20 12:00,9000,p6
o7,2026-03-20 12:00,5000,p7
o8,2026-03-20 12:00,6000,p8
"""


@pytest.fixture(scope="module")
def programs_store(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[AnalyticsStore, WorkspaceSettings]]:
    root = tmp_path_factory.mktemp("scenarios") / "ws"
    assert main(["init", str(root)]) == 0
    for table, text in (
        ("campaigns", CAMPAIGNS),
        ("spend", SPEND),
        ("touchpoints", TOUCHES),
        ("orders", ORDERS),
    ):
        path = root.parent / f"{table}.csv"
        path.write_text(text, encoding="utf-8")
        assert main(["load", table, str(path), "--workspace", str(root)]) == 0, table
    ws = open_workspace(root)
    with analytics(ws) as store:
        yield store, ws.settings


def test_history_groups_initiatives_and_sums_cost_and_return(programs_store) -> None:
    store, settings = programs_store
    h = program_history(store, settings, metric="revenue", credit="last")
    got = {p.key: (p.program, p.campaigns, p.cost, p.value) for p in h.programs}
    assert got == {
        "ev1": ("events", 1, 10000.0, 15000.0),
        "ev2": ("events", 1, 20000.0, 10000.0),
        "I-LYON": ("events", 2, 40000.0, 60000.0),
        "wb1": ("webinars", 1, 2000.0, 8000.0),
        "wb2": ("webinars", 1, 3000.0, 9000.0),
        "ct1": ("content", 1, 0.0, 5000.0),
        "gs1": ("paid_search", 1, 4000.0, 6000.0),
    }
    assert h.types == ["content", "events", "paid_search", "webinars"]
    assert program_types(store, settings) == h.types


def test_comparison_recommends_webinars_and_says_no_to_the_event(programs_store) -> None:
    store, settings = programs_store
    result = workspace_comparison(
        store,
        settings,
        [
            Proposal(name="Regional event", program="events", cost=90_000),
            Proposal(name="Six webinars", program="webinars", cost=30_000, units=6),
        ],
        credit="last",
    )
    event, webinars = result.proposals
    # events: 85 000 on 70 000 (1.21 per euro); webinars: 17 000 on 5 000 (3.4 per euro)
    types = {t.program: t for t in result.types}
    assert types["events"].return_per_euro == pytest.approx(85_000 / 70_000)
    assert types["webinars"].return_per_euro == pytest.approx(3.4)
    assert result.recommendation == "Six webinars"
    assert webinars.recommended and webinars.rank == 1
    assert event.better_alternative == "Six webinars"
    assert event.verdict.startswith("No to Regional event (90 k€)")
    assert "Mieux : Six webinars" in event.verdict_fr
    assert webinars.roi > event.roi
    assert webinars.return_ci_low <= webinars.expected_return <= webinars.return_ci_high
    assert event.break_even_return == 90_000
    assert "3 past 'events' programs" in event.basis
    # 90 k€ is over twice the largest past event (40 k€, Lyon): flagged
    assert any("largest past 'events' program" in n for n in event.notes)
    assert webinars.notes == [] and "6 programs" in webinars.basis


def test_a_type_without_costed_history_falls_back_to_all_programs(programs_store) -> None:
    store, settings = programs_store
    result = workspace_comparison(
        store, settings, [Proposal(name="White paper", program="content", cost=5_000)]
    )
    (estimate,) = result.proposals
    assert estimate.basis.startswith("no past 'content' program with a cost: estimated from all")
    assert estimate.basis_fr.startswith("aucun programme 'content' passé avec un coût")


def test_stated_cases_and_mix_model_channels_compare_with_history(programs_store) -> None:
    store, settings = programs_store
    history = program_history(store, settings, credit="last")
    result = compare_proposals(
        history,
        [
            Proposal(name="Partner case", cost=10_000, low=5_000, base=15_000, high=30_000),
            Proposal(name="More search", channel="paid_search", cost=26_000),
            Proposal(name="Webinars", program="webinars", cost=10_000),
        ],
        model=posterior(),
        margin=0.8,
    )
    stated, search, _ = result.proposals
    assert stated.source == "stated" and search.source == "mix_model"
    assert stated.expected_return == 15_000 and stated.roi == pytest.approx(0.2)
    assert stated.break_even_return == pytest.approx(12_500)
    # the mix model's extra revenue of 2 000 EUR a week more on paid search for 13 weeks
    m = posterior()
    k = m.channels.index("paid_search")
    x0 = m.recent_weekly_spend[k] / m.spend_scale[k]
    x1 = x0 + 2_000 / m.spend_scale[k]
    by_hand = (m.draws["beta"][:, k] * m.y_scale * (x1 / (1 + x1) - x0 / (1 + x0)) * 13).mean()
    assert search.expected_return == pytest.approx(by_hand, rel=0.05)
    assert search.months == 3  # 13 weeks
    assert any("incremental revenue" in n for n in result.notes)


def test_same_seed_same_answer(programs_store) -> None:
    store, settings = programs_store
    args = [Proposal(name="E", program="events", cost=10_000)]
    one = workspace_comparison(store, settings, args, seed=4)
    two = workspace_comparison(store, settings, args, seed=4)
    assert one == two


@pytest.mark.parametrize(
    ("proposals", "options", "error", "message"),
    [
        ([{"name": "Fair", "program": "eventz", "cost": 1}], {}, UsageError, "unknown program"),
        ([{"name": "S", "channel": "paid_search", "cost": 1}], {}, NotFoundError, "no mix model"),
        ([{"name": "A", "program": "events", "cost": 1}] * 2, {}, UsageError, "must differ"),
        ([], {}, UsageError, "nothing to compare"),
        ([{"name": "A", "program": "events", "cost": 1}], {"margin": 0}, UsageError, "margin"),
        (
            [{"name": "C", "cost": 10, "low": 30, "base": 20, "high": 40}],
            {},
            UsageError,
            "low <= base <= high",
        ),
    ],
)
def test_bad_comparisons_explain_themselves(
    programs_store, proposals, options, error, message
) -> None:
    store, settings = programs_store
    history = program_history(store, settings)
    with pytest.raises(error, match=message):
        compare_proposals(history, [Proposal(**p) for p in proposals], **options)


def test_a_channel_not_in_the_model_is_named(programs_store) -> None:
    store, settings = programs_store
    history = program_history(store, settings)
    with pytest.raises(UsageError, match="'tv' is not in the mix model"):
        compare_proposals(
            history, [Proposal(name="TV", channel="tv", cost=1000)], model=posterior()
        )
    with pytest.raises(UsageError, match="measures revenue, the comparison pipeline"):
        compare_proposals(
            program_history(store, settings, metric="pipeline"),
            [Proposal(name="S", channel="paid_search", cost=1000)],
            model=posterior(),
        )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "X", "cost": 10}, "program type, a channel"),
        ({"name": "X", "program": "events", "cost": 0}, "greater than 0"),
        ({"name": "X", "cost": 10, "low": 1}, "low, base and high"),
        ({"name": "X", "cost": 10, "channel": "a", "low": 1, "base": 2, "high": 3}, "not both"),
        ({"name": "", "program": "events", "cost": 10}, "at least 1 character"),
        ({"name": "X", "program": "events", "cost": 10, "units": 0}, "greater than or equal"),
    ],
)
def test_bad_proposals_are_refused(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Proposal(**fields)  # type: ignore[arg-type]


def test_history_refuses_unknown_options(programs_store) -> None:
    store, settings = programs_store
    with pytest.raises(UsageError, match="unknown return"):
        program_history(store, settings, metric="profit")  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="unknown credit model"):
        program_history(store, settings, credit="magic")  # type: ignore[arg-type]


def test_draws_do_not_depend_on_the_proposals_order(programs_store) -> None:
    store, settings = programs_store
    history = program_history(store, settings, credit="last")
    a = Proposal(name="A", program="events", cost=10_000)
    b = Proposal(name="B", program="webinars", cost=10_000)
    ab = {p.name: p for p in compare_proposals(history, [a, b]).proposals}
    ba = {p.name: p for p in compare_proposals(history, [b, a]).proposals}
    assert ab == ba
    assert ab["B"].rank == 1
