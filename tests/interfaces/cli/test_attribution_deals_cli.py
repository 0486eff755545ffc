"""pilotage attribution-deals and pilotage attribution --stage: JSON, CSV and errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pilotage.interfaces.cli.main import main

DEALS = Path(__file__).parents[2] / "fixtures" / "attribution" / "deals"
TABLES = ("accounts", "campaigns", "people", "touchpoints", "opportunities")
KEYS = {"model", "total_conversions", "total_value", "unattributed", "channels"}


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> str:
    root = tmp_path_factory.mktemp("deals-cli") / "ws"
    assert main(["init", str(root)]) == 0
    for name in TABLES:
        assert main(["load", name, str(DEALS / f"{name}.csv"), "--workspace", str(root)]) == 0
    return str(root)


def run_json(capsys, *args: str) -> dict:
    assert main([*args, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_deals_json_reconciles_to_the_crm(ws, capsys):
    doc = run_json(capsys, "attribution-deals", "--model", "position", "--workspace", ws)
    assert doc["model"] == "position" and doc["stage"] == "opportunity"
    deals = {d["opportunity_id"]: d for d in doc["deals"]}
    assert {c["channel"]: c["value"] for c in deals["o1"]["channels"]} == pytest.approx(
        {"paid_search": 400.0, "email": 200.0, "webinars": 400.0}
    )
    assert deals["o3"]["unattributed"] == 400.0 and deals["o3"]["channels"] == []
    rec = doc["reconciliation"]
    assert (rec["crm_total"], rec["unattributed"], rec["reconciled"]) == (2000.0, 400.0, True)
    assert rec["credited_total"] == pytest.approx(1600.0)
    assert {d["definition"] for d in doc["sourcing"]["definitions"]} == {
        "field",
        "first_touch",
        "pre_sales",
        "influenced",
    }


def test_deals_csv_and_won_stage(ws, capsys):
    args = ["attribution-deals", "--model", "last", "--stage", "won", "--workspace", ws]
    assert main([*args, "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == ["opportunity_id,account_id,amount,channel,value", "o1,A1,1000.0,sales,1000.0"]
    assert (
        main(["attribution-deals", "--model", "linear", "--workspace", ws, "--format", "csv"]) == 0
    )
    assert "o3,A3,400.0,unattributed,400.0" in capsys.readouterr().out


def test_stage_option_keeps_the_attribution_shape_and_adds_sourcing(ws, capsys):
    args = ["attribution", "--level", "account", "--stage", "mql", "--workspace", ws]
    doc = run_json(capsys, *args, "--model", "linear")
    assert set(doc) >= KEYS and doc["source"]["conversion_types"] == ["mql"]
    assert doc["total_conversions"] == 2.0
    assert doc["sourcing"]["pipeline_created"] == 2000.0
    both = run_json(capsys, *args)  # --model all
    assert all(set(m) >= KEYS for m in both["models"]) and both["sourcing"]


def test_errors_exit_2(ws, capsys):
    assert main(["attribution", "--stage", "mql", "--workspace", ws]) == 2
    assert "--level account" in capsys.readouterr().err
    assert main(["attribution", "--level", "account", "--stage", "lead", "--workspace", ws]) == 2
    assert main(["attribution-deals", "--model", "magic", "--workspace", ws]) == 2
    assert main(["attribution-deals", "--stage", "mql", "--workspace", ws]) == 2
