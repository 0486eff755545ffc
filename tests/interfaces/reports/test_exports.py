"""CSV and XLSX exports: spreadsheet formulas neutralised, numbers kept as numbers."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from pilotage.interfaces.cli.main import main
from pilotage.interfaces.reports.spreadsheets import to_csv_bytes, to_xlsx_bytes
from pilotage.services.exports import TableExport

TRICKY = ["=1+1", "+33 1", "-2", "@SUM(A1)", "|cmd", "%x", "\tx", "\rx", '  "=1', "plain"]


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_every_dangerous_start_is_escaped_and_numbers_stay():
    table = TableExport(
        "t", ("name", "cost"), ("name", "cost"), tuple({"name": v, "cost": -5.0} for v in TRICKY)
    )
    rows = read_csv(to_csv_bytes(table))[1:]
    assert [r[0] for r in rows[:-1]] == ["'" + v for v in TRICKY[:-1]]
    assert rows[-1] == ["plain", "-5.0"]
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(table))).active
    values = list(sheet.iter_rows(min_row=2, values_only=True))
    # XML turns a stored CR into LF on reading; the quote in front is what matters.
    assert [v[0].replace("\n", "\r") for v in values[7:8]] == ["'\rx"]
    assert [v[0] for v in values[:7]] == ["'" + v for v in TRICKY[:7]]
    assert values[-2][0] == "'" + TRICKY[-2]
    assert values[-1] == ("plain", -5)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_kpi_export_by_campaign_escapes_a_hostile_campaign(pack_workspace, hostile, tmp_path, fmt):
    out = tmp_path / f"kpis.{fmt}"
    args = ["export", "kpis", "--by", "campaign", "--format", fmt, "--out", str(out)]
    assert main([*args, "-w", str(pack_workspace)]) == 0
    if fmt == "csv":
        rows = read_csv(out.read_bytes())
        header, body = rows[0], rows[1:]
    else:
        sheet = openpyxl.load_workbook(out).active
        header, *body = [list(r) for r in sheet.iter_rows(values_only=True)]
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert header[:3] == ["channel", "campaign", "Cost"]
    display = next(r for r in body if r[0] == "display")
    assert display[1] == "'" + hostile
    if fmt == "xlsx":
        assert display[2] == 80 and isinstance(display[2], int | float)


def test_tables_export(pack_workspace, tmp_path):
    out = tmp_path / "tables.xlsx"
    assert (
        main(["export", "tables", "--format", "xlsx", "--out", str(out), "-w", str(pack_workspace)])
        == 0
    )
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0] == ("table", "rows", "min_date", "max_date")
    assert ("spend", 6, "2025-04-10", "2026-04-04") in rows
