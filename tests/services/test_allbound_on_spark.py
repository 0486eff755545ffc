"""A Spark workspace reads accounts' engagement and goal actuals with DuckDB's numbers:
the allbound expressions are set-based Ibis (windows of instants, no as-of joins)."""

from __future__ import annotations

import datetime
import math
from dataclasses import replace
from pathlib import Path

import pytest

from pilotage.data.engines import EngineSettings
from pilotage.data.workspace import open_workspace
from pilotage.services.allbound_goals import goal_actuals
from pilotage.services.allbound_scores import account_activity, activity_as_of
from pilotage.services.workspaces import analytics


@pytest.mark.spark
@pytest.mark.slow
def test_a_spark_workspace_gives_the_duckdb_engagement_and_goals(
    small_demo: Path, spark_demo: EngineSettings
) -> None:
    workspace = open_workspace(small_demo)
    on_spark = replace(workspace.settings, engine=spark_demo)
    with analytics(workspace) as store:
        day = activity_as_of(store, workspace.settings, datetime.date(2030, 1, 1))
        assert activity_as_of(store, on_spark, datetime.date(2030, 1, 1)) == day
        duck = account_activity(store, workspace.settings, day, 30.0, 180)
        spark = account_activity(store, on_spark, day, 30.0, 180)
        members = tuple(sorted(duck.accounts))
        start = datetime.date(2026, 4, 1)
        duck_goals = goal_actuals(store, workspace.settings, members, start, day)
        spark_goals = goal_actuals(store, on_spark, members, start, day)
    assert duck.accounts == spark.accounts and len(duck.activity) > 5
    assert duck.activity.keys() == spark.activity.keys()
    for account, parts in duck.activity.items():
        assert parts.keys() == spark.activity[account].keys(), account
        for name, got in parts.items():
            other = spark.activity[account][name]
            assert got.count == other.count, (account, name)
            assert math.isclose(got.decayed, other.decayed, rel_tol=1e-9), (account, name)
            assert math.isclose(
                got.decayed_before, other.decayed_before, rel_tol=1e-9, abs_tol=1e-12
            )
    assert duck.open_now == spark.open_now
    assert duck_goals.values.keys() == spark_goals.values.keys()
    for metric, value in duck_goals.values.items():
        assert math.isclose(value, spark_goals.values[metric], rel_tol=1e-9), metric
    assert duck_goals.values["meetings"] > 0
