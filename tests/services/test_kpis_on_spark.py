"""A workspace whose ``[engine]`` is Spark computes its KPIs there, with DuckDB's numbers."""

from __future__ import annotations

import datetime
import math
from dataclasses import replace
from pathlib import Path

import pytest

from pilotage.data.engines import EngineSettings
from pilotage.data.workspace import open_workspace
from pilotage.services.kpis import kpi_table
from pilotage.services.workspaces import analytics

#: One metric or more of every fact, ratios included.
METRICS = ["cost", "roas", "cac_blended", "cpl", "win_rate", "nrr", "nps", "visitors"]


def same(a: object, b: object) -> bool:
    if a is None or b is None:
        return a is b
    assert isinstance(a, int | float) and isinstance(b, int | float), (a, b)
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)


@pytest.mark.spark
@pytest.mark.slow
def test_a_spark_workspace_gives_the_duckdb_kpis(
    small_demo: Path, spark_demo: EngineSettings
) -> None:
    workspace = open_workspace(small_demo)
    on_spark = replace(workspace.settings, engine=spark_demo)
    kwargs = {
        "metrics": METRICS,
        "by": ["channel"],
        "period": "quarter",
        "start": datetime.date(2025, 1, 1),
        "end": datetime.date(2026, 6, 30),
        "model": "time_decay",
    }
    with analytics(workspace) as store:
        duck = kpi_table(store, workspace.settings, **kwargs)  # type: ignore[arg-type]
        spark = kpi_table(store, on_spark, **kwargs)  # type: ignore[arg-type]
    key = ("channel", "period")
    expected = {tuple(r[k] for k in key): r for r in duck.rows}
    got = {tuple(r[k] for k in key): r for r in spark.rows}
    assert got.keys() == expected.keys()
    assert len(expected) > 20
    for row_key, row in expected.items():
        for metric in METRICS:
            assert same(got[row_key][metric], row[metric]), (row_key, metric)
    for metric in METRICS:
        assert duck.totals[metric] is not None, metric
        assert same(spark.totals[metric], duck.totals[metric]), metric
