"""The login, account and data pages (they live in interfaces/web; the signed-in server
fixture lives here)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from fastapi.testclient import TestClient

from pilotage.data.workspace import open_workspace
from pilotage.interfaces.api.app import create_app
from pilotage.interfaces.web.login import safe_next

if TYPE_CHECKING:
    from conftest import Server

SPEND = b"date,channel,campaign_id,cost\n2026-06-01,paid_search,gs7,11\n"


@pytest.mark.parametrize(("lang", "words"), [("fr", "Se connecter"), ("en", "Sign in")])
def test_login_page_in_both_languages_without_inline_script(
    server: Server, lang: str, words: str
) -> None:
    page = server.client().get("/login", params={"lang": lang})
    assert page.status_code == 200 and words in page.text
    assert "<script>" not in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert 'aria-label="main"' not in page.text  # no navigation before signing in


def test_login_page_lists_demo_logins_only_in_demo_mode(server: Server, small_workspace) -> None:
    assert "pilotage-cmo" not in server.client().get("/login").text
    demo = create_app(open_workspace(small_workspace), demo=True)
    with TestClient(demo, base_url="http://localhost") as client:
        page = client.get("/login", params={"lang": "en"}).text
    assert "cmo@demo.pilotage.fr" in page and "pilotage-cmo" in page


def test_pages_keep_filters_in_the_url(server: Server) -> None:
    client = server.signed_in("viewer")
    page = client.get("/", params={"lang": "en", "start": "2026-03-01"}).text
    assert 'href="/data?start=2026-03-01&amp;lang=en"' in page


def test_account_page_shows_role_and_permissions(server: Server) -> None:
    page = server.signed_in("finance").get("/account", params={"lang": "en"}).text
    assert "finance@acme.test" in page and "finance" in page and "read" in page
    assert "All data" in page


def test_data_page_upload_form(server: Server) -> None:
    viewer_page = server.signed_in("viewer").get("/data").text
    assert 'enctype="multipart/form-data"' not in viewer_page  # may not write
    client = server.signed_in("marketing")
    csrf = server.session_csrf(client)
    fields = {"csrf_token": csrf, "table": "spend"}
    done = client.post("/data/upload?lang=en", data=fields, files={"file": ("juin.csv", SPEND)})
    assert done.status_code == 200 and "juin.csv → spend: 1 rows" in done.text
    bad = client.post(
        "/data/upload?lang=en", data=fields, files={"file": ("bad.csv", SPEND + b"x,y,z,w\n")}
    )
    assert bad.status_code == 422 and "nothing was loaded" in bad.text
    forged = client.post(
        "/data/upload", data={"csrf_token": "x", "table": "spend"}, files={"file": ("a", SPEND)}
    )
    assert forged.status_code == 403


def test_a_forbidden_page_action_renders_a_page(server: Server) -> None:
    client = server.signed_in("viewer")
    csrf = server.session_csrf(client)
    response = client.post(
        "/data/upload", data={"csrf_token": csrf, "table": "spend"}, files={"file": ("a", SPEND)}
    )
    assert response.status_code == 403 and "<html" in response.text


@pytest.mark.parametrize(
    ("target", "expected"),
    [("/data?lang=en", "/data?lang=en"), ("//evil", "/"), ("http://x/", "/"), (None, "/")],
)
def test_safe_next(target: str | None, expected: str) -> None:
    assert safe_next(target) == expected
