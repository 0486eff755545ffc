"""user and token commands: password from stdin only, token printed once, works with the
server running (they touch the metadata store only)."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from pilotage.data.workspace import open_workspace
from pilotage.interfaces.api.app import create_app
from pilotage.interfaces.cli.main import main

SECRET = "5c1e9a7b3d2f4e6a8b0c9d1e2f3a4b5c6d7e8f9a0b1c2d3e"


@pytest.fixture
def workspace(small_workspace: Path, tmp_path: Path) -> Path:
    target = tmp_path / "ws"
    shutil.copytree(small_workspace, target)
    return target


def add_user(monkeypatch, ws: Path, email: str, role: str, password: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    return main(["user", "add", email, "--role", role, "--password-stdin", "-w", str(ws)])


def test_user_add_reads_the_password_from_stdin(monkeypatch, capsys, workspace: Path) -> None:
    assert add_user(monkeypatch, workspace, "Ana@Acme.test", "cmo", "a-long-password") == 0
    assert "ana@acme.test added with role cmo" in capsys.readouterr().out
    assert main(["user", "list", "-w", str(workspace), "--format", "json"]) == 0
    users = json.loads(capsys.readouterr().out)["users"]
    assert [(u["email"], u["role"]) for u in users] == [("ana@acme.test", "cmo")]
    assert "password" not in json.dumps(users)


def test_user_add_refuses_without_stdin_and_bad_input(monkeypatch, capsys, workspace) -> None:
    ws = str(workspace)
    assert main(["user", "add", "a@b.c", "--role", "viewer", "-w", ws]) == 2
    assert "stdin" in capsys.readouterr().err
    assert add_user(monkeypatch, workspace, "a@b.c", "viewer", "short") == 2
    assert add_user(monkeypatch, workspace, "a@b.c", "pope", "a-long-password") == 2


def test_token_create_prints_once_and_works_while_serving(
    monkeypatch, capsys, workspace: Path
) -> None:
    assert add_user(monkeypatch, workspace, "v@acme.test", "viewer", "a-long-password") == 0
    capsys.readouterr()
    app = create_app(open_workspace(workspace), secret_key=SECRET)
    with TestClient(app) as client:  # the server owns the workspace meanwhile
        ws = str(workspace)
        assert main(["token", "create", "--user", "v@acme.test", "--scope", "read", "-w", ws]) == 0
        out = capsys.readouterr()
        secret = out.out.strip()
        assert secret.startswith("plt_") and "not be shown again" in out.err
        headers = {"Authorization": f"Bearer {secret}"}
        assert client.get("/api/v1/kpis", headers=headers).status_code == 200
        scope = ["token", "create", "--user", "v@acme.test", "--scope", "write", "-w", ws]
        assert main(scope) == 2  # a viewer's token can't be wider than the role
        token_id = client.get("/api/v1/tokens", headers=headers).json()[0]["id"]
        assert main(["token", "revoke", str(token_id), "-w", ws]) == 0
        assert client.get("/api/v1/kpis", headers=headers).status_code == 401
