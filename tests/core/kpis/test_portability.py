"""The KPI expressions are engine-neutral: they compile for every target warehouse and give
the same numbers on Spark (local mode) as on DuckDB."""

from __future__ import annotations

import datetime as dt
import math

import ibis
import numpy as np
import pyarrow as pa
import pytest

from pilotage.core.kpis.channel_roi import Window, cost_and_revenue, last_touch_orders
from pilotage.core.kpis.periods import Dialect
from pilotage.data.schema import TABLES, arrow_schema

CHANNELS = ["paid_search", "email", "events", "direct", "paid_social"]
ZONE = "Europe/Paris"


def sample_tables(seed: int = 3) -> dict[str, pa.Table]:
    """Random spend, touches and orders over two months around a DST change (29 March)."""
    rng = np.random.default_rng(seed)
    start = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)

    def instants(n: int) -> list[dt.datetime]:
        return [start + dt.timedelta(seconds=int(s)) for s in rng.integers(0, 61 * 86400, n)]

    spend = {
        "date": [dt.date(2026, 3, 1) + dt.timedelta(days=int(d)) for d in rng.integers(0, 61, 120)],
        "channel": [CHANNELS[i] for i in rng.integers(0, 3, 120)],
        "campaign_id": [f"c{i}" for i in rng.integers(0, 9, 120)],
        "cost": np.round(rng.gamma(2.0, 50.0, 120), 2).tolist(),
    }
    touches = {
        "touched_at": instants(1500),
        "channel": [CHANNELS[i] for i in rng.integers(0, len(CHANNELS), 1500)],
        "person_id": [f"p{i}" for i in rng.integers(0, 200, 1500)],
        "campaign_id": [f"c{i}" for i in rng.integers(0, 9, 1500)],
    }
    orders = {
        "order_id": [f"o{i}" for i in range(300)],
        "ordered_at": instants(300),
        "amount": np.round(rng.gamma(2.0, 300.0, 300), 2).tolist(),
        "person_id": [f"p{i}" for i in rng.integers(0, 260, 300)],  # some have no touch
    }

    def build(name: str, columns: dict[str, list[object]]) -> pa.Table:
        schema = arrow_schema(TABLES[name])
        n = len(next(iter(columns.values())))
        return pa.table({f.name: pa.array(columns.get(f.name, [None] * n), f.type) for f in schema})

    return {
        "spend": build("spend", spend),
        "touchpoints": build("touchpoints", touches),
        "orders": build("orders", orders),
    }


def kpi_expression(tables: dict[str, ibis.Table], dialect: Dialect) -> ibis.Table:
    revenue = last_touch_orders(tables["orders"], tables["touchpoints"], lookback_days=30)
    return cost_and_revenue(
        tables["spend"], revenue, ["channel", "campaign_id"], "month", ZONE, Window(), dialect
    )


def rows(table: pa.Table) -> dict[tuple[object, ...], tuple[float, float]]:
    return {
        (r["channel"], r["campaign_id"], r["period_start"]): (r["cost"], r["revenue"])
        for r in table.to_pylist()
    }


# Spark's compiler needs a live session: Spark is covered by running the query below.
@pytest.mark.parametrize("dialect", ["postgres", "bigquery", "snowflake"])
def test_kpi_query_compiles_for_every_target(dialect):
    tables = {
        name: ibis.table(ibis.Schema.from_pyarrow(arrow_schema(TABLES[name])), name=name)
        for name in ("spend", "touchpoints", "orders")
    }
    sql = ibis.to_sql(kpi_expression(tables, dialect), dialect=dialect)
    assert "ROW_NUMBER" in sql.upper()


# `spark`: the session-wide local Spark session of tests/conftest.py.


@pytest.mark.spark
def test_spark_gives_the_duckdb_numbers(spark):
    data = sample_tables()
    duck = ibis.duckdb.connect()
    duck.raw_sql("SET TimeZone = 'UTC'")
    on_duck = {n: duck.create_table(n, t) for n, t in data.items()}
    on_spark = {n: spark.create_table(n, t, overwrite=True) for n, t in data.items()}
    expected = rows(duck.to_pyarrow(kpi_expression(on_duck, "duckdb")))
    got = rows(spark.to_pyarrow(kpi_expression(on_spark, "pyspark")))
    assert got.keys() == expected.keys()
    assert len(expected) > 20
    for key, (cost, revenue) in expected.items():
        assert math.isclose(got[key][0], cost, rel_tol=1e-9, abs_tol=1e-9), key
        assert math.isclose(got[key][1], revenue, rel_tol=1e-9, abs_tol=1e-9), key
