"""The journey expressions are engine-neutral: funnels (every order mode, a breakdown,
an exclusion), paths and retention give DuckDB's numbers on Spark (local mode) on the
small demo company."""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterator
from pathlib import Path

import ibis.expr.types as ir
import pytest

from pilotage.core.attribution import journeys as jn
from pilotage.core.journey import funnel as fx
from pilotage.core.journey import paths as px
from pilotage.core.journey import retention as rx
from pilotage.core.journey.funnel_spec import Exclusion, FunnelSpec, FunnelStep
from pilotage.core.journey.steps import parse_matcher
from pilotage.data.engines import EngineSettings
from pilotage.data.store import AnalyticsStore
from pilotage.data.workspace import ANALYTICS_FILE
from pilotage.services.tables import StoredTables

pytestmark = [pytest.mark.spark, pytest.mark.slow]
ZONE = "Europe/Paris"
END = datetime.datetime(2026, 10, 31, 23, 59, tzinfo=datetime.UTC)
DAY = 86_400


@pytest.fixture(scope="module")
def duck(small_demo: Path) -> Iterator[StoredTables]:
    with AnalyticsStore.open(small_demo / ANALYTICS_FILE, read_only=True) as store:
        yield StoredTables(store)


@pytest.fixture(scope="module")
def on_spark(duck: StoredTables, spark_demo: EngineSettings) -> StoredTables:
    return StoredTables(duck.store, spark_demo)


def rows(
    tables: StoredTables, build: object, keys: list[str]
) -> dict[tuple[str, ...], dict[str, object]]:
    expr: ir.Table = build(tables)  # type: ignore[operator]
    out = {}
    for r in tables.rows(expr):
        key = tuple(str(r[k]) for k in keys)
        assert key not in out, key
        out[key] = {k: v for k, v in r.items() if k not in keys}
    return out


def same(a: object, b: object) -> bool:
    if a is None or b is None:
        return a is b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-6)
    return str(a) == str(b)


def check(duck: StoredTables, on_spark: StoredTables, build: object, keys: list[str]) -> int:
    expected, got = rows(duck, build, keys), rows(on_spark, build, keys)
    assert expected, "nothing to compare"
    assert got.keys() == expected.keys()
    for key, values in expected.items():
        for name, value in values.items():
            assert same(got[key][name], value), (key, name, got[key][name], value)
    return len(expected)


def funnel(order: str, **kw: object) -> FunnelSpec:
    events = ("touch:form_submit", "conversion:lead", "stage:mql", "stage:sql")
    steps = tuple(FunnelStep(parse_matcher(e)) for e in events)
    if order == "ordered":
        steps = (*steps[:2], FunnelStep(steps[2].matcher, max_gap=60 * DAY), steps[3])
    return FunnelSpec(steps, order=order, window=180 * DAY, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "spec",
    [
        funnel(
            "ordered",
            breakdown="first_touch",
            exclusions=(Exclusion(parse_matcher("touch:sales_call"), 2, 3),),
        ),
        funnel("strict", breakdown="segment"),
        funnel("any", level="account", breakdown="tier"),
    ],
    ids=["ordered", "strict", "any"],
)
def test_funnels_give_duckdb_numbers_on_spark(
    duck: StoredTables, on_spark: StoredTables, spec: FunnelSpec
) -> None:
    n = len(spec.steps)

    def owners(tables: StoredTables) -> ir.Table:
        return fx.funnel_owners(tables, spec, END, ZONE, tables.dialect)

    check(duck, on_spark, lambda t: fx.step_counts(owners(t), n, by_group=True), ["grp"])
    check(duck, on_spark, lambda t: fx.trend(owners(t), n, "quarter"), ["period_start"])


def test_paths_give_duckdb_numbers_on_spark(duck: StoredTables, on_spark: StoredTables) -> None:
    spec = px.PathSpec(parse_matcher("stage:customer"), steps=4)
    encoding_of: dict[str, jn.Encoding] = {}

    def patterns(tables: StoredTables) -> ir.Table:
        path_rows = px.path_rows(tables, spec, ZONE, tables.dialect)
        if "e" not in encoding_of:
            labels = sorted(str(r["label"]) for r in tables.rows(px.labels(path_rows)))
            encoding_of["e"] = jn.Encoding(tuple(labels), 0, spec.steps + 1, with_ages=False)
        return jn.path_patterns(path_rows, encoding_of["e"])

    words = ["length", *(f"w{k}" for k in range(1))]
    assert check(duck, on_spark, patterns, words) > 10
    check(duck, on_spark, lambda t: px.lengths(px.path_rows(t, spec, ZONE, t.dialect)), ["length"])
    event = parse_matcher("conversion:signup")
    check(
        duck, on_spark, lambda t: px.step_view(t, spec, event, "next", ZONE, t.dialect), ["label"]
    )


def test_retention_gives_duckdb_numbers_on_spark(
    duck: StoredTables, on_spark: StoredTables
) -> None:
    spec = rx.RetentionSpec(
        parse_matcher("conversion:signup"), parse_matcher("product"), periods=6, rows="period"
    )

    def members(tables: StoredTables) -> ir.Table:
        return rx.members(tables, spec, END, ZONE, tables.dialect)

    def act(tables: StoredTables) -> ir.Table:
        return rx.activity(tables, spec, members(tables), tables.dialect)

    check(duck, on_spark, lambda t: rx.horizons(members(t)), ["row", "horizon"])
    check(duck, on_spark, lambda t: rx.lasts(act(t)), ["row", "last", "horizon"])
    check(duck, on_spark, lambda t: rx.active(act(t), 6), ["row", "period"])
    money = rx.RetentionSpec(
        parse_matcher("stage:customer"),
        parse_matcher("product"),
        level="account",
        measure="revenue",
        revenue_source="subscriptions",
        rows="tier",
    )
    check(
        duck,
        on_spark,
        lambda t: rx.revenue(t, money, rx.members(t, money, END, ZONE, t.dialect), t.dialect),
        ["row", "period", "horizon"],
    )
