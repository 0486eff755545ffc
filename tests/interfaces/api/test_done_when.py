"""Issue 3's "done when", as a new user would do it: sign in as the CMO, read the overview and
channels in French and English, upload a Google Ads export from the data page, see it there,
download the monthly committee PDF; a viewer's token reads the KPIs but may not upload; no
token gets 401."""

from __future__ import annotations

from pathlib import Path
from typing import Any

GOOGLE_ADS_UI = Path(__file__).parents[2] / "fixtures" / "adapters" / "google_ads_ui.csv"


def test_a_cmo_session_from_overview_to_committee_pdf(server: Any) -> None:
    cmo = server.signed_in("cmo")
    for page in ("/", "/channels"):
        assert "Coût" in cmo.get(page, params={"lang": "fr"}).text
        assert "Cost" in cmo.get(page, params={"lang": "en"}).text

    csrf = server.csrf_in(cmo.get("/data").text)
    uploaded = cmo.post(
        "/data/upload",
        data={"csrf_token": csrf, "table": "spend", "source": "google-ads"},
        files={"file": (GOOGLE_ADS_UI.name, GOOGLE_ADS_UI.read_bytes(), "text/csv")},
    )
    assert uploaded.status_code == 200, uploaded.text
    data_page = cmo.get("/data", params={"lang": "en"}).text
    assert GOOGLE_ADS_UI.name in data_page and "succeeded" in data_page

    pdf = cmo.get("/api/v1/reports/monthly", params={"period": "2026-04", "format": "pdf"})
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_a_viewer_token_reads_but_may_not_upload_and_no_token_is_401(server: Any) -> None:
    viewer = {"Authorization": f"Bearer {server.token('viewer', 'read')}"}
    client = server.client()
    assert client.get("/api/v1/kpis", headers=viewer).status_code == 200
    upload = client.post(
        "/api/v1/tables/spend/imports",
        headers=viewer,
        files={"file": (GOOGLE_ADS_UI.name, GOOGLE_ADS_UI.read_bytes())},
        data={"source": "google-ads"},
    )
    assert upload.status_code == 403
    assert client.get("/api/v1/kpis").status_code == 401
