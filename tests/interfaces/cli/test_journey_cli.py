"""pilotage funnel / paths / retention on the small interface workspace: one JSON document
on stdout, tables and CSV, a spec file, and bad input exiting 2 with the fix."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pilotage.interfaces.cli.main import main

STEPS = ["--step", "touch.channel:paid_search", "--step", "order", "--window", "7d"]


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    assert main(list(args)) == 0
    doc: dict[str, Any] = json.loads(capsys.readouterr().out)
    return doc


def test_funnel_json_and_table(capsys: pytest.CaptureFixture[str], small_workspace: Path) -> None:
    ws = str(small_workspace)
    doc = run_json(capsys, "funnel", *STEPS, "--by", "first_touch", "-w", ws, "--format", "json")
    total = doc["total"]
    assert total["entered"] == 2 and total["converted"] == 2
    assert [g["value"] for g in doc["groups"]] == ["paid_search"]
    assert main(["funnel", *STEPS, "-w", ws]) == 0
    table = capsys.readouterr().out
    assert "touch.channel:paid_search" in table and "conversion" in table


def test_funnel_spec_file(
    capsys: pytest.CaptureFixture[str], small_workspace: Path, tmp_path: Path
) -> None:
    spec = tmp_path / "funnel.json"
    spec.write_text(
        json.dumps({"steps": [{"event": "touch"}, {"event": "order", "max_gap": "2d"}]}),
        encoding="utf-8",
    )
    doc = run_json(capsys, "funnel", "--spec", str(spec), "-w", str(small_workspace), "-f", "json")
    assert doc["events"] == ["touch", "order"]
    spec.write_text(json.dumps({"steps": [{"event": "touch"}], "colour": 1}), encoding="utf-8")
    assert main(["funnel", "--spec", str(spec), "-w", str(small_workspace)]) == 2
    assert "funnel.json" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--step", "touch.channel:paid_serch", "--step", "order"], "did you mean 'paid_search'"),
        (["--step", "click:x", "--step", "order"], "unknown event source 'click'"),
        ([*STEPS, "--order", "sideways"], "order"),
        ([*STEPS, "--max-gap", "1=2d"], "names step 1"),
        ([*STEPS, "--filter", "segment"], "is not KEY=VALUE"),
    ],
)
def test_bad_funnels_exit_2_with_the_fix(
    capsys: pytest.CaptureFixture[str], small_workspace: Path, args: list[str], message: str
) -> None:
    assert main(["funnel", *args, "-w", str(small_workspace)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Fix:" in err


def test_paths_and_events(capsys: pytest.CaptureFixture[str], small_workspace: Path) -> None:
    ws = str(small_workspace)
    doc = run_json(
        capsys, "paths", "--target", "order", "--around", "order", "-w", ws, "-f", "json"
    )
    assert doc["converters"] == 3
    assert main(["paths", "--target", "order", "-w", ws, "-f", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "kind,rank,path,count,share"
    assert lines[1].startswith("conversion,1,touch.channel:paid_search,")
    events = run_json(capsys, "paths", "--events", "-w", ws, "-f", "json")
    assert events["events"]["order"] == []


def test_retention_csv_and_bad_mode(
    capsys: pytest.CaptureFixture[str], small_workspace: Path
) -> None:
    ws = str(small_workspace)
    args = ["--start-event", "touch", "--return-event", "order", "--unit", "day", "--periods", "2"]
    assert main(["retention", *args, "-w", ws, "-f", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "cohort,members,0,1,2"
    assert lines[-1].startswith("all,3,")
    assert main(["retention", *args, "--mode", "bracket", "-w", ws]) == 2
    assert "brackets" in capsys.readouterr().err
