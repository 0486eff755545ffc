"""The KPI engine is engine-neutral: every fact's plan compiles for the target warehouses
with their own local-time function, and gives DuckDB's numbers on Spark (local mode) on the
demo company, under every rule model that changes it."""

from __future__ import annotations

import datetime
import functools
import math
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import ibis
import ibis.expr.types as ir
import pytest

from pilotage.core.kpis.credit import CreditModel
from pilotage.core.kpis.engine import FactPlan, KpiQuery, plan
from pilotage.core.kpis.facts.base import FactContext
from pilotage.core.kpis.measures import FACTS, MEASURE_FACT
from pilotage.core.kpis.periods import Dialect
from pilotage.data.engines import EngineSettings
from pilotage.data.schema import TABLES, arrow_schema
from pilotage.data.store import AnalyticsStore
from pilotage.data.workspace import ANALYTICS_FILE
from pilotage.services.tables import StoredTables

ZONE = "Europe/Paris"
MODELS: tuple[CreditModel, ...] = ("last", "linear", "time_decay")
#: The demo company's 24 months.
WINDOW_START, WINDOW_END = datetime.date(2024, 11, 1), datetime.date(2026, 10, 31)
#: Each engine's "UTC instant as wall-clock time in a zone".
LOCAL_TIME = {
    "duckdb": "TIMEZONE(",
    "postgres": "TIMEZONE(",
    "bigquery": "DATETIME(",
    "snowflake": "CONVERT_TIMEZONE(",
}


def measures_of(fact: str) -> tuple[str, ...]:
    return tuple(m for m, f in MEASURE_FACT.items() if f == fact)


def queries(fact: str) -> dict[str, KpiQuery]:
    from pilotage.core.kpis.window import Window

    window = Window(WINDOW_START, WINDOW_END)
    ms = measures_of(fact)
    return {
        "channel x month": KpiQuery(ms, ("channel",), "month", window),
        "segment x quarter": KpiQuery(ms, ("segment",), "quarter", window),
        "total": KpiQuery(ms, (), None, window),
    }


class AbstractTables:
    """Unbound tables with the canonical columns and the store's key: compile only."""

    def __getitem__(self, name: str) -> ir.Table:
        schema = ibis.Schema.from_pyarrow(arrow_schema(TABLES[name]))
        return ibis.table({**dict(schema.items()), "_key": "string"}, name=name)


def context(tables: object, dialect: Dialect, model: CreditModel = "last") -> FactContext:
    return FactContext(tables, ZONE, dialect=dialect, model=model, as_of=WINDOW_END)  # type: ignore[arg-type]


def expressions(plans: list[FactPlan]) -> Iterator[tuple[str, ir.Table]]:
    for p in plans:
        if p.rows is not None:
            yield "rows", p.rows
        if p.total is not None:
            yield "total", p.total


def model_matters(fact: str) -> bool:
    """True when the rule model changes the fact (it credits outcomes to touches)."""
    span = ((WINDOW_START, WINDOW_START, WINDOW_END),)
    last, linear = (
        FACTS[fact](replace(context(AbstractTables(), "duckdb", model), spans=span)).table
        for model in ("last", "linear")
    )
    return not last.equals(linear)


CASES = [
    pytest.param(fact, model, id=f"{fact}-{model}")
    for fact in FACTS
    for model in (MODELS if model_matters(fact) else MODELS[:1])
]


#: (model, query) pairs compiled: every model and every query shape once (compiling the
#: credited facts takes about a second each).
COMPILED = (
    ("last", "channel x month"),
    ("time_decay", "channel x month"),
    ("linear", "segment x quarter"),
    ("linear", "total"),
)


@functools.cache
def uses_local_time(fact: str) -> bool:
    """True when the fact turns UTC instants into local days (spend has dates already)."""
    plans = plan(context(AbstractTables(), "duckdb"), queries(fact)["total"])
    return any(
        LOCAL_TIME["duckdb"] in ibis.to_sql(e, dialect="duckdb").upper()
        for _, e in expressions(plans)
    )


@pytest.mark.parametrize("dialect", ["postgres", "bigquery", "snowflake"])
@pytest.mark.parametrize("fact", list(FACTS))
def test_every_fact_compiles_for_every_warehouse(fact: str, dialect: Dialect) -> None:
    for model, name in COMPILED:
        plans = plan(context(AbstractTables(), dialect, model), queries(fact)[name])
        compiled = [
            (kind, ibis.to_sql(e, dialect=dialect).upper()) for kind, e in expressions(plans)
        ]
        assert compiled, (fact, name)
        for kind, sql in compiled:
            assert "SELECT" in sql, (fact, name, kind)
            if uses_local_time(fact):
                assert LOCAL_TIME[dialect] in sql, (fact, name, kind)


def test_spend_and_overhead_need_no_local_time() -> None:
    assert not uses_local_time("spend") and not uses_local_time("overhead")
    assert uses_local_time("orders") and uses_local_time("retention")


def test_the_credited_facts_depend_on_the_model() -> None:
    credited = {fact for fact, _ in (c.values for c in CASES) if _ != "last"}
    assert {"orders", "customers", "conversions", "funnel", "opportunities_created"} <= credited
    assert "spend" not in credited


# -- Spark ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def duck_tables(small_demo: Path) -> Iterator[StoredTables]:
    with AnalyticsStore.open(small_demo / ANALYTICS_FILE, read_only=True) as store:
        yield StoredTables(store)


@pytest.fixture(scope="module")
def spark_tables(duck_tables: StoredTables, spark_demo: EngineSettings) -> StoredTables:
    tables = StoredTables(duck_tables.store, spark_demo)
    assert tables.dialect == "pyspark"
    assert all(tables.exists(name) for name in TABLES)
    return tables


Key = tuple[object, ...]


def records(tables: StoredTables, expr: ir.Table, keys: list[str]) -> dict[Key, dict[str, object]]:
    out: dict[Key, dict[str, object]] = {}
    for rec in tables.rows(expr):
        key = tuple(rec[k] for k in keys if k in rec)
        assert key not in out, key
        out[key] = {k: v for k, v in rec.items() if k not in keys}
    return out


def same(a: object, b: object) -> bool:
    if a is None or b is None:
        return a is b
    assert isinstance(a, int | float) and isinstance(b, int | float), (a, b)
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)


@pytest.mark.spark
@pytest.mark.slow
@pytest.mark.parametrize(("fact", "model"), CASES)
def test_spark_gives_the_duckdb_numbers_on_the_demo(
    fact: str, model: CreditModel, duck_tables: StoredTables, spark_tables: StoredTables
) -> None:
    compared = 0
    # The model changes only the credit: every query shape under last touch, the other
    # models on one shape (Spark's cost is per query, and the suite has a time budget).
    shapes = queries(fact).items()
    if model != "last":
        shapes = [(n, q) for n, q in shapes if n == "channel x month"]
    for name, query in shapes:
        keys = [*query.by, "period_start"] if query.period else list(query.by)
        local = plan(context(duck_tables, "duckdb", model), query)
        there = plan(context(spark_tables, "pyspark", model), query)
        for (kind, on_duck), (_, on_spark) in zip(
            expressions(local), expressions(there), strict=True
        ):
            expected = records(duck_tables, on_duck, keys if kind == "rows" else [])
            got = records(spark_tables, on_spark, keys if kind == "rows" else [])
            assert got.keys() == expected.keys(), (name, kind)
            assert expected, (name, kind)
            for key, values in expected.items():
                for measure, value in values.items():
                    assert same(got[key][measure], value), (name, kind, key, measure)
                    compared += 1
    assert compared >= len(measures_of(fact))
