"""Public holidays as weekly regressors (pure, offline: the rules are written out here).

Two columns per table: ``public_holidays``, the number of national public holidays that fall
on a working day (Monday to Friday) of the week, and ``year_end``, the share of the week's
days between 24 December and 1 January. Moving feasts (Easter, Ascension, Whit Monday) and
the year-end break are what yearly Fourier terms cannot follow. Regional holidays and
substitute days are left out.
"""

from __future__ import annotations

import datetime
from typing import Literal, get_args

import numpy as np

from pilotage.core.mmm.transforms import F64

Country = Literal["FR", "BE", "CH", "DE", "GB", "US"]
COUNTRIES: tuple[Country, ...] = get_args(Country)
HOLIDAY_COLUMNS = ("public_holidays", "year_end")
_D = datetime.date
_DAY = datetime.timedelta(days=1)


def easter(year: int) -> datetime.date:
    """Gregorian Easter Sunday (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> datetime.date:
    """The ``n``-th ``weekday`` (0 = Monday) of the month; ``n = -1`` is the last one."""
    if n > 0:
        first = _D(year, month, 1)
        return first + _DAY * ((weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = _D(year + month // 12, month % 12 + 1, 1) - _DAY
    return last - _DAY * ((last.weekday() - weekday) % 7)


#: Per country: fixed (month, day) holidays and Easter offsets (days; -2 Good Friday,
#: 1 Easter Monday, 39 Ascension, 50 Whit Monday).
_FIXED: dict[Country, tuple[tuple[int, int], ...]] = {
    "FR": ((1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)),
    "BE": ((1, 1), (5, 1), (7, 21), (8, 15), (11, 1), (11, 11), (12, 25)),
    "CH": ((1, 1), (8, 1), (12, 25), (12, 26)),
    "DE": ((1, 1), (5, 1), (10, 3), (12, 25), (12, 26)),
    "GB": ((1, 1), (12, 25), (12, 26)),
    "US": ((1, 1), (7, 4), (11, 11), (12, 25)),
}
_EASTER: dict[Country, tuple[int, ...]] = {
    "FR": (1, 39, 50),
    "BE": (1, 39, 50),
    "CH": (-2, 1, 39, 50),
    "DE": (-2, 1, 39, 50),
    "GB": (-2, 1),
    "US": (),
}


def _weekday_rules(country: Country, y: int) -> list[datetime.date]:
    """Holidays set as the n-th weekday of a month (and the US's Juneteenth, from 2021)."""
    if country == "GB":  # early May, spring and summer bank holidays
        return [_nth_weekday(y, 5, 0, 1), _nth_weekday(y, 5, 0, -1), _nth_weekday(y, 8, 0, -1)]
    if country == "US":  # MLK, Presidents, Memorial, Labor, Columbus days, Thanksgiving
        days = [
            _nth_weekday(y, 1, 0, 3),
            _nth_weekday(y, 2, 0, 3),
            _nth_weekday(y, 5, 0, -1),
            _nth_weekday(y, 9, 0, 1),
            _nth_weekday(y, 10, 0, 2),
            _nth_weekday(y, 11, 3, 4),
        ]
        return [*days, _D(y, 6, 19)] if y >= 2021 else days
    return []


def public_holidays(country: Country, year: int) -> list[datetime.date]:
    """National public holidays of ``country`` in ``year``, sorted."""
    if country not in _FIXED:
        raise ValueError(f"holidays for {country!r} are not known; allowed: {', '.join(COUNTRIES)}")
    sunday = easter(year)
    return sorted(
        [_D(year, m, d) for m, d in _FIXED[country]]
        + [sunday + _DAY * k for k in _EASTER[country]]
        + _weekday_rules(country, year)
    )


def holiday_columns(weeks: list[datetime.date], country: Country) -> F64:
    """``(n, 2)`` weekly ``public_holidays`` and ``year_end`` for weeks starting on ``weeks``."""
    years = range(min(weeks).year - 1, max(weeks).year + 2)
    days = {d for y in years for d in public_holidays(country, y)}
    out = np.zeros((len(weeks), len(HOLIDAY_COLUMNS)), dtype=np.float64)
    for i, start in enumerate(weeks):
        week = [start + _DAY * k for k in range(7)]
        out[i, 0] = sum(1 for d in week if d in days and d.weekday() < 5)
        out[i, 1] = sum(1 for d in week if (d.month, d.day) >= (12, 24) or d == _D(d.year, 1, 1))
        out[i, 1] /= 7.0
    return out


_TIMEZONES: dict[str, Country] = {
    "Europe/Paris": "FR",
    "Europe/Brussels": "BE",
    "Europe/Zurich": "CH",
    "Europe/Berlin": "DE",
    "Europe/London": "GB",
    "America/New_York": "US",
    "America/Chicago": "US",
    "America/Denver": "US",
    "America/Los_Angeles": "US",
}


def country_of_timezone(timezone: str) -> Country | None:
    """The country whose holidays a workspace in ``timezone`` most likely follows."""
    return _TIMEZONES.get(timezone)
