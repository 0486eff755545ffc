"""Uploads: the loader of `pilotage load`, a size limit, nothing outside the workspace."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from pilotage.services.uploads import safe_file_name

if TYPE_CHECKING:
    from conftest import Server

GOOD = b"date,channel,campaign_id,cost\n2026-05-01,paid_search,gs9,70\n2026-05-02,email,nl9,30\n"
BAD = b"date,channel,campaign_id,cost\n2026-05-01,paid_search,gs9,seventy\n"


def rows(server: Server, headers: dict[str, str], table: str = "spend") -> int:
    tables = server.client().get("/api/v1/tables", headers=headers).json()["tables"]
    return int({t["table"]: t["rows"] for t in tables}[table])


def everything_under(root: Path) -> set[Path]:
    return set(root.rglob("*"))


@pytest.fixture(scope="module")
def writer(server: Server) -> dict[str, str]:
    return {"Authorization": f"Bearer {server.token('marketing', 'write')}"}


def test_upload_goes_through_the_loader(server: Server, writer: dict[str, str]) -> None:
    before = rows(server, writer)
    response = server.client().post(
        "/api/v1/tables/spend/imports", headers=writer, files={"file": ("mai.csv", GOOD)}
    )
    assert response.status_code == 201, response.text
    report = response.json()
    assert report["table"] == "spend" and report["inserted"] == 2
    assert report["file_name"] == "mai.csv"
    assert rows(server, writer) == before + 2
    assert not any((server.root / "uploads").iterdir())  # the staged copy is gone
    imports = server.client().get("/api/v1/imports", headers=writer).json()["imports"]
    assert imports[0]["file_name"] == "mai.csv" and imports[0]["actor"] == "marketing@acme.test"


def test_a_bad_file_is_422_with_row_errors_and_loads_nothing(
    server: Server, writer: dict[str, str]
) -> None:
    before = rows(server, writer)
    response = server.client().post(
        "/api/v1/tables/spend/imports", headers=writer, files={"file": ("bad.csv", BAD)}
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input" and body["file"] == "bad.csv"
    assert body["errors"][0]["line"] == 2 and body["errors"][0]["column"] == "cost"
    assert str(server.root) not in response.text  # no server path in the answer
    assert rows(server, writer) == before


@pytest.mark.parametrize(
    ("path", "field", "status"),
    [
        ("/api/v1/tables/planets/imports", {}, 400),
        ("/api/v1/tables/spend/imports", {"source": "no-such-export"}, 400),
        ("/api/v1/tables/spend/imports", {"date_order": "ymd"}, 400),
    ],
)
def test_unknown_table_or_adapter(
    server: Server, writer: dict[str, str], path: str, field: dict[str, str], status: int
) -> None:
    response = server.client().post(
        path, headers=writer, data=field, files={"file": ("x.csv", GOOD)}
    )
    assert response.status_code == status and response.json()["fix"]


@pytest.mark.parametrize(
    "name", ["../../evil.csv", "..\\..\\evil.csv", "/tmp/evil.csv", "....//evil.csv", ".."]
)
def test_file_names_cannot_leave_the_workspace(
    server: Server, writer: dict[str, str], name: str, tmp_path: Path
) -> None:
    outside_before = everything_under(server.root.parent)
    response = server.client().post(
        "/api/v1/tables/spend/imports", headers=writer, files={"file": (name, GOOD)}
    )
    assert response.status_code == 201, response.text
    assert response.json()["file_name"] == safe_file_name(name)
    assert "/" not in safe_file_name(name) and not safe_file_name(name).startswith(".")
    assert everything_under(server.root.parent) - outside_before <= everything_under(server.root)
    assert not Path("/tmp/evil.csv").exists()


def test_over_the_limit_is_413_and_nothing_is_written(small_limit_server: Server) -> None:
    server = small_limit_server
    token = {"Authorization": f"Bearer {server.token('cmo', 'write')}"}
    before = rows(server, token)
    big = GOOD + b"2026-05-03,email,nl9,30\n" * 200
    response = server.client().post(
        "/api/v1/tables/spend/imports", headers=token, files={"file": ("big.csv", big)}
    )
    assert response.status_code == 413 and response.json()["code"] == "too_large"
    assert rows(server, token) == before
    assert not any((server.root / "uploads").iterdir())
    small = server.client().post(
        "/api/v1/tables/spend/imports", headers=token, files={"file": ("ok.csv", GOOD)}
    )
    assert small.status_code == 201


def test_cookie_upload_needs_the_csrf_field_before_the_file(server: Server) -> None:
    client = server.signed_in("cmo")
    csrf = server.session_csrf(client)
    url = "/api/v1/tables/spend/imports"
    assert client.post(url, files={"file": ("a.csv", GOOD)}).status_code == 403
    forged = client.post(url, data={"csrf_token": "forged"}, files={"file": ("a.csv", GOOD)})
    assert forged.status_code == 403
    ok = client.post(url, data={"csrf_token": csrf}, files={"file": ("a.csv", GOOD)})
    assert ok.status_code == 201, ok.text
    assert not any((server.root / "uploads").iterdir())


def test_sanitised_names() -> None:
    assert safe_file_name("Export Google Ads (mars).csv") == "Export Google Ads (mars).csv"
    assert safe_file_name("C:\\Users\\me\\données.csv") == "données.csv"
    assert safe_file_name("a\x00b;rm -rf.csv") == "a_b_rm -rf.csv"
    assert safe_file_name("...") == "upload"
