"""The REST API and the pages, in-process: same numbers as the CLI, JSON errors, CSP.

The client is signed in through the login form (a cookie session) as the demo-less admin.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from fastapi.testclient import TestClient

from pilotage.interfaces.cli.main import main

if TYPE_CHECKING:
    from conftest import Server


@pytest.fixture(scope="module")
def cli_kpis(small_workspace) -> str:
    """What the CLI prints, taken before the server owns the workspace."""
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["kpis", "-w", str(small_workspace), "--format", "json"]) == 0
    return out.getvalue()


@pytest.fixture(scope="module")
def client(cli_kpis: str, server: Server) -> TestClient:
    return server.signed_in("admin")


def test_kpis_are_the_cli_numbers(client, cli_kpis):
    api = client.get("/api/v1/kpis", params={"by": "channel"}).json()
    assert api == json.loads(cli_kpis)


def test_kpis_by_month_with_window(client):
    body = client.get(
        "/api/v1/kpis", params={"period": "month", "start": "2026-04-01", "lang": "fr"}
    ).json()
    assert {r["period"] for r in body["rows"]} == {"2026-04"}
    assert body["metrics"][2]["name"] == "ROI marketing"


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"by": "planet"}, "by"),
        ({"period": "decade"}, "period"),
        ({"start": "31/03/2026"}, "start"),
        ({"start": "2026-04-02", "end": "2026-04-01"}, "after end"),
    ],
)
def test_bad_parameters_get_json_errors(client, params, fragment):
    response = client.get("/api/v1/kpis", params=params)
    assert response.status_code in (400, 422)
    body = response.json()
    assert body["code"] in ("bad_request", "invalid_input")
    assert fragment in body["message"]


def test_tables_and_metrics(client):
    tables = client.get("/api/v1/tables").json()["tables"]
    assert {t["table"]: t["rows"] for t in tables}["orders"] == 4
    catalogue = client.get("/api/v1/metrics", params={"lang": "fr"}).json()
    assert {m["id"] for m in catalogue["metrics"]} >= {"cost", "revenue", "roi", "roas"}
    assert {"cac_blended", "win_rate", "nrr", "nps", "sessions"} <= set(catalogue["kpis"])
    assert {"id": "cohort", "name": "Cohorte d'acquisition (mois)"} in catalogue["dimensions"]
    roi = next(m for m in catalogue["metrics"] if m["id"] == "roi")
    assert roi["parts"] == ["attributed_revenue", "cost"] and "spend" in roi["tables"]


def test_kpis_take_metrics_dimensions_and_a_comparison(client):
    params = {
        "metrics": "cost,revenue,orders,roas",
        "by": "channel,segment",
        "period": "month",
        "from": "2026-03-01",
        "to": "2026-03-31",
        "compare": "last_year",
    }
    body = client.get("/api/v1/kpis", params=params).json()
    assert body["dimensions"] == ["channel", "segment", "period"]
    assert body["compare"] == "last_year" and body["compare_start"] == "2025-03-01"
    # Spend has no segment: cost (and ROAS) are null by segment, named in not_sliced.
    assert body["not_sliced"] == {"cost": ["segment"], "roas": ["segment"]}
    assert all(r["cost"] is None and "orders_compare" in r for r in body["rows"])
    assert body["totals"]["cost"] is not None
    assert set(body["trust"]) == {"cost", "revenue", "orders", "roas"}


def test_kpis_reject_an_unknown_metric_or_dimension(client):
    for params, fragment in (
        ({"metrics": "nope"}, "metric 'nope'"),
        ({"by": "colour"}, "cannot slice by 'colour'"),
        ({"metrics": "budget"}, "not a KPI of the engine"),
    ):
        response = client.get("/api/v1/kpis", params=params)
        assert response.status_code in (400, 422)
        assert fragment in response.json()["message"]


def test_openapi_documents_the_api(client):
    spec = client.get("/openapi.json").json()
    assert "/api/v1/kpis" in spec["paths"]
    assert "/" not in spec["paths"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_overview_page_shows_figures_with_definitions(client, lang):
    response = client.get("/", params={"lang": lang})
    assert response.status_code == 200
    html = response.text
    assert 'data-chart-spec="spec-channels"' in html
    assert f'href="/definitions?lang={lang}#roas"' in html
    if lang == "fr":
        assert "1\u202f000\u00a0€" in html  # total revenue, French format
        assert "Vue d'ensemble" in html or "Vue d&#39;ensemble" in html
    else:
        assert "€1,000" in html


def test_pages_send_a_strict_content_security_policy(client):
    csp = client.get("/").headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-eval" not in csp
    assert "<script>" not in client.get("/").text  # no inline script


def test_data_and_definitions_pages(client):
    data = client.get("/data", params={"lang": "en"}).text
    assert "spend.csv" in data and "succeeded" in data
    definitions = client.get("/definitions", params={"lang": "en"}).text
    assert 'id="roi"' in definitions and "(attributed_revenue - cost) / cost" in definitions


def test_static_app_script_is_served(client):
    assert "PilotageCharts" in client.get("/static/app.js").text
