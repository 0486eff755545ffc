"""Invariants of the KPI engine on random small datasets (Ibis memtables, the fact builders
and the planner directly): additive totals are the sum of their rows for every dimension,
every ratio's total is the ratio of its summed parts, and input row order does not matter."""

from __future__ import annotations

import datetime as dt
import math
import random
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from pilotage.core.kpis.assemble import FactResult, all_periods, evaluate, merge
from pilotage.core.kpis.credit import CREDIT_MODELS
from pilotage.core.kpis.engine import DIMENSIONS, KpiQuery, plan
from pilotage.core.kpis.facts.base import FactContext
from pilotage.core.kpis.window import Window
from pilotage.core.metrics.registry import METRICS
from pilotage.data.schema import TABLES, arrow_schema
from pilotage.services.kpis import KPI_METRICS

START, END = dt.date(2026, 1, 1), dt.date(2026, 3, 31)
T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
PEOPLE = ["p0", "p1", "p2", "p3"]
ACCOUNTS = ["A0", "A1", "A2"]
CHANNELS = ["paid_search", "email", "direct", "sales", "events"]
CAMPAIGNS = ["c0", "c1", "c2"]


def build(name: str, columns: dict[str, list[Any]]) -> pa.Table:
    schema = arrow_schema(TABLES[name])
    n = len(next(iter(columns.values()))) if columns else 0
    return pa.table(
        {f.name: pa.array(columns.get(f.name, [None] * n), f.type) for f in schema},
        schema=schema,
    )


class Tables:
    def __init__(self, data: dict[str, pa.Table]) -> None:
        self.data = data

    def __getitem__(self, name: str) -> ir.Table:
        return ibis.memtable(self.data.get(name, build(name, {})))


def instant(hours: int) -> dt.datetime:
    return T0 + dt.timedelta(hours=hours)


hours = st.integers(-24 * 20, 24 * 95)  # a little before and after the window
person = st.sampled_from(PEOPLE)
account = st.sampled_from(ACCOUNTS)


@st.composite
def datasets(draw: st.DrawFn) -> dict[str, pa.Table]:
    people = PEOPLE
    stage = st.one_of(st.none(), hours)
    p_rows = [
        (p, draw(st.one_of(st.none(), account)), draw(hours), draw(stage), draw(stage))
        for p in people
    ]
    touches = draw(
        st.lists(
            st.tuples(
                hours,
                st.one_of(person, st.none()),
                st.sampled_from(CHANNELS),
                st.sampled_from(CAMPAIGNS),
                st.sampled_from(["s1", "s2", "s3"]),
                st.one_of(st.none(), account),
            ),
            max_size=12,
        )
    )
    orders = draw(st.lists(st.tuples(hours, person, st.integers(-200, 900)), max_size=6))
    spend = draw(
        st.lists(
            st.tuples(
                st.integers(-5, 95),
                st.sampled_from(CHANNELS),
                st.sampled_from(CAMPAIGNS),
                st.integers(0, 300),
                st.integers(0, 1000),
                st.integers(0, 50),
            ),
            max_size=6,
        )
    )
    convs = draw(
        st.lists(
            st.tuples(hours, person, st.sampled_from(["signup", "lead", "purchase"])), max_size=5
        )
    )
    opps = draw(
        st.lists(
            st.tuples(
                account,
                hours,
                st.integers(0, 5000),
                st.one_of(st.none(), st.integers(1, 900)),
                st.booleans(),
                st.sampled_from(["marketing", "sales", None]),
            ),
            max_size=4,
        )
    )
    subs = draw(
        st.lists(
            st.tuples(account, hours, st.integers(1, 300), st.one_of(st.none(), hours)), max_size=5
        )
    )
    surveys = draw(
        st.lists(
            st.tuples(hours, st.sampled_from(["nps", "csat", "ces"]), st.integers(0, 5), person),
            max_size=5,
        )
    )
    return {
        "accounts": build(
            "accounts",
            {
                "account_id": ACCOUNTS,
                "name": ACCOUNTS,
                "segment": ["smb", "mid", "smb"],
                "country": ["FR", "DE", "FR"],
                "tier": ["t1", "t2", None],
                "is_target": [True, False, None],
            },
        ),
        "campaigns": build(
            "campaigns",
            {
                "campaign_id": CAMPAIGNS,
                "name": CAMPAIGNS,
                "channel": ["paid_search", "email", "events"],
                "program": ["search", None, "events"],
                "initiative_id": ["i1", "i1", None],
            },
        ),
        "people": build(
            "people",
            {
                "person_id": [r[0] for r in p_rows],
                "account_id": [r[1] for r in p_rows],
                "created_at": [instant(r[2]) for r in p_rows],
                "mql_at": [None if r[3] is None else instant(max(r[2], r[3])) for r in p_rows],
                "customer_at": [None if r[4] is None else instant(max(r[2], r[4])) for r in p_rows],
                "segment": [None, "mid", None, "smb"],
            },
        ),
        "touchpoints": build(
            "touchpoints",
            {
                "touched_at": [instant(h) for h, *_ in touches],
                "person_id": [p for _, p, *_ in touches],
                "account_id": [a if p is None else None for _, p, _, _, _, a in touches],
                "anonymous_id": [
                    "v" if p is None and a is None else None for _, p, _, _, _, a in touches
                ],
                "channel": [c for _, _, c, *_ in touches],
                "campaign_id": [c for _, _, _, c, _, _ in touches],
                "session_id": [s for *_, s, _ in touches],
                "is_sales": [c == "sales" for _, _, c, *_ in touches],
            },
        ),
        "orders": build(
            "orders",
            {
                "order_id": [f"o{i}" for i in range(len(orders))],
                "ordered_at": [instant(h) for h, _, _ in orders],
                "person_id": [p for _, p, _ in orders],
                "amount": [float(a) for _, _, a in orders],
                "gross_margin": [0.5] * len(orders),
                "margin_is_ratio": [True] * len(orders),
            },
        ),
        "spend": build(
            "spend",
            {
                "date": [START + dt.timedelta(days=d) for d, *_ in spend],
                "channel": [c for _, c, *_ in spend],
                "campaign_id": [c for _, _, c, *_ in spend],
                "cost": [float(x) for _, _, _, x, _, _ in spend],
                "impressions": [i for *_, i, _ in spend],
                "clicks": [c for *_, c in spend],
            },
        ),
        "conversions": build(
            "conversions",
            {
                "conversion_id": [f"c{i}" for i in range(len(convs))],
                "converted_at": [instant(h) for h, _, _ in convs],
                "person_id": [p for _, p, _ in convs],
                "conversion_type": [k for *_, k in convs],
                "value": [10.0] * len(convs),
            },
        ),
        "opportunities": build(
            "opportunities",
            {
                "opportunity_id": [f"op{i}" for i in range(len(opps))],
                "account_id": [a for a, *_ in opps],
                "created_at": [instant(h) for _, h, *_ in opps],
                "amount": [float(x) for _, _, x, *_ in opps],
                "stage": ["s"] * len(opps),
                "closed_at": [None if c is None else instant(h + c) for _, h, _, c, _, _ in opps],
                "is_won": [w for *_, w, _ in opps],
                "source": [s for *_, s in opps],
            },
        ),
        "subscriptions": build(
            "subscriptions",
            {
                "subscription_id": [f"s{i}" for i in range(len(subs))],
                "account_id": [a for a, *_ in subs],
                "started_at": [instant(h) for _, h, _, _ in subs],
                "mrr": [float(m) for _, _, m, _ in subs],
                "ended_at": [None if e is None else instant(max(e, h)) for _, h, _, e in subs],
            },
        ),
        "surveys": build(
            "surveys",
            {
                "response_id": [f"r{i}" for i in range(len(surveys))],
                "answered_at": [instant(h) for h, *_ in surveys],
                "survey_type": [k for _, k, _, _ in surveys],
                "score": [float(s * 2 if k == "nps" else s) for _, k, s, _ in surveys],
                "person_id": [p for *_, p in surveys],
            },
        ),
    }


def run(
    data: dict[str, pa.Table],
    measures: tuple[str, ...],
    by: tuple[str, ...],
    period: Any,
    model: Any = "last",
) -> tuple[dict[Any, dict[str, float | None]], dict[str, float | None]]:
    window = Window(START, END)
    ctx = FactContext(Tables(data), "Europe/Paris", model=model, lookback_days=30, as_of=END)
    query = KpiQuery(measures, by, period, window)
    results = []
    for p in plan(ctx, query):
        rows = p.rows.to_pyarrow().to_pylist() if p.rows is not None else None
        total = p.total.to_pyarrow().to_pylist()[0] if p.total is not None else None
        results.append(FactResult(p.measures, rows, total, p.applicable))
    keys = list(by) + (["period_start"] if period else [])
    return merge(results, keys, all_periods(START, END, period))


MEASURES = tuple(dict.fromkeys(p for m in KPI_METRICS for p in METRICS[m].parts))
#: Measures summed over any slice (distinct counts excluded; stock measures are additive
#: over parties and channels but not over periods).
ADDITIVE = tuple(m for m in MEASURES if METRICS[m].kind == "additive")
STOCK = tuple(m for m in MEASURES if METRICS[m].kind == "stock")
RATIOS = tuple(m for m in KPI_METRICS if METRICS[m].kind in ("ratio", "derived"))


def close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # shrinking these joins is slow
)
@given(
    datasets(),
    st.sampled_from(DIMENSIONS),
    st.sampled_from([None, "month", "week"]),
    st.sampled_from(CREDIT_MODELS),
)
def test_totals_are_the_sum_of_rows_and_ratios_the_ratio_of_sums(
    data: dict[str, pa.Table], dim: str, period: Any, model: Any
) -> None:
    rows, totals = run(data, MEASURES, (dim,), period, model)
    sums: dict[str, float | None] = {}
    for measure in MEASURES:
        values = [parts[measure] for parts in rows.values()]
        if not values or any(v is None for v in values):  # not sliceable by this dimension
            assert all(v is None for v in values), measure
            continue
        sums[measure] = sum(v for v in values if v is not None)
        if measure in ADDITIVE or (measure in STOCK and period is None):
            assert close(sums[measure], totals[measure]), (measure, dim, period, model)
    for metric in RATIOS:
        m = METRICS[metric]
        if all(p in sums for p in m.parts) and not any(p in STOCK for p in m.parts if period):
            parts = {p: sums[p] for p in m.parts}
            assert close(m.value(parts), evaluate([m], totals)[metric]), metric
    # and a no-dimension, no-period query gives the same totals
    _, plain = run(data, MEASURES, (), None, model)
    assert all(close(plain[m], totals[m]) for m in MEASURES), dim


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # shrinking these joins is slow
)
@given(datasets(), st.sampled_from(DIMENSIONS), st.randoms(use_true_random=False))
def test_row_order_does_not_matter(data: dict[str, pa.Table], dim: str, rnd: random.Random) -> None:
    shuffled = {
        name: table.take(pa.array(rnd.sample(range(table.num_rows), table.num_rows), pa.int64()))
        for name, table in data.items()
    }
    for model in ("last", "position"):
        rows, totals = run(data, MEASURES, (dim,), "month", model)
        rows2, totals2 = run(shuffled, MEASURES, (dim,), "month", model)
        assert rows.keys() == rows2.keys()
        for key, parts in rows.items():
            assert all(close(parts[m], rows2[key][m]) for m in MEASURES), (key, model)
        assert all(close(totals[m], totals2[m]) for m in MEASURES), model
