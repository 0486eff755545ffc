"""coerce: dates, timestamps, day/month order, time zones; and invariants over rows."""

from __future__ import annotations

import datetime as dt
from random import Random
from typing import TYPE_CHECKING

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from pilotage.data.readers.raw import RawTable
from pilotage.data.schema import TABLES
from pilotage.data.typed import ParseOptions
from pilotage.data.validation import coerce

if TYPE_CHECKING:
    from conftest import Validate

UTC = dt.UTC


def touched(v: Validate, values: list[str | None], **options: str) -> list[dt.datetime | None]:
    rows = len(values)
    columns: dict[str, list[str | None]] = {
        "touched_at": values,
        "channel": ["email"] * rows,
        "person_id": [f"p{i}" for i in range(rows)],
    }
    typed = v.load("touchpoints", columns, **options)
    return typed.data.column("touched_at").to_pylist()


def test_timestamp_styles(v: Validate) -> None:
    values = [
        "2026-03-31",
        "2026-03-31 14:05",
        "2026-03-31T14:05:00Z",
        "2026-03-31T14:05:00.25+02:00",
        "31/03/2026 14:05",
        "31-03-2026",
        "31.03.2026 14:05:30",
    ]
    assert touched(v, values) == [
        dt.datetime(2026, 3, 30, 22, 0, tzinfo=UTC),
        dt.datetime(2026, 3, 31, 12, 5, tzinfo=UTC),
        dt.datetime(2026, 3, 31, 14, 5, tzinfo=UTC),
        dt.datetime(2026, 3, 31, 12, 5, 0, 250000, tzinfo=UTC),
        dt.datetime(2026, 3, 31, 12, 5, tzinfo=UTC),
        dt.datetime(2026, 3, 30, 22, 0, tzinfo=UTC),
        dt.datetime(2026, 3, 31, 12, 5, 30, tzinfo=UTC),
    ]


def test_daylight_saving_gap_and_fold_are_deterministic(v: Validate) -> None:
    assert touched(v, ["2026-03-29 02:30", "2026-10-25 02:30"]) == [
        dt.datetime(2026, 3, 29, 1, 30, tzinfo=UTC),
        dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
    ]
    assert touched(v, ["2026-03-31 12:00"], timezone="America/New_York") == [
        dt.datetime(2026, 3, 31, 16, 0, tzinfo=UTC)
    ]


def test_date_column_keeps_the_written_date(v: Validate) -> None:
    typed = v.load("spend", v.spend(date=["2026-03-31T23:30:00Z", "31/03/2026 01:00"]))
    assert typed.data.column("date").to_pylist() == [dt.date(2026, 3, 31)] * 2


def test_month_first_file(v: Validate) -> None:
    dates = v.load("spend", v.spend(date=["03/31/2026", "04/01/2026"])).data.column("date")
    assert dates.to_pylist() == [dt.date(2026, 3, 31), dt.date(2026, 4, 1)]


def test_two_digit_year(v: Validate) -> None:
    error = v.one_problem("spend", v.spend(date=["2026-03-31", "31/03/26"]))
    assert (error.line, error.column, error.value) == (3, "date", "31/03/26")
    assert "2-digit year" in error.rule and "4 digits" in (error.fix or "")


def test_epoch_number(v: Validate) -> None:
    error = v.one_problem("spend", v.spend(date=["1774915200", "2026-03-31"]))
    assert (error.line, error.column) == (2, "date") and "not a number" in error.rule


def test_not_a_date(v: Validate) -> None:
    error = v.one_problem("spend", v.spend(date=["2026-03-31", "yesterday"]))
    assert (error.line, error.value, error.rule) == (3, "yesterday", "date is not a date")


def test_impossible_date(v: Validate) -> None:
    error = v.one_problem("spend", v.spend(date=["2026-02-30", "2026-03-31"]))
    assert (error.line, error.value) == (2, "2026-02-30") and "not a real date" in error.rule


def test_implausible_date(v: Validate) -> None:
    error = v.one_problem("spend", v.spend(date=["1989-12-31", "2026-03-31"]))
    assert error.line == 2 and "between 1990-01-01 and 2100-12-31" in error.rule


def test_bad_offset(v: Validate) -> None:
    error = v.one_problem("spend", v.spend(date=["2026-03-31T10:00+25:00", "2026-03-31"]))
    assert error.line == 2 and "offset" in error.rule


def test_contradictory_date_order(v: Validate) -> None:
    error = v.one_problem("spend", v.spend(date=["31/03/2026", "2026-03-31", "03/31/2026"]))
    assert (error.line, error.column, error.value) == (4, "date", "03/31/2026")
    assert "line 2" in error.rule and "--date-order" in (error.fix or "")


def test_undecidable_date_order(v: Validate) -> None:
    error = v.one_problem("spend", v.spend(date=["01/02/2026", "05/05/2026"]))
    assert (error.line, error.value) == (2, "01/02/2026")
    assert error.fix == "pass --date-order dmy or --date-order mdy"
    dates = v.load("spend", v.spend(date=["01/02/2026", "05/05/2026"]), date_order="mdy")
    assert dates.data.column("date").to_pylist()[0] == dt.date(2026, 1, 2)


rows_strategy = st.lists(
    st.tuples(
        st.sampled_from(["c1", "c2", "c3"]),
        st.dates(dt.date(2025, 1, 1), dt.date(2026, 12, 31)),
        st.integers(0, 10**6),
    ),
    min_size=1,
    max_size=20,
)


@settings(max_examples=60, deadline=None)
@given(rows_strategy, st.randoms(use_true_random=False))
def test_row_order_does_not_change_the_result_set(
    rows: list[tuple[str, dt.date, int]], shuffler: Random
) -> None:
    """Exact repeats are dropped whatever their position; the typed set is the same."""

    def typed_set(order: list[tuple[str, dt.date, int]]) -> set[tuple[object, ...]]:
        columns: dict[str, list[str | None]] = {
            "date": [d.strftime("%d/%m/%Y") for _, d, _ in order] + ["31/12/2026"],
            "channel": ["email"] * (len(order) + 1),
            "campaign_id": [c for c, _, _ in order] + ["c9"],
            "cost": [f"{cents / 100:.2f}".replace(".", ",") for _, _, cents in order] + ["1,5"],
        }
        data = pa.table({k: pa.array(c, pa.string()) for k, c in columns.items()})
        raw = RawTable("t.csv", data, pa.array(range(2, len(order) + 3), pa.int64()))
        table = coerce(raw, TABLES["spend"], ParseOptions())
        return {tuple(r.values()) for r in table.data.to_pylist()}

    unique = list({(c, d): (c, d, cents) for c, d, cents in rows}.values())
    doubled = unique + unique[: len(unique) // 2]
    shuffled = list(doubled)
    shuffler.shuffle(shuffled)
    assert typed_set(doubled) == typed_set(shuffled) == typed_set(unique)
