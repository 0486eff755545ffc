"""Render result objects for the terminal: table, JSON (one document) or CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel

OutputFormat = Literal["table", "json", "csv"]

#: Cells starting with these could be run as formulas by a spreadsheet (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "|", "%", "\t", "\r")


def escape_formula(value: Any) -> Any:
    """Neutralise a text cell a spreadsheet would run as a formula (prefix a quote).

    Numbers are left alone: a negative amount is data, not a formula.
    """
    if not isinstance(value, str):
        return value
    stripped = value.lstrip(" \"'")
    if stripped.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_json(result: BaseModel) -> str:
    return json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2)


def to_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([escape_formula(_plain(row.get(c))) for c in columns])
    return buffer.getvalue()


def to_table(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    cells = [[_cell(row.get(c)) for c in columns] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    numeric = [all(_is_number(row.get(c)) for row in rows) for c in columns]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ).rstrip()

    out = [line(columns), line(["-" * w for w in widths])]
    out += [line(r) for r in cells]
    return "\n".join(out)


def _is_number(value: Any) -> bool:
    return value is None or (isinstance(value, int | float) and not isinstance(value, bool))


def _plain(value: Any) -> Any:
    return "" if value is None else value


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)
