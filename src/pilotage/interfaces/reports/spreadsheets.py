"""Write a table view as CSV or XLSX bytes, every text cell neutralised against formulas."""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from pilotage.interfaces.cli.output import escape_formula
from pilotage.services.exports import ExportFormat, TableExport

MEDIA_TYPES: dict[ExportFormat, str] = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
#: Excel only reads a CSV as UTF-8 (accents, €) when it starts with a byte-order mark.
_BOM = "\ufeff"


def _cell(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool | int | float):
        return value
    return escape_formula(str(value))


def to_csv_bytes(table: TableExport) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_cell(h) for h in table.headers])
    for row in table.rows:
        writer.writerow(["" if (v := _cell(row.get(c))) is None else v for c in table.columns])
    return (_BOM + buffer.getvalue()).encode("utf-8")


def to_xlsx_bytes(table: TableExport, *more: TableExport) -> bytes:
    """One sheet per table, in order, named after it."""
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for each in (table, *more):
        _fill(book.create_sheet(each.name[:31]), each)  # Excel's limit on sheet names
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _fill(sheet: Worksheet, table: TableExport) -> None:
    sheet.append([_cell(h) for h in table.headers])
    for row in table.rows:
        sheet.append([_cell(row.get(c)) for c in table.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    # openpyxl stores any string starting with "=" as a formula; escaped text never does,
    # and forcing the type keeps every text cell a string whatever its content.
    for line in sheet.iter_rows(min_row=1):
        for cell in line:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    sheet.freeze_panes = "A2"


def export_bytes(table: TableExport, fmt: ExportFormat, *more: TableExport) -> bytes:
    """A CSV holds ``table`` only; an XLSX one sheet per table, ``table`` first."""
    return to_xlsx_bytes(table, *more) if fmt == "xlsx" else to_csv_bytes(table)
