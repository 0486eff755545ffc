"""CSV and XLSX exports of the pages' tables: the JSON twin's numbers, its filters, formulas
neutralised in both formats, and the download links on the pages."""

from __future__ import annotations

import csv
import io
import re
from typing import TYPE_CHECKING, Any

import openpyxl
import pytest

from pilotage.interfaces.cli.output import escape_formula

if TYPE_CHECKING:
    from conftest import Server

VIEWS = ["overview", "channels", "attribution", "journey", "accounts", "budget"]
VIEWS += ["experiments", "data-quality"]
#: Channel names are stored in lower case: still a formula for a spreadsheet.
HOSTILE = '=hyperlink("http://evil.test","x")'
SPEND = (
    f'date,channel,campaign_id,cost\n2026-04-10,"{HOSTILE.replace(chr(34), chr(34) * 2)}",ev1,40\n'
)


@pytest.fixture(scope="module")
def reader(server: Server) -> dict[str, str]:
    """A read token, once a spend row whose channel is a formula has been uploaded."""
    writer = {"Authorization": f"Bearer {server.token('marketing', 'write')}"}
    loaded = server.client().post(
        "/api/v1/tables/spend/imports",
        headers=writer,
        files={"file": ("hostile.csv", SPEND.encode())},
    )
    assert loaded.status_code == 201, loaded.text
    return {"Authorization": f"Bearer {server.token('viewer', 'read')}"}


def sheets(
    server: Server, reader: dict[str, str], view: str, fmt: str, **params: Any
) -> list[list[list[Any]]]:
    """The tables of the export: rows (header first) of every sheet, or of the CSV."""
    response = server.client().get(
        f"/api/v1/exports/views/{view}.{fmt}", headers=reader, params=params
    )
    assert response.status_code == 200, response.text
    disposition = response.headers["content-disposition"]
    assert re.fullmatch(rf'attachment; filename="{view}-\d{{4}}-\d{{2}}\.{fmt}"', disposition)
    if fmt == "csv":
        assert response.headers["content-type"].startswith("text/csv")
        text = response.content.decode("utf-8-sig")
        return [[[_number(v) for v in row] for row in csv.reader(io.StringIO(text, newline=""))]]
    assert "spreadsheetml" in response.headers["content-type"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return [[list(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets]


def _number(value: str) -> Any:
    """CSV cells are text: numbers back to floats, empty back to None."""
    if value == "":
        return None
    try:
        return float(value)
    except ValueError:
        return value


def twin(server: Server, reader: dict[str, str], view: str, **params: Any) -> Any:
    response = server.client().get(f"/api/v1/views/{view}", headers=reader, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def keyed(table: list[list[Any]]) -> list[dict[str, Any]]:
    header, *rows = table
    return [dict(zip(header, row, strict=True)) for row in rows]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("view", VIEWS)
def test_every_view_exports_with_a_header(
    server: Server, reader: dict[str, str], view: str, fmt: str
) -> None:
    tables = sheets(server, reader, view, fmt)
    assert len(tables) >= 1 and all(t and all(t[0]) for t in tables)
    assert fmt == "xlsx" or len(tables) == 1


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_numbers_are_the_json_twins(server: Server, reader: dict[str, str], fmt: str) -> None:
    channels = twin(server, reader, "channels")
    names = [m["name"] for m in channels["metrics"]]
    exported = keyed(sheets(server, reader, "channels", fmt)[0])
    assert [r["channel"] for r in exported] == [
        escape_formula(r["channel"]) for r in channels["rows"]
    ]
    for row, expected in zip(exported, channels["rows"], strict=True):
        assert [row[n] for n in names] == [expected["values"][m["id"]] for m in channels["metrics"]]

    attribution = twin(server, reader, "attribution")
    credit = keyed(sheets(server, reader, "attribution", fmt)[0])
    revenue = attribution["metrics"][0]["name"]
    assert [(r["channel"], r[revenue]) for r in credit] == [
        (escape_formula(r["channel"]), r["revenue"]) for r in attribution["rows"]
    ]

    journey = twin(server, reader, "journey")
    stages = keyed(sheets(server, reader, "journey", fmt)[0])
    assert [r["people"] for r in stages] == [s["people"] for s in journey["stages"]]

    overview = twin(server, reader, "overview")
    main, *others = sheets(server, reader, "overview", fmt)
    cost = overview["channels"]["metrics"][0]
    assert [r[cost["name"]] for r in keyed(main)] == [
        r[cost["id"]] for r in overview["channels"]["rows"]
    ]
    if fmt == "xlsx":
        kpis, trend = others
        # XLSX keeps 15 significant digits
        assert [r["value"] for r in keyed(kpis)] == pytest.approx(
            [t["value"] for t in overview["tiles"]], rel=1e-12
        )
        assert [r["revenue"] for r in keyed(trend)] == [p["revenue"] for p in overview["trend"]]

    quality = twin(server, reader, "data-quality")
    checks = keyed(sheets(server, reader, "data-quality", fmt)[0])
    assert [r["count"] for r in checks] == [c["count"] for c in quality["checks"]]


def test_budget_has_one_sheet_per_table(server: Server, reader: dict[str, str]) -> None:
    budget = twin(server, reader, "budget")
    per_channel, monthly = sheets(server, reader, "budget", "xlsx")
    cost = budget["metrics"][0]["name"]
    assert [(r["channel"], r[cost]) for r in keyed(per_channel)] == [
        (escape_formula(c["channel"]), c["cost"]) for c in budget["channels"]
    ]
    assert [(r["channel"], r["month"], r["cost"]) for r in keyed(monthly)] == [
        (escape_formula(m["channel"]), m["month"], m["cost"]) for m in budget["monthly"]
    ]
    assert sheets(server, reader, "budget", "csv")[0] == per_channel


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_filters_apply_as_on_the_twin(server: Server, reader: dict[str, str], fmt: str) -> None:
    params = {"channel": ["paid_search", "email"], "start": "2026-03-10", "end": "2026-04-30"}
    expected = twin(server, reader, "channels", **params)
    rows = keyed(sheets(server, reader, "channels", fmt, **params)[0])
    assert sorted(r["channel"] for r in rows) == ["email", "paid_search"]
    cost = expected["metrics"][0]
    assert [r[cost["name"]] for r in rows] == [r["values"][cost["id"]] for r in expected["rows"]]
    drilled = keyed(sheets(server, reader, "channels", fmt, drill="paid_search")[0])
    assert [r["campaign_id"] for r in drilled] == ["gs1"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("view", ["channels", "overview", "budget"])
def test_a_formula_in_the_data_is_escaped(
    server: Server, reader: dict[str, str], view: str, fmt: str
) -> None:
    cells = [c for t in sheets(server, reader, view, fmt) for row in t for c in row]
    assert "'" + HOSTILE in cells and HOSTILE not in cells
    assert 40 in cells  # its cost stays a number


def test_the_xlsx_cell_is_text_not_a_formula(server: Server, reader: dict[str, str]) -> None:
    response = server.client().get("/api/v1/exports/views/channels.xlsx", headers=reader)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    found = [c for row in sheet.iter_rows() for c in row if c.value == "'" + HOSTILE]
    assert found and all(c.data_type == "s" for c in found)


def test_an_unknown_format_is_refused(server: Server, reader: dict[str, str]) -> None:
    response = server.client().get("/api/v1/exports/views/channels.pdf", headers=reader)
    assert response.status_code == 422


@pytest.mark.parametrize(
    ("page", "view"),
    [
        ("/channels", "channels"),
        ("/", "overview"),
        ("/budget", "budget"),
        ("/attribution", "attribution"),
    ],
)
def test_pages_link_their_downloads_with_the_filters(server: Server, page: str, view: str) -> None:
    client = server.signed_in("viewer")
    html = client.get(page, params={"channel": "email", "lang": "fr"}).text
    query = "channel=email&amp;lang=fr"
    assert f"/api/v1/exports/views/{view}.csv?{query}" in html
    assert f"/api/v1/exports/views/{view}.xlsx?{query}" in html
    assert "Télécharger" in html


def test_the_data_page_links_the_quality_checks(server: Server) -> None:
    html = server.signed_in("viewer").get("/data", params={"lang": "en"}).text
    assert "/api/v1/exports/views/data-quality.xlsx?lang=en" in html


def test_pages_without_an_export_have_no_link(server: Server) -> None:
    assert "/api/v1/exports/views/" not in server.signed_in("viewer").get("/committee").text
