"""pilotage accounts ...: lists (typed ids, CSV, is_target), goals, scores, weights, the
sales and marketing views and one account, each as one JSON document; bad input exits 2
with the fix on stderr and saves nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from pilotage.interfaces.cli.main import main

FIXTURES = Path(__file__).parents[2] / "fixtures" / "allbound"
TABLES = (
    "accounts",
    "campaigns",
    "people",
    "touchpoints",
    "product_events",
    "surveys",
    "opportunities",
    "conversions",
)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("accounts-cli") / "ws"
    assert main(["init", str(root)]) == 0
    for name in TABLES:
        assert main(["load", name, str(FIXTURES / f"{name}.csv"), "-w", str(root)]) == 0
    return root


@pytest.fixture
def ws(loaded: Path, tmp_path: Path) -> str:
    root = tmp_path / "ws"
    shutil.copytree(loaded, root)
    return str(root)


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    code = main([*args, "--format", "json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out)


def refused(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(list(args)) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    return captured.err


def test_a_list_with_unknown_accounts_is_refused_and_nothing_is_saved(
    ws: str, capsys: pytest.CaptureFixture[str]
) -> None:
    err = refused(
        capsys,
        "accounts",
        "list-create",
        "Key",
        "--sales-owner",
        "Sam",
        "--marketing-owner",
        "Mia",
        "--accounts",
        "A1,NOPE",
        "-a",
        "ZZ",
        "-w",
        ws,
    )
    assert "--accounts: 2 account id(s) not in the workspace's accounts table: NOPE, ZZ" in err
    assert "nothing was saved" in err and "Fix: load this account" in err
    assert run_json(capsys, "accounts", "lists", "-w", ws) == {"lists": []}


def test_lists_are_made_from_ids_a_csv_or_the_target_flag(
    ws: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    owners = ["--sales-owner", "Sam Sales", "--marketing-owner", "Mia Marketing"]
    made = run_json(
        capsys,
        "accounts",
        "list-create",
        "Key",
        *owners,
        "--from-targets",
        "--tier",
        "tier 1",
        "-w",
        ws,
    )
    assert made["account_ids"] == ["A1", "A4"] and made["sales_owner"] == "Sam Sales"
    csv = tmp_path / "more.csv"
    csv.write_text("name,account_id\nBeta,A2\nGhost,G1\n", encoding="utf-8")
    err = refused(capsys, "accounts", "list-add", "Key", "--csv", str(csv), "-w", ws)
    assert f"{csv}, line 3, column 'account_id'" in err and "(value 'G1')" in err
    csv.write_text("name,account_id\nBeta,A2\n", encoding="utf-8")
    added = run_json(capsys, "accounts", "list-add", "Key", "--csv", str(csv), "-w", ws)
    assert added["account_ids"] == ["A1", "A2", "A4"]
    err = refused(capsys, "accounts", "list-add", "Key", "-a", "A3", "--csv", str(csv), "-w", ws)
    assert "give the accounts one way" in err
    err = refused(capsys, "accounts", "list-add", "Key", "--tier", "tier 1", "-w", ws)
    assert "--tier goes with --from-targets" in err
    removed = run_json(capsys, "accounts", "list-remove", "1", "-a", "A4", "-w", ws)
    assert removed["account_ids"] == ["A1", "A2"]
    members = run_json(capsys, "accounts", "members", "Key", "-w", ws)
    assert members["account_ids"] == ["A1", "A2"]
    err = refused(capsys, "accounts", "list-delete", "Key", "-w", ws)
    assert "add --yes" in err
    assert run_json(capsys, "accounts", "list-delete", "Key", "--yes", "-w", ws)["id"] == 1
    err = refused(capsys, "accounts", "members", "Key", "-w", ws)
    assert "no target list 'Key'" in err


def test_goals_are_set_and_read_with_their_progress(
    ws: str, capsys: pytest.CaptureFixture[str]
) -> None:
    run_json(
        capsys,
        "accounts",
        "list-create",
        "Key",
        "--sales-owner",
        "S",
        "--marketing-owner",
        "M",
        "-a",
        "A1,A2,A4",
        "-w",
        ws,
    )
    goal = run_json(
        capsys,
        "accounts",
        "goal-set",
        "Key",
        "--metric",
        "meetings",
        "--period",
        "2026-Q1",
        "--target",
        "2",
        "-w",
        ws,
    )
    assert goal["period"] == "2026-Q1" and goal["unit"] == "count"
    err = refused(
        capsys,
        "accounts",
        "goal-set",
        "Key",
        "--metric",
        "engaged_coverage",
        "--period",
        "2026-Q1",
        "--target",
        "60",
        "-w",
        ws,
    )
    assert "above 1: a coverage is a share" in err and "0.6 for 60%" in err
    done = run_json(capsys, "accounts", "goals", "Key", "-w", ws)
    assert done["as_of"] == "2026-04-01"
    [meetings] = done["goals"]
    assert (meetings["actual"], meetings["status"], meetings["attainment"]) == (1.0, "missed", 0.5)
    assert main(["accounts", "goals", "Key", "-w", ws]) == 0
    table = capsys.readouterr().out
    assert "missed" in table and "as of 2026-04-01, 3 accounts" in table
    assert (
        main(
            [
                "accounts",
                "goal-delete",
                "Key",
                "--metric",
                "meetings",
                "--period",
                "2026-Q1",
                "-w",
                ws,
            ]
        )
        == 0
    )
    assert run_json(capsys, "accounts", "goals", "Key", "-w", ws)["goals"] == []


def test_scores_views_and_one_account_print_one_document(
    ws: str, capsys: pytest.CaptureFixture[str]
) -> None:
    run_json(
        capsys,
        "accounts",
        "list-create",
        "Key",
        "--sales-owner",
        "S",
        "--marketing-owner",
        "M",
        "-a",
        "A1,A2,A4",
        "-w",
        ws,
    )
    board = run_json(capsys, "accounts", "score", "--as-of", "2026-03-31", "-w", ws)
    assert [a["account_id"] for a in board["accounts"]] == ["A1", "A3", "A2", "A4"]
    assert round(board["accounts"][2]["score"], 9) == 4.0
    listed = run_json(capsys, "accounts", "score", "--list", "Key", "-w", ws)
    assert [a["account_id"] for a in listed["accounts"]] == ["A1", "A2", "A4"]
    assert main(["accounts", "score", "--top", "1", "--format", "csv", "-w", ws]) == 0
    csv_lines = capsys.readouterr().out.splitlines()
    assert csv_lines[0].startswith("account_id,name,tier") and len(csv_lines) == 2
    sales = run_json(capsys, "accounts", "sales", "Key", "-w", ws)
    assert [n["account_id"] for n in sales["next_best"]] == ["A2"]
    marketing = run_json(capsys, "accounts", "marketing", "Key", "--model", "last", "-w", ws)
    assert marketing["model"] == "last" and marketing["channels"][0]["channel"] == "email"
    err = refused(capsys, "accounts", "marketing", "Key", "--model", "magic", "-w", ws)
    assert "magic" in err
    account = run_json(capsys, "accounts", "show", "A1", "--limit", "2", "-w", ws)
    assert account["account"]["name"] == "Acme" and len(account["journey"]["events"]) == 2
    assert account["lists"] == [{"id": 1, "name": "Key"}]
    assert main(["accounts", "show", "A1", "-w", ws]) == 0
    text = capsys.readouterr().out
    assert "Acme (A1), tier 1, FR" in text and "email: pipeline 10,000" in text
    err = refused(capsys, "accounts", "show", "NOPE", "-w", ws)
    assert "no account 'NOPE' in the workspace" in err


def test_weights_are_shown_changed_and_reset(ws: str, capsys: pytest.CaptureFixture[str]) -> None:
    shown = run_json(capsys, "accounts", "weights", "-w", ws)
    assert shown["version"] is None and shown["history"] == []
    webinar = next(w for w in shown["weights"] if w["component"] == "webinar")
    assert webinar == {
        "component": "webinar",
        "name": "Webinar attended",
        "points": 10.0,
        "default": 10.0,
    }
    changed = run_json(
        capsys,
        "accounts",
        "weights-set",
        "--weight",
        "webinar=12,visit=0.5",
        "--weight",
        "event=20",
        "--half-life",
        "14",
        "--note",
        "Q2 plan",
        "-w",
        ws,
    )
    points = {w["component"]: w["points"] for w in changed["weights"]}
    assert (points["webinar"], points["visit"], points["event"]) == (12.0, 0.5, 20.0)
    assert changed["version"] == 1 and changed["half_life_days"] == 14.0
    assert changed["history"][0]["note"] == "Q2 plan"
    err = refused(capsys, "accounts", "weights-set", "--weight", "webinar:12", "-w", ws)
    assert "cannot read --weight 'webinar:12'" in err and "COMPONENT=POINTS" in err
    err = refused(capsys, "accounts", "weights-set", "--weight", "meeting=3", "-w", ws)
    assert "unknown engagement component 'meeting'" in err and "sales_meeting" in err
    err = refused(capsys, "accounts", "weights-set", "-w", ws)
    assert "no weight to change" in err
    reset = run_json(capsys, "accounts", "weights-set", "--reset", "-w", ws)
    assert reset["version"] == 2 and reset["half_life_days"] == 30.0
    assert main(["accounts", "weights", "-w", ws]) == 0
    assert "half-life 30 days, window 180 days, version 2" in capsys.readouterr().out


def test_every_accounts_command_is_listed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["accounts", "--help"]) == 0
    out = capsys.readouterr().out
    for command in ("lists", "list-create", "goal-set", "score", "weights-set", "show"):
        assert command in out
