"""A running app on a private copy of the small workspace, one user per role, and helpers to
sign in through the login form (CSRF included) or to get API tokens."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from pilotage.data.metadata.models import ROLES
from pilotage.data.workspace import open_workspace
from pilotage.interfaces.api.app import create_app
from pilotage.services import accounts
from pilotage.services.workspaces import metadata

SECRET = "3f9a1c7e5b2d4f608e1a9c3b7d5f2e4a6c8b0d1e3f5a7c9b"
LOCAL = "http://localhost"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def email_of(role: str) -> str:
    return f"{role}@acme.test"


def password_of(role: str) -> str:
    return f"pass-{role}-1234"


@dataclass
class Server:
    app: FastAPI
    root: Path

    def client(self, base_url: str = LOCAL) -> TestClient:
        return TestClient(self.app, base_url=base_url, follow_redirects=False)

    def token(self, role: str, scope: str) -> str:
        with metadata(open_workspace(self.root)) as meta:
            return accounts.create_token(
                meta, email_of(role), scope, name="test", actor="test"
            ).secret

    # Test modules are imported in importlib mode and can't import this file: the helpers
    # travel on the fixture's object.
    email_of = staticmethod(email_of)
    password_of = staticmethod(password_of)

    @staticmethod
    def csrf_in(html: str) -> str:
        return csrf_in(html)

    @staticmethod
    def login(client: TestClient, role: str, *, next_url: str = "/", password: str | None = None):
        return login(client, role, next_url=next_url, password=password)

    @staticmethod
    def session_csrf(client: TestClient) -> str:
        return session_csrf(client)

    def signed_in(self, role: str, base_url: str = LOCAL) -> TestClient:
        client = self.client(base_url)
        assert login(client, role).status_code == 303
        return client


def csrf_in(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "no csrf_token in the page"
    return found.group(1)


def login(client: TestClient, role: str, *, next_url: str = "/", password: str | None = None):
    form = client.get("/login", params={"next": next_url})
    return client.post(
        "/login",
        data={
            "email": email_of(role),
            "password": password or password_of(role),
            "csrf_token": csrf_in(form.text),
            "next": next_url,
        },
    )


def session_csrf(client: TestClient) -> str:
    return csrf_in(client.get("/account").text)


def make_server(source: Path, target: Path, **options: object) -> Iterator[Server]:
    shutil.copytree(source, target)
    with metadata(open_workspace(target)) as meta:
        for role in ROLES:
            accounts.add_user(meta, email_of(role), role, password_of(role), actor="test")
    app = create_app(open_workspace(target), **options)  # type: ignore[arg-type]
    with TestClient(app):  # runs the lifespan: stores open for the whole module
        yield Server(app, target)


@pytest.fixture(scope="module")
def server(small_workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PILOTAGE_SECRET_KEY", SECRET)
        yield from make_server(small_workspace, tmp_path_factory.mktemp("srv") / "ws")


@pytest.fixture(scope="module")
def small_limit_server(
    small_workspace: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """A server whose upload limit is 2 kB (set through create_app)."""
    target = tmp_path_factory.mktemp("limit") / "ws"
    yield from make_server(small_workspace, target, secret_key=SECRET, max_upload_mb=0.002)
