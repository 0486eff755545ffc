"""Engagement's Ibis expressions are engine-neutral: on Spark (local mode) the small demo
gives DuckDB's active users, feature use and purchase/churn exposure counts."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path

import pytest

from pilotage.core.engagement import activity, triggers
from pilotage.data.engines import EngineSettings
from pilotage.data.store import AnalyticsStore
from pilotage.data.workspace import ANALYTICS_FILE
from pilotage.services.tables import StoredTables

pytestmark = [pytest.mark.spark, pytest.mark.slow]
AS_OF = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)


@pytest.fixture(scope="module")
def engines(small_demo: Path, spark_demo: EngineSettings) -> Iterator[list[StoredTables]]:
    with AnalyticsStore.open(small_demo / ANALYTICS_FILE, read_only=True) as store:
        yield [StoredTables(store), StoredTables(store, spark_demo)]


def _queries(t: StoredTables) -> dict[str, object]:
    act = activity.activity(t["product_events"], t["people"], "account", "Europe/Paris", t.dialect)
    outcomes = triggers.purchase_times(
        t["orders"], t["conversions"], t["subscriptions"], t["people"], "account"
    )
    bought = triggers.purchase_units(act, outcomes, 30, AS_OF)
    churned = triggers.churn_units(t["subscriptions"], 90, AS_OF)

    def keyed(rows: list[dict[str, object]], key: str) -> dict[object, dict[str, object]]:
        return {r[key]: r for r in rows}

    return {
        "monthly": keyed(t.rows(activity.actives_by(act, "month")), "period_start"),
        "features": keyed(t.rows(activity.feature_use(act)), "feature"),
        "purchase": keyed(t.rows(triggers.exposure_counts(act, bought)), "feature"),
        "churn": keyed(t.rows(triggers.exposure_counts(act, churned)), "feature"),
        "population": t.rows(triggers.population(churned)),
    }


def test_spark_gives_duckdbs_engagement_counts(engines: list[StoredTables]) -> None:
    duck, spark = engines
    assert spark.dialect == "pyspark"
    expected, got = _queries(duck), _queries(spark)
    assert expected["monthly"] and expected["churn"]
    assert got == expected
