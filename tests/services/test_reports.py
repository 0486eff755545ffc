"""Report periods and comparisons: parsing, shifting, the latest complete period, changes."""

from __future__ import annotations

import datetime

import pytest

from pilotage.errors import UsageError
from pilotage.services.report_periods import latest_complete, parse_period, period_of
from pilotage.services.reports import change

D = datetime.date


@pytest.mark.parametrize(
    ("kind", "text", "start", "end", "label"),
    [
        ("monthly", "2026-10", D(2026, 10, 1), D(2026, 10, 31), "2026-10"),
        ("monthly", "2024-02", D(2024, 2, 1), D(2024, 2, 29), "2024-02"),
        ("weekly", "2026-W43", D(2026, 10, 19), D(2026, 10, 25), "2026-W43"),
        ("weekly", "2026-w01", D(2025, 12, 29), D(2026, 1, 4), "2026-W01"),
        ("quarterly", "2026-Q3", D(2026, 7, 1), D(2026, 9, 30), "2026-Q3"),
        (None, "2026-Q4", D(2026, 10, 1), D(2026, 12, 31), "2026-Q4"),
    ],
)
def test_parse_period(kind, text, start, end, label):
    period = parse_period(kind, text)
    assert (period.start, period.end, period.label) == (start, end, label)


@pytest.mark.parametrize(
    ("kind", "text"),
    [("monthly", "2026-13"), ("monthly", "2026-1"), ("weekly", "2026-W54"), ("quarterly", "Q3")],
)
def test_bad_period_names_option_and_form(kind, text):
    with pytest.raises(UsageError) as caught:
        parse_period(kind, text)
    assert "--period" in caught.value.message and caught.value.fix.startswith("write --period as")


def test_shift_and_year_before():
    month = parse_period("monthly", "2026-01")
    assert month.shifted(-1).label == "2025-12" and month.shifted(13).label == "2027-02"
    assert month.year_before().label == "2025-01"
    quarter = parse_period("quarterly", "2026-Q1")
    assert quarter.shifted(-1).label == "2025-Q4" and quarter.year_before().label == "2025-Q1"
    week = parse_period("weekly", "2026-W43")
    assert week.shifted(-1).label == "2026-W42" and week.year_before().label == "2025-W43"
    assert parse_period("weekly", "2020-W53").year_before().label == "2019-W52"


def test_latest_complete_period():
    today = D(2026, 11, 24)
    assert latest_complete("monthly", today, None).label == "2026-10"
    assert latest_complete("monthly", today, D(2026, 11, 20)).label == "2026-10"
    assert latest_complete("monthly", today, D(2026, 4, 7)).label == "2026-04"
    assert latest_complete("weekly", today, None).label == "2026-W47"
    assert latest_complete("quarterly", today, None).label == "2026-Q3"
    assert period_of("quarterly", D(2026, 12, 31)).label == "2026-Q4"


def test_change_is_absolute_and_relative():
    assert change(150.0, 100.0).model_dump() == {"absolute": 50.0, "relative": 0.5}
    assert change(-50.0, -100.0).relative == 0.5  # less negative is an improvement
    assert change(10.0, 0.0).relative is None and change(10.0, 0.0).absolute == 10.0
    assert change(None, 3.0).absolute is None
