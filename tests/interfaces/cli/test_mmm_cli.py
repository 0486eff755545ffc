"""``budget optimize`` on a saved model, and ``mmm fit`` refusing bad input (no sampling)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from pilotage.interfaces.cli.main import main

_HERE = Path(__file__).parents[2] / "core" / "mmm" / "test_optimizer.py"
_spec = importlib.util.spec_from_file_location("mmm_optimizer_tests", _HERE)
assert _spec is not None and _spec.loader is not None
_mod = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_mod)
posterior = _mod.posterior


def test_budget_optimize_prints_the_split_and_the_moves(tmp_path, capsys):
    path = tmp_path / "model.json"
    path.write_text(posterior().to_json(), encoding="utf-8")
    args = ["budget", "optimize", "--model", str(path), "--total", "400000"]
    args += ["--bounds", "video=10000:90000", "--format", "json"]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert round(sum(c["optimal"] for c in out["channels"]), 2) == 400000
    video = next(c for c in out["channels"] if c["channel"] == "video")
    assert 10000 <= video["optimal"] <= 90000
    assert out["expected_ci_low"] <= out["expected"] <= out["expected_ci_high"]
    assert all(m.startswith("move ") for m in out["moves"])


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--bounds", "tv=0:1"], "unknown channels"),
        (["--bounds", "video=abc"], "bad bound"),
    ],
)
def test_budget_optimize_bad_input_exits_2(tmp_path, capsys, extra, message):
    path = tmp_path / "model.json"
    path.write_text(posterior().to_json(), encoding="utf-8")
    assert main(["budget", "optimize", "--model", str(path), "--total", "1000", *extra]) == 2
    assert message in capsys.readouterr().err


def test_mmm_fit_names_the_bad_file_line_and_column(tmp_path, capsys):
    data = tmp_path / "weekly.csv"
    data.write_text("week,revenue,search\n2024-01-01,100,10\n2024-01-08,x,-3\n", encoding="utf-8")
    args = ["mmm", "fit", "--data", str(data), "--date-col", "week", "--target", "revenue"]
    assert main([*args, "--channels", "search,social"]) == 2
    assert "social" in capsys.readouterr().err
    assert main([*args, "--channels", "search"]) == 2
    err = capsys.readouterr().err
    assert "line 3, column 'revenue'" in err and "negative spend" in err
    assert main(["mmm", "fit", "--data", str(data)]) == 2
    assert "--date-col" in capsys.readouterr().err
