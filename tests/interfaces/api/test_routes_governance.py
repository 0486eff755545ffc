"""/api/v1/alerts, /api/v1/committees, /api/v1/decisions, /api/v1/health-check, the alerts
and committee pages with their forms, and the agenda in the committee packs."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

import pytest

from pilotage.core.monitoring.settings import MonitorSettings
from pilotage.data.workspace import open_workspace
from pilotage.services.alerts import store_changes
from pilotage.services.alerts_types import Candidate, Coverage, PacingView
from pilotage.services.workspaces import metadata

if TYPE_CHECKING:
    from conftest import Server


def bearer(server: Server, role: str, scope: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {server.token(role, scope)}"}


@pytest.fixture(scope="module")
def alert_id(server: Server) -> int:
    candidate = Candidate(
        rule="anomaly",
        kind="shift",
        metric_id="sessions",
        dimension="channel",
        slice_value="organic_social",
        direction="down",
        since=datetime.date(2026, 1, 12),
        last_period=datetime.date(2026, 3, 30),
        expected=460.0,
        observed=310.0,
        change_abs=-150.0,
        change_rel=-0.326,
        score=-9.0,
        severity="warning",
    )
    with metadata(open_workspace(server.root)) as meta:
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


def test_alerts_api(server: Server, alert_id: int) -> None:
    client = server.client()
    read, write = bearer(server, "viewer", "read"), bearer(server, "cmo", "write")
    listed = client.get("/api/v1/alerts", headers=read, params={"state": "open"}).json()
    assert [a["id"] for a in listed["alerts"]] == [alert_id]
    one = client.get(f"/api/v1/alerts/{alert_id}", headers=read, params={"lang": "fr"}).json()
    assert "Sessions (canal organic_social) en baisse de 33" in one["summary"]
    assert client.post(f"/api/v1/alerts/{alert_id}/acknowledge", headers=read).status_code == 403
    acked = client.post(
        f"/api/v1/alerts/{alert_id}/acknowledge", headers=write, json={"note": "on it"}
    )
    assert acked.status_code == 200 and acked.json()["state"] == "acknowledged"
    missing = client.get("/api/v1/alerts/424242", headers=read)
    assert missing.status_code == 404 and missing.json()["fix"]
    bad = client.get("/api/v1/alerts", headers=read, params={"state": "closed"})
    assert bad.status_code == 400 and "use one of" in bad.json()["fix"]


def test_a_run_through_the_api(server: Server) -> None:
    response = server.client().post(
        "/api/v1/alerts/run",
        headers=bearer(server, "marketing", "write"),
        json={"deliver": False, "cpa_metrics": ["cpa"]},
    )
    assert response.status_code == 200, response.text
    assert response.json()["coverage"]["scored"] == 0
    refused = server.client().post(
        "/api/v1/alerts/run",
        headers=bearer(server, "marketing", "write"),
        json={"cpa_metrics": ["roi"]},
    )
    assert refused.status_code == 400 and "not a cost per conversion" in refused.json()["message"]


def test_webhooks_are_for_admins(server: Server) -> None:
    client = server.client()
    body = {"url": "https://hooks.example.com/x"}
    assert (
        client.post("/api/v1/alerts/webhooks", headers=bearer(server, "cmo", "write"), json=body)
    ).status_code == 403
    admin = bearer(server, "admin", "admin")
    made = client.post("/api/v1/alerts/webhooks", headers=admin, json=body)
    assert made.status_code == 201
    hook_id = made.json()["id"]
    assert client.get("/api/v1/alerts/webhooks", headers=admin).json()["webhooks"][0]["id"] == (
        hook_id
    )
    gone = client.delete("/api/v1/alerts/webhooks", headers=admin, params={"webhook_id": hook_id})
    assert gone.status_code == 200
    assert client.get("/api/v1/alerts/deliveries", headers=admin).status_code == 200


def test_committees_decisions_and_health(server: Server) -> None:
    client = server.client()
    write, read = bearer(server, "cmo", "write"), bearer(server, "sales", "read")
    made = client.post("/api/v1/committees/standard", headers=write, params={"lang": "en"})
    digital = next(c for c in made.json()["committees"] if c["name"] == "digital")
    member = client.post(
        f"/api/v1/committees/{digital['id']}/members",
        headers=write,
        json={"name": "Sofia", "role": "sales"},
    )
    assert member.json()["members"][0]["role"] == "sales"
    decision = client.post(
        "/api/v1/decisions",
        headers=write,
        json={
            "committee_id": digital["id"],
            "title": "Shift 5% of display to search",
            "actions": [{"title": "Edit caps", "owner": "Léa", "due_date": "2026-05-01"}],
        },
    )
    assert decision.status_code == 201, decision.text
    action = decision.json()["actions"][0]
    done = client.post(
        f"/api/v1/decisions/actions/{action['id']}/status", headers=write, json={"status": "done"}
    )
    assert done.json()["status"] == "done"
    log = client.get("/api/v1/decisions", headers=read).json()
    assert log["decisions"][0]["title"] == "Shift 5% of display to search"
    one = client.get(f"/api/v1/decisions/{decision.json()['id']}", headers=read)
    assert one.json()["actions"][0]["status"] == "done"
    agenda = client.get(
        f"/api/v1/committees/{digital['id']}/agenda", headers=read, params={"period": "2026-03"}
    ).json()
    assert agenda["cadence"] == "monthly" and agenda["period"] == "2026-03"
    weekly = client.get("/api/v1/agenda/weekly", headers=read).json()
    assert [s["code"] for s in weekly["sections"]] == ["objectives", "alerts", "pacing", "actions"]
    raci = client.put(
        "/api/v1/raci", headers=write, json={"domain": "seo", "person": "Léa", "level": "owner"}
    )
    assert raci.status_code == 400 and "RACI" in raci.json()["message"]
    answered = client.post(
        "/api/v1/health-check/answers",
        headers=write,
        json={"question": "skills.data", "score": 2},
    )
    assert answered.status_code == 201
    skills = next(c for c in answered.json()["criteria"] if c["id"] == "skills.data")
    assert (skills["score"], skills["source"]) == (50.0, "answer")
    assert client.get("/api/v1/committees/424242", headers=read).status_code == 404


def test_the_alerts_page_and_its_forms(server: Server, alert_id: int) -> None:
    cmo = server.signed_in("cmo")
    page = cmo.get("/alerts", params={"lang": "en"})
    assert page.status_code == 200
    assert f'data-alert="{alert_id}"' in page.text and "organic_social" in page.text
    csrf = server.csrf_in(page.text)
    moved = cmo.post(
        f"/alerts/{alert_id}/resolve", params={"lang": "en"}, data={"csrf_token": csrf}
    )
    assert moved.status_code == 303
    after = cmo.get(moved.headers["location"]).text
    assert "Saved." in after and 'id="resolved-alerts"' in after
    forged = cmo.post(f"/alerts/{alert_id}/reopen", data={"csrf_token": "forged"})
    assert forged.status_code == 403
    viewer = server.signed_in("viewer").get("/alerts").text
    assert "/acknowledge" not in viewer and "/alerts/run" not in viewer
    assert server.signed_in("viewer").get("/api/v1/views/alerts").status_code == 200


def test_the_committee_page_and_its_forms(server: Server) -> None:
    cmo = server.signed_in("cmo")
    page = cmo.get("/committee", params={"lang": "fr", "cadence": "quarterly"})
    assert page.status_code == 200
    assert 'data-section="health"' in page.text and "Ordre du jour" in page.text
    assert "/api/v1/reports/monthly?period=" in page.text
    csrf = server.csrf_in(page.text)
    refused = cmo.post(
        "/committee/decisions",
        params={"lang": "en"},
        data={"csrf_token": csrf, "committee_id": "1", "title": "X", "action_title": "Do it"},
    )
    assert refused.status_code == 400
    assert "the action needs a title, an owner and a due date" in refused.text
    saved = cmo.post(
        "/committee/health",
        params={"lang": "en"},
        data={"csrf_token": csrf, "question": "skills.email", "score": "4"},
    )
    assert saved.status_code == 303
    assert cmo.get("/committee?cadence=yearly").status_code == 400
    twin = cmo.get("/api/v1/views/committee", params={"cadence": "weekly"}).json()
    assert twin["agenda"]["cadence"] == "weekly" and twin["packs"]


def test_the_monthly_pack_carries_the_agenda(server: Server) -> None:
    pack = server.client().get(
        "/api/v1/reports/monthly",
        headers=bearer(server, "viewer", "read"),
        params={"format": "html", "lang": "en"},
    )
    assert pack.status_code == 200
    assert "<h2>Agenda</h2>" in pack.text
    assert 'data-section="reallocation"' in pack.text
    assert "Initiatives awaiting a decision" in pack.text
