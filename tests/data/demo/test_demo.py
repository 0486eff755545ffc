"""The demo company: schemas, determinism, causal ordering, integrity and ground truth."""

from __future__ import annotations

import datetime as dt
import json
import time

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from pilotage.core.channels import DEFAULT_RULES, classify
from pilotage.data.demo import DemoCompany, DemoConfig, generate
from pilotage.data.schema import TABLES, arrow_schema

SMALL = DemoConfig(seed=7, months=12, scale=0.05)


@pytest.fixture(scope="module")
def demo() -> DemoCompany:
    return generate(SMALL)


def test_every_table_has_the_canonical_schema(demo: DemoCompany) -> None:
    assert set(demo.tables) == set(TABLES)
    for name, table in demo.tables.items():
        expected = arrow_schema(TABLES[name])
        head = pa.schema(list(table.schema)[: len(expected)])
        assert head.equals(expected), name
        extras = list(table.schema)[len(expected) :]
        assert all(f.type == pa.string() for f in extras), name
        assert len(extras) <= 2, name
        assert table.num_rows > 0, name
        for column in TABLES[name].required:
            assert table[column].null_count == 0, (name, column)


def test_same_seed_same_data_other_seed_other_data(demo: DemoCompany) -> None:
    again = generate(SMALL)
    for name, table in demo.tables.items():
        assert table.equals(again.tables[name]), name
    assert json.dumps(demo.ground_truth, sort_keys=True) == json.dumps(
        again.ground_truth, sort_keys=True
    )
    other = generate(DemoConfig(seed=8, months=12, scale=0.05))
    assert not other.tables["touchpoints"].equals(demo.tables["touchpoints"])


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"months": 2}, "months"),
        ({"months": 121}, "months"),
        ({"scale": 0}, "scale"),
        ({"scale": 101}, "scale"),
        ({"seed": -1}, "seed"),
    ],
)
def test_config_is_validated(kwargs: dict[str, float], field: str) -> None:
    with pytest.raises(ValueError, match=field):
        DemoConfig(**kwargs)  # type: ignore[arg-type]


def test_period_is_full_months_ending_at_end_date(demo: DemoCompany) -> None:
    cfg = demo.ground_truth["config"]
    assert cfg["start_date"] == "2025-11-01" and cfg["end_date"] == "2026-10-31"
    t = demo.tables["touchpoints"]["touched_at"]
    end = pa.scalar(dt.datetime(2026, 11, 1, tzinfo=dt.UTC), pa.timestamp("us", tz="UTC"))
    assert pc.max(t).as_py() < end.as_py()


def test_first_touch_precedes_leads_and_purchases(demo: DemoCompany) -> None:
    touches = demo.tables["touchpoints"].to_pandas()
    # Stitch anonymous touches to people through identification touches (both ids set).
    link = touches.dropna(subset=["person_id", "anonymous_id"])
    link = link.drop_duplicates("anonymous_id").set_index("anonymous_id")["person_id"]
    person = touches["person_id"].fillna(touches["anonymous_id"].map(link))
    first = touches.assign(person=person).groupby("person")["touched_at"].min()
    conv = demo.tables["conversions"].to_pandas()
    conv = conv[conv.conversion_type.isin(["lead", "signup", "purchase"])]
    assert conv.person_id.notna().all()
    firsts = conv.person_id.map(first)
    assert firsts.notna().all()
    assert (firsts < conv.converted_at).all()


def test_funnel_timestamps_are_ordered(demo: DemoCompany) -> None:
    p = demo.tables["people"].to_pandas()
    for a, b in (("created_at", "mql_at"), ("mql_at", "sql_at"), ("sql_at", "opportunity_at")):
        both = p[[a, b]].dropna()
        assert (both[a] < both[b]).all(), (a, b)


def test_referential_integrity(demo: DemoCompany) -> None:
    t = demo.tables
    accounts = set(t["accounts"]["account_id"].to_pylist())
    people = set(t["people"]["person_id"].to_pylist())
    campaigns = set(t["campaigns"]["campaign_id"].to_pylist())
    for name, column, known in (
        ("people", "account_id", accounts),
        ("opportunities", "account_id", accounts),
        ("subscriptions", "account_id", accounts),
        ("touchpoints", "campaign_id", campaigns),
        ("spend", "campaign_id", campaigns),
        ("touchpoints", "person_id", people),
        ("conversions", "person_id", people),
        ("orders", "person_id", people),
        ("product_events", "person_id", people),
        ("surveys", "person_id", people),
    ):
        values = set(t[name][column].drop_null().to_pylist())
        assert values <= known, (name, column, sorted(values - known)[:3])


def test_money_and_costs_are_non_negative(demo: DemoCompany) -> None:
    for name, spec in TABLES.items():
        for column in spec.columns:
            if column.nonnegative and column.type in ("money", "int", "float"):
                values = demo.tables[name][column.name]
                assert (pc.min(values).as_py() or 0) >= 0, (name, column.name)
    assert pc.min(demo.tables["costs"]["amount"]).as_py() >= 0
    scores = demo.tables["surveys"]["score"]
    assert pc.min(scores).as_py() >= 0 and pc.max(scores).as_py() <= 10


def test_source_medium_classify_to_their_channel(demo: DemoCompany) -> None:
    for name in ("touchpoints", "spend"):
        rows = demo.tables[name].select(["source", "medium", "channel"]).to_pylist()
        triples = {(r["source"], r["medium"], r["channel"]) for r in rows}
        result = classify(DEFAULT_RULES, [(s, m, "") for s, m, _ in triples])
        for s, m, ch in triples:
            assert result.channels[(s.lower(), m.lower(), "")] == ch, (s, m, ch)


def test_sales_touches_are_flagged(demo: DemoCompany) -> None:
    t = demo.tables["touchpoints"]
    sales = pc.equal(t["channel"], "sales")
    assert pc.all(pc.equal(sales, t["is_sales"])).as_py()


def test_ground_truth_is_json_and_complete(demo: DemoCompany) -> None:
    truth = json.loads(json.dumps(demo.ground_truth, sort_keys=True))
    for key in (
        "units",
        "demand_model",
        "algorithm_change",
        "media_response",
        "channels",
        "attribution",
        "weekly",
        "initiatives",
        "funnel",
        "revenue",
        "product",
        "surveys",
        "experiments",
        "costs",
    ):
        assert key in truth, key
    for channel in ("paid_search", "paid_social", "display", "video", "events", "webinars"):
        media = truth["media_response"][channel]
        assert {"adstock", "saturation", "beta_identifications_per_week"} <= set(media)
        assert {"roas", "roi", "spend_eur", "realised_incremental_revenue_eur"} <= set(
            truth["channels"][channel]
        )
    assert set(truth["initiatives"]) == {"INIT-LYON", "INIT-WEBINAR"}
    assert {"alpha", "beta"} <= set(truth["revenue"]["churn"])
    assert {"r", "alpha_weeks", "a", "b"} <= set(truth["revenue"]["repeat_purchases"])
    srm = [e for e in truth["experiments"].values() if e["sample_ratio_mismatch"]]
    assert len(srm) == 1 and len(truth["experiments"]) >= 3


def test_algorithm_change_cuts_organic_social() -> None:
    company = generate(DemoConfig(seed=3, months=12, scale=0.2))
    change = dt.date.fromisoformat(company.ground_truth["algorithm_change"]["date"])
    t = company.tables["touchpoints"]
    rows = t.filter(pc.equal(t["channel"], "organic_social")).filter(
        pc.not_equal(
            t.filter(pc.equal(t["channel"], "organic_social"))["touch_type"], "form_submit"
        )
    )
    days = pc.cast(rows["touched_at"], pa.date32()).to_pylist()
    start = dt.date.fromisoformat(company.ground_truth["config"]["start_date"])
    end = dt.date.fromisoformat(company.ground_truth["config"]["end_date"])
    before = sum(d < change for d in days) / ((change - start).days / 7)
    after = sum(d >= change for d in days) / ((end - change).days / 7)
    assert after < 0.75 * before


@pytest.mark.slow
def test_scale_one_volumes_and_time() -> None:
    started = time.perf_counter()
    company = generate(DemoConfig())
    elapsed = time.perf_counter() - started
    assert elapsed < 60
    targets = {
        "accounts": 2_000,
        "people": 50_000,
        "touchpoints": 1_000_000,
        "opportunities": 3_000,
        "product_events": 300_000,
        "surveys": 5_000,
        "conversations": 2_000,
    }
    for name, target in targets.items():
        rows = company.tables[name].num_rows
        assert 0.8 * target <= rows <= 1.2 * target, (name, rows)
