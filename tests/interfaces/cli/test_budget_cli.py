"""``budget optimize`` and ``budget curves``, on a model file or the workspace's model."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from pilotage.data.workspace import open_workspace
from pilotage.interfaces.cli.main import main
from pilotage.services.budget_plan import save_model

_HERE = Path(__file__).parents[2] / "core" / "mmm" / "test_optimizer.py"
_spec = importlib.util.spec_from_file_location("mmm_optimizer_tests", _HERE)
assert _spec is not None and _spec.loader is not None
_mod = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_mod)
posterior = _mod.posterior


@pytest.fixture
def model_file(tmp_path: Path) -> Path:
    path = tmp_path / "model.json"
    path.write_text(posterior().to_json(), encoding="utf-8")
    return path


def test_budget_optimize_prints_the_split_and_the_moves(model_file: Path, capsys) -> None:
    # the current total (recent spend over 13 weeks): the moves only shift budget
    args = ["budget", "optimize", "--model", str(model_file), "--total", "429000"]
    args += ["--bounds", "video=10000:90000", "--format", "json"]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert round(sum(c["optimal"] for c in out["channels"]), 2) == 429000
    video = next(c for c in out["channels"] if c["channel"] == "video")
    assert 10000 <= video["optimal"] <= 90000
    assert (video["low"], video["high"]) == (10000, 90000)
    assert out["expected_ci_low"] <= out["expected"] <= out["expected_ci_high"]
    assert out["moves"] and all(m.startswith("move ") for m in out["moves"])
    assert out["current_total"] == 429000 and out["gain"] > 0


def test_the_table_lists_the_moves_in_the_asked_language(model_file: Path, capsys) -> None:
    args = ["budget", "optimize", "--model", str(model_file), "--total", "429000"]
    assert main([*args, "--lang", "fr"]) == 0
    out = capsys.readouterr().out
    assert "channel" in out and "optimal" in out
    assert "expected revenue:" in out and "80 % interval" in out
    assert "\n- déplacer " in out


def test_budget_optimize_uses_the_workspace_model(tmp_path: Path, capsys) -> None:
    root = tmp_path / "ws"
    assert main(["init", str(root)]) == 0
    capsys.readouterr()
    assert main(["budget", "optimize", "-w", str(root), "--total", "1000"]) == 2
    err = capsys.readouterr().err
    assert "no mix model is saved" in err and "pilotage mmm fit --workspace" in err
    save_model(open_workspace(root), posterior())
    args = ["budget", "optimize", "-w", str(root), "--target-roi", "1", "--format", "json"]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["target_roi"] == 1 and out["expected_roi"] >= 1 - 1e-3
    assert main(["budget", "curves", "-w", str(root), "--points", "3", "-f", "csv"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == "channel,spend,outcome,outcome_ci_low,outcome_ci_high"
    assert len(lines) == 1 + 3 * 3


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--total", "1000", "--bounds", "tv=0:1"], "unknown channels ['tv']"),
        (["--total", "1000", "--bounds", "video=abc"], "bad bound 'video=abc'"),
        (["--total", "1000", "--bounds", "video=1:2", "--bounds", "video=3:4"], "bounded twice"),
        (["--total", "-1000"], "positive amount"),
        (["--total", "1000", "--bounds", "video=5000:"], "bounds allow"),
        ([], "give a total budget or a target ROI"),
    ],
)
def test_budget_optimize_bad_input_exits_2(model_file: Path, capsys, extra, message) -> None:
    assert main(["budget", "optimize", "--model", str(model_file), *extra]) == 2
    assert message in capsys.readouterr().err


def test_a_missing_model_file_is_named(tmp_path: Path, capsys) -> None:
    missing = tmp_path / "nope.json"
    assert main(["budget", "optimize", "--model", str(missing), "--total", "1"]) == 2
    assert f"cannot read model file {missing}" in capsys.readouterr().err
