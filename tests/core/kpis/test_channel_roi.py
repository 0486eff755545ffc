"""Last-touch revenue, cost and ratios, on small literal tables run by DuckDB."""

from __future__ import annotations

import datetime as dt

import ibis
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pilotage.core.kpis.channel_roi import (
    UNATTRIBUTED,
    Window,
    cost_and_revenue,
    last_touch_orders,
    with_ratios,
)
from pilotage.core.kpis.periods import period_label
from pilotage.data.schema import TABLES, arrow_schema

UTC = dt.UTC


def table(name: str, rows: list[dict]) -> ibis.Table:
    schema = arrow_schema(TABLES[name])
    full = [{f.name: r.get(f.name) for f in schema} for r in rows]
    return ibis.memtable(pa.Table.from_pylist(full, schema=schema))


def ts(day: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, tzinfo=UTC)


@pytest.fixture
def con():
    backend = ibis.duckdb.connect()
    backend.raw_sql("SET TimeZone = 'UTC'")
    return backend


def attributed(con, orders, touches, lookback=90):
    expr = last_touch_orders(table("orders", orders), table("touchpoints", touches), lookback)
    return {r["order_id"]: r for r in con.to_pyarrow(expr).to_pylist()}


def test_the_last_touch_before_the_order_gets_the_credit(con):
    touches = [
        {"touched_at": ts(1), "channel": "paid_social", "person_id": "p1"},
        {"touched_at": ts(5), "channel": "email", "person_id": "p1", "campaign_id": "nl"},
        {"touched_at": ts(20), "channel": "paid_search", "person_id": "p1"},  # after: ignored
    ]
    orders = [{"order_id": "o1", "ordered_at": ts(10), "amount": 100.0, "person_id": "p1"}]
    result = attributed(con, orders, touches)
    assert result["o1"]["channel"] == "email"
    assert result["o1"]["campaign_id"] == "nl"


def test_touches_outside_the_lookback_window_do_not_count(con):
    touches = [{"touched_at": ts(1), "channel": "email", "person_id": "p1"}]
    orders = [{"order_id": "o1", "ordered_at": ts(20), "amount": 50.0, "person_id": "p1"}]
    assert attributed(con, orders, touches, lookback=7)["o1"]["channel"] is None
    assert attributed(con, orders, touches, lookback=30)["o1"]["channel"] == "email"


def test_account_orders_match_account_touches(con):
    touches = [
        {"touched_at": ts(2), "channel": "events", "account_id": "a1", "person_id": "p9"},
        {"touched_at": ts(3), "channel": "email", "person_id": "p8"},
    ]
    orders = [{"order_id": "o1", "ordered_at": ts(10), "amount": 900.0, "account_id": "a1"}]
    assert attributed(con, orders, touches)["o1"]["channel"] == "events"


def test_a_touch_at_the_order_instant_counts_and_ties_are_deterministic(con):
    touches = [
        {"touched_at": ts(10), "channel": "referral", "person_id": "p1"},
        {"touched_at": ts(10), "channel": "direct", "person_id": "p1"},
    ]
    orders = [{"order_id": "o1", "ordered_at": ts(10), "amount": 10.0, "person_id": "p1"}]
    assert attributed(con, orders, touches)["o1"]["channel"] == "direct"


def test_cost_and_revenue_by_channel_and_month_in_local_time(con):
    spend = table(
        "spend",
        [
            {"date": dt.date(2026, 3, 31), "channel": "email", "campaign_id": "c", "cost": 40.0},
            {"date": dt.date(2026, 4, 1), "channel": "email", "campaign_id": "c", "cost": 60.0},
        ],
    )
    touches = [{"touched_at": ts(30), "channel": "email", "person_id": "p1"}]
    # 23:30 UTC on 31 March is 1 April in Paris: the revenue belongs to April there.
    late = dt.datetime(2026, 3, 31, 23, 30, tzinfo=UTC)
    orders = [{"order_id": "o1", "ordered_at": late, "amount": 300.0, "person_id": "p1"}]
    revenue = last_touch_orders(table("orders", orders), table("touchpoints", touches), 90)
    expr = cost_and_revenue(spend, revenue, ["channel"], "month", "Europe/Paris", Window())
    rows = sorted(con.to_pyarrow(expr).to_pylist(), key=lambda r: r["period_start"])
    assert [(period_label(r["period_start"], "month"), r["cost"], r["revenue"]) for r in rows] == [
        ("2026-03", 40.0, 0.0),
        ("2026-04", 60.0, 300.0),
    ]


def test_unattributed_revenue_is_kept_under_its_own_channel(con):
    spend = table(
        "spend",
        [{"date": dt.date(2026, 3, 1), "channel": "email", "campaign_id": "c", "cost": 10.0}],
    )
    orders = [{"order_id": "o1", "ordered_at": ts(3), "amount": 70.0, "person_id": "ghost"}]
    revenue = last_touch_orders(table("orders", orders), table("touchpoints", []), 90)
    expr = cost_and_revenue(spend, revenue, ["channel"], None, "UTC", Window())
    rows = {r["channel"]: r for r in con.to_pyarrow(expr).to_pylist()}
    assert rows[UNATTRIBUTED]["revenue"] == 70.0
    assert rows["email"]["cost"] == 10.0 and rows["email"]["revenue"] == 0.0


def test_window_keeps_only_local_days_inside(con):
    spend = table(
        "spend",
        [
            {"date": dt.date(2026, 3, d), "channel": "email", "campaign_id": "c", "cost": 1.0}
            for d in range(1, 11)
        ],
    )
    revenue = last_touch_orders(table("orders", []), table("touchpoints", []), 90)
    window = Window(dt.date(2026, 3, 3), dt.date(2026, 3, 5))
    expr = cost_and_revenue(spend, revenue, ["channel"], None, "UTC", window)
    assert con.to_pyarrow(expr).to_pylist()[0]["cost"] == 3.0


def test_window_refuses_start_after_end():
    with pytest.raises(ValueError, match="after end"):
        Window(dt.date(2026, 3, 5), dt.date(2026, 3, 1))


def test_ratios_from_summed_parts_and_null_without_cost():
    assert with_ratios(100.0, 250.0) == {"roi": 1.5, "roas": 2.5}
    assert with_ratios(0.0, 250.0) == {"roi": None, "roas": None}


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(1, 28),
            st.sampled_from(["email", "paid_search", "events"]),
            st.floats(0, 1e6, allow_nan=False),
        ),
        min_size=1,
        max_size=20,
    ),
    st.randoms(use_true_random=False),
)
def test_channel_sums_equal_the_total_whatever_the_row_order(rows, rnd):
    con = ibis.duckdb.connect()
    records = [
        {"date": dt.date(2026, 2, d), "channel": ch, "campaign_id": f"c{i}", "cost": cost}
        for i, (d, ch, cost) in enumerate(rows)
    ]
    shuffled = records[:]
    rnd.shuffle(shuffled)
    revenue = last_touch_orders(table("orders", []), table("touchpoints", []), 90)
    sums = []
    for recs in (records, shuffled):
        expr = cost_and_revenue(table("spend", recs), revenue, ["channel"], None, "UTC", Window())
        sums.append({r["channel"]: r["cost"] for r in con.to_pyarrow(expr).to_pylist()})
    assert sums[0].keys() == sums[1].keys()
    for ch in sums[0]:
        assert sums[0][ch] == pytest.approx(sums[1][ch])
    assert sum(sums[0].values()) == pytest.approx(sum(c for _, _, c in rows))
