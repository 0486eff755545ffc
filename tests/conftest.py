"""Fixtures shared across test folders: one local Spark session for the whole run (it takes
seconds to start) and a small demo company copied into it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pilotage.data.demo.config import DemoConfig
from pilotage.data.engines import EngineSettings, copy_tables, spark_session
from pilotage.data.store import AnalyticsStore
from pilotage.data.workspace import ANALYTICS_FILE

#: Smallest demo scale with every table populated (18 opportunities, 35 subscriptions,
#: 50 surveys, 150 orders, 10k touchpoints): Spark's cost here is per query, not per row.
SPARK_DEMO_SCALE = 0.01
#: The Spark database the small demo is copied to.
SPARK_DEMO_DATABASE = "pilotage_demo"


@pytest.fixture(scope="session")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """An Ibis backend on a local[2] Spark session, time zone UTC."""
    import ibis

    warehouse = tmp_path_factory.mktemp("spark-warehouse")
    session = spark_session(
        "local[2]",
        **{
            "spark.sql.warehouse.dir": str(warehouse),
            "spark.ui.enabled": "false",
            "spark.sql.shuffle.partitions": "2",
        },
    )
    session.sparkContext.setLogLevel("ERROR")
    yield ibis.pyspark.connect(session)
    session.stop()


@pytest.fixture(scope="session")
def small_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo company (24 months) at :data:`SPARK_DEMO_SCALE`; its workspace folder."""
    from pilotage.services.demo import build_demo

    root = tmp_path_factory.mktemp("small-demo")
    build_demo(root, DemoConfig(scale=SPARK_DEMO_SCALE))
    return root


@pytest.fixture(scope="session")
def spark_demo(spark: object, small_demo: Path) -> EngineSettings:
    """The small demo's tables copied to a Spark database; the engine settings reading it."""
    spark.create_database(SPARK_DEMO_DATABASE, force=True)  # type: ignore[attr-defined]
    with AnalyticsStore.open(small_demo / ANALYTICS_FILE, read_only=True) as store:
        copy_tables(store, spark, SPARK_DEMO_DATABASE)  # type: ignore[arg-type]
    return EngineSettings("pyspark", master="local[2]", database=SPARK_DEMO_DATABASE)
