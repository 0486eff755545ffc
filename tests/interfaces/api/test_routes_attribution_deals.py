"""GET /api/v1/attribution/deals and the stage option of /api/v1/attribution: the READ guard
(401 without credentials), the CLI's result objects, bad parameters as JSON errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from fastapi import FastAPI, Request, Response
from fastapi.testclient import TestClient

from pilotage.data.store import AnalyticsStore
from pilotage.data.workspace import Workspace, open_workspace
from pilotage.errors import PilotageError
from pilotage.interfaces.api import errors, routes_attribution
from pilotage.interfaces.cli.main import main
from pilotage.services.workspaces import analytics

if TYPE_CHECKING:
    from conftest import Server

DEALS = Path(__file__).parents[2] / "fixtures" / "attribution" / "deals"
TABLES = ("accounts", "campaigns", "people", "touchpoints", "opportunities")


@dataclass
class Stand:
    workspace: Workspace

    @contextmanager
    def analytics(self) -> Iterator[AnalyticsStore]:
        with analytics(self.workspace) as store:
            yield store


def page_error(_: Request, error: PilotageError, status: int) -> Response:
    return Response(error.message, status_code=status)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    root = tmp_path_factory.mktemp("deals-api") / "ws"
    assert main(["init", str(root)]) == 0
    for name in TABLES:
        assert main(["load", name, str(DEALS / f"{name}.csv"), "--workspace", str(root)]) == 0
    app = FastAPI()
    errors.install(app, page_error)
    app.include_router(routes_attribution.router)
    app.state.pilotage = Stand(open_workspace(root))
    return TestClient(app)


def test_deals_route_answers_the_service_result(client: TestClient) -> None:
    answer = client.get("/api/v1/attribution/deals", params={"model": "last", "stage": "won"})
    assert answer.status_code == 200, answer.text
    doc = answer.json()
    assert doc["deals"][0]["channels"] == [{"channel": "sales", "value": 1000.0}]
    assert doc["reconciliation"]["crm_total"] == 1000.0
    assert doc["reconciliation"]["reconciled"] is True
    markov = client.get("/api/v1/attribution/deals", params={"model": "markov"}).json()
    assert markov["reconciliation"]["unattributed"] == 400.0


def test_attribution_route_takes_a_stage(client: TestClient) -> None:
    params = {"model": "linear", "level": "account", "stage": "sql"}
    doc = client.get("/api/v1/attribution", params=params).json()
    assert doc["source"]["conversion_types"] == ["sql"]
    assert doc["total_conversions"] == 1.0
    assert doc["sourcing"]["definitions"][0]["definition"] == "field"


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("/api/v1/attribution/deals", {"stage": "mql"}, 422),
        ("/api/v1/attribution/deals", {"lookback_days": 0}, 422),
        ("/api/v1/attribution/deals", {"model": "nope"}, 400),
        ("/api/v1/attribution", {"stage": "won"}, 400),  # person level
    ],
)
def test_bad_parameters_are_json_errors(
    client: TestClient, path: str, params: dict[str, object], status: int
) -> None:
    answer = client.get(path, params=params)
    assert answer.status_code == status
    assert answer.json()["message"]


def test_needs_credentials(server: Server) -> None:
    assert server.client().get("/api/v1/attribution/deals").status_code == 401
    bad = {"Authorization": "Bearer plt_not_a_token"}
    assert server.client().get("/api/v1/attribution/deals", headers=bad).status_code == 401
    token = server.token("viewer", "read")
    answer = server.client().get(
        "/api/v1/attribution/deals", headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["reconciliation"]["reconciled"] is True
