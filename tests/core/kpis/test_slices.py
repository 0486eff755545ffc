"""Channel slices partition the totals; funnel and media ratios come from summed parts."""

from __future__ import annotations

import ibis
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from pilotage.core.kpis.channel_roi import Window, cost_and_revenue, last_touch_orders
from pilotage.core.kpis.media import media_ratios, stage_conversions
from pilotage.core.kpis.slices import (
    credited_in_channels,
    orderers,
    orders_of,
    spend_in_channels,
)

CHANNELS = ("email", "paid_search", "display")
day = st.integers(min_value=1, max_value=28)
spend_rows = st.lists(st.tuples(day, st.sampled_from(CHANNELS), st.integers(0, 500)), max_size=8)
touch_rows = st.lists(
    st.tuples(day, st.sampled_from(["p1", "p2", "p3"]), st.sampled_from(CHANNELS)), max_size=8
)
order_rows = st.lists(
    st.tuples(day, st.sampled_from(["p1", "p2", "p3", "p9"]), st.integers(1, 900)), max_size=6
)


def _totals(spend: ibis.Table, credited: ibis.Table) -> tuple[float, float]:
    expr = cost_and_revenue(spend, credited, ("channel",), None, "UTC", Window())
    rows = expr.to_pyarrow().to_pylist()
    return sum(float(r["cost"] or 0) for r in rows), sum(float(r["revenue"] or 0) for r in rows)


@settings(max_examples=25, deadline=None)
@given(spend_rows, touch_rows, order_rows)
def test_channel_slices_sum_to_the_unfiltered_total(spends, touches, orders) -> None:
    ts = lambda d: pd.Timestamp(2026, 3, d, 12, tz="UTC")  # noqa: E731
    spend = ibis.memtable(
        pd.DataFrame(
            [(pd.Timestamp(2026, 3, d).date(), c, float(x)) for d, c, x in spends],
            columns=["date", "channel", "cost"],
        ).astype({"cost": "float64", "channel": "object"}),
        schema={"date": "date", "channel": "string", "cost": "float64"},
    )
    tp = ibis.memtable(
        pd.DataFrame(
            [(ts(d), p, None, c, None) for d, p, c in touches],
            columns=["touched_at", "person_id", "account_id", "channel", "campaign_id"],
        ),
        schema={
            "touched_at": "timestamp('UTC')",
            "person_id": "string",
            "account_id": "string",
            "channel": "string",
            "campaign_id": "string",
        },
    )
    od = ibis.memtable(
        pd.DataFrame(
            [(f"o{i}", ts(d), float(a), p, None) for i, (d, p, a) in enumerate(orders)],
            columns=["order_id", "ordered_at", "amount", "person_id", "account_id"],
        ),
        schema={
            "order_id": "string",
            "ordered_at": "timestamp('UTC')",
            "amount": "float64",
            "person_id": "string",
            "account_id": "string",
        },
    )
    credited = last_touch_orders(od, tp, 30)
    whole = _totals(spend, credited)
    parts = [
        _totals(spend_in_channels(spend, [c]), credited_in_channels(credited, [c]))
        for c in (*CHANNELS, "unattributed")
    ]
    assert sum(p[0] for p in parts) == whole[0]
    assert abs(sum(p[1] for p in parts) - whole[1]) < 1e-6


@given(st.lists(st.integers(0, 1000), min_size=1, max_size=6))
def test_stage_conversions_are_ratios_of_neighbouring_counts(counts) -> None:
    rates = stage_conversions(counts)
    assert len(rates) == len(counts) - 1
    for rate, before, after in zip(rates, counts, counts[1:], strict=False):
        assert rate == (None if before == 0 else after / before)


@given(st.floats(0, 1e6), st.integers(0, 10**7), st.integers(0, 10**6))
def test_media_ratios_are_null_without_a_denominator(cost, impressions, clicks) -> None:
    ratios = media_ratios(cost, impressions, clicks)
    assert (ratios["ctr"] is None) == (impressions == 0)
    assert (ratios["cpc"] is None) == (clicks == 0)
    if impressions:
        assert ratios["cpm"] == cost * 1000 / impressions


def test_orderers_take_the_person_then_the_accounts_and_restrictions_fail_closed() -> None:
    orders = ibis.memtable(
        {"order_id": ["o1", "o2", "o3", "o4"], "person_id": ["p1", "p2", None, "p9"]}
        | {"account_id": [None, None, "a2", None]},
        schema={"order_id": "string", "person_id": "string", "account_id": "string"},
    )
    people = ibis.memtable(
        {"person_id": ["p1", "p2"], "segment": ["SMB", None], "country": ["FR", None]}
        | {"account_id": [None, "a1"]},
        schema=dict.fromkeys(("person_id", "segment", "country", "account_id"), "string"),
    )
    accounts = ibis.memtable(
        {"account_id": ["a1", "a2"], "segment": ["Ent", "Mid"], "country": ["BE", "DE"]}
    )
    who = orderers(orders, people, accounts)
    found = {r["order_id"]: r for r in who.to_pyarrow().to_pylist()}
    assert [found[o]["country"] for o in ("o1", "o2", "o3", "o4")] == ["FR", "BE", "DE", None]
    assert [found[o]["account_id"] for o in ("o1", "o2", "o3", "o4")] == [None, "a1", "a2", None]

    def kept(countries: list[str] | None = None, account_ids: list[str] | None = None):
        rows = orders_of(orders, who, (), countries, account_ids).to_pyarrow().to_pylist()
        return sorted(r["order_id"] for r in rows)

    assert kept() == ["o1", "o2", "o3", "o4"]
    assert kept(countries=["FR", "DE"]) == ["o1", "o3"]
    assert kept(account_ids=["a1"]) == ["o2"]
    assert kept(countries=[]) == []  # restricted to nothing: nothing, not everything
    assert kept(countries=["BE"], account_ids=["a2"]) == []
