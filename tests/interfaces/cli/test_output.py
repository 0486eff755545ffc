import json

import pytest

from pilotage.interfaces.cli.output import escape_formula, to_csv, to_json, to_table
from pilotage.services.results import TableInfo, TablesResult


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("  +cmd", "'  +cmd"),
        ('"@SUM(A1)', "'\"@SUM(A1)"),
        ("-2+3", "'-2+3"),
        ("%temp%", "'%temp%"),
        ("paid_search", "paid_search"),
        (-12.5, -12.5),
        (None, None),
    ],
)
def test_formula_cells_are_neutralised(cell, expected):
    assert escape_formula(cell) == expected


def test_csv_has_a_header_and_escaped_cells():
    text = to_csv([{"channel": "=cmd", "cost": 1.5, "roi": None}], ["channel", "cost", "roi"])
    assert text.splitlines() == ["channel,cost,roi", "'=cmd,1.5,"]


def test_table_aligns_numbers_right_and_shows_missing_values():
    text = to_table([{"a": "x", "n": 1234.5}, {"a": "longer", "n": None}], ["a", "n"])
    lines = text.splitlines()
    assert lines[0].startswith("a") and lines[2].endswith("1,234.50")
    assert lines[3].endswith("-")


def test_json_is_one_document():
    result = TablesResult(tables=[TableInfo(table="spend", rows=2, min_date=None, max_date=None)])
    assert json.loads(to_json(result)) == {
        "tables": [{"table": "spend", "rows": 2, "min_date": None, "max_date": None}]
    }
