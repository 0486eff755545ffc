"""/api/v1/funnel, /api/v1/paths, /api/v1/retention and /api/v1/events (GET and POST),
and the /journey page in both languages, on the small interface workspace."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from fastapi.testclient import TestClient

from pilotage.data.workspace import open_workspace
from pilotage.interfaces.api.app import create_app
from pilotage.interfaces.cli.main import main
from pilotage.services import accounts
from pilotage.services.workspaces import metadata

if TYPE_CHECKING:
    from conftest import Server

FUNNEL = {"step": ["touch.channel:paid_search", "order"], "window": "7d"}


@pytest.mark.parametrize(
    "path", ["/api/v1/funnel", "/api/v1/paths", "/api/v1/retention", "/api/v1/events"]
)
def test_needs_credentials(server: Server, path: str) -> None:
    assert server.client().get(path).status_code == 401


def test_funnel_get_and_post_agree(server: Server) -> None:
    client = server.signed_in("viewer")
    got = client.get("/api/v1/funnel", params=FUNNEL)
    assert got.status_code == 200, got.text
    doc = got.json()
    # p1 and p3 clicked paid search and ordered the next day.
    assert doc["total"]["entered"] == 2 and doc["total"]["converted"] == 2
    assert doc["events"] == ["touch.channel:paid_search", "order"]
    body = {"steps": [{"event": e} for e in FUNNEL["step"]], "window": "7d"}
    token = server.token("viewer", "read")
    posted = server.client().post(
        "/api/v1/funnel", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert posted.status_code == 200, posted.text
    assert posted.json()["total"] == doc["total"]


def test_funnel_bad_input_is_a_400_naming_it(server: Server) -> None:
    client = server.signed_in("viewer")
    typo = client.get("/api/v1/funnel", params={"step": ["touch.channel:paid_serch", "order"]})
    assert typo.status_code == 400
    assert "did you mean 'paid_search'" in typo.text
    bad = client.get("/api/v1/funnel", params={**FUNNEL, "order": "sideways"})
    assert bad.status_code == 400 and "order" in bad.text
    empty = server.client().post(
        "/api/v1/funnel",
        json={"steps": [{"event": "order"}]},
        headers={"Authorization": f"Bearer {server.token('viewer', 'read')}"},
    )
    assert empty.status_code == 422


def test_paths_and_events(server: Server) -> None:
    client = server.signed_in("viewer")
    doc = client.get("/api/v1/paths", params={"target": "order", "around": "order"}).json()
    assert doc["converters"] == 3
    assert doc["to_conversion"][0]["events"] == ["touch.channel:paid_search"]
    assert {v["direction"] for v in doc["views"]} == {"next", "previous"}
    events = client.get("/api/v1/events").json()["events"]
    assert events["touch"] == []  # the small workspace's touches have no touch type


def test_retention_get(server: Server) -> None:
    client = server.signed_in("viewer")
    answer = client.get(
        "/api/v1/retention",
        params={"start_event": "touch", "return_event": "order", "unit": "day", "periods": 3},
    )
    assert answer.status_code == 200, answer.text
    doc = answer.json()
    assert doc["average"]["members"] == 3 and doc["columns"] == ["0", "1", "2", "3"]
    bad = client.get("/api/v1/retention", params={"mode": "bracket"})
    assert bad.status_code == 400 and "brackets" in bad.text


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_journey_page_builds_funnel_paths_and_retention(server: Server, lang: str) -> None:
    client = server.signed_in("viewer")
    page = client.get(
        "/journey",
        params={"lang": lang, "step": FUNNEL["step"], "window": "7d", "target": "order"},
    )
    assert page.status_code == 200, page.text
    html = page.text
    for card in ('id="funnel"', 'id="time-to-convert"', 'id="paths"', 'id="retention"'):
        assert card in html
    assert "touch.channel:paid_search" in html
    assert ("Entonnoir" if lang == "fr" else "Funnel") in html


def test_journey_page_says_why_a_request_is_refused(server: Server) -> None:
    client = server.signed_in("viewer")
    page = client.get("/journey", params={"step": ["touch.channel:paid_serch", "order"]})
    assert page.status_code == 400
    assert "did you mean" in page.text and 'id="retention"' in page.text


# -- a restricted user sees only their countries' people ------------------------------------

PEOPLE = """person_id,country
p1,FR
p2,BE
p3,FR
"""
SECRET = "4c6e8a0b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f"
PASSWORD = "restricted-pass-1234"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="module")
def french(small_workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A viewer restricted to France, signed in."""
    root = tmp_path_factory.mktemp("journey-restricted") / "ws"
    shutil.copytree(small_workspace, root)
    people = root.parent / "people.csv"
    people.write_text(PEOPLE, encoding="utf-8")
    assert main(["load", "people", str(people), "--workspace", str(root)]) == 0
    with metadata(open_workspace(root)) as meta:
        accounts.add_user(
            meta, "fr@acme.test", "viewer", PASSWORD, actor="test", restrictions={"country": ["FR"]}
        )
    app = create_app(open_workspace(root), secret_key=SECRET)
    with TestClient(app):
        client = TestClient(app, base_url="http://localhost", follow_redirects=False)
        found = _CSRF.search(client.get("/login").text)
        assert found
        answer = client.post(
            "/login",
            data={"email": "fr@acme.test", "password": PASSWORD, "csrf_token": found.group(1)},
        )
        assert answer.status_code == 303
        yield client


def test_a_restriction_keeps_only_that_countrys_people(french: TestClient) -> None:
    funnel = french.get("/api/v1/funnel", params={"step": ["touch", "order"], "window": "7d"})
    assert funnel.status_code == 200, funnel.text
    assert funnel.json()["total"]["entered"] == 2  # p1 and p3, not p2 (BE)
    # A URL filter narrows the restriction, never lifts it.
    belgium = french.get(
        "/api/v1/funnel", params={"step": ["touch", "order"], "filter": "country=BE"}
    )
    assert belgium.json()["total"]["entered"] == 0
    paths = french.get("/api/v1/paths", params={"target": "order"}).json()
    assert paths["converters"] == 2
    retention = french.get(
        "/api/v1/retention", params={"start_event": "touch", "return_event": "order"}
    ).json()
    assert retention["average"]["members"] == 2
    page = french.get("/journey", params={"step": ["touch", "order"], "lang": "en"})
    assert page.status_code == 200
