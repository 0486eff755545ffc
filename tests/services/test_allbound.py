"""Allbound on a literal workspace (tests/fixtures/allbound): scores computed by hand, goals
counted on local days, lists that refuse unknown accounts and save nothing, weights
versions, the sales and marketing views, one account's page and the demo's seed.

The workspace (Europe/Paris, summer time from 29 March 2026): the scores are read as of
31 March 2026, whose end is 2026-03-31T22:00Z (T). Ages in days from T:
- A1 (people p1, p2): t2 webinar 30, t3 sales meeting 15, t6 "chat" (other touch) 10,
  t8 email click 70, e1 product event 30, o1 created 45 and still open; t1 is at T itself
  (1 April in Paris: tomorrow) and t5 is older than the 180-day window;
- A2 (p3): t4 ad click 60, r1 survey 30, o2 created 120 (closed lost on 1 February);
- A3: t7 form (by p3 of A2, but naming A3) 1/24, o3 created 20 (won on 25 March);
- A4: nothing, no people.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text

from pilotage.data.metadata.audit import list_audit
from pilotage.data.metadata.store import MetadataStore
from pilotage.data.store import AnalyticsStore
from pilotage.data.workspace import Workspace, open_workspace
from pilotage.errors import InputError, NotFoundError, UsageError
from pilotage.interfaces.cli.main import main
from pilotage.services import allbound_lists as lists
from pilotage.services.allbound import (
    Direct,
    account_page,
    goals_of_list,
    marketing_of_list,
    sales_of_list,
    scores,
)
from pilotage.services.allbound_demo import seed_allbound
from pilotage.services.allbound_members import (
    MemberInput,
    checked_ids,
    csv_ids,
    flagged_ids,
    typed_ids,
)
from pilotage.services.allbound_scores import activity_as_of
from pilotage.services.allbound_weights import scoring_settings, set_weights
from pilotage.services.slices import Slice
from pilotage.services.workspaces import analytics, metadata

FIXTURES = Path(__file__).parents[1] / "fixtures" / "allbound"
TABLES = (
    "accounts",
    "campaigns",
    "people",
    "touchpoints",
    "product_events",
    "surveys",
    "opportunities",
    "conversions",
)
MARCH_31 = dt.date(2026, 3, 31)
TODAY = dt.date(2026, 11, 25)
A1 = 5 + 15 * 2**-0.5 + 2 ** (-1 / 3) + 0.25 + 20 * 2**-1.5 + 25 + 2 * 2 ** (-7 / 3)
A1_BEFORE = 20 * 2**-0.5 + 25 + 2 * 2 ** (-4 / 3)
A2 = 1 * 2**-2 + 5 * 2**-1 + 20 * 2**-4
A2_BEFORE = 1 * 2**-1 + 20 * 2**-3
A3 = 8 * 2 ** (-1 / 720) + 20 * 2 ** (-2 / 3)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("allbound") / "ws"
    assert main(["init", str(root)]) == 0
    for name in TABLES:
        assert main(["load", name, str(FIXTURES / f"{name}.csv"), "-w", str(root)]) == 0, name
    return root


@dataclass
class Stand:
    workspace: Workspace
    store: AnalyticsStore
    meta: MetadataStore

    @property
    def compute(self) -> Direct:
        return Direct(self.store, self.workspace.settings)


@pytest.fixture
def ws(loaded: Path, tmp_path: Path) -> Iterator[Stand]:
    """A private copy: lists and weights written by one test stay in it."""
    root = tmp_path / "ws"
    shutil.copytree(loaded, root)
    workspace = open_workspace(root)
    with analytics(workspace) as store, metadata(workspace) as meta:
        yield Stand(workspace, store, meta)


def _list(s: Stand, ids: tuple[str, ...] = ("A1", "A2", "A4"), name: str = "Key") -> int:
    return lists.create_list(s.meta, name, "Sam Sales", "Mia Marketing", ids, "test").id


def test_scores_are_the_hand_computed_weighted_decayed_sums(ws: Stand) -> None:
    board = scores(ws.compute, ws.meta, "EUR", TODAY, as_of=MARCH_31)
    got = {a.account_id: a for a in board.accounts}
    assert [a.account_id for a in board.accounts] == ["A1", "A3", "A2", "A4"]
    assert got["A1"].score == pytest.approx(A1, rel=1e-9)
    assert got["A1"].score_before == pytest.approx(A1_BEFORE, rel=1e-9)
    assert got["A2"].score == pytest.approx(A2, rel=1e-9)
    assert got["A2"].trend == pytest.approx(A2 - A2_BEFORE, rel=1e-9)
    assert got["A3"].score == pytest.approx(A3, rel=1e-9)
    assert got["A4"].score == 0.0 and got["A4"].components == []
    one = {c.component: c for c in got["A1"].components}
    assert set(one) == {
        "webinar",
        "sales_meeting",
        "other_touch",
        "email_click",
        "product_event",
        "opportunity_created",
        "opportunity_open",
    }
    assert one["sales_meeting"].decayed == pytest.approx(2**-0.5, rel=1e-9)
    assert one["opportunity_open"].value == 25.0 and got["A1"].open_pipeline == 10_000.0
    assert sum(c.value for c in got["A1"].components) == pytest.approx(got["A1"].score)
    assert board.as_of == MARCH_31 and board.version is None and board.half_life_days == 30


def test_scores_are_read_as_of_the_last_local_day_of_data_but_never_after_today(
    ws: Stand,
) -> None:
    settings = ws.workspace.settings
    assert activity_as_of(ws.store, settings, TODAY) == dt.date(2026, 4, 1)  # t1, Paris
    assert activity_as_of(ws.store, settings, dt.date(2026, 3, 15)) == dt.date(2026, 3, 15)
    board = scores(ws.compute, ws.meta, "EUR", TODAY)
    assert board.as_of == dt.date(2026, 4, 1)
    email = {c.component: c for c in board.accounts[0].components}["email_click"]
    assert email.count == 2  # t1 now counts


def test_changed_weights_change_every_score_and_keep_a_history(ws: Stand) -> None:
    before = scores(ws.compute, ws.meta, "EUR", TODAY, as_of=MARCH_31).accounts[0].score
    done = set_weights(ws.meta, {"webinar": 20.0}, "mia@acme.test", note="webinars convert")
    assert done.version == 1 and done.changed_by == "mia@acme.test"
    after = scores(ws.compute, ws.meta, "EUR", TODAY, as_of=MARCH_31)
    assert after.version == 1
    assert after.accounts[0].score == pytest.approx(before + 10 * 0.5)
    set_weights(ws.meta, {}, "sam@acme.test", half_life_days=15.0)
    slower = scores(ws.compute, ws.meta, "EUR", TODAY, as_of=MARCH_31)
    a2 = next(a for a in slower.accounts if a.account_id == "A2")
    assert a2.score == pytest.approx(2**-4 + 5 * 2**-2 + 20 * 2**-8)
    history = scoring_settings(ws.meta).history
    assert [h.version for h in history] == [2, 1] and history[1].note == "webinars convert"
    assert history[0].points["webinar"] == 20.0  # a change keeps the earlier ones
    reset = set_weights(ws.meta, {}, "sam@acme.test", reset=True)
    assert reset.version == 3 and all(w.points == w.default for w in reset.weights)
    assert reset.half_life_days == 30


@pytest.mark.parametrize(
    ("updates", "options", "message"),
    [
        ({}, {}, "no weight to change"),
        ({"webinars": 1.0}, {}, "unknown engagement component 'webinars'"),
        ({"visit": -2.0}, {}, "the points of visit (-2.0) are not allowed"),
        ({}, {"window_days": 1000}, "window of 1000 days is not allowed"),
        ({"visit": 2.0}, {"note": "a\nb"}, "note 'a\\nb' contains a control character"),
    ],
)
def test_bad_weights_save_nothing(
    ws: Stand, updates: dict[str, float], options: dict[str, object], message: str
) -> None:
    with pytest.raises(UsageError) as caught:
        set_weights(ws.meta, updates, "t", **options)  # type: ignore[arg-type]
    assert message in caught.value.message
    assert scoring_settings(ws.meta).history == []


def test_goals_count_the_lists_accounts_on_local_days(ws: Stand) -> None:
    list_id = _list(ws)
    for metric, target in (
        ("pipeline", 20_000),
        ("opportunities", 1),
        ("meetings", 3),
        ("engaged_coverage", 0.5),
        ("opportunity_coverage", 0.9),
    ):
        lists.set_goal(ws.meta, list_id, metric, "2026-Q1", target, "test")
    lists.set_goal(ws.meta, list_id, "engaged_coverage", "2026-q2", 0.3, "test")
    done = goals_of_list(ws.compute, ws.meta, str(list_id), "EUR", TODAY)
    assert done.as_of == dt.date(2026, 4, 1)
    got = {(g.period, g.metric): g for g in done.goals}
    q1 = {m: g for (period, m), g in got.items() if period == "2026-Q1"}
    assert q1["pipeline"].actual == 10_000.0 and q1["pipeline"].status == "missed"
    assert q1["pipeline"].kpi == "pipeline_created"
    assert q1["opportunities"].actual == 1.0 and q1["opportunities"].status == "achieved"
    assert q1["meetings"].actual == 1.0
    assert q1["engaged_coverage"].actual == pytest.approx(2 / 3)  # A1, A2; not A4
    assert q1["opportunity_coverage"].actual == pytest.approx(2 / 3)  # o2 open in January
    q2 = got[("2026-Q2", "engaged_coverage")]
    assert q2.actual == pytest.approx(1 / 3)  # t1 is 1 April in Paris
    assert q2.status == "achieved" and q2.elapsed == pytest.approx(1 / 91)


def test_goal_progress_counts_only_up_to_the_day_it_is_read(ws: Stand) -> None:
    list_id = _list(ws)
    lists.set_goal(ws.meta, list_id, "meetings", "2026-Q1", 2, "test")
    lists.set_goal(ws.meta, list_id, "pipeline", "2026-Q2", 1000, "test")
    mid = goals_of_list(ws.compute, ws.meta, str(list_id), "EUR", TODAY, as_of=dt.date(2026, 3, 1))
    by = {g.metric: g for g in mid.goals}
    assert by["meetings"].actual == 0.0  # t3 is on 16 March
    assert by["meetings"].expected == pytest.approx(2 * 60 / 90)
    assert by["meetings"].status == "behind"
    assert by["pipeline"].status == "not_started" and by["pipeline"].actual == 0.0
    only_q2 = goals_of_list(ws.compute, ws.meta, str(list_id), "EUR", TODAY, period="2026-Q2")
    assert [g.metric for g in only_q2.goals] == ["pipeline"]


def test_a_goal_set_twice_is_changed_and_can_be_deleted(ws: Stand) -> None:
    list_id = _list(ws)
    lists.set_goal(ws.meta, list_id, "meetings", "2026-03", 4, "a")
    again = lists.set_goal(ws.meta, list_id, "meetings", "2026-03", 6, "b", "fr")
    assert again.target == 6 and again.set_by == "b" and again.name == "Rendez-vous commerciaux"
    assert (again.start, again.end) == (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    _, goals = lists.list_goals(ws.meta, list_id)
    assert len(goals) == 1
    lists.delete_goal(ws.meta, list_id, "meetings", "2026-03", "b")
    with pytest.raises(NotFoundError, match="has no meetings goal for 2026-03"):
        lists.delete_goal(ws.meta, list_id, "meetings", "2026-03", "b")


@pytest.mark.parametrize(
    ("metric", "period", "target", "message"),
    [
        ("revenue", "2026-Q1", 1.0, "unknown goal metric 'revenue'"),
        ("pipeline", "Q1 2026", 1.0, "period 'Q1 2026' is not a report period"),
        ("pipeline", "2026-13", 1.0, "period '2026-13' does not exist"),
        ("engaged_coverage", "2026-Q1", 70.0, "above 1: a coverage is a share"),
        ("meetings", "2026-Q1", 0.0, "is not a positive number"),
    ],
)
def test_bad_goals_are_refused(
    ws: Stand, metric: str, period: str, target: float, message: str
) -> None:
    list_id = _list(ws)
    with pytest.raises(UsageError) as caught:
        lists.set_goal(ws.meta, list_id, metric, period, target, "test")
    assert message in caught.value.message
    assert lists.list_goals(ws.meta, list_id)[1] == []


def test_a_list_naming_unknown_accounts_is_refused_with_them_and_nothing_is_saved(
    ws: Stand,
) -> None:
    given = typed_ids(["A1, NOPE", "A2;ZZ9\nA1"], "--accounts")
    with pytest.raises(InputError) as caught:
        checked_ids(ws.store, given)
    assert caught.value.message.startswith(
        "--accounts: 2 account id(s) not in the workspace's accounts table: NOPE, ZZ9; "
        "nothing was saved"
    )
    assert [e.value for e in caught.value.errors] == ["NOPE", "ZZ9"]
    assert "load this account" in (caught.value.errors[0].fix or "")
    assert lists.all_lists(ws.meta).lists == []
    assert checked_ids(ws.store, typed_ids(["A2, A1,A2"])) == ("A2", "A1")


def test_a_csv_import_names_the_line_of_each_unknown_account(ws: Stand) -> None:
    data = b"Name;Account_ID\nAcme;A1\nGhost;G7\n\nBeta;A2\nHole;\n"
    with pytest.raises(InputError) as caught:
        checked_ids(ws.store, csv_ids(data, "targets.csv"))
    assert [(e.line, e.rule) for e in caught.value.errors] == [(6, "the account id is blank")]
    good = "account_id\nA1\nA4\n".encode("utf-8-sig")
    assert checked_ids(ws.store, csv_ids(good, "t.csv")) == ("A1", "A4")
    with pytest.raises(InputError) as unknown:
        checked_ids(ws.store, csv_ids(b"account_id\nA1\nG7\n", "t.csv"))
    assert unknown.value.errors[0].line == 3 and unknown.value.errors[0].value == "G7"
    assert "t.csv, line 3, column 'account_id'" in str(unknown.value)
    with pytest.raises(InputError) as no_column:
        csv_ids(b"id,name\nA1,Acme\n", "ids.csv")
    assert "ids.csv: no account_id column; nothing was saved" in str(no_column.value)
    assert "columns: id, name" in str(no_column.value)


@pytest.mark.parametrize(
    ("raw", "rule"),
    [("A\x001", "control character"), ("x" * 201, "longer than 200 characters")],
)
def test_unreadable_ids_are_refused(ws: Stand, raw: str, rule: str) -> None:
    with pytest.raises(InputError) as caught:
        checked_ids(ws.store, MemberInput("ids", ((None, raw),)))
    assert rule in caught.value.errors[0].rule and "cannot be read" in caught.value.message


def test_targets_come_from_the_is_target_and_tier_columns(ws: Stand) -> None:
    assert [i for _, i in flagged_ids(ws.store).items] == ["A1", "A2", "A4"]
    assert [i for _, i in flagged_ids(ws.store, ["tier 1"]).items] == ["A1", "A4"]
    with pytest.raises(UsageError, match="no account of tier tier 9 is flagged is_target"):
        flagged_ids(ws.store, ["tier 9"])


def test_a_list_needs_both_owners_and_a_unique_name(ws: Stand) -> None:
    with pytest.raises(UsageError) as caught:
        lists.create_list(ws.meta, "Key", "Sam", "  ", (), "t")
    assert "marketing_owner is missing" in caught.value.message
    assert "sales owner and the marketing owner" in (caught.value.fix or "")
    with pytest.raises(UsageError, match="sales_owner is missing"):
        lists.create_list(ws.meta, "Key", "", "Mia", (), "t")
    _list(ws)
    with pytest.raises(UsageError, match="a target list named 'Key' already exists"):
        lists.create_list(ws.meta, " key ", "Sam", "Mia", (), "t")
    with pytest.raises(UsageError, match="control character"):
        lists.create_list(ws.meta, "Two\nlines", "Sam", "Mia", (), "t")
    assert len(lists.all_lists(ws.meta).lists) == 1


def test_members_are_added_removed_and_the_list_is_found_by_id_or_name(ws: Stand) -> None:
    list_id = _list(ws, ("A1",))
    added = lists.add_members(ws.meta, "Key", ("A1", "A2"), "t")
    assert added.account_ids == ["A1", "A2"] and added.accounts == 2
    with pytest.raises(UsageError) as caught:
        lists.remove_members(ws.meta, list_id, ("A2", "A3"), "t")
    assert "does not hold A3; nothing was removed" in caught.value.message
    assert lists.target_list(ws.meta, list_id).account_ids == ["A1", "A2"]
    assert lists.remove_members(ws.meta, str(list_id), ("A2",), "t").account_ids == ["A1"]
    changed = lists.edit_list(ws.meta, list_id, "t", name="Key accounts", sales_owner="Tom")
    assert (changed.name, changed.sales_owner, changed.marketing_owner) == (
        "Key accounts",
        "Tom",
        "Mia Marketing",
    )
    with pytest.raises(NotFoundError, match="no target list 'Key'"):
        lists.target_list(ws.meta, "Key")
    with ws.meta.reading() as session:
        actions = [e.action for e in list_audit(session)]
    assert actions[:4] == [
        "target_list.edit",
        "target_list.remove",
        "target_list.add",
        "target_list.create",
    ]


def test_deleting_a_list_deletes_its_goals_and_members(ws: Stand) -> None:
    list_id = _list(ws)
    lists.set_goal(ws.meta, list_id, "meetings", "2026-Q1", 3, "t")
    gone = lists.delete_list(ws.meta, list_id, "t")
    assert gone.accounts == 3 and gone.goals == 1
    other = _list(ws, ("A1",), "Other")
    assert other != list_id  # a deleted list's id never comes back
    assert lists.list_goals(ws.meta, other)[1] == []
    with pytest.raises(NotFoundError):
        lists.target_list(ws.meta, list_id)
    with ws.meta.reading() as session:
        left = session.execute(text("select count(*) from target_list_members")).scalar()
        goals = session.execute(text("select count(*) from target_list_goals")).scalar()
    assert (left, goals) == (1, 0)


def test_the_sales_view_ranks_accounts_and_suggests_those_without_pipeline(ws: Stand) -> None:
    list_id = _list(ws)
    lists.set_goal(ws.meta, list_id, "meetings", "2026-Q1", 1, "t")
    v = sales_of_list(ws.compute, ws.meta, str(list_id), "EUR", TODAY, as_of=MARCH_31)
    assert [a.account_id for a in v.scores.accounts] == ["A1", "A2", "A4"]
    assert [n.account_id for n in v.next_best] == ["A2"]  # A1 has o1 open; A4 scores 0
    assert v.next_best[0].reasons == ["Survey answer", "Opportunity created"]
    assert [g.status for g in v.goals] == ["achieved"] and not v.goals_withheld


def test_a_restricted_user_sees_only_their_accounts_and_no_goals(ws: Stand) -> None:
    list_id = _list(ws)
    lists.set_goal(ws.meta, list_id, "meetings", "2026-Q1", 1, "t")
    fr = Slice(countries=("FR",))
    v = sales_of_list(ws.compute, ws.meta, str(list_id), "EUR", TODAY, scope=fr)
    assert [a.account_id for a in v.scores.accounts] == ["A1"]
    assert v.hidden_accounts == 2 and v.goals == [] and v.goals_withheld
    m = marketing_of_list(ws.compute, ws.meta, str(list_id), "EUR", TODAY, scope=fr)
    assert m.pipeline_total == 10_000.0 and m.hidden_accounts == 2
    with pytest.raises(NotFoundError, match="no account 'A2'"):
        account_page(ws.compute, ws.meta, "A2", "EUR", TODAY, scope=fr)
    only_a2 = Slice(account_ids=("A2",))
    assert account_page(ws.compute, ws.meta, "A2", "EUR", TODAY, scope=only_a2).account.name


def test_the_marketing_view_credits_the_lists_deals_per_channel_and_finds_gaps(
    ws: Stand,
) -> None:
    list_id = _list(ws)
    v = marketing_of_list(ws.compute, ws.meta, str(list_id), "EUR", TODAY, as_of=MARCH_31)
    assert v.model == "linear" and v.lookback_days == 90
    assert [(c.channel, c.pipeline, c.won, c.deals) for c in v.channels] == [
        ("email", 10_000.0, 0.0, 1)
    ]
    assert (v.pipeline_total, v.unattributed_pipeline, v.won_total) == (15_000.0, 5_000.0, 0.0)
    gaps = {g.gap: g.accounts for g in v.gaps}
    assert gaps == {
        "no_contacts": ["A4"],
        "not_engaged": ["A4"],
        "no_marketing_touch": ["A4"],
        "no_sales_touch": ["A2"],
        "no_open_opportunity": ["A2", "A4"],
    }
    totals = {c.component: c for c in v.components}
    assert totals["opportunity_created"].accounts == 2
    assert sum(c.value for c in v.components) == pytest.approx(A1 + A2)
    assert totals["opportunity_open"].share == pytest.approx(25 / (A1 + A2))


def test_an_accounts_page_merges_its_peoples_journey_and_its_deals_credit(ws: Stand) -> None:
    _list(ws)
    d = account_page(ws.compute, ws.meta, "A1", "EUR", TODAY, journey_limit=3, as_of=MARCH_31)
    assert d.account.name == "Acme" and d.account.people == 2 and d.lists[0].name == "Key"
    assert d.score.score == pytest.approx(A1, rel=1e-9)
    j = d.journey
    assert j.total == 9 and len(j.events) == 3
    assert j.counts["touch"] == 6 and j.counts["conversion"] == 1 and j.counts["product"] == 1
    assert j.counts["opportunity_created"] == 1 and j.counts["survey"] == 0
    assert [e.ref for e in j.events] == ["t1", "t6", "t3"]  # newest first
    assert j.first == dt.datetime(2025, 8, 1, 10, tzinfo=dt.UTC)
    assert [(c.channel, c.pipeline) for c in d.pipeline.channels] == [("email", 10_000.0)]
    assert [o.opportunity_id for o in d.pipeline.deals] == ["o1"]
    won = account_page(ws.compute, ws.meta, "A3", "EUR", TODAY, as_of=MARCH_31)
    assert won.journey.counts["opportunity_won"] == 1 and won.journey.counts["touch"] == 1
    assert [o.opportunity_id for o in won.pipeline.won_deals] == ["o3"]
    assert won.pipeline.unattributed_won == 3_000.0 and won.lists == []
    with pytest.raises(NotFoundError, match="no account 'A9'"):
        account_page(ws.compute, ws.meta, "A9", "EUR", TODAY)


def test_the_demo_seed_sets_lists_and_goals_from_the_quarter_before(ws: Stand) -> None:
    seed_allbound(ws.store, ws.workspace.settings, ws.meta)
    seeded = lists.all_lists(ws.meta).lists
    assert [(r.name, r.accounts) for r in seeded] == [("Tier 1 — strategic accounts", 2)]
    assert (seeded[0].sales_owner, seeded[0].marketing_owner)[1] in (
        "Mia Marketing",
        "Max Marketing",
    )
    _, goals = lists.list_goals(ws.meta, seeded[0].id)
    by = {(g.period, g.metric): g.target for g in goals}
    assert by[("2026-Q2", "pipeline")] == 12_000.0  # Q1: o1, 10,000 x 1.15, rounded
    assert all(period == "2026-Q2" for period, _ in by)  # Q4 2025: nothing to raise
    seed_allbound(ws.store, ws.workspace.settings, ws.meta)  # a second seed adds nothing
    assert len(lists.all_lists(ws.meta).lists) == 1
