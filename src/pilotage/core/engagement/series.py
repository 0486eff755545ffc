"""DAU, WAU, MAU and stickiness per period, from distinct active counts per day, ISO week
and month (what :mod:`activity` returns).

Definitions (one place): over a reporting period P clipped to the window,
- DAU = mean over the days of P of the units active that day (a day without activity
  counts as 0);
- WAU = mean over the ISO weeks starting in P of the units active that week;
- MAU = mean over the calendar months starting in P of the units active that month (none
  for a weekly period: a week holds no whole month);
- stickiness = DAU / MAU, the share of a month's users active on a typical day (and
  DAU / WAU for the week).
Weeks and months cut by the window's edges are partial: their counts are kept as they are.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from pilotage.core.kpis.periods import Period, period_spans


@dataclass(frozen=True)
class ActivePoint:
    period: datetime.date
    days: int
    #: True when the window cuts the period (its figures cover fewer days).
    partial: bool
    dau: float
    wau: float | None
    mau: float | None
    #: DAU / MAU and DAU / WAU (None without the denominator).
    stickiness: float | None
    weekly_stickiness: float | None


def _mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


def _ratio(num: float | None, den: float | None) -> float | None:
    return num / den if num is not None and den else None


def active_points(
    daily: Mapping[datetime.date, int],
    weekly: Mapping[datetime.date, int],
    monthly: Mapping[datetime.date, int],
    first: datetime.date,
    last: datetime.date,
    period: Period,
) -> list[ActivePoint]:
    """One point per ``period`` meeting [first, last]; weekly and monthly keys are the
    periods' first days (Monday, the 1st)."""
    if period not in ("week", "month", "quarter", "year"):
        raise ValueError(f"DAU/WAU/MAU need a week, month, quarter or year period, not {period}")
    points = []
    for key, lo, hi in period_spans(first, last, period):
        days = (hi - lo).days + 1
        dau = sum(daily.get(lo + datetime.timedelta(days=i), 0) for i in range(days)) / days
        weeks = [n for k, n in weekly.items() if lo <= k <= hi or (period == "week" and k == key)]
        wau = _mean(weeks)
        mau = None
        if period != "week":
            mau = _mean([n for k, n in monthly.items() if lo <= k <= hi or k == key])
        partial = lo != key or hi != _last_day(key, period)
        points.append(
            ActivePoint(key, days, partial, dau, wau, mau, _ratio(dau, mau), _ratio(dau, wau))
        )
    return points


def _last_day(key: datetime.date, period: Period) -> datetime.date:
    """Last day of the period starting on ``key`` (a year holds every period)."""
    return period_spans(key, key + datetime.timedelta(days=366), period)[0][2]


@dataclass(frozen=True)
class ActiveSummary:
    """Means over every day, week and month of [first, last]."""

    dau: float
    wau: float | None
    mau: float | None
    stickiness: float | None
    weekly_stickiness: float | None


def summary(
    daily: Mapping[datetime.date, int],
    weekly: Mapping[datetime.date, int],
    monthly: Mapping[datetime.date, int],
    first: datetime.date,
    last: datetime.date,
) -> ActiveSummary:
    days = (last - first).days + 1
    dau = sum(daily.get(first + datetime.timedelta(days=i), 0) for i in range(days)) / days
    wau = _mean(list(weekly.values()))
    mau = _mean(list(monthly.values()))
    return ActiveSummary(dau, wau, mau, _ratio(dau, mau), _ratio(dau, wau))
