"""Row-level restrictions (users.restrictions) apply on the server to every figure a
restricted user can read: revenue is that of their countries or accounts, cost is hidden
(spend has neither), URL filters only narrow further, and what can't be restricted is
refused rather than shown whole."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from pilotage.data.workspace import open_workspace
from pilotage.interfaces.api.app import create_app
from pilotage.interfaces.cli.main import main
from pilotage.services import accounts
from pilotage.services.workspaces import metadata

SECRET = "9b1d3f5a7c9e0b2d4f6a8c0e1b3d5f7a9c1e3b5d7f9a0c2e"
PASSWORD = "restricted-pass-1234"
# The small workspace's orders: o1 500 (p1, paid_search, March), o2 120 (p2, email,
# March), o3 300 (p3, paid_search, April), o4 80 (unknown person, unattributed).
PEOPLE = """person_id,account_id,country,segment
p1,,FR,SMB
p2,,BE,SMB
p3,a1,FR,Enterprise
"""
SPRING = {"start": "2026-03-01", "end": "2026-04-30"}
USERS: dict[str, dict[str, list[str]] | None] = {
    "all": None,
    "fr": {"country": ["FR"]},
    "a1": {"account_id": ["a1"]},
    "brand": {"brand": ["acme"]},
}
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="module")
def app_root(small_workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("restricted") / "ws"
    shutil.copytree(small_workspace, root)
    people = root.parent / "people.csv"
    people.write_text(PEOPLE, encoding="utf-8")
    assert main(["load", "people", str(people), "--workspace", str(root)]) == 0
    with metadata(open_workspace(root)) as meta:
        for name, restrictions in USERS.items():
            accounts.add_user(
                meta,
                f"{name}@acme.test",
                "viewer",
                PASSWORD,
                actor="test",
                restrictions=restrictions,
            )
    yield root


@pytest.fixture(scope="module")
def clients(app_root: Path) -> Iterator[dict[str, TestClient]]:
    app = create_app(open_workspace(app_root), secret_key=SECRET)
    with TestClient(app):
        signed = {}
        for name in USERS:
            client = TestClient(app, base_url="http://localhost", follow_redirects=False)
            form = client.get("/login")
            found = _CSRF.search(form.text)
            assert found
            answer = client.post(
                "/login",
                data={
                    "email": f"{name}@acme.test",
                    "password": PASSWORD,
                    "csrf_token": found.group(1),
                    "next": "/",
                },
            )
            assert answer.status_code == 303
            signed[name] = client
        yield signed


def _tiles(client: TestClient, **params: str) -> dict[str, float | None]:
    answer = client.get("/api/v1/views/overview", params={**SPRING, **params})
    assert answer.status_code == 200, answer.text
    return {t["metric"]["id"]: t["value"] for t in answer.json()["tiles"]}


def test_an_unrestricted_user_sees_everything(clients: dict[str, TestClient]) -> None:
    tiles = _tiles(clients["all"])
    assert tiles["revenue"] == 1000.0 and tiles["cost"] == 330.0
    kpis = clients["all"].get("/api/v1/kpis", params=SPRING).json()
    assert kpis["totals"]["revenue"] == 1000.0 and kpis["cost_sliced"] is True


def test_a_country_restriction_keeps_that_countrys_revenue_and_hides_cost(
    clients: dict[str, TestClient],
) -> None:
    view = clients["fr"].get("/api/v1/views/overview", params=SPRING).json()
    tiles = {t["metric"]["id"]: t["value"] for t in view["tiles"]}
    assert tiles == {"cost": None, "revenue": 800.0, "roi": None, "roas": None}
    assert view["channels"]["cost_sliced"] is False
    kpis = clients["fr"].get("/api/v1/kpis", params=SPRING).json()
    assert kpis["totals"] == {"cost": None, "revenue": 800.0, "roi": None, "roas": None}
    assert {r["channel"] for r in kpis["rows"]} == {"paid_search"}
    page = clients["fr"].get("/", params={**SPRING, "lang": "en"}).text
    assert "€800" in page and "€1,000" not in page and "€330" not in page
    assert "spend has no segment" in page


def test_url_filters_narrow_a_restriction_but_never_lift_it(
    clients: dict[str, TestClient],
) -> None:
    fr = clients["fr"]
    assert _tiles(fr, segment="SMB")["revenue"] == 500.0
    assert _tiles(fr, channel="email")["revenue"] == 0.0  # o2 was ordered from BE
    assert _tiles(fr, country="BE")["revenue"] == 800.0  # not a filter: ignored
    kpis = fr.get("/api/v1/kpis", params={**SPRING, "country": "BE"}).json()
    assert kpis["totals"]["revenue"] == 800.0


def test_an_account_restriction_keeps_that_accounts_orders(
    clients: dict[str, TestClient],
) -> None:
    assert _tiles(clients["a1"])["revenue"] == 300.0
    channels = clients["a1"].get("/api/v1/views/channels", params=SPRING).json()
    assert channels["totals"]["impressions"] is None and channels["totals"]["cost"] is None
    attribution = clients["a1"].get("/api/v1/views/attribution", params=SPRING).json()
    assert attribution["total_revenue"] == 300.0


@pytest.mark.parametrize(
    "url", ["/", "/api/v1/views/overview", "/api/v1/views/channels", "/api/v1/kpis"]
)
def test_an_unsupported_restriction_fails_closed(clients: dict[str, TestClient], url: str) -> None:
    answer = clients["brand"].get(url, params=SPRING)
    assert answer.status_code == 403
    assert "restricted on" in answer.text and "brand" in answer.text


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/views/budget",
        "/api/v1/exports/kpis.csv",
        "/api/v1/reports/monthly",
        "/api/v1/attribution",
    ],
)
def test_what_cant_be_restricted_is_refused(clients: dict[str, TestClient], url: str) -> None:
    answer = clients["fr"].get(url, params=SPRING)
    assert answer.status_code == 403, answer.text
    assert clients["all"].get(url, params=SPRING).status_code != 403
