"""Per-deal credit, stage credits and sourcing at account level on a literal workspace
(tests/fixtures/attribution/deals), every number computed by hand.

Accounts: A1 (people p1, p2) touched by paid_search (gs1, 1 Jan), email (em1, 5 Jan),
webinars (wb1, 8 Jan) and a sales call (20 Jan); its deal o1 (1000, source sales) is
created on 10 Jan and won on 10 Feb. A2 (p3) is touched twice by paid_social (ps1, 3 and
4 Jan); its deal o2 (600, source marketing) is created on 6 Jan and open. A3 has no touch;
its deal o3 (400) is created on 15 Jan and lost. CRM: pipeline 2000 (3 deals), won 1000.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.data.workspace import open_workspace
from pilotage.errors import UsageError
from pilotage.interfaces.cli.main import main
from pilotage.services.attribution import AttributionResult, workspace_attribution
from pilotage.services.attribution_deals import DealCreditResult, deal_credits
from pilotage.services.attribution_sourcing import SOURCING_METRICS
from pilotage.services.kpis import kpi_table
from pilotage.services.workspaces import analytics

DEALS = Path(__file__).parents[1] / "fixtures" / "attribution" / "deals"
TABLES = ("accounts", "campaigns", "people", "touchpoints", "opportunities")
Store = tuple[AnalyticsStore, WorkspaceSettings]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    root = tmp_path_factory.mktemp("deals") / "ws"
    assert main(["init", str(root)]) == 0
    for name in TABLES:
        assert main(["load", name, str(DEALS / f"{name}.csv"), "--workspace", str(root)]) == 0
    ws = open_workspace(root)
    with analytics(ws) as opened:
        yield opened, ws.settings


def credits_of(result: DealCreditResult) -> dict[str, dict[str, float]]:
    """opportunity -> channel -> credit, with 'unattributed' when not zero."""
    out = {}
    for deal in result.deals:
        row = {c.channel: c.value for c in deal.channels}
        if deal.unattributed:
            row["unattributed"] = deal.unattributed
        out[deal.opportunity_id] = row
    return out


def campaigns_of(result: DealCreditResult, deal: str) -> dict[str | None, float]:
    row = next(d for d in result.deals if d.opportunity_id == deal)
    return {c.campaign_id: c.value for c in row.campaigns}


THIRD = 1000 / 3
OPPORTUNITY = {
    # o1: paid_search, email, webinars before creation (the sales call comes after).
    "last": {"o1": {"webinars": 1000.0}},
    "linear": {"o1": {"paid_search": THIRD, "email": THIRD, "webinars": THIRD}},
    "position": {"o1": {"paid_search": 400.0, "email": 200.0, "webinars": 400.0}},
}
WON = {
    # o1 at its close: the sales call of 20 Jan is the last touch.
    "last": {"o1": {"sales": 1000.0}},
    "linear": {"o1": {"paid_search": 250.0, "email": 250.0, "webinars": 250.0, "sales": 250.0}},
    "position": {"o1": {"paid_search": 400.0, "email": 100.0, "webinars": 100.0, "sales": 400.0}},
}


@pytest.mark.parametrize("model", ["last", "linear", "position"])
def test_opportunity_stage_credits_each_deal_by_hand(store: Store, model: str) -> None:
    result = deal_credits(*store, model_name=model, stage="opportunity")
    expected = {
        **OPPORTUNITY[model],
        # o2: two paid_social touches (position: 50/50 on the same channel).
        "o2": {"paid_social": 600.0},
        "o3": {"unattributed": 400.0},  # no touch: unattributed, not spread
    }
    got = credits_of(result)
    assert got.keys() == expected.keys()
    for deal, channels in expected.items():
        assert got[deal] == pytest.approx(channels), (model, deal)
    rec = result.reconciliation
    assert rec.crm_total == 2000.0 and rec.crm_deals == 3
    assert rec.credited_total == pytest.approx(1600.0)
    assert rec.unattributed == 400.0 and rec.unattributed_deals == 1
    assert abs(rec.difference) <= 1e-6 and rec.reconciled
    assert {c.channel: c.value for c in result.channels} == pytest.approx(
        {k: v for row in expected.values() for k, v in row.items() if k != "unattributed"}
        if model != "linear"
        else {"paid_search": THIRD, "email": THIRD, "webinars": THIRD, "paid_social": 600.0}
    )


@pytest.mark.parametrize("model", ["last", "linear", "position"])
def test_won_stage_credits_the_won_amount_by_hand(store: Store, model: str) -> None:
    result = deal_credits(*store, model_name=model, stage="won")
    got = credits_of(result)
    assert got.keys() == {"o1"}
    assert got["o1"] == pytest.approx(WON[model]["o1"])
    rec = result.reconciliation
    assert (rec.crm_total, rec.crm_deals, rec.unattributed) == (1000.0, 1, 0.0)
    assert rec.credited_total == pytest.approx(1000.0) and rec.reconciled


def test_campaign_credits_and_excluded_sales(store: Store) -> None:
    result = deal_credits(*store, model_name="position", stage="won")
    assert campaigns_of(result, "o1") == pytest.approx(
        {"gs1": 400.0, "em1": 100.0, "wb1": 100.0, None: 400.0}  # the sales call: no campaign
    )
    without = deal_credits(*store, model_name="last", stage="won", include_sales=False)
    assert credits_of(without)["o1"] == {"webinars": 1000.0}


def test_markov_spreads_each_deal_over_its_own_channels(store: Store) -> None:
    # Converting journeys only: every channel of A1's path has the same removal effect, so
    # o1 is split in thirds; o2 holds paid_social alone.
    result = deal_credits(*store, model_name="markov", stage="opportunity")
    got = credits_of(result)
    assert got["o1"] == pytest.approx({"paid_search": THIRD, "email": THIRD, "webinars": THIRD})
    assert got["o2"] == {"paid_social": 600.0}
    assert got["o3"] == {"unattributed": 400.0}
    assert result.reconciliation.reconciled
    assert "proportion" in result.method


def test_w_shaped_uses_each_deal_journey_and_its_milestones(store: Store) -> None:
    # A1: lead at 2 Jan (p1 created) tags paid_search, the opportunity (10 Jan) tags
    # webinars: 30% first + 30% lead to paid_search, 30% to webinars, 10% to email.
    result = deal_credits(*store, model_name="w_shaped", stage="opportunity")
    got = credits_of(result)
    assert got["o1"] == pytest.approx({"paid_search": 600.0, "webinars": 300.0, "email": 100.0})
    assert got["o2"] == pytest.approx({"paid_social": 600.0})
    assert result.deals[0].campaigns == []  # journeys carry no campaign
    assert result.reconciliation.reconciled


def test_sourcing_is_the_kpi_engines(store: Store) -> None:
    result = deal_credits(*store, model_name="last")
    engine = kpi_table(*store, metrics=list(SOURCING_METRICS)).totals
    sourcing = result.sourcing
    by = {d.definition: d for d in sourcing.definitions}
    for d in sourcing.definitions:
        assert d.amount == engine[d.metric]
    assert sourcing.pipeline_created == engine["pipeline_created"] == 2000.0
    assert sourcing.definition_gap == engine["sourced_definition_gap"] == 1000.0
    # field: o2 (source marketing); first touch, before sales and influenced: o1 and o2.
    assert (by["field"].amount, by["field"].deals) == (600.0, 1)
    for name in ("first_touch", "pre_sales", "influenced"):
        assert (by[name].amount, by[name].deals) == (1600.0, 2)
    flags = {
        d.opportunity_id: (d.sourced_field, d.sourced_first_touch, d.influenced)
        for d in result.deals
    }
    assert flags == {
        "o1": (False, True, True),
        "o2": (True, True, True),
        "o3": (False, False, False),
    }
    # The per-deal flags add up to the engine's amounts.
    amounts = {d.opportunity_id: d.amount for d in result.deals}
    assert (
        sum(amounts[o] for o, f in flags.items() if f[1]) == engine["pipeline_sourced_first_touch"]
    )


def stage_result(store: Store, stage: str) -> AttributionResult:
    done = workspace_attribution(*store, model_name="linear", level="account", stage=stage)
    assert isinstance(done, AttributionResult)
    return done


def test_every_account_stage_has_its_credits(store: Store) -> None:
    mql = stage_result(store, "mql")  # A1 at 6 Jan (paid_search, email), A2 at 4 Jan 12:00
    assert {c.channel: c.conversions for c in mql.channels if c.conversions} == pytest.approx(
        {"paid_search": 0.5, "email": 0.5, "paid_social": 1.0}
    )
    sql = stage_result(store, "sql")  # A1 at 9 Jan; A2 never: a non-converting journey
    assert {c.channel: c.conversions for c in sql.channels if c.conversions} == pytest.approx(
        {"paid_search": 1 / 3, "email": 1 / 3, "webinars": 1 / 3}
    )
    assert sql.source is not None and sql.source.non_converting_journeys == 1.0
    opportunity = stage_result(store, "opportunity")
    assert {c.channel: c.value for c in opportunity.channels} == pytest.approx(
        {"paid_search": THIRD, "email": THIRD, "webinars": THIRD, "paid_social": 600.0}
    )
    assert opportunity.unattributed.value == 400.0  # o3: no touch
    won = stage_result(store, "won")
    assert {c.channel: c.value for c in won.channels if c.value} == pytest.approx(
        WON["linear"]["o1"]
    )
    # The stage's totals are the per-deal credits' (same touches, same model).
    deals = deal_credits(*store, model_name="linear", stage="won")
    assert won.total_value == pytest.approx(deals.reconciliation.credited_total)


def test_account_attribution_carries_sourcing_and_person_level_does_not(store: Store) -> None:
    account = stage_result(store, "opportunity")
    assert account.sourcing is not None
    assert account.sourcing.pipeline_created == 2000.0
    with pytest.raises(UsageError, match="account funnel stage"):
        workspace_attribution(*store, model_name="linear", stage="mql")
    with pytest.raises(UsageError, match="not both"):
        workspace_attribution(
            *store, model_name="linear", level="account", stage="mql", conversion_type="won"
        )


def test_bad_model_stage_and_lookback_are_usage_errors(store: Store) -> None:
    with pytest.raises(UsageError, match="unknown attribution model"):
        deal_credits(*store, model_name="magic")
    with pytest.raises(UsageError, match="deal stage"):
        deal_credits(*store, stage="mql")  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="lookback"):
        deal_credits(*store, lookback_days=0)
