"""Mix model results kept with the workspace's model: the CLI saves the summary it prints,
read back without a refit; missing or mismatched results say how to fit; the background
fit's prepared job and runner (one at a time, failures reported)."""

from __future__ import annotations

import contextlib
import datetime
import io
import json
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from pilotage.data.workspace import open_workspace
from pilotage.errors import NotFoundError, UsageError, WorkspaceLockedError
from pilotage.interfaces.cli.main import main
from pilotage.services.budget_plan import model_path
from pilotage.services.mmm import workspace_weekly
from pilotage.services.mmm_results import (
    FIT_FIX,
    FitRunner,
    prepare_fit,
    result_path,
    saved_result,
)
from pilotage.services.workspaces import analytics, metadata

TINY = ["--draws", "10", "--warmup", "10", "--chains", "1"]


def build_workspace(root: Path, weeks: int = 32) -> Path:
    """Weekly spend on search and social and new people (leads) that follow it."""
    rng = np.random.default_rng(1)
    start = datetime.date(2025, 1, 6)
    spend, people = ["date,channel,campaign_id,cost"], ["person_id,created_at"]
    for w in range(weeks):
        day = start + datetime.timedelta(weeks=w)
        search, social = 2000 + 1500 * np.sin(w / 3) + 500 * rng.random(), 1000 + 800 * rng.random()
        spend += [f"{day},search,gs,{search:.2f}", f"{day},social,so,{social:.2f}"]
        for _ in range(int(30 + search / 200 + social / 400 + rng.normal(0, 2))):
            created = day + datetime.timedelta(days=int(rng.integers(0, 7)))
            people.append(f"p{len(people)},{created} 10:00")
    assert main(["init", str(root)]) == 0
    for table, rows in (("spend", spend), ("people", people)):
        path = root.parent / f"{table}.csv"
        path.write_text("\n".join(rows) + "\n", encoding="utf-8")
        assert main(["load", table, str(path), "--workspace", str(root)]) == 0
    return root


@pytest.fixture(scope="module")
def fitted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    root = build_workspace(tmp_path_factory.mktemp("mmm-results") / "ws")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["mmm", "fit", "--workspace", str(root), *TINY, "--format", "json"]) == 0
    return root, json.loads(out.getvalue())


def test_the_cli_saves_the_result_it_prints(fitted: tuple[Path, dict[str, Any]]) -> None:
    root, printed = fitted
    saved = saved_result(open_workspace(root))
    assert saved.result.model_dump(mode="json") == printed
    assert saved.target == "leads" and saved.result.kpi == "conversions"
    age = datetime.datetime.now(datetime.UTC) - saved.fitted_at
    assert datetime.timedelta(0) <= age < datetime.timedelta(minutes=10)
    assert [c.channel for c in saved.result.channels] == ["search", "social"]
    # ten draws of one chain cannot converge: the result says so
    assert saved.result.diagnostics.status == "unreliable"


def test_no_model_or_no_results_say_how_to_fit(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    assert main(["init", str(root)]) == 0
    ws = open_workspace(root)
    with pytest.raises(NotFoundError, match="no mix model is saved") as err:
        saved_result(ws)
    assert err.value.fix == FIT_FIX
    model_path(ws).parent.mkdir()
    model_path(ws).write_text("{}", encoding="utf-8")
    with pytest.raises(NotFoundError, match="has no stored results") as err:
        saved_result(ws)
    assert "POST /api/v1/mmm/fit" in str(err.value)
    result_path(ws).write_text("not json", encoding="utf-8")
    with pytest.raises(UsageError, match="cannot read the mix model results"):
        saved_result(ws)


def test_results_of_another_fit_are_refused(
    fitted: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    root, _ = fitted
    copy = tmp_path / "ws"
    assert main(["init", str(copy)]) == 0
    ws = open_workspace(copy)
    model_path(ws).parent.mkdir()
    result_path(ws).write_bytes(result_path(open_workspace(root)).read_bytes())
    model_path(ws).write_bytes(model_path(open_workspace(root)).read_bytes() + b" ")
    with pytest.raises(NotFoundError, match="belong to another fit"):
        saved_result(ws)


def test_prepare_fit_refuses_bad_settings_and_short_history(
    fitted: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    root, _ = fitted
    ws = open_workspace(root)
    with analytics(ws) as store:
        weekly = workspace_weekly(store, ws.settings)
    with metadata(ws) as meta, pytest.raises(UsageError, match="draws and warmup must be >= 10"):
        prepare_fit(ws, weekly, meta, target="leads", draws=5)
    short = build_workspace(tmp_path / "short", weeks=12)
    sws = open_workspace(short)
    with analytics(sws) as store:
        few = workspace_weekly(store, sws.settings)
    with metadata(sws) as meta, pytest.raises(UsageError, match="needs at least 20") as err:
        prepare_fit(sws, few, meta, target="leads")
    assert err.value.fix and "load more history" in err.value.fix


def test_runner_runs_one_fit_at_a_time_and_reports_failures() -> None:
    runner = FitRunner()
    assert runner.status().state == "idle"
    release = threading.Event()
    done = threading.Event()

    def slow() -> None:
        release.wait(10)
        done.set()

    started = runner.start(slow, draws=10, warmup=10, chains=1)
    assert started.state == "running" and started.draws == 10
    with pytest.raises(WorkspaceLockedError, match="already running"):
        runner.start(slow, draws=10, warmup=10, chains=1)
    release.set()
    assert done.wait(10)
    _wait(runner)
    assert runner.status().state == "succeeded" and runner.status().error is None

    def broken() -> None:
        raise UsageError("no spend", fix="load spend")

    runner.start(broken, draws=10, warmup=10, chains=1)
    _wait(runner)
    status = runner.status()
    assert (status.state, status.error, status.fix) == ("failed", "no spend", "load spend")

    def crash() -> None:
        raise RuntimeError("sampler blew up")

    runner.start(crash, draws=10, warmup=10, chains=1)
    _wait(runner)
    assert runner.status().error == "RuntimeError: sampler blew up"


def _wait(runner: FitRunner) -> None:
    for _ in range(200):
        if runner.status().state != "running":
            return
        threading.Event().wait(0.05)
    raise AssertionError("the job did not finish")
