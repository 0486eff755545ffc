"""/api/v1/mmm and the /budget page's mix model section: 404 with the fix before any fit,
a background fit (202, 409 while it runs, its status), then the saved result on the API
and the page, the same object the CLI prints."""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import pytest

from pilotage.data.workspace import open_workspace
from pilotage.services.mmm_results import saved_result

if TYPE_CHECKING:
    from conftest import Server


def _load(relative: str) -> ModuleType:
    path = Path(__file__).parents[2] / relative
    spec = importlib.util.spec_from_file_location(path.stem + "_for_mmm_api", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build_workspace = _load("services/test_mmm_results.py").build_workspace
TINY = {"draws": 10, "warmup": 10, "chains": 1}


@pytest.fixture(scope="module")
def small_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This module's server runs on 32 weeks of spend and leads, with no model yet."""
    path: Path = build_workspace(tmp_path_factory.mktemp("mmm-api") / "ws")
    return path


def auth(server: Server, role: str = "viewer", scope: str = "read") -> dict[str, str]:
    return {"Authorization": f"Bearer {server.token(role, scope)}"}


def test_before_any_fit_the_api_and_page_say_how_to_fit(server: Server) -> None:
    client = server.client()
    answer = client.get("/api/v1/mmm", headers=auth(server))
    assert answer.status_code == 404
    body = answer.json()
    assert "no mix model is saved" in body["message"]
    assert "pilotage mmm fit --workspace" in body["fix"] and "POST /api/v1/mmm/fit" in body["fix"]
    assert client.get("/api/v1/mmm/fit", headers=auth(server)).json()["state"] == "idle"
    server.login(client, "viewer")
    page = client.get("/budget?lang=en")
    assert page.status_code == 200
    assert "No mix model results (no mix model is saved in this workspace)" in page.text
    fr = client.get("/budget?lang=fr").text
    assert "Pas de résultats de modèle de mix" in fr


@pytest.mark.parametrize(
    ("params", "field"),
    [({"draws": 5}, "draws"), ({"warmup": 100000}, "warmup"), ({"chains": 0}, "chains")],
)
def test_fit_settings_are_bounded(server: Server, params: dict[str, int], field: str) -> None:
    answer = server.client().post(
        "/api/v1/mmm/fit", params=params, headers=auth(server, "marketing", "write")
    )
    assert answer.status_code == 422 and field in answer.text


def test_a_reader_cannot_start_a_fit(server: Server) -> None:
    answer = server.client().post("/api/v1/mmm/fit", params=TINY, headers=auth(server))
    assert answer.status_code == 403


def test_background_fit_then_results_on_api_and_page(server: Server) -> None:
    client = server.client()
    writer = auth(server, "marketing", "write")
    started = client.post("/api/v1/mmm/fit", params=TINY, headers=writer)
    assert started.status_code == 202, started.text
    assert started.headers["location"] == "/api/v1/mmm/fit"
    assert started.json()["state"] == "running" and started.json()["draws"] == 10
    again = client.post("/api/v1/mmm/fit", params=TINY, headers=writer)
    assert again.status_code == 409 and "already running" in again.json()["message"]
    deadline = time.monotonic() + 240
    while (status := client.get("/api/v1/mmm/fit", headers=auth(server)).json())[
        "state"
    ] == "running":
        assert time.monotonic() < deadline, "the fit did not finish"
        time.sleep(0.5)
    assert status["state"] == "succeeded", status

    doc = client.get("/api/v1/mmm", headers=auth(server)).json()
    saved = saved_result(open_workspace(server.root))
    assert doc == saved.model_dump(mode="json")
    assert doc["target"] == "leads" and doc["fitted_at"]
    result = doc["result"]
    assert [c["channel"] for c in result["channels"]] == ["search", "social"]
    for c in result["channels"]:
        assert c["roas_ci_low"] <= c["roas"] <= c["roas_ci_high"]
        assert c["contribution_share_ci_low"] <= c["contribution_share_ci_high"]
        assert c["cpa"] is not None and c["roi"] is None  # leads are conversions
    assert result["diagnostics"]["status"] == "unreliable" and result["diagnostics"]["warnings"]
    assert {"mape", "r2", "coverage"} <= set(result["fit"])

    server.login(client, "viewer")
    page = client.get("/budget?lang=en").text
    assert "Mix model: results" in page and "CPA (90 % interval)" in page
    assert "Reliability: unreliable" in page and "do not decide on these figures" in page
    assert "chains disagree" in page
    fr = client.get("/budget?lang=fr").text
    assert "Fiabilité : non fiable" in fr and "Part de l&#39;effet" in fr
