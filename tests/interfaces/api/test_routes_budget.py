"""Budget and scenario routes and the /budget page, on a workspace with programs and a
saved mix model: the result objects of the CLI, bad input as 400/404 with its message."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import pytest

from pilotage.data.workspace import open_workspace
from pilotage.interfaces.cli.main import main
from pilotage.services.budget_plan import model_path, save_model

if TYPE_CHECKING:
    from conftest import Server


def _load(relative: str) -> ModuleType:
    path = Path(__file__).parents[2] / relative
    spec = importlib.util.spec_from_file_location(path.stem + "_for_api", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


data = _load("services/test_scenarios.py")
posterior = _load("core/mmm/test_optimizer.py").posterior


@pytest.fixture(scope="module")
def small_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This module's server runs on programs (events, webinars) and the toy mix model."""
    root = tmp_path_factory.mktemp("budget-api") / "ws"
    assert main(["init", str(root)]) == 0
    for table, text in (
        ("campaigns", data.CAMPAIGNS),
        ("spend", data.SPEND),
        ("touchpoints", data.TOUCHES),
        ("orders", data.ORDERS),
    ):
        path = root.parent / f"{table}.csv"
        path.write_text(text, encoding="utf-8")
        assert main(["load", table, str(path), "--workspace", str(root)]) == 0
    save_model(open_workspace(root), posterior())
    return root


def bearer(server: Server, role: str = "viewer") -> dict[str, str]:
    return {"Authorization": f"Bearer {server.token(role, 'read')}"}


def test_optimize_answers_the_cli_result(server: Server) -> None:
    body = {"total": 300_000, "weeks": 13, "bounds": {"video": {"low": 50_000, "high": 60_000}}}
    answer = server.client().post("/api/v1/budget/optimize", json=body, headers=bearer(server))
    assert answer.status_code == 200, answer.text
    doc = answer.json()
    assert round(sum(c["optimal"] for c in doc["channels"]), 2) == 300_000
    video = next(c for c in doc["channels"] if c["channel"] == "video")
    assert 50_000 <= video["optimal"] <= 60_000
    assert doc["move_details"] and doc["expected_ci_low"] <= doc["expected"]


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"total": 1000, "bounds": {"tv": {"high": 1}}}, 400, "unknown channels ['tv']"),
        ({"total": -5}, 400, "positive amount"),
        ({"total": 1000, "bounds": {"video": {"low": 5000}}}, 400, "bounds allow"),
        ({}, 400, "a total budget or a target ROI"),
        ({"total": 1000, "bounds": {"video": {"low": -1}}}, 422, "greater than or equal"),
        ({"total": 1000, "colour": "red"}, 422, "Extra inputs"),
    ],
)
def test_bad_budgets(server: Server, body: dict[str, object], status: int, message: str) -> None:
    answer = server.client().post("/api/v1/budget/optimize", json=body, headers=bearer(server))
    assert answer.status_code == status
    assert message in answer.text


def test_curves_and_reallocation(server: Server) -> None:
    client = server.client()
    curves = client.get(
        "/api/v1/budget/response-curves", params={"points": 4}, headers=bearer(server)
    ).json()
    assert [c["channel"] for c in curves["channels"]] == ["display", "paid_search", "video"]
    assert all(len(c["points"]) == 4 for c in curves["channels"])
    plan = client.get("/api/v1/budget/reallocation", headers=bearer(server)).json()
    assert plan["total"] == pytest.approx(429_000)


def test_compare_recommends_and_names_the_better_alternative(server: Server) -> None:
    body = {
        "credit": "last",
        "proposals": [
            {"name": "Regional event", "program": "events", "cost": 90_000},
            {"name": "Six webinars", "program": "webinars", "cost": 30_000, "units": 6},
            {"name": "More search", "channel": "paid_search", "cost": 26_000},
        ],
    }
    answer = server.client().post("/api/v1/scenarios/compare", json=body, headers=bearer(server))
    assert answer.status_code == 200, answer.text
    doc = answer.json()
    assert doc["recommendation"] == "Six webinars"
    event = doc["proposals"][0]
    assert event["better_alternative"] == "Six webinars" and event["verdict"].startswith("No to")
    assert doc["proposals"][2]["source"] == "mix_model"
    history = server.client().get(
        "/api/v1/scenarios/history", params={"credit": "last"}, headers=bearer(server)
    )
    assert {p["key"] for p in history.json()["programs"]} >= {"I-LYON", "wb1"}


@pytest.mark.parametrize(
    ("proposals", "status", "message"),
    [
        ([{"name": "Fair", "program": "eventz", "cost": 1}], 400, "unknown program type"),
        ([{"name": "Fair", "cost": 1}], 422, "give a program type"),
        ([], 422, "at least 1 item"),
    ],
)
def test_bad_comparisons(
    server: Server, proposals: list[object], status: int, message: str
) -> None:
    answer = server.client().post(
        "/api/v1/scenarios/compare", json={"proposals": proposals}, headers=bearer(server)
    )
    assert answer.status_code == status and message in answer.text


def test_without_a_saved_model_the_model_routes_answer_404(server: Server) -> None:
    path = model_path(open_workspace(server.root))
    saved = path.read_text(encoding="utf-8")
    path.unlink()
    try:
        client = server.client()
        for answer in (
            client.post("/api/v1/budget/optimize", json={"total": 1}, headers=bearer(server)),
            client.get("/api/v1/budget/response-curves", headers=bearer(server)),
            client.post(
                "/api/v1/scenarios/compare",
                json={"proposals": [{"name": "S", "channel": "paid_search", "cost": 1}]},
                headers=bearer(server),
            ),
        ):
            assert answer.status_code == 404
            assert "pilotage mmm fit --workspace" in answer.json()["fix"]
        assert client.get("/api/v1/budget/reallocation", headers=bearer(server)).json() is None
        page = server.signed_in("viewer").get("/budget")
        assert page.status_code == 200 and 'id="no-model"' in page.text
        assert 'id="optimizer"' not in page.text
    finally:
        path.write_text(saved, encoding="utf-8")


def test_a_session_post_needs_the_csrf_token(server: Server) -> None:
    client = server.signed_in("viewer")
    body = {"proposals": [{"name": "W", "program": "webinars", "cost": 1000}]}
    assert client.post("/api/v1/scenarios/compare", json=body).status_code == 403
    headers = {"X-CSRF-Token": server.session_csrf(client)}
    assert client.post("/api/v1/scenarios/compare", json=body, headers=headers).status_code == 200


def test_the_budget_view_twin_moved_with_the_page(server: Server) -> None:
    doc = server.client().get("/api/v1/views/budget", headers=bearer(server)).json()
    assert {c["channel"] for c in doc["channels"]} == {"events", "webinars", "paid_search"}


def _spec(html: str) -> dict[str, object]:
    found = re.search(r'<script type="application/json" id="spec-curves">(.*?)</script>', html)
    assert found
    spec: dict[str, object] = json.loads(found.group(1))
    return spec


def test_page_shows_curves_moves_and_the_comparison(server: Server) -> None:
    client = server.signed_in("viewer")
    params = [
        ("lang", "en"),
        ("total", "300000"),
        ("bounds", "video=50000:60000"),
        ("name", "Regional event"),
        ("kind", "events"),
        ("cost", "90000"),
        ("units", "1"),
        ("name", "Six webinars"),
        ("kind", "webinars"),
        ("cost", "30000"),
        ("units", "6"),
    ]
    page = client.get("/budget", params=params)
    assert page.status_code == 200, page.text
    html = page.text
    spec = _spec(html)
    layers = spec["layer"]
    assert isinstance(layers, list) and [layer["mark"]["type"] for layer in layers] == [
        "area",
        "line",
        "point",
    ]
    assert 'id="moves"' in html and "<li>move " in html
    assert "Budget 300,000 € over 13 weeks" in html or "Budget €300,000 over 13 weeks" in html
    assert "Recommended: Six webinars." in html
    assert "No to Regional event" in html
    assert 'list="scenario-types"' in html and '<option value="channel=video">' in html
    french = client.get("/budget", params=[("lang", "fr"), *params[1:]]).text
    assert "Recommandé : Six webinars." in french and "Courbes de réponse" in french
    assert "déplacer " in french or "ajouter " in french or "retirer " in french


@pytest.mark.parametrize(
    ("params", "where", "message"),
    [
        ({"total": "abc"}, "plan-error", "total budget must be a number"),
        ({"total": "1000", "bounds": "tv=0:1"}, "plan-error", "unknown channels"),
        ({"bounds": "video=0:1"}, "plan-error", "bounds need a total budget"),
        ({"total": "-5"}, "plan-error", "positive amount"),
        ({"name": "Fair", "kind": "eventz", "cost": "1000"}, "scenario-error", "eventz"),
        ({"name": "Fair", "kind": "events", "cost": "0"}, "scenario-error", "greater than 0"),
        ({"name": "Fair", "kind": "events", "cost": "x"}, "scenario-error", "must be a number"),
    ],
)
def test_page_reports_bad_input_in_place(
    server: Server, params: dict[str, str], where: str, message: str
) -> None:
    page = server.signed_in("viewer").get("/budget", params=params)
    assert page.status_code == 200
    found = re.search(rf'id="{where}">(.*?)</p>', page.text, re.S)
    assert found and message in found.group(1)


def test_restricted_accounts_are_refused(server: Server) -> None:
    from pilotage.services import accounts
    from pilotage.services.workspaces import metadata

    with metadata(open_workspace(server.root)) as meta:
        accounts.add_user(
            meta,
            "fr-only@acme.test",
            "viewer",
            "fr-only-pass-1234",
            actor="test",
            restrictions={"country": ["FR"]},
        )
    client = server.client()
    form = client.get("/login")
    signed = client.post(
        "/login",
        data={
            "email": "fr-only@acme.test",
            "password": "fr-only-pass-1234",
            "csrf_token": server.csrf_in(form.text),
            "next": "/",
        },
    )
    assert signed.status_code == 303
    headers = {"X-CSRF-Token": server.session_csrf(client)}
    for answer in (
        client.get("/api/v1/budget/response-curves"),
        client.get("/api/v1/scenarios/history"),
        client.post("/api/v1/budget/optimize", json={"total": 1000}, headers=headers),
        client.get("/budget"),
    ):
        assert answer.status_code == 403, answer.text
