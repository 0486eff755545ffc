"""GET /api/v1/attribution on a tiny app: the CLI's result objects, bad parameters as JSON."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from fastapi import FastAPI, Request, Response
from fastapi.testclient import TestClient

from pilotage.data.store import AnalyticsStore
from pilotage.data.workspace import Workspace, open_workspace
from pilotage.errors import PilotageError
from pilotage.interfaces.api import errors, routes_attribution
from pilotage.interfaces.cli.main import main
from pilotage.services.workspaces import analytics

TOUCHES = """touched_at,person_id,channel
2026-01-01T10:00:00Z,p1,paid_search
2026-01-03T10:00:00Z,p1,email
2026-01-02T10:00:00Z,p2,paid_search
2026-01-04T10:00:00Z,p3,email
2026-01-05T10:00:00Z,p4,organic_search
"""
CONVERSIONS = """converted_at,conversion_type,person_id,value
2026-01-05T10:00:00Z,purchase,p1,100
2026-01-06T10:00:00Z,purchase,p2,50
2026-01-06T10:00:00Z,lead,p3,0
"""


@dataclass
class Stand:
    """What the route reads of the server state: the workspace and its analytics store."""

    workspace: Workspace

    @contextmanager
    def analytics(self) -> Iterator[AnalyticsStore]:
        with analytics(self.workspace) as store:
            yield store


def page_error(_: Request, error: PilotageError, status: int) -> Response:
    return Response(error.message, status_code=status)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    root = tmp_path_factory.mktemp("attribution") / "ws"
    assert main(["init", str(root)]) == 0
    for name, text in (("touchpoints", TOUCHES), ("conversions", CONVERSIONS)):
        file = root.parent / f"{name}.csv"
        file.write_text(text, encoding="utf-8")
        assert main(["load", name, str(file), "--workspace", str(root)]) == 0
    app = FastAPI()
    errors.install(app, page_error)
    app.include_router(routes_attribution.router)
    app.state.pilotage = Stand(open_workspace(root))
    return TestClient(app)


def test_one_model_is_the_cli_result(client: TestClient) -> None:
    answer = client.get("/api/v1/attribution", params={"model": "first", "lookback_days": 30})
    assert answer.status_code == 200
    doc = answer.json()
    assert doc["model"] == "first"
    assert doc["source"]["conversion_types"] == ["purchase"]  # the most valuable type
    credited = {c["channel"]: c["conversions"] for c in doc["channels"] if c["conversions"]}
    assert credited == {"paid_search": 2.0}
    assert doc["total_value"] == 150.0


def test_all_models_with_bootstrap_and_options(client: TestClient) -> None:
    params = {
        "conversion_type": "purchase,lead",
        "include_sales": "false",
        "order": 2,
        "bootstrap": 20,
        "seed": 1,
    }
    doc = client.get("/api/v1/attribution", params=params).json()
    assert doc["source"]["conversion_types"] == ["purchase", "lead"]
    assert doc["source"]["include_sales"] is False
    first = next(m for m in doc["models"] if m["model"] == "first")
    assert all(c["ci_low"] is not None for c in first["channels"])
    assert sum(c["conversions"] for c in first["channels"]) == pytest.approx(3.0)


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"lookback_days": 0}, 422),
        ({"lookback_days": 731}, 422),
        ({"order": 5}, 422),
        ({"bootstrap": 1001}, 422),
        ({"level": "team"}, 422),
        ({"model": "nope"}, 400),
        ({"conversion_type": "refund"}, 400),
    ],
)
def test_bad_parameters_are_json_errors(
    client: TestClient, params: dict[str, object], status: int
) -> None:
    answer = client.get("/api/v1/attribution", params=params)
    assert answer.status_code == status
    assert answer.json()["code"]
    assert answer.json()["message"]
