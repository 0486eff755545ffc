"""``pilotage audit``: one JSON document, CSV and table forms, exit code 0 with findings."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from pilotage.core.metrics.registry import METRICS
from pilotage.data.schema import TABLES
from pilotage.interfaces.cli.main import main

CHECK_KEYS = {
    "id",
    "table",
    "title",
    "applicable",
    "count",
    "affected_share",
    "measure",
    "weight",
    "points",
    "severity",
    "explanation",
    "fix",
    "examples",
}


def test_the_json_document(small_workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The small workspace has spend but no campaigns: every euro lacks a campaign.
    assert main(["audit", "--workspace", str(small_workspace), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) == {"today", "currency", "freshness_days", "tables", "checks", "kpi_trust"}
    assert [t["table"] for t in doc["tables"]] == list(TABLES)
    assert set(doc["tables"][0]) == {"table", "rows", "score", "reasons", "summary"}
    assert all(set(c) == CHECK_KEYS for c in doc["checks"])
    assert set(doc["kpi_trust"]) == set(METRICS)
    spend = next(t for t in doc["tables"] if t["table"] == "spend")
    assert (spend["rows"], spend["score"]) == (4, 0.0)
    assert "100% of cost has no campaign" in spend["reasons"]
    unknown = next(c for c in doc["checks"] if c["id"] == "dq_spend_unknown_campaign")
    assert (unknown["count"], unknown["affected_share"], unknown["measure"]) == (4, 1.0, "cost")
    assert unknown["examples"][0] == "gs1: 2 rows, 200 EUR"
    assert doc["kpi_trust"]["cost"] == 0.0
    assert next(t for t in doc["tables"] if t["table"] == "surveys")["score"] is None
    assert doc["freshness_days"]["spend"] == 7


def test_csv_has_one_row_per_check(
    small_workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", "-w", str(small_workspace), "-f", "csv", "--lang", "fr"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows[0]["table"] == "spend" and rows[0]["table_score"] == "0.0"
    unknown = next(r for r in rows if r["check"] == "dq_spend_unknown_campaign")
    assert unknown["title"] == "Dépenses sur une campagne inconnue"
    assert unknown["count"] == "4"


def test_the_table_for_people(small_workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "-w", str(small_workspace)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Trust score by table")
    assert "Findings" in out and "Spend with an unknown campaign" in out
    assert main(["audit", "-w", str(small_workspace), "--lang", "fr"]) == 0
    assert "Score de confiance par table" in capsys.readouterr().out


def test_no_workspace_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "-w", str(tmp_path / "nowhere"), "-f", "json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "error:" in captured.err
