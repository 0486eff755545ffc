"""Every KPI of the engine against hand-computed values on the literal workspace of
conftest.py (EUR reporting, USD rows, Europe/Paris days, an empty February, a refund, a
zero-cost channel, conversion types with no conversion), sliced every way.

Q1 below is 2026-01-01..2026-03-31 (local days). Reading guide to the data:
- cost EUR: Jan 100 (gs1) + 200 USD × 0.9 = 180 (ps1); Mar 0 (em1) + 100 USD × 0.8 = 80 (gs1)
  + 40 (ev1) -> 400; the 2025 row (50) is outside Q1.
- orders (last touch within 90 days, on the person, else the account):
  o1 1000 p1 -> t2 paid_search/gs1; o2 500 USD × 0.9 = 450 p2 -> t3 paid_social/ps1;
  o3 -100 (refund) p1 -> t4 email/em1; o4 300 A3 -> no touch (unattributed);
  o5 200 p3 -> t7 events/ev1.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pytest

from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.errors import UsageError
from pilotage.services.kpis import KPI_METRICS, channel_kpis, kpi_table
from pilotage.services.results import KpiTable

Store = tuple[AnalyticsStore, WorkspaceSettings]
Q1: dict[str, Any] = {"start": dt.date(2026, 1, 1), "end": dt.date(2026, 3, 31)}
DAY = 86_400.0
MONTH_DAYS = 30.4375
#: customer_months: from each new customer's first order to the end of as_of (31 March) in
#: Paris, 1 April 00:00 CEST = 31 March 22:00 UTC. A1 (o1, 6 Jan 12:00): 25 + 28 + 31 = 84
#: days + 10 h; A2 (o2, 21 Jan 12:00): 10 + 28 + 31 = 69 days + 10 h; A3 (o4, 6 Mar 12:00):
#: 25 days + 10 h; p3 (o5, 7 Mar 10:00): 24 days + 12 h.
CUSTOMER_DAYS = 84 + 69 + 25 + 24 + (3 * 36_000 + 43_200) / DAY
CUSTOMER_MONTHS = CUSTOMER_DAYS / MONTH_DAYS

#: Every KPI over Q1, by hand.
EXPECTED_Q1: dict[str, float | None] = {
    # --- media (spend) ---
    "cost": 400.0,  # 100 + 180 + 0 + 80 + 40
    "paid_cost": 360.0,  # paid_search 180 + paid_social 180 (email and events are not paid)
    "impressions": 6000.0,  # 1000 + 4000 + 0 + 1000 + 0
    "clicks": 120.0,  # 50 + 40 + 0 + 30 + 0
    "engagements": 130.0,  # clicks 120 + ps1's 10 reactions
    "engagement_rate": 130 / 6000,
    "platform_conversions": 3.0,  # 2 + 1
    "platform_conversion_value": 390.0,  # 300 + 100 USD × 0.9
    "ctr": 120 / 6000,
    "cpc": 400 / 120,
    "cpm": 400 * 1000 / 6000,
    # --- revenue (orders) ---
    "revenue": 1850.0,  # 1000 + 450 - 100 + 300 + 200
    "attributed_revenue": 1550.0,  # 1850 - o4's 300 (no touch)
    "margin": 680.0,  # 1000×0.5 + 200 USD×0.9 + (-100×0.5) + 0 (no margin) + 200×0.25
    "attributed_margin": 680.0,  # o4 had no margin
    "orders": 5.0,
    "refunds": -100.0,
    "roi": (1550 - 400) / 400,
    "roas": 1550 / 400,
    "roi_margin": (680 - 400) / 400,
    "mer": 1850 / 400,
    # --- customers: A1 (o1), A2 (o2), A3 (o4), p3 (o5; p3 has no account) ---
    "new_customers": 4.0,
    "new_customers_paid": 2.0,  # A1 -> paid_search, A2 -> paid_social
    "cac_paid": 360 / 2,
    "cac_blended": 400 / 4,
    "overhead_cost": 1160.0,  # 1000 + 200 USD × 0.8
    "cac_fully_loaded": (400 + 1160) / 4,
    "cohort_revenue": 1850.0,  # A1 1000 - 100, A2 450, A3 300, p3 200
    "cohort_margin": 680.0,  # A1 500 - 50, A2 180, A3 0, p3 50
    "customer_months": CUSTOMER_MONTHS,
    "ltv_revenue": 1850 / 4,
    "ltv_margin": 680 / 4,
    "ltv_cac": 680 / 400,  # = ltv_margin / cac_blended = 170 / 100
    "cac_payback_months": (400 / 4) / (680 / CUSTOMER_MONTHS),
    # --- funnel: leads p1 (5 Jan), p2 (12 Jan), p3 (2 Mar); p4 is 1 April in Paris ---
    "leads": 3.0,
    "mqls": 2.0,  # p1, p2
    "sqls": 1.0,  # p1
    "opportunity_people": 1.0,  # p1
    "customers": 1.0,  # p1 (2 Mar)
    "cohort_lead_mql": 2.0,  # of p1, p2, p3: p1 and p2 became MQL
    "cohort_lead_sql": 1.0,
    "cohort_lead_opportunity": 1.0,
    "cohort_lead_customer": 1.0,
    "cohort_mql_sql": 1.0,  # of p1, p2: p1
    "cohort_mql_opportunity": 1.0,
    "cohort_mql_customer": 1.0,
    "cohort_sql_opportunity": 1.0,
    "cohort_sql_customer": 1.0,
    "cohort_opportunity_customer": 1.0,
    "conv_lead_mql": 2 / 3,
    "conv_lead_sql": 1 / 3,
    "conv_lead_opportunity": 1 / 3,
    "conv_lead_customer": 1 / 3,
    "conv_mql_sql": 1 / 2,
    "conv_mql_opportunity": 1 / 2,
    "conv_mql_customer": 1 / 2,
    "conv_sql_opportunity": 1.0,
    "conv_sql_customer": 1.0,
    "conv_opportunity_customer": 1.0,
    "cpl": 400 / 3,
    # --- conversions: c1 signup, c2 lead, c3 purchase 500 USD, c4 purchase 200, c5 mql,
    # c6 signup (before any touch) ---
    "conversions": 6.0,
    "conversion_value": 650.0,  # 500 × 0.9 + 200
    "conversions_signup": 2.0,
    "conversions_lead": 1.0,
    "conversions_mql": 1.0,
    "conversions_sql": 0.0,  # zero conversions ...
    "conversions_opportunity": 0.0,
    "conversions_purchase": 2.0,
    "cpa_signup": 400 / 2,
    "cpa_lead": 400 / 1,
    "cpa_mql": 400 / 1,
    "cpa_sql": None,  # ... give a null CPA, never infinity
    "cpa_opportunity": None,
    "cpa_purchase": 400 / 2,
    "cpa": 400 / 2,
    # --- pipeline: op1 A1 10000 (field: sales; first touch t1 paid_search; marketing t1
    # before sales t5), op2 A2 5000 (field: marketing; t3 paid_social), op3 A3 2000 (field:
    # marketing; no touch before), op4 A4 3000 (field: other; first touch ever t9 email in
    # 2025, but within 90 days sales t10 comes before webinars t11) ---
    "pipeline_created": 20_000.0,
    "opportunities_created": 4.0,
    "pipeline_sourced_field": 7000.0,  # op2 + op3
    "pipeline_sourced_first_touch": 18_000.0,  # op1 + op2 + op4
    "pipeline_sourced_pre_sales": 15_000.0,  # op1 + op2
    "pipeline_influenced": 18_000.0,  # op1 + op2 + op4
    "sourced_definition_gap": 18_000 - 7000,
    # closed in Q1: op1 won 1 Mar (40 days), op2 lost 15 Mar, op4 won 30 Jan (20 days)
    "won_amount": 13_000.0,
    "won_deals": 2.0,
    "lost_deals": 1.0,
    "cycle_days_won": 60.0,
    "win_rate": 2 / 3,
    "avg_deal_size": 6500.0,
    "sales_cycle_days": 30.0,
    "pipeline_velocity": 4 * 6500 * (2 / 3) / 30,
    # --- retention over the quarter: start (before 1 Jan) A1 100, A2 200, A3 300; end
    # (31 Mar) A1 150 (expanded), A2 0 (churned), A3 250 (contracted), A4 80 (new) ---
    "mrr_start": 600.0,
    "mrr_end": 480.0,
    "mrr_retained": 350.0,  # min(100, 150) + 0 + min(300, 250)
    "mrr_end_of_start": 400.0,  # 150 + 0 + 250 (A4 was not a customer at the start)
    "customers_start": 3.0,
    "customers_churned": 1.0,
    "logo_churn": 1 / 3,
    "grr": 350 / 600,
    "nrr": 400 / 600,
    # --- surveys: NPS 10, 9, 7, 3; CSAT 5, 4, 2; CES 3, 5 ---
    "nps_responses": 4.0,
    "promoters": 2.0,
    "detractors": 1.0,
    "nps": 100 * (2 - 1) / 4,
    "csat_responses": 3.0,
    "csat_satisfied": 2.0,
    "csat": 2 / 3,
    "ces_responses": 2.0,
    "ces_total": 8.0,
    "ces": 4.0,
    # --- web: touches in Q1 local days (t9 is 2025, t8 is 1 April in Paris) ---
    "touches": 10.0,  # t10, t11, t1, t2, t3, t4, t5, t6, t12, t7
    "sessions": 7.0,  # s7, s1 (t1 and t2), s2, s3, s4, s8, s5 (t5 and t10 have none)
    "visitors": 6.0,  # a:A4, p:p1, p:p2, a:A1, n:v1 (two sessions), p:p3
}


def kpis(store: Store, **kwargs: Any) -> KpiTable:
    return kpi_table(store[0], store[1], **kwargs)


def close(got: object, expected: float | None) -> bool:
    if expected is None:
        return got is None
    return isinstance(got, float) and math.isclose(got, expected, rel_tol=1e-9, abs_tol=1e-9)


def by_key(table: KpiTable, *dims: str) -> dict[Any, dict[str, Any]]:
    keys = dims or ("period",)
    out = {}
    for row in table.rows:
        key = tuple(row[d] for d in keys)
        out[key[0] if len(key) == 1 else key] = row
    return out


def assert_rows(
    table: KpiTable, metric: str, expected: dict[Any, float | None], *dims: str
) -> None:
    got = {k: row[metric] for k, row in by_key(table, *dims).items()}
    assert got.keys() == expected.keys(), (metric, got)
    for key, value in expected.items():
        assert close(got[key], value), (metric, key, got[key], value)


def test_every_kpi_of_the_engine_has_a_hand_computed_value() -> None:
    assert set(EXPECTED_Q1) == set(KPI_METRICS)


@pytest.mark.parametrize("metric", KPI_METRICS)
def test_each_kpi_over_the_quarter(kpi_store: Store, metric: str) -> None:
    table = kpis(kpi_store, metrics=[metric], **Q1)
    assert close(table.totals[metric], EXPECTED_Q1[metric]), table.totals
    assert table.rows == []  # neither dimension nor period: totals only


def test_all_kpis_at_once_give_the_same_values(kpi_store: Store) -> None:
    table = kpis(kpi_store, metrics=list(KPI_METRICS), **Q1)
    wrong = {m: table.totals[m] for m in KPI_METRICS if not close(table.totals[m], EXPECTED_Q1[m])}
    assert wrong == {}


# --- slicing by every dimension ---------------------------------------------------------


def test_by_channel(kpi_store: Store) -> None:
    table = kpis(
        kpi_store,
        metrics=["cost", "attributed_revenue", "roas", "roi", "leads", "new_customers"],
        by=["channel"],
        **Q1,
    )
    assert_rows(
        table,
        "cost",
        {"paid_search": 180, "paid_social": 180, "email": 0, "events": 40, "unattributed": 0},
        "channel",
    )
    assert_rows(
        table,
        "attributed_revenue",
        {"paid_search": 1000, "paid_social": 450, "email": -100, "events": 200, "unattributed": 0},
        "channel",
    )
    # email spent nothing (zero spend): its ROAS and ROI are null, never infinite
    assert_rows(
        table,
        "roas",
        {
            "paid_search": 1000 / 180,
            "paid_social": 450 / 180,
            "email": None,
            "events": 200 / 40,
            "unattributed": None,
        },
        "channel",
    )
    assert_rows(
        table,
        "roi",
        {
            "paid_search": (1000 - 180) / 180,
            "paid_social": (450 - 180) / 180,
            "email": None,
            "events": (200 - 40) / 40,
            "unattributed": None,
        },
        "channel",
    )
    # p1 -> t2 paid_search, p2 -> t3 paid_social, p3 has no touch before creation
    assert_rows(
        table,
        "leads",
        {"paid_search": 1, "paid_social": 1, "email": 0, "events": 0, "unattributed": 1},
        "channel",
    )
    assert_rows(
        table,
        "new_customers",
        {"paid_search": 1, "paid_social": 1, "email": 0, "events": 1, "unattributed": 1},
        "channel",
    )
    assert close(table.totals["roas"], 1550 / 400)
    assert table.not_sliced == {}


def test_by_campaign_program_and_initiative(kpi_store: Store) -> None:
    by_campaign = kpis(kpi_store, metrics=["revenue", "cost"], by=["campaign"], **Q1)
    assert_rows(
        by_campaign,
        "revenue",
        {"gs1": 1000, "ps1": 450, "em1": -100, "ev1": 200, "unknown": 300},
        "campaign",
    )
    assert_rows(
        by_campaign, "cost", {"gs1": 180, "ps1": 180, "em1": 0, "ev1": 40, "unknown": 0}, "campaign"
    )
    by_program = kpis(kpi_store, metrics=["revenue"], by=["program"], **Q1)
    assert_rows(
        by_program,
        "revenue",
        {"search": 1000, "social": 450, "newsletter": -100, "events": 200, "unknown": 300},
        "program",
    )
    by_initiative = kpis(kpi_store, metrics=["revenue", "cost"], by=["initiative"], **Q1)
    # i1: gs1 + ps1; i2: ev1; unknown: em1 (no initiative) and the unattributed order
    assert_rows(by_initiative, "revenue", {"i1": 1450, "i2": 200, "unknown": 200}, "initiative")
    assert_rows(by_initiative, "cost", {"i1": 360, "i2": 40, "unknown": 0}, "initiative")


def test_by_tier_and_target(kpi_store: Store) -> None:
    table = kpis(kpi_store, metrics=["revenue", "pipeline_created"], by=["tier"], **Q1)
    # o1, o3 (p1 of A1) and o4 (A3) are tier1; o2 (A2) tier2; o5 (p3, no account) unknown
    assert_rows(table, "revenue", {"tier1": 1200, "tier2": 450, "unknown": 200}, "tier")
    # op1 (A1) + op3 (A3) are tier1; op2 (A2) + op4 (A4) tier2
    assert_rows(table, "pipeline_created", {"tier1": 12_000, "tier2": 8000, "unknown": 0}, "tier")
    target = kpis(kpi_store, metrics=["revenue"], by=["target"], **Q1)
    assert_rows(target, "revenue", {"target": 1200, "other": 450, "unknown": 200}, "target")


def test_by_segment_cost_is_null_but_its_total_is_known(kpi_store: Store) -> None:
    table = kpis(kpi_store, metrics=["revenue", "cost", "roas"], by=["segment"], **Q1)
    # p1 has no segment of their own: A1's (enterprise); p2's account A2 is smb; p3 is smb
    assert_rows(table, "revenue", {"enterprise": 900, "smb": 650, "mid": 300}, "segment")
    assert all(row["cost"] is None and row["roas"] is None for row in table.rows)
    assert table.not_sliced == {"cost": ["segment"], "roas": ["segment"]}
    assert table.totals == {"revenue": 1850.0, "cost": 400.0, "roas": 1550 / 400}
    assert table.cost_sliced  # a slice, not a filter: cost is not hidden from the totals


def test_by_country(kpi_store: Store) -> None:
    table = kpis(kpi_store, metrics=["revenue", "leads"], by=["country"], **Q1)
    # p2's own country (BE) beats A2's (DE); o4 is A3's (FR); p3 is FR
    assert_rows(table, "revenue", {"FR": 1400, "BE": 450}, "country")
    assert_rows(table, "leads", {"FR": 2, "BE": 1}, "country")


def test_by_acquisition_cohort(kpi_store: Store) -> None:
    table = kpis(
        kpi_store, metrics=["new_customers", "ltv_revenue", "revenue"], by=["cohort"], **Q1
    )
    # A1, A2 first ordered in January; A3, p3 in March
    assert_rows(table, "new_customers", {"2026-01": 2, "2026-03": 2}, "cohort")
    assert_rows(
        table, "ltv_revenue", {"2026-01": (900 + 450) / 2, "2026-03": (300 + 200) / 2}, "cohort"
    )
    # orders by their customer's cohort: o1, o2, o3 -> January; o4, o5 -> March
    assert_rows(table, "revenue", {"2026-01": 1350, "2026-03": 500}, "cohort")
    retention = kpis(kpi_store, metrics=["nrr"], by=["cohort"], **Q1)
    # subscription cohorts: A1 2025-06 (150/100), A2 2025-09 (0/200), A3 2025-11 (250/300),
    # A4 2026-02 (no MRR at the start: null)
    assert_rows(
        retention,
        "nrr",
        {"2025-06": 1.5, "2025-09": 0.0, "2025-11": 250 / 300, "2026-02": None},
        "cohort",
    )


def test_by_conversion_type(kpi_store: Store) -> None:
    table = kpis(
        kpi_store,
        metrics=["conversions", "conversion_value", "revenue"],
        by=["conversion_type"],
        **Q1,
    )
    assert_rows(
        table, "conversions", {"signup": 2, "lead": 1, "purchase": 2, "mql": 1}, "conversion_type"
    )
    assert_rows(
        table,
        "conversion_value",
        {"signup": 0, "lead": 0, "purchase": 650, "mql": 0},
        "conversion_type",
    )
    assert all(row["revenue"] is None for row in table.rows)
    assert table.not_sliced == {"revenue": ["conversion_type"]}
    assert table.totals["revenue"] == 1850.0


def test_two_dimensions(kpi_store: Store) -> None:
    table = kpis(kpi_store, metrics=["revenue"], by=["channel", "country"], **Q1)
    assert_rows(
        table,
        "revenue",
        {
            ("paid_search", "FR"): 1000,
            ("paid_social", "BE"): 450,
            ("email", "FR"): -100,
            ("unattributed", "FR"): 300,
            ("events", "FR"): 200,
        },
        "channel",
        "country",
    )


# --- periods in Europe/Paris -------------------------------------------------------------


def test_a_touch_at_2330_utc_on_the_last_day_belongs_to_the_next_local_day(
    kpi_store: Store,
) -> None:
    # t8 and p4's creation: 31 March 23:00 and 23:30 UTC = 1 April 01:00 and 01:30 in Paris
    day = kpis(
        kpi_store,
        metrics=["leads", "touches"],
        period="day",
        start=dt.date(2026, 3, 31),
        end=dt.date(2026, 4, 1),
    )
    assert_rows(day, "leads", {"2026-03-31": 0, "2026-04-01": 1})
    assert_rows(day, "touches", {"2026-03-31": 0, "2026-04-01": 1})
    month = kpis(
        kpi_store,
        metrics=["leads"],
        period="month",
        start=dt.date(2026, 3, 1),
        end=dt.date(2026, 4, 30),
    )
    assert_rows(month, "leads", {"2026-03": 1, "2026-04": 1})  # p3 in March, p4 in April


def test_weeks_are_iso_weeks_starting_monday(kpi_store: Store) -> None:
    table = kpis(
        kpi_store,
        metrics=["revenue"],
        period="week",
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 1, 31),
    )
    # o1 Tue 6 Jan (week of Mon 5 Jan = W02), o2 Wed 21 Jan (week of Mon 19 Jan = W04)
    assert_rows(
        table,
        "revenue",
        {"2026-W01": 0, "2026-W02": 1000, "2026-W03": 0, "2026-W04": 450, "2026-W05": 0},
    )


def test_months_quarters_and_years(kpi_store: Store) -> None:
    month = kpis(kpi_store, metrics=["revenue", "cost"], period="month", **Q1)
    assert_rows(month, "revenue", {"2026-01": 1450, "2026-02": 0, "2026-03": 400})
    assert_rows(month, "cost", {"2026-01": 280, "2026-02": 0, "2026-03": 120})
    since_2025 = {"start": dt.date(2025, 1, 1), "end": dt.date(2026, 3, 31)}
    quarter = kpis(kpi_store, metrics=["revenue"], period="quarter", **since_2025)
    assert_rows(
        quarter,
        "revenue",
        {"2025-Q1": 400, "2025-Q2": 0, "2025-Q3": 0, "2025-Q4": 0, "2026-Q1": 1850},
    )
    year = kpis(kpi_store, metrics=["revenue", "cost"], period="year", **since_2025)
    assert_rows(year, "revenue", {"2025": 400, "2026": 1850})
    assert_rows(year, "cost", {"2025": 50, "2026": 400})
    assert year.totals == {"revenue": 2250.0, "cost": 450.0}


def test_a_period_with_no_data_gives_a_row_of_zeros(kpi_store: Store) -> None:
    flows = [m for m in KPI_METRICS if not m.startswith(("mrr_", "customers_", "nrr", "grr"))]
    flows = [m for m in flows if m != "logo_churn"]
    table = kpis(kpi_store, metrics=flows, period="month", **Q1)
    february = by_key(table)["2026-02"]
    additive = [m for m in flows if m in EXPECTED_Q1 and isinstance(EXPECTED_Q1[m], float)]
    for metric in flows:
        value = february[metric]
        # additive measures read 0; ratios and derived metrics have a zero denominator: null
        assert value == 0.0 or value is None, (metric, value)
    assert february["revenue"] == 0.0 and february["cost"] == 0.0 and february["leads"] == 0.0
    assert february["roas"] is None and february["cpl"] is None and february["nps"] is None
    assert len(additive) > 50


def test_retention_is_a_stock_a_quarter_is_not_the_sum_of_its_months(kpi_store: Store) -> None:
    month = kpis(
        kpi_store,
        metrics=["mrr_start", "mrr_end", "customers_start", "logo_churn", "grr", "nrr"],
        period="month",
        **Q1,
    )
    # January: start A1 100, A2 200, A3 300; end A1 100, A2 0 (ended 20 Jan), A3 300
    # February: start A1 100, A3 300; end A1 150 (s1b from 15 Feb), A3 300, A4 80 (new)
    # March: start A1 150, A3 300, A4 80; end A1 150, A3 250 (downgraded 10 Mar), A4 80
    assert_rows(month, "mrr_start", {"2026-01": 600, "2026-02": 400, "2026-03": 530})
    assert_rows(month, "mrr_end", {"2026-01": 400, "2026-02": 530, "2026-03": 480})
    assert_rows(month, "customers_start", {"2026-01": 3, "2026-02": 2, "2026-03": 3})
    assert_rows(month, "logo_churn", {"2026-01": 1 / 3, "2026-02": 0, "2026-03": 0})
    assert_rows(month, "grr", {"2026-01": 400 / 600, "2026-02": 1.0, "2026-03": 480 / 530})
    assert_rows(month, "nrr", {"2026-01": 400 / 600, "2026-02": 450 / 400, "2026-03": 480 / 530})
    # the quarter is measured over its own span, not summed (600 + 400 + 530 = 1530)
    assert close(month.totals["mrr_start"], 600.0)
    assert close(month.totals["nrr"], 400 / 600)
    assert close(month.totals["grr"], 350 / 600)
    quarter = kpis(kpi_store, metrics=["nrr", "grr", "logo_churn"], period="quarter", **Q1)
    assert_rows(quarter, "nrr", {"2026-Q1": 400 / 600})
    assert_rows(quarter, "grr", {"2026-Q1": 350 / 600})
    assert_rows(quarter, "logo_churn", {"2026-Q1": 1 / 3})


def test_an_open_window_is_closed_by_the_data_for_retention(kpi_store: Store) -> None:
    table = kpis(kpi_store, metrics=["mrr_end"])
    # data runs from 15 January 2025 (o0, spend) to 1 April 2026 (p4, t8 in Paris)
    assert table.start == dt.date(2025, 1, 15)
    assert table.end == dt.date(2026, 4, 1)
    assert table.totals["mrr_end"] == 480.0  # A1 150 + A3 250 + A4 80


# --- filters --------------------------------------------------------------------------


def test_a_segment_filter_hides_cost_rather_than_leaving_it_unfiltered(kpi_store: Store) -> None:
    table = kpis(
        kpi_store,
        metrics=["revenue", "cost", "roas", "leads"],
        by=["channel"],
        filters={"segment": ["smb"]},
        **Q1,
    )
    # smb: o2 (p2 via A2) 450 -> paid_social, o5 (p3) 200 -> events; leads p2, p3
    assert table.totals["revenue"] == 650.0
    assert table.totals["leads"] == 2.0
    assert table.totals["cost"] is None and table.totals["roas"] is None
    assert not table.cost_sliced
    assert table.segments == ["smb"]
    assert_rows(table, "revenue", {"paid_social": 450, "events": 200, "unattributed": 0}, "channel")
    assert all(row["cost"] is None for row in table.rows)


def test_channel_and_account_filters(kpi_store: Store) -> None:
    paid = kpis(
        kpi_store,
        metrics=["cost", "attributed_revenue"],
        filters={"channel": ["paid_search"]},
        **Q1,
    )
    assert paid.totals == {"cost": 180.0, "attributed_revenue": 1000.0}
    assert paid.channels == ["paid_search"]
    acme = kpis(
        kpi_store, metrics=["revenue", "pipeline_created"], filters={"account": ["A1"]}, **Q1
    )
    assert acme.totals == {"revenue": 900.0, "pipeline_created": 10_000.0}
    nobody = kpis(kpi_store, metrics=["revenue"], filters={"account": []}, **Q1)
    assert nobody.totals == {"revenue": 0.0}


def test_channel_kpis_is_kpi_table_by_channel(kpi_store: Store) -> None:
    store, settings = kpi_store
    table = channel_kpis(store, settings, segments=["enterprise"], **Q1)
    # enterprise: o1 (1000, paid_search), o3 (-100, email) — both p1's via A1
    assert table.totals["revenue"] == 900.0
    assert table.totals["cost"] is None and not table.cost_sliced
    by_campaign = channel_kpis(store, settings, by="campaign", channels=["events"], **Q1)
    assert_rows(by_campaign, "roas", {("events", "ev1"): 200 / 40}, "channel", "campaign")


# --- comparisons ------------------------------------------------------------------------


def test_compare_with_last_year(kpi_store: Store) -> None:
    table = kpis(
        kpi_store, metrics=["revenue", "cost", "roas"], period="month", compare="last_year", **Q1
    )
    assert (table.compare_start, table.compare_end) == (dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    rows = by_key(table)
    # January 2025: o0 400 (unattributed), spend 50
    assert rows["2026-01"]["revenue_compare"] == 400.0
    assert close(rows["2026-01"]["revenue_change"], (1450 - 400) / 400)
    assert close(rows["2026-01"]["cost_change"], (280 - 50) / 50)
    assert rows["2026-01"]["roas_compare"] == 0.0  # nothing attributed in 2025
    assert rows["2026-01"]["roas_change"] is None  # change from 0: null, never infinite
    assert rows["2026-02"]["revenue_compare"] == 0.0
    assert rows["2026-02"]["revenue_change"] is None
    assert close(table.totals["revenue_change"], (1850 - 400) / 400)
    assert close(table.totals["cost_change"], (400 - 50) / 50)


def test_compare_with_the_previous_window(kpi_store: Store) -> None:
    window = {"start": dt.date(2026, 2, 1), "end": dt.date(2026, 3, 31)}
    table = kpis(kpi_store, metrics=["revenue", "cost"], compare="previous", **window)
    # 59 days back: 4 Dec 2025 .. 31 Jan 2026 holds January's 1450 revenue and 280 cost
    assert (table.compare_start, table.compare_end) == (dt.date(2025, 12, 4), dt.date(2026, 1, 31))
    assert table.totals["revenue_compare"] == 1450.0
    assert close(table.totals["revenue_change"], (400 - 1450) / 1450)
    assert close(table.totals["cost_change"], (120 - 280) / 280)
    monthly = kpis(kpi_store, metrics=["revenue"], period="month", compare="previous", **window)
    # each month against the month before: February vs January, March vs February
    rows = by_key(monthly)
    assert rows["2026-02"]["revenue_compare"] == 1450.0
    assert rows["2026-02"]["revenue_change"] == -1.0
    assert rows["2026-03"]["revenue_compare"] == 0.0
    assert rows["2026-03"]["revenue_change"] is None


# --- attribution models in the service ---------------------------------------------------


def test_every_model_keeps_the_totals_and_moves_the_split(kpi_store: Store) -> None:
    metrics = ["revenue", "leads", "new_customers", "pipeline_created", "conversions"]
    totals = {m: EXPECTED_Q1[m] for m in metrics}
    splits = {}
    for model in ("last", "first", "last_non_direct", "linear", "position", "time_decay"):
        table = kpis(kpi_store, metrics=metrics, by=["channel"], model=model, **Q1)
        for metric in metrics:
            assert close(table.totals[metric], totals[metric]), (model, metric)
            assert close(sum(r[metric] for r in table.rows), totals[metric]), (model, metric)
        splits[model] = {r["channel"]: r["revenue"] for r in table.rows}
    # o3 (p1, 4 Mar) has t1, t2 paid_search and t4 email before it: first touch gives all of
    # it to paid_search, linear a third to each touch
    assert close(splits["first"]["paid_search"], 1000 - 100)
    assert close(splits["linear"]["paid_search"], 1000 - 100 * 2 / 3)
    assert close(splits["linear"]["email"], -100 / 3)
    # position with three touches: 40% first (t1), 20% middle (t2), 40% last (t4)
    assert close(splits["position"]["paid_search"], 1000 - 100 * 0.6)
    assert close(splits["position"]["email"], -100 * 0.4)


# --- no infinity anywhere -------------------------------------------------------------


def test_no_kpi_is_ever_infinite_or_nan(kpi_store: Store) -> None:
    table = kpis(kpi_store, metrics=list(KPI_METRICS), by=["channel"], period="month", **Q1)
    values = [v for row in table.rows for v in row.values() if isinstance(v, float)]
    values += [v for v in table.totals.values() if v is not None]
    assert values and all(math.isfinite(v) for v in values)


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message", "fix"),
    [
        ({"metrics": []}, "no metric asked", "--metrics"),
        ({"metrics": ["nope"]}, "metric 'nope': unknown", "pilotage metrics"),
        ({"metrics": ["budget"]}, "metric 'budget': it is not a KPI of the engine", "cost"),
        ({"metrics": ["cost"], "by": ["colour"]}, "cannot slice by 'colour'", "channel"),
        (
            {"metrics": ["cost"], "by": ["channel", "channel"]},
            "a dimension is repeated in --by",
            "once",
        ),
        (
            {"metrics": ["cost"], "model": "markov"},
            "unknown attribution model 'markov'",
            "time_decay",
        ),
        (
            {"metrics": ["cost"], "compare": "yesterday"},
            "unknown comparison 'yesterday'",
            "last_year",
        ),
        (
            {"metrics": ["cost"], "compare": "previous"},
            "a comparison needs a closed window",
            "--from",
        ),
        (
            {"metrics": ["cost"], "compare": "previous", "start": dt.date(2026, 1, 1)},
            "a comparison needs a closed window",
            "--to",
        ),
        (
            {"metrics": ["cost"], "start": dt.date(2026, 3, 31), "end": dt.date(2026, 1, 1)},
            "start 2026-03-31 is after end 2026-01-01",
            "on or before",
        ),
        (
            {"metrics": ["cost"], "filters": {"colour": ["red"]}},
            "cannot filter on 'colour'",
            "segment",
        ),
    ],
)
def test_bad_input_gets_a_clear_message(
    kpi_store: Store, kwargs: dict[str, Any], message: str, fix: str
) -> None:
    with pytest.raises(UsageError) as caught:
        kpis(kpi_store, **kwargs)
    assert caught.value.message == message
    assert caught.value.fix is not None and fix in caught.value.fix


# --- defects found by these tests, now fixed ---------------------------------------------


def test_an_open_window_measures_customer_months_to_the_last_day_of_data(
    kpi_store: Store,
) -> None:
    open_ = kpis(kpi_store, metrics=["customer_months"])
    closed = kpis(kpi_store, metrics=["customer_months"], end=dt.date(2026, 4, 1))
    assert close(open_.totals["customer_months"], closed.totals["customer_months"])


def test_overhead_with_no_channel_reads_unallocated(kpi_store: Store) -> None:
    table = kpis(kpi_store, metrics=["overhead_cost"], by=["channel"], **Q1)
    rows = {r["channel"]: r["overhead_cost"] for r in table.rows}
    assert rows["unallocated"] == 1000.0


def test_a_stock_kpi_on_a_workspace_with_no_data_is_empty_not_an_error(tmp_path: Any) -> None:
    from pilotage.services.workspaces import analytics, init_workspace

    workspace = init_workspace(tmp_path / "empty", name="empty")
    with analytics(workspace, write=True) as store:
        table = kpi_table(store, workspace.settings, metrics=["logo_churn", "nrr"])
    assert table.totals.get("logo_churn") is None and table.totals.get("nrr") is None
