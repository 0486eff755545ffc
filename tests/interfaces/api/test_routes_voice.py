"""Engagement, friction, voice and the journey map over HTTP on the small demo company: the
API answers the services' result objects, the pages show them in French and English, bad
parameters are refused with the field named, and a restricted user is refused."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from fastapi.testclient import TestClient

from pilotage.data.workspace import open_workspace
from pilotage.services import accounts
from pilotage.services.workspaces import metadata

if TYPE_CHECKING:
    from conftest import Server

pytestmark = pytest.mark.slow
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="module")
def small_workspace(small_demo: Path) -> Path:
    """This module's server runs on the small demo company (product events, surveys)."""
    return small_demo


@pytest.fixture(scope="module")
def viewer(server: Server) -> TestClient:
    return server.signed_in("viewer")


def test_engagement_api_is_the_service_result(viewer: TestClient) -> None:
    answer = viewer.get("/api/v1/engagement", params={"unit": "account", "lang": "fr"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["unit"] == "account" and body["series"] and body["adoption"]
    assert body["churn"]["caution"].startswith("Association, pas causalité")
    assert {"dau", "wau", "mau", "stickiness"} <= set(body["summary"])


def test_friction_voice_themes_and_map_answer(viewer: TestClient) -> None:
    friction = viewer.get("/api/v1/friction", params={"min_entrants": 5})
    assert friction.status_code == 200, friction.text
    assert len(friction.json()["stages"]) == 4
    voice = viewer.get("/api/v1/voice", params={"topics": 3})
    assert voice.status_code == 200, voice.text
    body = voice.json()
    assert body["scores"]["total"]["nps"]["responses"] > 0
    assert {b["dimension"] for b in body["scores"]["breakdowns"]} == {
        "segment",
        "journey_stage",
        "channel",
    }
    themes = viewer.get("/api/v1/voice/themes").json()["themes"]
    assert "pricing" in [t["theme"] for t in themes]
    journey = viewer.get("/api/v1/journey-map", params={"lang": "en"})
    assert journey.status_code == 200, journey.text
    assert [s["stage"] for s in journey.json()["stages"]][:5] == [
        "lead",
        "mql",
        "sql",
        "opportunity",
        "customer",
    ]


@pytest.mark.parametrize(
    ("url", "params", "status", "needle"),
    [
        ("/api/v1/engagement", {"unit": "team"}, 422, "unit"),
        ("/api/v1/engagement", {"feature": "colour"}, 400, "no feature column 'colour'"),
        ("/api/v1/friction", {"by": "country"}, 422, "by"),
        ("/api/v1/friction", {"window": 0}, 422, "window"),
        ("/api/v1/voice", {"topics": 99}, 422, "topics"),
        ("/api/v1/voice", {"start": "2026-05-01", "end": "2026-01-01"}, 400, "start"),
        ("/api/v1/journey-map", {"start": "1800-01-01"}, 400, "outside the dates"),
    ],
)
def test_bad_parameters_name_the_field(
    viewer: TestClient, url: str, params: dict[str, str | int], status: int, needle: str
) -> None:
    answer = viewer.get(url, params=params)
    assert answer.status_code == status, answer.text
    assert needle in answer.text


@pytest.mark.parametrize("path", ["/engagement", "/voice", "/journey-map"])
def test_pages_show_the_results_in_both_languages(viewer: TestClient, path: str) -> None:
    french = viewer.get(path, params={"lang": "fr"})
    english = viewer.get(path, params={"lang": "en"})
    assert french.status_code == 200 and english.status_code == 200
    words = {
        "/engagement": ("association, pas causalité", "association, not cause"),
        "/voice": ("Thèmes et attrition", "Themes and churn"),
        "/journey-map": ("Ce que disent les clients", "What customers say"),
    }[path]
    assert words[0] in french.text and words[1] in english.text


def test_a_restricted_user_is_refused(server: Server) -> None:
    with metadata(open_workspace(server.root)) as meta:
        accounts.add_user(
            meta,
            "fr-only@acme.test",
            "viewer",
            "restricted-pass-1234",
            actor="test",
            restrictions={"country": ["FR"]},
        )
    client = server.client()
    form = client.get("/login")
    found = _CSRF.search(form.text)
    assert found
    signed = client.post(
        "/login",
        data={
            "email": "fr-only@acme.test",
            "password": "restricted-pass-1234",
            "csrf_token": found.group(1),
            "next": "/",
        },
    )
    assert signed.status_code == 303
    for url in ("/api/v1/engagement", "/api/v1/voice", "/journey-map"):
        answer = client.get(url)
        assert answer.status_code == 403, url
        assert "restricted" in answer.text
