"""pilotage attribution: the JSON contract, CSV, errors and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pilotage.interfaces.cli.main import main

FIXTURES = Path(__file__).parents[2] / "fixtures" / "attribution"
KEYS = {"model", "total_conversions", "total_value", "unattributed", "channels"}
CHANNEL_KEYS = {"channel", "conversions", "value", "share", "ci_low", "ci_high"}


def run_json(capsys, *args: str) -> dict:
    assert main(["attribution", *args, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_one_model_json_shape(capsys):
    doc = run_json(capsys, "--model", "markov", "--paths", str(FIXTURES / "worked_example.csv"))
    assert set(doc) >= KEYS and set(doc["unattributed"]) == {"conversions", "value"}
    assert all(set(c) >= CHANNEL_KEYS for c in doc["channels"])
    got = {c["channel"]: c["conversions"] for c in doc["channels"]}
    assert got == pytest.approx({"A": 2.0, "B": 1.0})
    assert doc["channels"][0]["ci_low"] is None


def test_all_models_with_bootstrap(capsys):
    doc = run_json(
        capsys,
        "--model",
        "all",
        "--paths",
        str(FIXTURES / "paths.csv"),
        "--bootstrap",
        "50",
        "--seed",
        "1",
    )
    assert [m["model"] for m in doc["models"]][:2] == ["first", "last"]
    assert all(set(m) >= KEYS for m in doc["models"])
    assert all(c["ci_low"] is not None for m in doc["models"] for c in m["channels"])
    again = run_json(
        capsys,
        "--model",
        "all",
        "--paths",
        str(FIXTURES / "paths.csv"),
        "--bootstrap",
        "50",
        "--seed",
        "1",
    )
    assert again == doc


def test_csv_and_options(capsys):
    args = ["attribution", "--model", "markov", "--order", "2", "--ignore-nulls"]
    assert main([*args, "--paths", str(FIXTURES / "paths.csv"), "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "model,channel,conversions,value,share,ci_low,ci_high"
    custom = ["--model", "custom", "--weights", "first=0.5,last=0.5"]
    assert main(["attribution", *custom, "--paths", str(FIXTURES / "paths.csv")]) == 0


def test_without_paths_a_workspace_with_no_conversions_exits_2(tmp_path, capsys):
    assert main(["init", str(tmp_path)]) == 0
    assert main(["attribution", "--model", "first", "--workspace", str(tmp_path)]) == 2
    assert "no conversions" in capsys.readouterr().err


def test_bad_file_and_bad_model_exit_2(tmp_path, capsys):
    bad = tmp_path / "p.csv"
    bad.write_text("path,total_conversions\na,-1\n", encoding="utf-8")
    assert main(["attribution", "--paths", str(bad)]) == 2
    assert "line 2, column 'total_conversions'" in capsys.readouterr().err
    assert main(["attribution", "--model", "magic", "--paths", str(bad)]) == 2
    assert (
        main(["attribution", "--model", "time_decay", "--paths", str(FIXTURES / "paths.csv")]) == 2
    )
    assert "touch_ages" in capsys.readouterr().err
