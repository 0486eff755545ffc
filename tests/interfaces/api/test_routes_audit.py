"""GET /api/v1/data-audit and the data page's audit: read permission, restricted users
refused (the audit covers every row), the same result as the CLI, scores on the page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pilotage.core.metrics.registry import METRICS
from pilotage.data.schema import TABLES
from pilotage.data.workspace import open_workspace
from pilotage.services import accounts
from pilotage.services.workspaces import metadata

if TYPE_CHECKING:
    from conftest import Server

PATH = "/api/v1/data-audit"


def restricted_user(server: Server) -> str:
    """A viewer restricted to France (signs in as role 'restricted'); its read token."""
    email = server.email_of("restricted")
    with metadata(open_workspace(server.root)) as meta:
        if not any(u.email == email for u in accounts.list_users(meta).users):
            accounts.add_user(
                meta,
                email,
                "viewer",
                server.password_of("restricted"),
                actor="test",
                restrictions={"country": ["FR"]},
            )
        return accounts.create_token(meta, email, "read", name="t", actor="test").secret


def test_anonymous_callers_must_sign_in(server: Server) -> None:
    answer = server.client().get(PATH)
    assert answer.status_code == 401
    assert answer.json()["code"]


def test_a_reader_gets_the_audit(server: Server) -> None:
    token = server.token("viewer", "read")
    answer = server.client().get(
        PATH, params={"lang": "fr"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status_code == 200
    doc = answer.json()
    assert [t["table"] for t in doc["tables"]] == list(TABLES)
    assert set(doc["kpi_trust"]) == set(METRICS)
    spend = next(t for t in doc["tables"] if t["table"] == "spend")
    assert spend["score"] == 0.0
    assert "100\u00a0% du coût n'a pas de campagne" in spend["reasons"]


def test_a_restricted_user_is_refused(server: Server) -> None:
    token = restricted_user(server)
    answer = server.client().get(PATH, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 403
    assert "restricted" in answer.json()["message"]


def test_the_audit_log_keeps_its_path(server: Server) -> None:
    admin = server.signed_in("admin")
    assert "entries" in admin.get("/api/v1/audit").json()


def test_the_data_page_shows_trust_scores_and_findings(server: Server) -> None:
    html = server.signed_in("viewer").get("/data", params={"lang": "en"}).text
    assert 'id="trust"' in html
    assert (
        '<tr data-table="spend"><td>spend</td><td>4</td><td data-score="0" class="negative">0</td>'
        in html
    )
    assert 'data-check="dq_spend_unknown_campaign"' in html
    assert "Spend with an unknown campaign" in html
    assert "gs1: 2 rows, 200 EUR" in html  # examples, for an unrestricted reader
    french = server.signed_in("viewer").get("/data", params={"lang": "fr"}).text
    assert "Confiance" in french and "Dépenses sur une campagne inconnue" in french


def test_the_data_page_hides_examples_from_a_restricted_user(server: Server) -> None:
    restricted_user(server)
    html = server.signed_in("restricted").get("/data", params={"lang": "en"}).text
    assert 'data-check="dq_spend_unknown_campaign"' in html
    assert "gs1: 2 rows" not in html
    assert "Examples hidden" in html
