"""Engagement, voice and their result objects on a small literal workspace (numbers worked
out by hand), and every bad option refused with the field named."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pilotage.data.settings import SETTINGS_FILE
from pilotage.data.store import AnalyticsStore
from pilotage.data.workspace import Workspace, open_workspace
from pilotage.errors import ConfigError, UsageError
from pilotage.interfaces.cli.main import main
from pilotage.services.engagement import engagement
from pilotage.services.kpis import kpi_table
from pilotage.services.voice import load_themes, theme_list, voice
from pilotage.services.workspaces import analytics

ACCOUNTS = """account_id,name,segment
A1,Acme,enterprise
A2,Beta,SMB
A3,Gamma,SMB
"""
PEOPLE = """person_id,account_id,created_at,segment,acquisition_channel
p1,A1,2026-01-01 09:00,enterprise,paid_search
p2,A1,2026-01-01 09:00,enterprise,paid_search
p3,A2,2026-01-01 09:00,SMB,email
p4,A3,2026-01-01 09:00,SMB,
"""
SUBSCRIPTIONS = """subscription_id,account_id,started_at,mrr,ended_at
s1,A1,2025-06-01,100,
s2,A2,2025-06-01,100,2026-03-15
s3,A3,2025-06-01,100,
"""
#: January 2026 (Paris days): p1 active on the 5th and 6th, p2 on the 5th; March: p3 on 1st.
PRODUCT = """occurred_at,person_id,event
2026-01-05 10:00,p1,login
2026-01-06 10:00,p1,report_created
2026-01-05 11:00,p2,login
2026-03-01 10:00,p3,login
"""
SURVEYS = """answered_at,survey_type,score,person_id,account_id,comment,journey_stage
2026-01-10 10:00,nps,10,p1,A1,Support is excellent and fast.,relationship
2026-01-11 10:00,nps,3,p3,A2,The price is far too expensive.,renewal
2026-02-11 10:00,nps,8,p4,A3,,relationship
2026-02-12 10:00,csat,5,p2,A1,Onboarding was quick and easy.,onboarding
2026-02-13 10:00,csat,2,p3,A2,L'intégration Salesforce plante sans arrêt.,onboarding
2026-02-14 10:00,ces,6,p1,A1,,onboarding
2026-02-15 10:00,ces,4,p2,A1,,onboarding
"""
CONVERSATIONS = """posted_at,source,text,author_id,account_id,language
2026-01-20 10:00,community,Les tarifs sont trop chers pour notre équipe.,p3,A2,fr
2026-01-21 10:00,support_ticket,The dashboard keeps crashing during exports.,p4,A3,
"""


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    root = tmp_path_factory.mktemp("voice") / "ws"
    assert main(["init", str(root)]) == 0
    for table, text in (
        ("accounts", ACCOUNTS),
        ("people", PEOPLE),
        ("subscriptions", SUBSCRIPTIONS),
        ("product_events", PRODUCT),
        ("surveys", SURVEYS),
        ("conversations", CONVERSATIONS),
    ):
        path = root.parent / f"{table}.csv"
        path.write_text(text, encoding="utf-8")
        assert main(["load", table, str(path), "--workspace", str(root)]) == 0
    return open_workspace(root)


@pytest.fixture()
def store(workspace: Workspace) -> Iterator[AnalyticsStore]:
    with analytics(workspace) as s:
        yield s


def test_active_users_and_adoption_by_hand(workspace: Workspace, store: AnalyticsStore) -> None:
    r = engagement(store, workspace.settings)
    jan = next(p for p in r.series if p.period == "2026-01")
    # The data starts on 5 January: 3 person-days over 27 days; 2 people in the month,
    # both in the week of 5 January.
    assert jan.partial and jan.days == 27
    assert jan.dau == pytest.approx(3 / 27) and jan.mau == 2 and jan.wau == 2
    assert jan.stickiness == pytest.approx(3 / 27 / 2)
    assert r.summary.actives == 3 and r.summary.events == 4
    login = next(a for a in r.adoption if a.feature == "login")
    assert (login.users, login.adoption) == (3, 1.0)
    report = next(a for a in r.adoption if a.feature == "report_created")
    assert report.adoption == pytest.approx(1 / 3)
    # Accounts: A1 (p1, p2) and A2 (p3).
    assert engagement(store, workspace.settings, unit="account").summary.actives == 2


def test_churn_usage_is_compared_by_account(workspace: Workspace, store: AnalyticsStore) -> None:
    r = engagement(store, workspace.settings, churn_horizon_days=60, lang="fr")
    assert r.churn is not None
    # The data ends on 15 March, when A2 churned (p3 logged in on 1 March); A1 is still
    # subscribed, with no usage in the 60 days before; A3 never used the product.
    assert (r.churn.units, r.churn.reached) == (3, 1)
    login = next(t for t in r.churn.triggers if t.feature == "login")
    assert (login.users_with, login.reached_with) == (1, 1)
    assert "Association, pas causalité" in r.churn.caution


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"unit": "team"}, "unit 'team'"),
        ({"period": "day"}, "period 'day'"),
        ({"feature": "colour"}, "no feature column 'colour'"),
        ({"feature": "person_id"}, "no feature column"),
        ({"purchase_horizon_days": 0}, "purchase horizon 0"),
        ({"churn_horizon_days": 9999}, "churn horizon 9999"),
        ({"alpha": 2.0}, "alpha 2.0"),
    ],
)
def test_bad_engagement_options_are_refused(
    workspace: Workspace, store: AnalyticsStore, options: dict[str, object], message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        engagement(store, workspace.settings, **options)  # type: ignore[arg-type]


def test_scores_come_from_the_kpi_engine_with_intervals(
    workspace: Workspace, store: AnalyticsStore
) -> None:
    r = voice(store, workspace.settings)
    engine = kpi_table(store, workspace.settings, metrics=["nps", "csat", "ces"]).totals
    total = r.scores.total
    assert total.nps.value == engine["nps"] == pytest.approx(0.0)  # 1 promoter, 1 detractor
    assert total.csat.value == engine["csat"] == 0.5
    assert total.ces.value == engine["ces"] == 5.0
    assert total.nps.low is not None and total.nps.low < 0 < total.nps.high  # type: ignore[operator]
    # CES 6 and 4: mean 5, s = sqrt(2), t(1) = 12.7062: 5 ± 12.7062 x sqrt(2) / sqrt(2).
    assert total.ces.low == pytest.approx(5 - 12.7062, rel=1e-5)
    for breakdown in r.scores.breakdowns:
        assert sum(row.nps.responses for row in breakdown.rows) == 3, breakdown.dimension
        assert sum(row.csat.responses for row in breakdown.rows) == 2, breakdown.dimension
    stages = next(b for b in r.scores.breakdowns if b.dimension == "journey_stage")
    assert {row.key: row.nps.responses for row in stages.rows if row.nps.responses} == {
        "relationship": 2,
        "renewal": 1,
    }
    channels = next(b for b in r.scores.breakdowns if b.dimension == "channel")
    assert {row.key for row in channels.rows} == {"paid_search", "email", "unknown"}
    assert [p.key for p in r.scores.over_time] == ["2026-01", "2026-02"]


def test_texts_themes_sentiment_and_stages(workspace: Workspace, store: AnalyticsStore) -> None:
    r = voice(store, workspace.settings)
    assert r.texts == 6 and r.languages == {"en": 4, "fr": 2}
    themes = {t.theme: t for t in r.themes}
    assert themes["pricing"].mentions == 2 and themes["pricing"].negative == 2
    assert themes["support"].positive >= 1
    # The comment of the NPS 3 answer mentions pricing: NPS when mentioned = -100.
    assert themes["pricing"].nps_when_mentioned == -100.0
    assert themes["pricing"].negative_verbatims[0].sentiment == "negative"
    onboarding = next(s for s in r.stages if s.journey_stage == "onboarding")
    assert onboarding.texts == 2 and onboarding.negative_share == 0.5
    ticket = next(s for s in r.sentiment_by_source if s.key == "support_ticket")
    assert ticket.negative == 1


def test_themes_against_churn(workspace: Workspace, store: AnalyticsStore) -> None:
    r = voice(store, workspace.settings, churn_window_days=365)
    # Accounts that spoke before leaving (or the end): A1, A2 (churned), A3.
    assert r.churn_accounts == 3
    pricing = next(c for c in r.churn if c.theme == "pricing")
    assert (pricing.churned_mentioning, pricing.churned) == (1, 1)
    assert pricing.churn_rate_with == 1.0 and pricing.prevalence_churned == 1.0
    assert "Association, not cause" in r.caution


def test_workspace_themes_and_their_errors(workspace: Workspace, tmp_path: Path) -> None:
    settings = tmp_path / SETTINGS_FILE
    settings.write_text(
        (workspace.root / SETTINGS_FILE).read_text(encoding="utf-8")
        + '\n[voice.themes.security]\nen = ["sso"]\nfr_label = "Sécurité"\n',
        encoding="utf-8",
    )
    listed = theme_list(settings)
    assert "security" in [t.theme for t in listed.themes]
    assert load_themes(None).ids() == load_themes(tmp_path / "missing.toml").ids()
    settings.write_text('[voice.themes.security]\nen = "sso"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[voice.themes\] theme 'security'"):
        load_themes(settings)
    settings.write_text("[voice\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_themes(settings)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"period": "year"}, "period 'year'"),
        ({"topics_per_language": 0}, "topics"),
        ({"max_texts": 0}, "max texts 0"),
        ({"churn_window_days": 0}, "churn window 0"),
        ({"confidence": 0.2}, "confidence 0.2"),
    ],
)
def test_bad_voice_options_are_refused(
    workspace: Workspace, store: AnalyticsStore, options: dict[str, object], message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        voice(store, workspace.settings, **options)  # type: ignore[arg-type]


def test_max_texts_keeps_the_most_recent(workspace: Workspace, store: AnalyticsStore) -> None:
    r = voice(store, workspace.settings, max_texts=1)
    # 4 survey comments and 2 conversations: the latest of each is kept.
    assert r.texts == 2 and r.texts_left_out == 3 + 1
