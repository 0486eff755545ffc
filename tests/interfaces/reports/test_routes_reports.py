"""The report and export routes, in a bare FastAPI app around the router."""

from __future__ import annotations

import csv
import io
from types import SimpleNamespace

import openpyxl
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient

from pilotage.data.metadata.store import MetadataStore
from pilotage.data.store import AnalyticsStore
from pilotage.data.workspace import open_workspace
from pilotage.errors import PilotageError
from pilotage.interfaces.api import routes_reports
from pilotage.interfaces.api.state import state_of


class FakeState(SimpleNamespace):
    """What the routes use of ServerState: the workspace, its stores, a lock-free reader."""

    def analytics(self):
        import contextlib

        return contextlib.nullcontext(self.store)


@pytest.fixture(scope="module")
def client(pack_workspace):
    ws = open_workspace(pack_workspace)
    state = FakeState(
        workspace=ws,
        store=AnalyticsStore.open(ws.analytics_path, read_only=True),
        meta=MetadataStore.open(ws.metadata_url),
    )
    app = FastAPI()
    app.include_router(routes_reports.router)
    app.dependency_overrides[state_of] = lambda: state

    @app.exception_handler(PilotageError)
    async def error(_: Request, exc: PilotageError) -> JSONResponse:
        return JSONResponse(
            {"code": exc.code, "message": exc.message, "fix": exc.fix}, status_code=400
        )

    with TestClient(app) as c:
        yield c
    state.store.close()
    state.meta.close()


def test_kpis_csv_and_xlsx(client, hostile):
    params = {"by": "campaign", "start": "2026-04-01", "end": "2026-04-30"}
    got = client.get("/api/v1/exports/kpis.csv", params=params)
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    assert got.headers["content-disposition"] == 'attachment; filename="kpis.csv"'
    rows = list(csv.reader(io.StringIO(got.content.decode("utf-8-sig"))))
    assert ["display", "'" + hostile, "80.0", "0.0", "-1.0", "0.0"] in rows
    got = client.get("/api/v1/exports/kpis.xlsx", params=params)
    assert got.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(got.content)).active
    assert ("display", "'" + hostile, 80.0, 0.0, -1.0, 0.0) in list(
        sheet.iter_rows(values_only=True)
    )
    assert client.get("/api/v1/exports/tables.csv").status_code == 200


def test_report_download(client):
    got = client.get("/api/v1/reports/monthly", params={"period": "2026-04", "format": "html"})
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/html")
    assert 'filename="monthly-2026-04-fr.html"' in got.headers["content-disposition"]
    assert "Dossier du comité mensuel" in got.text
    pdf = client.get("/api/v1/reports/quarterly", params={"period": "2026-Q2", "lang": "en"})
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content[:4] == b"%PDF"


def test_bad_period_and_kind(client):
    bad = client.get("/api/v1/reports/weekly", params={"period": "2026-10"})
    assert bad.status_code == 400 and "YYYY-Www" in bad.json()["fix"]
    assert client.get("/api/v1/reports/daily").status_code == 422
