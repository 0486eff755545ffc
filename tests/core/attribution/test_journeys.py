"""Workspace journeys: lookback, causality, stitching, milestones, null and empty paths;
the same path counts on Spark (local mode) as on DuckDB."""

from __future__ import annotations

import datetime as dt

import ibis
import numpy as np
import pyarrow as pa
import pytest

from pilotage.core.attribution.build import JourneySpec, deal_paths, workspace_paths
from pilotage.core.attribution.paths import LEAD, PathCounts
from pilotage.data.schema import TABLES, arrow_schema

T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
NAMES = ("touchpoints", "conversions", "people", "opportunities")


def day(n: float) -> dt.datetime:
    return T0 + dt.timedelta(days=n)


def table(name: str, columns: dict[str, list[object]]) -> pa.Table:
    schema = arrow_schema(TABLES[name])
    n = len(next(iter(columns.values()))) if columns else 0
    return pa.table({f.name: pa.array(columns.get(f.name, [None] * n), f.type) for f in schema})


def paths_of(counts: PathCounts, ages: bool = False) -> dict[str, tuple[float, float, float]]:
    """'a>b[lead]' (with ``ages``: 'a@3>b[lead]@0') -> (conversions, value, nulls), summed
    over paths that differ only in their touches' ages when these are not shown."""
    out: dict[str, tuple[float, float, float]] = {}
    for i in range(counts.n_paths):
        s, e = counts.offsets[i], counts.offsets[i + 1]
        names = [
            counts.channels[c] + ("[lead]" if st & LEAD else "")
            for c, st in zip(counts.touches[s:e], counts.stages[s:e], strict=True)
        ]
        if ages and counts.ages is not None:
            names = [f"{n}@{a:g}" for n, a in zip(names, counts.ages[s:e], strict=True)]
        conversions, value, nulls = out.get(">".join(names), (0.0, 0.0, 0.0))
        out[">".join(names)] = (
            conversions + counts.conversions[i],
            value + counts.value[i],
            nulls + counts.nulls[i],
        )
    return out


def small_tables() -> dict[str, pa.Table]:
    touches = {  # p1: anonymous search (stitched), email, conversion at day 10, late display
        "touched_at": [day(0), day(2), day(11), day(-200), day(5), day(6), day(1)],
        "channel": ["search", "email", "display", "social", "social", "sales", "video"],
        "person_id": [None, "p1", "p1", "p2", "p2", "p2", None],
        "anonymous_id": ["v1", "v1", None, None, None, None, "v9"],
        "is_sales": [False, False, False, False, False, True, False],
    }
    conversions = {
        "converted_at": [day(10), day(7), day(3)],
        "conversion_type": ["purchase", "purchase", "purchase"],
        "person_id": ["p1", "p2", "p3"],
        "value": [100.0, 50.0, 20.0],
    }
    people = {"person_id": ["p1", "p2", "p3"], "created_at": [day(2), day(5), day(3)]}
    return {
        "touchpoints": table("touchpoints", touches),
        "conversions": table("conversions", conversions),
        "people": table("people", people),
        "opportunities": table("opportunities", {}),
    }


def on_duckdb(data: dict[str, pa.Table]) -> tuple[dict[str, ibis.Table], ibis.BaseBackend]:
    con = ibis.duckdb.connect()
    con.raw_sql("SET TimeZone = 'UTC'")
    return {n: con.create_table(n, data[n]) for n in NAMES}, con


def test_lookback_causality_stitching_milestones_null_and_empty_paths():
    tables, con = on_duckdb(small_tables())
    counts = workspace_paths(tables, JourneySpec("person", ("purchase",)), con.to_pyarrow)
    assert paths_of(counts) == {
        "search>email[lead]": (1.0, 100.0, 0.0),  # display came after: never counts
        "social[lead]>sales": (1.0, 50.0, 0.0),  # the 200-day-old social touch is out
        "": (1.0, 20.0, 0.0),  # p3 converted with no touch: unattributed, not dropped
        "video": (0.0, 0.0, 1.0),  # a visitor never identified: non-converting
    }
    ages = dict(zip(paths_of(counts), np.split(counts.ages, counts.offsets[1:-1]), strict=True))
    assert ages["search>email[lead]"].tolist() == [10.0, 8.0]
    without_sales = workspace_paths(
        tables, JourneySpec("person", ("purchase",), include_sales=False), con.to_pyarrow
    )
    assert "social[lead]" in paths_of(without_sales)


def test_account_journeys_merge_people_and_keep_one_path_per_deal():
    data = small_tables()
    data["people"] = table(
        "people", {"person_id": ["p1", "p2"], "account_id": ["a", "a"], "created_at": [day(2)] * 2}
    )
    data["opportunities"] = table(
        "opportunities",
        {
            "opportunity_id": ["o1"],
            "account_id": ["a"],
            "created_at": [day(8)],
            "amount": [1000.0],
            "stage": ["open"],
        },
    )
    tables, con = on_duckdb(data)
    deals = deal_paths(tables, JourneySpec("account", ("opportunity",)), con.to_pyarrow)
    assert deals.deals == ("o1",)
    assert list(paths_of(deals.paths)) == ["search>email[lead]>social>sales"]
    assert deals.paths.value.tolist() == [1000.0]


def random_tables(seed: int = 5) -> dict[str, pa.Table]:
    rng = np.random.default_rng(seed)
    n, people = 2000, 150
    channels = ["paid_search", "email", "direct", "events", "sales"]
    person = rng.integers(0, people, n)
    anonymous = rng.random(n) < 0.3
    touches = {
        "touched_at": [day(float(d)) for d in rng.uniform(0, 200, n)],
        "channel": [channels[i] for i in rng.integers(0, len(channels), n)],
        "person_id": [None if a else f"p{p}" for a, p in zip(anonymous, person, strict=True)],
        "anonymous_id": [
            f"v{p}" if a or p % 2 else None for a, p in zip(anonymous, person, strict=True)
        ],
        "is_sales": (rng.random(n) < 0.1).tolist(),
    }
    m = 300
    conversions = {
        "converted_at": [day(float(d)) for d in rng.uniform(0, 220, m)],
        "conversion_type": [["purchase", "lead"][i] for i in rng.integers(0, 2, m)],
        "person_id": [f"p{p}" for p in rng.integers(0, people + 20, m)],
        "value": np.round(rng.gamma(2.0, 100.0, m), 2).tolist(),
    }
    people_cols = {
        "person_id": [f"p{p}" for p in range(people)],
        "account_id": [f"a{p % 40}" for p in range(people)],
        "created_at": [day(float(d)) for d in rng.uniform(0, 150, people)],
        "opportunity_at": [day(float(d)) if d < 120 else None for d in rng.uniform(0, 400, people)],
    }
    return {
        "touchpoints": table("touchpoints", touches),
        "conversions": table("conversions", conversions),
        "people": table("people", people_cols),
        "opportunities": table("opportunities", {}),
    }


# `spark`: the session-wide local Spark session of tests/conftest.py.


def on_spark_table(spark: ibis.BaseBackend, name: str, data: pa.Table) -> ibis.Table:
    """A Spark view of ``data`` loaded from Arrow. ``spark.create_table`` goes through pandas,
    where a null string becomes NaN and reaches Spark as the string 'NaN', not NULL."""
    spark._session.createDataFrame(data).createOrReplaceTempView(name)
    return spark.table(name)


@pytest.mark.spark
def test_spark_builds_the_duckdb_path_counts(spark):
    data = random_tables()
    duck, con = on_duckdb(data)
    on_spark = {n: on_spark_table(spark, n, data[n]) for n in NAMES}
    spec = JourneySpec("person", ("purchase",), lookback_days=30)
    expected = workspace_paths(duck, spec, con.to_pyarrow)
    got = workspace_paths(on_spark, spec, spark.to_pyarrow)
    assert expected.n_paths > 50
    assert got.channels == expected.channels
    want, have = paths_of(expected, ages=True), paths_of(got, ages=True)
    assert have.keys() == want.keys()
    for path, counts in want.items():
        assert have[path] == pytest.approx(counts), path
    assert sorted(got.ages.tolist()) == sorted(expected.ages.tolist())
