"""``[engine]`` in pilotage.toml: where a workspace's KPI queries run."""

from __future__ import annotations

import pytest

from pilotage.data.engines import EngineSettings
from pilotage.data.settings import (
    WorkspaceSettings,
    read_settings,
    render_settings,
    settings_from_dict,
)
from pilotage.errors import ConfigError


def test_duckdb_is_the_default_and_is_not_written_out():
    settings = settings_from_dict({}, "pilotage.toml")
    assert settings.engine == EngineSettings()
    assert settings.engine.dialect == "duckdb"
    assert "[engine]" not in render_settings(settings)


@pytest.mark.parametrize(
    "engine",
    [
        EngineSettings("pyspark", master="spark://spark.example:7077", database="marketing"),
        EngineSettings("postgres", url="postgresql://bi@db.example/warehouse", database="mkt"),
    ],
)
def test_an_engine_reads_back_identically(tmp_path, engine):
    path = tmp_path / "pilotage.toml"
    path.write_text(render_settings(WorkspaceSettings(engine=engine)), encoding="utf-8")
    back = read_settings(path)
    assert back.engine == engine
    assert back.engine.dialect == engine.backend


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"backend": "oracle"}, "backend 'oracle' is unknown"),
        ({"backend": "postgres"}, "needs a url"),
        ({"backend": "pyspark", "cluster": "x"}, "unknown setting"),
        ("pyspark", "must be a table"),
    ],
)
def test_bad_engine_settings_name_the_file_and_the_problem(raw, message):
    with pytest.raises(ConfigError) as info:
        settings_from_dict({"engine": raw}, "ws/pilotage.toml")
    assert message in str(info.value)
    assert "ws/pilotage.toml" in str(info.value)
