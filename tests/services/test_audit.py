"""The audit on a small workspace whose every count is known by hand (today: 2026-04-10).

Files go through ``pilotage load``; two orders are written straight into the store, as a
warehouse table would be, because the loader refuses them (an order with no buyer, an
amount in a currency with no exchange rate).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path

import pytest

from pilotage.core.metrics.registry import METRICS
from pilotage.core.quality.trust import metric_trust
from pilotage.data.schema import TABLES
from pilotage.data.store import AnalyticsStore
from pilotage.data.workspace import open_workspace
from pilotage.interfaces.cli.main import main
from pilotage.services.audit import AuditCheck, DataAuditResult, audit, table_trust_scores
from pilotage.services.data_quality import quality_checks

TODAY = datetime.date(2026, 4, 10)
FILES = {
    # cost 500: dp1 (150) has no campaign and no touch; the 2026-04-20 row (100) is future.
    "spend": """date,channel,campaign_id,cost
2026-03-01,paid_search,gs1,100
2026-03-15,paid_search,gs1,100
2026-04-02,email,nl1,50
2026-04-03,display,dp1,150
2026-04-20,paid_search,gs1,100
""",
    "campaigns": """campaign_id,name,channel
gs1,Search,paid_search
nl1,Newsletter,email
""",
    # 5 touches, 2 unmapped (source weird / medium thing).
    "touchpoints": """touched_at,person_id,account_id,channel,campaign_id,source,medium
2026-03-02 10:00,p1,,paid_search,gs1,,
2026-03-20 10:00,p2,,email,nl1,,
2026-04-05 10:00,p3,,,,weird,thing
2026-04-06 10:00,p4,,,,weird,thing
2026-04-07 10:00,,a1,email,nl1,,
""",
    # p2 repeats p1 (same account, same e-mail once trimmed and lower-cased), p5 repeats p4
    # (no account); p3 shares p1's e-mail but not its account.
    "people": """person_id,account_id,email,created_at
p1,a1,Ann@Acme.fr,2026-03-01
p2,a1, ann@acme.fr ,2026-03-02
p3,a2,ann@acme.fr,2026-03-03
p4,,bob@x.io,2026-03-04
p5,,BOB@x.io,2026-03-05
p6,a2,,2026-03-06
""",
    # a2 repeats a1 (domain), a4 repeats a3 (name, no domain).
    "accounts": """account_id,name,domain
a1,Acme SAS,https://www.acme.fr/
a2,ACME,acme.fr
a3,Globex Inc.,
a4,Globex,
a5,Initech,initech.com
""",
    # Flagged: p2 (first touch after), p9 (no touch), a2 on 03-05 (its person p3 is touched
    # on 04-05 only); a2 on 04-09 is fine through p3, a1 through its own touch.
    "conversions": """converted_at,conversion_type,person_id,account_id
2026-03-03 12:00,signup,p1,
2026-03-10 12:00,signup,p2,
2026-04-06 12:00,lead,p9,
2026-04-08 12:00,opportunity,,a1
2026-03-05 12:00,opportunity,,a2
2026-04-09 12:00,opportunity,,a2
""",
    # Pipeline 6000: op2 has no amount, op3 (3000) an unknown account.
    "opportunities": """opportunity_id,account_id,created_at,amount,stage
op1,a1,2026-03-10,1000,won
op2,a1,2026-03-11,0,open
op3,zz,2026-03-12,3000,open
op4,a2,2026-03-13,2000,open
""",
    "fx_rates": """date,currency,rate_to_reporting
2026-02-15,USD,0.9
""",
    # 500 EUR + 300 USD (270 EUR); the latest order (03-01) is 40 days old, limit 35.
    "orders": """order_id,ordered_at,amount,person_id,currency
o1,2026-02-20 12:00,500,p1,EUR
o2,2026-03-01,300,p2,USD
""",
}
#: Written straight into the store: no buyer (200 EUR), and yen with no rate (100).
WAREHOUSE_ORDERS = """
INSERT INTO orders (order_id, ordered_at, amount, currency, _key) VALUES
    ('o9', TIMESTAMPTZ '2026-03-01 12:00:00+00', 200, 'EUR', 'o9');
INSERT INTO orders (order_id, ordered_at, amount, person_id, currency, _key) VALUES
    ('o8', TIMESTAMPTZ '2026-02-25 12:00:00+00', 100, 'p1', 'JPY', 'o8');
"""


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("audit") / "ws"
    assert main(["init", str(root)]) == 0
    for table, text in FILES.items():
        path = root.parent / f"{table}.csv"
        path.write_text(text, encoding="utf-8")
        assert main(["load", table, str(path), "--workspace", str(root)]) == 0, table
    with AnalyticsStore.open(open_workspace(root).analytics_path) as store:
        store.con.execute(WAREHOUSE_ORDERS)
    return root


@pytest.fixture(scope="module")
def store(root: Path) -> Iterator[AnalyticsStore]:
    with AnalyticsStore.open(open_workspace(root).analytics_path, read_only=True) as store:
        yield store


@pytest.fixture(scope="module")
def result(root: Path, store: AnalyticsStore) -> DataAuditResult:
    return audit(store, open_workspace(root).settings, TODAY, "en")


def check(result: DataAuditResult, check_id: str, table: str) -> AuditCheck:
    (found,) = [c for c in result.checks if c.id == check_id and c.table == table]
    return found


@pytest.mark.parametrize(
    ("check_id", "table", "count", "share", "examples"),
    [
        ("dq_spend_unknown_campaign", "spend", 1, 0.3, ["dp1: 1 row, 150 EUR"]),
        ("dq_spend_untracked", "spend", 1, 0.3, ["dp1: 1 row, 150 EUR"]),
        ("dq_future_rows", "spend", 1, 0.2, ["2026-04-20: 1 row"]),
        ("dq_unassigned_touches", "touchpoints", 2, 0.4, ["weird / thing: 2 rows"]),
        (
            "dq_conversions_without_touch",
            "conversions",
            3,
            0.5,
            ["p9 · lead · 2026-04-06", "p2 · signup · 2026-03-10", "a2 · opportunity · 2026-03-05"],
        ),
        ("dq_opportunities_without_amount", "opportunities", 1, 0.25, ["op2"]),
        ("dq_opportunities_unknown_account", "opportunities", 1, 0.5, ["zz: 1 row, 3,000 EUR"]),
        ("dq_duplicate_people", "people", 2, 2 / 6, ["p1 = p2: 2 rows", "p4 = p5: 2 rows"]),
        ("dq_duplicate_accounts", "accounts", 2, 0.4, ["a1 = a2: 2 rows", "a3 = a4: 2 rows"]),
        ("dq_orders_without_buyer", "orders", 1, 200 / 1070, ["o9: 200 EUR"]),
        ("dq_missing_fx_rate", "orders", 1, 0.25, ["JPY: 1 row"]),
        (
            "dq_stale_table",
            "orders",
            5,
            1.0,
            ["latest date 2026-03-01: 40 days before 2026-04-10 (limit 35)"],
        ),
    ],
)
def test_each_check_counts_what_was_planted(
    result: DataAuditResult,
    check_id: str,
    table: str,
    count: int,
    share: float,
    examples: list[str],
) -> None:
    found = check(result, check_id, table)
    assert (found.count, found.examples) == (count, examples)
    assert found.affected_share == pytest.approx(share, abs=1e-6)
    assert found.points == pytest.approx(100 * found.weight * share, abs=0.01)
    assert found.severity != "ok"
    assert found.explanation and found.fix


def test_money_checks_weigh_rows_by_money(result: DataAuditResult) -> None:
    assert check(result, "dq_spend_unknown_campaign", "spend").measure == "cost"
    assert check(result, "dq_orders_without_buyer", "orders").measure == "amount"
    assert check(result, "dq_unassigned_touches", "touchpoints").measure == "rows"


def test_clean_checks_find_nothing(result: DataAuditResult) -> None:
    flagged = {(c.id, c.table) for c in result.checks if c.count}
    assert ("dq_future_rows", "touchpoints") not in flagged
    assert ("dq_missing_fx_rate", "spend") not in flagged
    assert ("dq_stale_table", "spend") not in flagged  # its latest row is even in the future
    assert ("dq_stale_table", "touchpoints") not in flagged  # 3 days old, limit 7
    assert all(c.severity == "ok" and not c.examples for c in result.checks if not c.count)


def test_table_scores_add_up_the_points_lost(result: DataAuditResult) -> None:
    scores = {t.table: t.score for t in result.tables}
    assert scores["spend"] == 35.0  # 30 no campaign, 15 untracked (weight 0.5), 20 future
    assert scores["touchpoints"] == 68.0  # 40 % unmapped x 0.8
    assert scores["conversions"] == 75.0
    assert scores["opportunities"] == 35.0  # 50 % of pipeline x 0.8, 25 % without amount
    assert scores["people"] == pytest.approx(83.3)
    assert scores["accounts"] == 80.0
    assert scores["orders"] == pytest.approx(26.3)  # 18.7 no buyer, 25 fx, 30 stale
    assert scores["campaigns"] == scores["fx_rates"] == 100.0
    assert scores["subscriptions"] is None
    assert set(scores) == set(TABLES)


def test_tables_say_why(result: DataAuditResult) -> None:
    spend = next(t for t in result.tables if t.table == "spend")
    assert spend.summary == (
        "spend: 35 — 30% of cost has no campaign; 20% of the table is dated in the future; "
        "30% of cost has no tracked touchpoint"
    )
    empty = next(t for t in result.tables if t.table == "subscriptions")
    assert (empty.rows, empty.reasons) == (0, ["no data"])


def test_kpi_trust_is_the_weakest_table_of_every_metric(result: DataAuditResult) -> None:
    scores = {t.table: t.score for t in result.tables}
    assert set(result.kpi_trust) == set(METRICS)
    for metric in METRICS.values():
        assert result.kpi_trust[metric.id] == metric_trust(metric.tables, scores)
    assert result.kpi_trust["cost"] == 35.0
    assert result.kpi_trust["revenue"] == pytest.approx(26.3)


def test_table_trust_scores_are_the_audits(
    root: Path, store: AnalyticsStore, result: DataAuditResult
) -> None:
    scores = table_trust_scores(store, open_workspace(root).settings, TODAY)
    assert scores == {t.table: t.score for t in result.tables}


def test_the_audit_speaks_french(root: Path, store: AnalyticsStore) -> None:
    french = audit(store, open_workspace(root).settings, TODAY, "fr")
    spend = next(t for t in french.tables if t.table == "spend")
    assert "30\u00a0% du coût n'a pas de campagne" in spend.reasons
    found = check(french, "dq_opportunities_unknown_account", "opportunities")
    assert found.title == "Opportunités sur un compte inconnu"
    assert found.examples == ["zz : 1 ligne, 3\u202f000 EUR"]


def test_the_data_quality_view_is_the_audits_checks(
    root: Path, store: AnalyticsStore, result: DataAuditResult
) -> None:
    view = quality_checks(store, open_workspace(root).settings, TODAY)
    counts = {(c.metric.id, c.table): c.count for c in view.checks}
    assert counts == {(c.id, c.table): c.count for c in result.checks if c.applicable}
    assert counts[("dq_future_rows", "spend")] == 1
    assert next(c for c in view.checks if c.metric.id == "dq_future_rows").metric.name


def test_the_loader_refuses_an_amount_without_exchange_rate(root: Path) -> None:
    """Why the fx check can only find rows written around the loader."""
    path = root.parent / "yen.csv"
    path.write_text("order_id,ordered_at,amount,person_id,currency\no7,2026-03-02,5,p1,JPY\n")
    assert main(["load", "orders", str(path), "--workspace", str(root)]) == 2


def test_people_without_email_are_not_checked_for_duplicates(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    assert main(["init", str(root)]) == 0
    people = tmp_path / "people.csv"
    people.write_text("person_id,account_id\np1,a1\np1b,a1\n", encoding="utf-8")
    assert main(["load", "people", str(people), "--workspace", str(root)]) == 0
    with AnalyticsStore.open(open_workspace(root).analytics_path, read_only=True) as store:
        result = audit(store, open_workspace(root).settings, TODAY)
    people_check = check(result, "dq_duplicate_people", "people")
    assert (people_check.applicable, people_check.count) == (False, 0)
    assert next(t for t in result.tables if t.table == "people").score == 100.0


def test_an_empty_workspace_has_no_scores(tmp_path: Path) -> None:
    root = tmp_path / "empty"
    assert main(["init", str(root)]) == 0
    with AnalyticsStore.open(open_workspace(root).analytics_path) as store:
        result = audit(store, open_workspace(root).settings, TODAY)
    assert all(t.score is None for t in result.tables)
    assert all(v is None for v in result.kpi_trust.values())
    assert not any(c.count for c in result.checks)
