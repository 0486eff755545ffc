"""pilotage alerts ... and pilotage committee ...: one JSON document with --format json,
exit code 2 and the fix on stderr for bad input."""

from __future__ import annotations

import datetime
import json
import shutil
from pathlib import Path

import pytest

from pilotage.core.monitoring.settings import MonitorSettings
from pilotage.data.workspace import open_workspace
from pilotage.interfaces.cli.main import main
from pilotage.services.alerts import store_changes
from pilotage.services.alerts_types import Candidate, Coverage, PacingView
from pilotage.services.workspaces import metadata


@pytest.fixture
def ws(small_workspace: Path, tmp_path: Path) -> Path:
    target = tmp_path / "ws"
    shutil.copytree(small_workspace, target)
    return target


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:  # type: ignore[type-arg]
    assert main([*args, "--format", "json"]) == 0, capsys.readouterr().err
    doc: dict = json.loads(capsys.readouterr().out)  # type: ignore[type-arg]
    return doc


def refused(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(list(args)) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    return captured.err


def seed_alert(root: Path) -> int:
    candidate = Candidate(
        rule="anomaly",
        kind="dip",
        metric_id="touches",
        dimension="channel",
        slice_value="paid_search",
        direction="down",
        since=datetime.date(2026, 4, 6),
        last_period=datetime.date(2026, 4, 6),
        expected=10.0,
        observed=2.0,
        change_abs=-8.0,
        change_rel=-0.8,
        score=-6.0,
        severity="critical",
    )
    with metadata(open_workspace(root)) as meta:
        run = store_changes(
            meta,
            [candidate],
            Coverage(start=None, end=None, scored=1, skipped=[], method=""),
            PacingView(
                month_start=None, as_of=None, currency="EUR", channels=[], undated_campaigns=0
            ),
            rules=MonitorSettings(),
            currency="EUR",
        )
    return run.opened[0].id


def test_alerts_run_prints_one_json_document(capsys: pytest.CaptureFixture[str], ws: Path) -> None:
    doc = run_json(capsys, "alerts", "run", "--no-deliver", "-w", str(ws))
    assert set(doc) >= {"opened", "updated", "resolved", "coverage", "pacing", "as_of"}
    # A month of data: every series is too short to judge, and the run says so.
    assert doc["coverage"]["scored"] == 0
    assert {s["reason"] for s in doc["coverage"]["skipped"]} >= {"too short"}


def test_list_show_ack_resolve(capsys: pytest.CaptureFixture[str], ws: Path) -> None:
    alert_id = seed_alert(ws)
    listed = run_json(capsys, "alerts", "list", "--state", "open", "-w", str(ws))
    assert [a["id"] for a in listed["alerts"]] == [alert_id]
    shown = run_json(capsys, "alerts", "show", str(alert_id), "--lang", "fr", "-w", str(ws))
    assert "en baisse de 80" in shown["summary"]
    acked = run_json(capsys, "alerts", "ack", str(alert_id), "--note", "vu", "-w", str(ws))
    assert acked["state"] == "acknowledged" and acked["acknowledged_by"].startswith("cli:")
    done = run_json(capsys, "alerts", "resolve", str(alert_id), "-w", str(ws))
    assert done["state"] == "resolved"
    assert main(["alerts", "list", "-w", str(ws)]) == 0
    assert "critical" in capsys.readouterr().out


def test_bad_alert_input(capsys: pytest.CaptureFixture[str], ws: Path) -> None:
    err = refused(capsys, "alerts", "ack", "999", "-w", str(ws))
    assert "no alert 999" in err and "Fix:" in err
    err = refused(capsys, "alerts", "list", "--state", "closed", "-w", str(ws))
    assert "unknown state 'closed'" in err
    err = refused(capsys, "alerts", "run", "--cpa-metric", "roi", "-w", str(ws))
    assert "not a cost per conversion" in err and "cpa_lead" in err
    err = refused(capsys, "alerts", "run", "--lookback-weeks", "400", "-w", str(ws))
    assert "lookback_weeks" in err
    err = refused(capsys, "alerts", "webhook-add", "ftp://x", "-w", str(ws))
    assert "not an http(s) URL" in err


def test_webhooks_and_deliveries(capsys: pytest.CaptureFixture[str], ws: Path) -> None:
    hook = run_json(capsys, "alerts", "webhook-add", "http://127.0.0.1:9/hook", "-w", str(ws))
    seed_alert(ws)
    waiting = run_json(capsys, "alerts", "deliveries", "--status", "pending", "-w", str(ws))
    assert [d["url"] for d in waiting["deliveries"]] == ["http://127.0.0.1:9/hook"]
    # Port 9 (discard) refuses: the delivery fails, is kept, and stderr says what to do.
    assert main(["alerts", "deliver", "--attempts", "1", "--timeout", "1", "-w", str(ws)]) == 0
    captured = capsys.readouterr()
    assert "Nothing is lost" in captured.err and "could not reach" in captured.err
    failed = run_json(capsys, "alerts", "deliveries", "--status", "failed", "-w", str(ws))
    assert len(failed["deliveries"]) == 1
    listed = run_json(capsys, "alerts", "webhooks", "-w", str(ws))
    assert [w["id"] for w in listed["webhooks"]] == [hook["id"]]
    run_json(capsys, "alerts", "webhook-remove", str(hook["id"]), "-w", str(ws))


def test_committee_workflow(capsys: pytest.CaptureFixture[str], ws: Path) -> None:
    made = run_json(capsys, "committee", "init", "--lang", "en", "-w", str(ws))
    assert [c["cadence"] for c in made["committees"]] == ["weekly", "monthly", "quarterly"]
    member = run_json(
        capsys, "committee", "member", "digital", "Claire Martin", "--role", "cmo", "-w", str(ws)
    )
    assert member["members"][0]["role"] == "cmo"
    decision = run_json(
        capsys,
        "committee",
        "decide",
        "digital",
        "Pause display",
        "--action",
        "Stop the flight|Julien|2026-05-01",
        "--action",
        "Report the saving|Claire|2026-05-15",
        "-w",
        str(ws),
    )
    assert [a["owner"] for a in decision["actions"]] == ["Julien", "Claire"]
    first = decision["actions"][0]["id"]
    done = run_json(capsys, "committee", "action-status", str(first), "done", "-w", str(ws))
    assert done["status"] == "done"
    actions = run_json(capsys, "committee", "actions", "--status", "open", "-w", str(ws))
    assert [a["title"] for a in actions["actions"]] == ["Report the saving"]
    log = run_json(capsys, "committee", "decisions", "-w", str(ws))
    assert log["decisions"][0]["committee"] == "digital"
    raci = run_json(capsys, "committee", "raci-set", "sea", "Léa", "accountable", "-w", str(ws))
    assert "sea" in raci["gaps"]
    agenda = run_json(
        capsys, "committee", "agenda", "--cadence", "monthly", "--period", "2026-03", "-w", str(ws)
    )
    assert agenda["period"] == "2026-03"
    assert agenda["sections"][0]["code"] == "objectives"
    assert main(["committee", "answer", "skills.seo", "3", "-w", str(ws)]) == 0
    health = run_json(capsys, "committee", "health", "-w", str(ws))
    seo = next(c for c in health["criteria"] if c["id"] == "skills.seo")
    assert (seo["score"], seo["source"]) == (75.0, "answer")


def test_bad_committee_input(capsys: pytest.CaptureFixture[str], ws: Path) -> None:
    err = refused(capsys, "committee", "decide", "board", "X", "-w", str(ws))
    assert "no committee 'board'" in err and "committee init" in err
    assert main(["committee", "init", "-w", str(ws)]) == 0
    capsys.readouterr()
    err = refused(
        capsys, "committee", "decide", "digital", "X", "--action", "only a title", "-w", str(ws)
    )
    assert "what|who|YYYY-MM-DD" in err
    err = refused(
        capsys, "committee", "decide", "digital", "X", "--action", "a|b|31/12/2026", "-w", str(ws)
    )
    assert "YYYY-MM-DD" in err
    err = refused(capsys, "committee", "answer", "skills.seo", "9", "-w", str(ws))
    assert "out of range" in err
    err = refused(capsys, "committee", "member", "digital", "A", "--role", "intern", "-w", str(ws))
    assert "unknown role 'intern'" in err
