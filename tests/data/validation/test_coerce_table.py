"""coerce: headers, required values, output shape, booleans, choices, duplicates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa

from pilotage.data.readers.files import read_file
from pilotage.data.schema import TABLES, arrow_schema
from pilotage.data.typed import ParseOptions
from pilotage.data.validation import coerce

if TYPE_CHECKING:
    from conftest import Validate

FIXTURES = Path(__file__).parents[2] / "fixtures" / "files"


def test_output_has_declared_columns_then_extras(v: Validate) -> None:
    columns = v.spend()
    columns[" Cost "] = columns.pop("cost")
    typed = v.load("spend", {**columns, "My Extra": ["a", None]})
    names = [f.name for f in arrow_schema(TABLES["spend"])]
    assert typed.data.column_names == [*names, "my_extra"]
    assert typed.data.schema.field("cost").type == pa.float64()
    assert typed.data.column("reach").null_count == 2
    assert typed.data.column("my_extra").to_pylist() == ["a", None]
    assert typed.lines.to_pylist() == [2, 3]
    assert typed.table == "spend"


def test_french_windows_file_end_to_end(v: Validate) -> None:
    typed = coerce(read_file(FIXTURES / "spend_fr_cp1252.csv"), TABLES["spend"], ParseOptions())
    data = typed.data
    assert data.column("cost").to_pylist() == [1234.56, 12.5, 0.75]
    assert data.column("currency").to_pylist() == ["EUR"] * 3
    assert data.column("date").to_pylist()[0] == dt.date(2026, 3, 31)
    assert data.column("campaign_name").to_pylist()[1] == "Été"
    assert data.column("commentaire").to_pylist()[0] == "Lancement; phase 1\r\nsuite"
    assert typed.lines.to_pylist() == [2, 4, 5]


def test_bom_file_end_to_end(v: Validate) -> None:
    typed = coerce(read_file(FIXTURES / "spend_utf8_bom.csv"), TABLES["spend"], ParseOptions())
    assert typed.data.column("cost").to_pylist() == [1234.5, 12.5]
    assert typed.data.column("currency").to_pylist() == ["USD", "USD"]


def test_latin1_file_end_to_end(v: Validate) -> None:
    typed = coerce(read_file(FIXTURES / "people_latin1.csv"), TABLES["people"], ParseOptions())
    created = typed.data.column("created_at").to_pylist()
    assert created[0] == dt.datetime(2026, 3, 31, 12, 5, tzinfo=dt.UTC)


def test_missing_required_column(v: Validate) -> None:
    error = v.one_problem("spend", {"Date": ["2026-03-31"], "channel": ["x"], "cost": ["1"]})
    assert error.line == 1 and error.column == "campaign_id"
    assert error.fix == "add a column named campaign_id (case and spaces do not matter)"


def test_every_missing_column_is_listed(v: Validate) -> None:
    errors = v.problems("spend", {"date": ["2026-03-31"]})
    assert [e.column for e in errors] == ["channel", "campaign_id", "cost"]


def test_one_of_group_missing_from_header(v: Validate) -> None:
    error = v.one_problem("conversions", {"converted_at": ["2026-03-31"], "conversion_type": ["x"]})
    assert error.line == 1 and "person_id, account_id" in error.rule
    assert error.fix is not None and "person_id or account_id" in error.fix


def test_one_of_group_empty_on_a_row(v: Validate) -> None:
    error = v.one_problem(
        "conversions",
        {
            "converted_at": ["2026-03-31", "2026-03-31"],
            "conversion_type": ["lead", "lead"],
            "person_id": ["p1", None],
        },
    )
    assert error.line == 3 and "person_id must be filled" in error.rule
    assert error.fix == "fill in person_id on this row"


def test_required_value_empty(v: Validate) -> None:
    error = v.one_problem("spend", v.spend(channel=["email", "  "]))
    assert (error.line, error.column) == (3, "channel")
    assert error.rule == "channel is required but empty"
    assert error.fix == "fill in channel on this row"


def test_duplicate_header_in_raw_table(v: Validate) -> None:
    error = v.one_problem("spend", {**v.spend(), "CAMPAIGN_ID": ["a", "b"]})
    assert (error.line, error.column) == (1, "CAMPAIGN_ID")
    assert error.fix == "rename or remove one of the two columns"


def test_booleans(v: Validate) -> None:
    values = ["TRUE", "non", "Oui", "0", "y", "faux", None]
    typed = v.load(
        "accounts", {"account_id": list("abcdefg"), "name": ["n"] * 7, "is_target": values}
    )
    assert typed.data.column("is_target").to_pylist() == [
        True,
        False,
        True,
        False,
        True,
        False,
        None,
    ]


def test_bad_boolean(v: Validate) -> None:
    error = v.one_problem("accounts", {"account_id": ["a"], "name": ["n"], "is_target": ["maybe"]})
    assert (error.line, error.column, error.value) == (2, "is_target", "maybe")
    assert error.fix is not None and "oui/non" in error.fix


def test_choices_are_lower_cased_and_enforced(v: Validate) -> None:
    base = {
        "opportunity_id": ["o1", "o2"],
        "account_id": ["a", "a"],
        "created_at": ["2026-03-31", "2026-03-31"],
        "amount": ["1", "2"],
        "stage": ["s", "s"],
    }
    typed = v.load("opportunities", {**base, "Source": ["Marketing", "SALES"]})
    assert typed.data.column("source").to_pylist() == ["marketing", "sales"]
    error = v.one_problem("opportunities", {**base, "Source": ["Marketing", "ads"]})
    assert (error.line, error.column, error.value) == (3, "Source", "ads")
    assert error.fix == "use one of: marketing, sales, partner, other"


def test_exact_duplicates_are_dropped_with_a_warning(v: Validate) -> None:
    typed = v.load(
        "spend",
        v.spend(campaign_id=["c1", "c1", "c2"], date=["2026-03-31"] * 3, cost=["10", "10.0", "3"]),
    )
    assert typed.data.num_rows == 2
    assert typed.lines.to_pylist() == [2, 4]
    assert len(typed.warnings) == 1 and "line 3 (same as line 2)" in typed.warnings[0]


def test_same_key_different_values(v: Validate) -> None:
    error = v.one_problem(
        "spend", v.spend(campaign_id=["c1", "c1"], date=["2026-03-31"] * 2, cost=["10", "11"])
    )
    assert (error.line, error.column, error.value) == (3, "cost", "11")
    assert "as line 2" in error.rule and "campaign_id=c1" in error.rule
    assert error.fix is not None and "one row per key" in error.fix


def test_id_column_is_the_key_when_filled(v: Validate) -> None:
    base = {
        "touched_at": ["2026-03-31 10:00"] * 3,
        "channel": ["email"] * 3,
        "person_id": ["p1", "p2", "p3"],
    }
    error = v.one_problem("touchpoints", {**base, "touch_id": ["t1", "t1", None]})
    assert error.line == 3 and "touch_id=t1" in error.rule
    typed = v.load("touchpoints", {**base, "touch_id": [None, None, None], "person_id": ["p"] * 3})
    assert typed.data.num_rows == 1 and len(typed.warnings) == 1


def test_problems_are_all_reported_in_line_order(v: Validate) -> None:
    errors = v.problems(
        "spend", v.spend(cost=["-1", "x", "3"], date=["2026-03-31", "31/13/2026", "bad"])
    )
    assert [e.line for e in errors] == sorted(e.line for e in errors)
    assert {(e.line, e.column) for e in errors} == {
        (2, "cost"),
        (3, "cost"),
        (3, "date"),
        (4, "date"),
    }
