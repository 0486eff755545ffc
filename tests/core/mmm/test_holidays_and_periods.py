"""Holiday regressors (pinned dates) and daily rows summed into ISO weeks."""

from __future__ import annotations

import datetime

import numpy as np
import pytest

from pilotage.core.mmm.holidays import (
    COUNTRIES,
    country_of_timezone,
    easter,
    holiday_columns,
    public_holidays,
)
from pilotage.core.mmm.periods import weekly_table

D = datetime.date


@pytest.mark.parametrize(
    ("year", "sunday"),
    [
        (1961, D(1961, 4, 2)),
        (2000, D(2000, 4, 23)),
        (2024, D(2024, 3, 31)),
        (2025, D(2025, 4, 20)),
        (2026, D(2026, 4, 5)),
        (2038, D(2038, 4, 25)),
    ],
)
def test_easter_sunday_pinned(year, sunday):
    assert easter(year) == sunday


def test_french_holidays_of_2025_pinned():
    assert public_holidays("FR", 2025) == [
        D(2025, 1, 1),
        D(2025, 4, 21),
        D(2025, 5, 1),
        D(2025, 5, 8),
        D(2025, 5, 29),
        D(2025, 6, 9),
        D(2025, 7, 14),
        D(2025, 8, 15),
        D(2025, 11, 1),
        D(2025, 11, 11),
        D(2025, 12, 25),
    ]


def test_weekday_rules_of_gb_and_us():
    gb = public_holidays("GB", 2025)
    assert D(2025, 5, 5) in gb and D(2025, 5, 26) in gb and D(2025, 8, 25) in gb
    us = public_holidays("US", 2025)
    assert D(2025, 11, 27) in us and D(2025, 1, 20) in us and D(2025, 6, 19) in us
    assert D(2020, 6, 19) not in public_holidays("US", 2020)
    assert all(len(public_holidays(c, 2024)) >= 8 for c in COUNTRIES)


def test_holiday_columns_count_working_days_and_the_year_end():
    weeks = [D(2024, 12, 16) + datetime.timedelta(weeks=i) for i in range(4)]
    cols = holiday_columns(weeks, "FR")
    np.testing.assert_allclose(cols[:, 0], [0, 1, 1, 0])  # 25 Dec, then 1 Jan
    np.testing.assert_allclose(cols[:, 1], [0, 6 / 7, 3 / 7, 0])  # 24-31 Dec, 1 Jan
    # 14 July 2024 is a Sunday: no working day lost
    assert holiday_columns([D(2024, 7, 8)], "FR")[0, 0] == 0


def test_unknown_country_and_timezone():
    with pytest.raises(ValueError, match="allowed: FR"):
        public_holidays("XX", 2025)  # type: ignore[arg-type]
    assert country_of_timezone("Europe/Paris") == "FR"
    assert country_of_timezone("Asia/Tokyo") is None


def _days(start: datetime.date, n: int) -> list[datetime.date]:
    return [start + datetime.timedelta(days=i) for i in range(n)]


def test_daily_rows_sum_into_full_iso_weeks():
    days = _days(D(2024, 1, 3), 26)  # Wednesday 3 Jan to Sunday 28 Jan
    n = len(days)
    target = np.arange(n, dtype=float)
    spend = np.ones((n, 2))
    controls = np.arange(n, dtype=float)[:, None]
    data = weekly_table(days, target, ("a", "b"), spend, ("price",), controls)
    assert data.weeks == (D(2024, 1, 8), D(2024, 1, 15), D(2024, 1, 22))  # partial first week out
    np.testing.assert_allclose(
        data.target, [sum(range(5, 12)), sum(range(12, 19)), sum(range(19, 26))]
    )
    np.testing.assert_allclose(data.spend, np.full((3, 2), 7.0))
    assert data.controls is not None
    np.testing.assert_allclose(data.controls[:, 0], [8.0, 15.0, 22.0])  # averaged, not summed


def test_weekly_rows_are_kept_and_irregular_rows_refused():
    weeks = [D(2024, 1, 1) + datetime.timedelta(weeks=i) for i in range(3)]
    data = weekly_table(weeks, np.ones(3), ("a",), np.ones((3, 1)))
    assert data.weeks == tuple(weeks)
    with pytest.raises(ValueError, match=r"one per week .* found 2024-01-08 then 2024-01-10"):
        weekly_table([*weeks[:2], D(2024, 1, 10)], np.ones(3), ("a",), np.ones((3, 1)))
    with pytest.raises(ValueError, match="no full week"):
        weekly_table(_days(D(2024, 1, 3), 4), np.ones(4), ("a",), np.ones((4, 1)))
