"""Demo configuration and the calendar every demo module shares.

Times are integer microseconds since 1970-01-01 UTC (``int64``); ``NO_TIME`` (-1) marks a
missing timestamp. Weeks are ISO weeks (Monday first); the first and last week of the period
may be partial (``week_days`` < 7).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

US_PER_DAY = 86_400_000_000
US_PER_HOUR = 3_600_000_000
US_PER_MINUTE = 60_000_000
NO_TIME = -1
_EPOCH = dt.date(1970, 1, 1)


@dataclass(frozen=True)
class DemoConfig:
    """What to generate: ``months`` full calendar months ending with ``end_date``'s month."""

    seed: int = 42
    months: int = 24
    scale: float = 1.0
    end_date: dt.date = dt.date(2026, 10, 31)

    def __post_init__(self) -> None:
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0:
            raise ValueError(f"seed must be a non-negative integer, not {self.seed!r}")
        if isinstance(self.months, bool) or not isinstance(self.months, int):
            raise ValueError(f"months must be an integer from 3 to 120, not {self.months!r}")
        if not 3 <= self.months <= 120:
            raise ValueError(f"months must be between 3 and 120, not {self.months}")
        if isinstance(self.scale, bool) or not isinstance(self.scale, int | float):
            raise ValueError(f"scale must be a number in (0, 100], not {self.scale!r}")
        if not 0 < float(self.scale) <= 100:
            raise ValueError(f"scale must be in (0, 100] (greater than 0), not {self.scale}")
        if not isinstance(self.end_date, dt.date) or isinstance(self.end_date, dt.datetime):
            raise ValueError(f"end_date must be a datetime.date, not {self.end_date!r}")
        if not dt.date(2000, 1, 1) <= self.end_date <= dt.date(2100, 12, 31):
            raise ValueError(
                f"end_date must be between 2000-01-01 and 2100-12-31, not {self.end_date}"
            )


def _month_start(year: int, month: int) -> dt.date:
    year += (month - 1) // 12
    return dt.date(year, (month - 1) % 12 + 1, 1)


def day_number(day: dt.date) -> int:
    """Days since 1970-01-01 (the arrow ``date32`` value)."""
    return (day - _EPOCH).days


def to_date(day_num: int) -> dt.date:
    return _EPOCH + dt.timedelta(days=int(day_num))


@dataclass(frozen=True)
class Calendar:
    """Days, ISO weeks and months of the demo period, as index arrays over days."""

    start: dt.date
    end: dt.date  # inclusive last day
    n_days: int
    start_us: int
    end_us: int  # exclusive: midnight after the last day
    day_num: I64  # (n_days,) days since epoch
    weekday: I64  # (n_days,) 0 = Monday
    day_week: I64  # (n_days,) week index
    day_month: I64  # (n_days,) month index
    year_frac: F64  # (n_days,) position in the calendar year, 0..1
    n_weeks: int
    week_days: I64  # (n_weeks,) days of the week inside the period (1..7)
    week_monday: I64  # (n_weeks,) day number of each week's Monday
    n_months: int
    month_first: I64  # (n_months,) day number of each month's first day
    week_year_frac: F64 = field(repr=False)  # (n_weeks,) year position of each week's middle

    @property
    def years(self) -> float:
        return self.n_days / 365.25

    def week_of_date(self, day: dt.date) -> int:
        return int(self.day_week[day_number(day) - int(self.day_num[0])])


def build_calendar(config: DemoConfig) -> Calendar:
    end_month = _month_start(config.end_date.year, config.end_date.month)
    start = _month_start(end_month.year, end_month.month - config.months + 1)
    end = _month_start(end_month.year, end_month.month + 1) - dt.timedelta(days=1)
    first = day_number(start)
    day_num = np.arange(first, day_number(end) + 1, dtype=np.int64)
    weekday = (day_num + 3) % 7  # 1970-01-01 was a Thursday
    first_monday = first - int(weekday[0])
    day_week = (day_num - first_monday) // 7
    n_weeks = int(day_week[-1]) + 1
    months = np.array(
        [day_number(_month_start(start.year, start.month + k)) for k in range(config.months)],
        dtype=np.int64,
    )
    day_month = np.searchsorted(months, day_num, side="right").astype(np.int64) - 1
    dates = day_num.astype("datetime64[D]")
    year_start = dates.astype("datetime64[Y]").astype("datetime64[D]")
    year_frac = (dates - year_start).astype(np.float64) / 365.25
    week_monday = first_monday + 7 * np.arange(n_weeks, dtype=np.int64)
    week_mid = (week_monday + 3).astype("datetime64[D]")
    week_year_frac = (week_mid - week_mid.astype("datetime64[Y]").astype("datetime64[D]")).astype(
        np.float64
    ) / 365.25
    return Calendar(
        start=start,
        end=end,
        n_days=len(day_num),
        start_us=first * US_PER_DAY,
        end_us=(int(day_num[-1]) + 1) * US_PER_DAY,
        day_num=day_num,
        weekday=weekday,
        day_week=day_week,
        day_month=day_month,
        year_frac=year_frac,
        n_weeks=n_weeks,
        week_days=np.bincount(day_week, minlength=n_weeks).astype(np.int64),
        week_monday=week_monday,
        n_months=config.months,
        month_first=months,
        week_year_frac=week_year_frac,
    )
