"""Transactions -> customer summaries, with a calibration / holdout split.

Purchases are counted per period of the time unit (several purchases in one day, week or
month are one purchase, their amounts summed), as in the papers: frequency is the number
of periods with a purchase after the first one, recency the periods from the first to the
last of them, T the periods from the first purchase to the calibration end, monetary value
the mean amount of the repeat periods. Customers whose first purchase is after the
calibration end are left out (not acquired yet)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from pilotage.core.clv.summary import FloatArray, IntArray, Summary

TimeUnit = Literal["days", "weeks", "months", "years"]
TIME_UNITS: tuple[TimeUnit, ...] = ("days", "weeks", "months", "years")
#: Periods of each unit in a year: the default prediction horizon.
PER_YEAR: dict[TimeUnit, int] = {"days": 365, "weeks": 52, "months": 12, "years": 1}
_MONDAY = np.datetime64("1970-01-05", "D")


def _sum(
    values: npt.ArrayLike, *, weights: npt.ArrayLike | None = None, minlength: int
) -> FloatArray:
    return np.asarray(np.bincount(values, weights=weights, minlength=minlength), dtype=np.float64)


def periods(days: npt.NDArray[np.datetime64], unit: TimeUnit) -> IntArray:
    """Index of each day's period: days since 1970, ISO weeks (Monday), months, years."""
    d = days.astype("datetime64[D]")
    if unit == "days":
        out = d.astype(np.int64)
    elif unit == "weeks":
        out = (d - _MONDAY).astype(np.int64) // 7
    elif unit == "months":
        out = d.astype("datetime64[M]").astype(np.int64)
    else:
        out = d.astype("datetime64[Y]").astype(np.int64)
    return np.asarray(out, dtype=np.int64)


def period_start(index: IntArray, unit: TimeUnit) -> npt.NDArray[np.datetime64]:
    """First day of each period of :func:`periods`."""
    i = np.asarray(index, dtype=np.int64)
    if unit == "days":
        return i.astype("datetime64[D]")
    if unit == "weeks":
        return _MONDAY + 7 * i
    if unit == "months":
        return i.astype("datetime64[M]").astype("datetime64[D]")
    return i.astype("datetime64[Y]").astype("datetime64[D]")


@dataclass(frozen=True, eq=False)
class CustomerTable:
    """One row per customer: ``customers`` (ids), the calibration ``summary``, the period
    of the first purchase (``first_period``, for cohorts), and the holdout purchases
    (periods with a purchase, amount) over ``holdout_length`` periods.

    For tracking plots: ``repeat_by_period`` counts these customers' repeat purchases in
    each calendar period from ``first_calendar_period`` (the earliest first purchase) to
    the end of the holdout; the calibration ends with period ``calibration_period``."""

    customers: npt.NDArray[np.str_]
    summary: Summary
    first_period: IntArray
    first_day: npt.NDArray[np.datetime64]
    revenue: FloatArray  # calibration revenue, first purchase included
    holdout_frequency: FloatArray
    holdout_amount: FloatArray
    holdout_length: float
    first_calendar_period: int
    calibration_period: int
    repeat_by_period: FloatArray


def summarize(
    customer: npt.ArrayLike,
    day: npt.NDArray[np.datetime64],
    amount: npt.ArrayLike,
    calibration_end: np.datetime64,
    unit: TimeUnit,
    observation_end: np.datetime64 | None = None,
) -> CustomerTable:
    ids = np.asarray(customer).astype(str)
    value = np.asarray(amount, dtype=np.float64)
    when = periods(day, unit)
    cal = int(periods(np.array([calibration_end]), unit)[0])
    obs = cal if observation_end is None else int(periods(np.array([observation_end]), unit)[0])
    names, code = np.unique(ids, return_inverse=True)
    code = code.reshape(-1)
    first = np.full(len(names), np.iinfo(np.int64).max)
    np.minimum.at(first, code, when)
    first_day = np.full(len(names), np.datetime64("9999-12-31", "D"))
    np.minimum.at(first_day, code, day.astype("datetime64[D]"))
    keep_customer = first <= cal
    # Distinct (customer, period) cells with their summed amounts.
    cells, inverse = np.unique(np.stack([code, when]), axis=1, return_inverse=True)
    inverse = inverse.reshape(-1)
    cell_amount = _sum(inverse, weights=value, minlength=cells.shape[1])
    who, period = cells
    in_cal = period <= cal
    in_hold = (period > cal) & (period <= obs)
    n = len(names)
    count = _sum(who[in_cal], minlength=n)
    last = np.full(n, np.iinfo(np.int64).min)
    np.maximum.at(last, who[in_cal], period[in_cal])
    repeat = in_cal & (period > first[who])
    repeat_amount = _sum(who[repeat], weights=cell_amount[repeat], minlength=n)
    revenue = _sum(who[in_cal], weights=cell_amount[in_cal], minlength=n)
    frequency = np.maximum(count - 1, 0)
    recency = np.where(frequency > 0, last - first, 0).astype(np.float64)
    age = (cal - first).astype(np.float64)
    monetary = np.where(frequency > 0, repeat_amount / np.maximum(frequency, 1), np.nan)
    hold_f = _sum(who[in_hold], minlength=n)
    hold_a = _sum(who[in_hold], weights=cell_amount[in_hold], minlength=n)
    k = keep_customer
    origin = int(first[k].min()) if k.any() else cal
    counted = (in_cal | in_hold) & (period > first[who]) & k[who]
    by_period = _sum(period[counted] - origin, minlength=max(obs - origin + 1, 0))
    return CustomerTable(
        customers=names[k],
        summary=Summary(frequency[k], recency[k], age[k], np.ones(int(k.sum())), monetary[k]),
        first_period=first[k],
        first_day=first_day[k],
        revenue=revenue[k],
        holdout_frequency=hold_f[k],
        holdout_amount=hold_a[k],
        holdout_length=float(obs - cal),
        first_calendar_period=origin,
        calibration_period=cal,
        repeat_by_period=by_period,
    )
