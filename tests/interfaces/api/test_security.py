"""Sessions, CSRF, rate limiting, redirects, tokens and cookie flags."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import update

from pilotage.data.metadata.models import WebSession
from pilotage.data.workspace import open_workspace
from pilotage.errors import ConfigError
from pilotage.interfaces.api.app import create_app
from pilotage.interfaces.api.auth import SESSION_COOKIE
from pilotage.services import accounts
from pilotage.services.workspaces import metadata

if TYPE_CHECKING:
    from conftest import Server


def test_login_redirects_to_the_page_asked(server: Server) -> None:
    client = server.client()
    first = client.get("/data", params={"lang": "en"})
    assert first.status_code == 303
    assert first.headers["location"] == "/login?next=%2Fdata%3Flang%3Den"
    done = server.login(client, "viewer", next_url="/data?lang=en")
    assert done.status_code == 303 and done.headers["location"] == "/data?lang=en"
    assert client.get("/data", params={"lang": "en"}).status_code == 200


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x"]
)
def test_no_open_redirect_after_login(server: Server, target: str) -> None:
    response = server.login(server.client(), "viewer", next_url=target)
    assert response.status_code == 303 and response.headers["location"] == "/"


def test_login_form_needs_its_double_submit_token(server: Server) -> None:
    client = server.client()
    client.get("/login")
    form = {"email": server.email_of("viewer"), "password": server.password_of("viewer")}
    assert client.post("/login", data=form | {"csrf_token": "forged"}).status_code == 403
    assert server.client().post("/login", data=form).status_code == 403


def test_wrong_password_is_401_and_rate_limited_with_429(server: Server) -> None:
    client = server.client()
    for _ in range(5):
        response = server.login(client, "sales", password="not-the-password")
        assert response.status_code == 401
        assert "Wrong email or password" in response.text or "incorrect" in response.text
    blocked = server.login(client, "sales")  # right password, but too late
    assert blocked.status_code == 429
    assert "15 minutes" in blocked.text
    assert SESSION_COOKIE not in blocked.cookies


def test_csrf_is_required_on_cookie_requests_that_change_things(server: Server) -> None:
    client = server.signed_in("cmo")
    url = "/api/v1/tokens"
    assert client.post(url, json={"scope": "read"}).status_code == 403
    wrong = {"X-CSRF-Token": "wrong"}
    assert client.post(url, json={"scope": "read"}, headers=wrong).status_code == 403
    right = {"X-CSRF-Token": server.session_csrf(client)}
    created = client.post(url, json={"scope": "read"}, headers=right)
    assert created.status_code == 201 and created.json()["secret"].startswith("plt_")
    assert client.post("/logout").status_code == 403  # form post without its token


def test_a_token_is_exempt_from_csrf_and_limited_by_its_scope(server: Server) -> None:
    read = {"Authorization": f"Bearer {server.token('marketing', 'read')}"}
    client = server.client()
    assert client.get("/api/v1/kpis", headers=read).status_code == 200
    upload = client.post(
        "/api/v1/tables/spend/imports", headers=read, files={"file": ("a.csv", b"x")}
    )
    assert upload.status_code == 403
    write = {"Authorization": f"Bearer {server.token('marketing', 'write')}"}
    assert client.post("/api/v1/tokens", json={"scope": "read"}, headers=write).status_code == 201


def test_viewer_token_reads_kpis_but_cannot_upload_and_no_token_is_401(server: Server) -> None:
    client = server.client()
    viewer = {"Authorization": f"Bearer {server.token('viewer', 'read')}"}
    assert client.get("/api/v1/kpis", headers=viewer).status_code == 200
    denied = client.post(
        "/api/v1/tables/spend/imports", headers=viewer, files={"file": ("a.csv", b"x")}
    )
    assert denied.status_code == 403 and denied.json()["code"] == "forbidden"
    anonymous = client.get("/api/v1/kpis")
    assert anonymous.status_code == 401
    assert set(anonymous.json()) == {"code", "message", "fix"}
    bad = client.get("/api/v1/kpis", headers={"Authorization": "Bearer plt_nope"})
    assert bad.status_code == 401


def test_a_user_cannot_create_a_token_above_their_role(server: Server) -> None:
    finance = {"Authorization": f"Bearer {server.token('finance', 'read')}"}
    response = server.client().post("/api/v1/tokens", json={"scope": "write"}, headers=finance)
    assert response.status_code == 403


def test_new_login_rotates_the_session(server: Server) -> None:
    client = server.signed_in("finance")
    old = client.cookies[SESSION_COOKIE]
    assert server.login(client, "finance").status_code == 303
    new = client.cookies[SESSION_COOKIE]
    assert new != old
    stale = server.client()
    stale.cookies.set(SESSION_COOKIE, old)
    assert stale.get("/api/v1/tables").status_code == 401
    assert client.get("/api/v1/tables").status_code == 200


def test_logout_ends_the_session(server: Server) -> None:
    client = server.signed_in("viewer")
    cookie = client.cookies[SESSION_COOKIE]
    out = client.post("/logout", data={"csrf_token": server.session_csrf(client)})
    assert out.status_code == 303 and out.headers["location"] == "/login"
    replay = server.client()
    replay.cookies.set(SESSION_COOKIE, cookie)
    assert replay.get("/api/v1/tables").status_code == 401


def test_an_expired_session_is_refused(server: Server) -> None:
    client = server.signed_in("cmo")
    past = datetime.now(UTC) - timedelta(minutes=1)
    with metadata(open_workspace(server.root)) as meta, meta.session() as session:
        session.execute(update(WebSession).values(expires_at=past))
    assert client.get("/api/v1/tables").status_code == 401
    assert client.get("/").status_code == 303


def test_a_forged_cookie_is_ignored(server: Server) -> None:
    client = server.client()
    client.cookies.set(SESSION_COOKIE, "forged-value")
    assert client.get("/api/v1/tables").status_code == 401


def test_cookie_flags(server: Server) -> None:
    remote = server.client("https://pilotage.example.com")
    header = server.login(remote, "viewer").headers["set-cookie"].lower()
    assert "httponly" in header and "samesite=lax" in header and "secure" in header
    assert "path=/" in header
    local = server.client("http://127.0.0.1:8000")
    local_header = server.login(local, "viewer").headers["set-cookie"].lower()
    assert "httponly" in local_header and "secure" not in local_header


def test_audit_log_records_logins_and_token_changes(server: Server) -> None:
    admin = server.signed_in("admin")
    headers = {"X-CSRF-Token": server.session_csrf(admin)}
    assert admin.post("/api/v1/tokens", json={"scope": "admin"}, headers=headers).is_success
    entries = admin.get("/api/v1/audit", params={"limit": 500}).json()["entries"]
    actions = {e["action"] for e in entries}
    assert {"user.login", "user.create", "token.create"} <= actions
    assert all(e["actor"] for e in entries)


def test_admin_adds_a_user_and_others_may_not(server: Server) -> None:
    admin = server.signed_in("admin")
    headers = {"X-CSRF-Token": server.session_csrf(admin)}
    body = {"email": "new@acme.test", "role": "sales", "password": "a-long-password"}
    created = admin.post("/api/v1/users", json=body, headers=headers)
    assert created.status_code == 201 and created.json()["role"] == "sales"
    emails = {u["email"] for u in admin.get("/api/v1/users").json()["users"]}
    assert "new@acme.test" in emails
    cmo = {"Authorization": f"Bearer {server.token('cmo', 'write')}"}
    assert server.client().get("/api/v1/users", headers=cmo).status_code == 403


def test_restrictions_are_carried_on_the_principal_and_shown(server: Server) -> None:
    with metadata(open_workspace(server.root)) as meta:
        accounts.add_user(
            meta,
            "fr@acme.test",
            "sales",
            "a-long-password",
            actor="test",
            restrictions={"country": ["FR", "BE"]},
        )
        token = accounts.create_token(meta, "fr@acme.test", "read", name=None, actor="t")
        principal = accounts.token_principal(meta, token.secret)
    assert principal is not None and principal.restrictions == {"country": ["FR", "BE"]}
    me = (
        server.client()
        .get("/api/v1/me", headers={"Authorization": f"Bearer {token.secret}"})
        .json()
    )
    assert me["restrictions"] == {"country": ["FR", "BE"]}


@pytest.mark.parametrize("secret", [None, "", "short", "changeme" * 5, "a" * 40, "xxx" * 20])
def test_a_missing_or_placeholder_secret_refuses_to_start(
    small_workspace, monkeypatch: pytest.MonkeyPatch, secret: str | None
) -> None:
    monkeypatch.delenv("PILOTAGE_SECRET_KEY", raising=False)
    if secret is not None:
        monkeypatch.setenv("PILOTAGE_SECRET_KEY", secret)
    with pytest.raises(ConfigError) as refused:
        create_app(open_workspace(small_workspace))
    assert refused.value.fix and "PILOTAGE_SECRET_KEY" in str(refused.value)


def test_the_demo_starts_without_a_secret(small_workspace, monkeypatch) -> None:
    monkeypatch.delenv("PILOTAGE_SECRET_KEY", raising=False)
    create_app(open_workspace(small_workspace), demo=True)
