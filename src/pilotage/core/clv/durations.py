"""Subscriptions -> contract durations for the shifted-beta-geometric model, with
right-censoring, and the cohorts' survival counts.

The unit of analysis is an account: its subscription life runs from the start of its first
subscription to the end of its last one. It has churned when every subscription had ended
by the calibration end; an account still active then (or whose end is after it) is
right-censored. Durations are counted in whole periods of the time unit (calendar months
and years, 7-day weeks, days):

- churned after d periods (d possibly fractional): it was active in ceil(d) periods and did
  not renew after the last one, so T = max(1, ceil(d)), churned;
- active after d periods at the calibration end: it renewed floor(d) times, so
  T = floor(d), censored (survival S(T)); an account with T = 0 says nothing and is left
  out (counted apart).

When the data begin later than some accounts (``observed_from``: an export that holds the
accounts alive at that date but none that churned before it), those accounts enter after
e = floor(periods from their start to that date) renewals, and the model conditions on
their surviving them (left truncation); without it they would make churn look too rare.

Survival is then estimated without the model by Kaplan-Meier over accounts (every period's
churn among the accounts observed in it), to set beside the model's S(t)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from pilotage.core.clv.summary import FloatArray, IntArray, Summary
from pilotage.core.clv.terms import sum_by
from pilotage.core.clv.transactions import TimeUnit, periods

Days = npt.NDArray[np.datetime64]


def _full_periods(start: Days, end: Days, unit: TimeUnit) -> tuple[IntArray, npt.NDArray[np.bool_]]:
    """Whole periods from ``start`` to ``end`` (end >= start), and whether ``end`` falls
    exactly on a period boundary of ``start`` (same day of month for months...)."""
    s, e = start.astype("datetime64[D]"), end.astype("datetime64[D]")
    if unit in ("days", "weeks"):
        length = 1 if unit == "days" else 7
        days = (e - s).astype(np.int64)
        return days // length, days % length == 0
    months = (e.astype("datetime64[M]") - s.astype("datetime64[M]")).astype(np.int64)
    start_day = (s - s.astype("datetime64[M]")).astype(np.int64)  # 0-based day of month
    end_day = (e - e.astype("datetime64[M]")).astype(np.int64)
    last_day = (
        (e.astype("datetime64[M]") + 1).astype("datetime64[D]")
        - 1
        - e.astype("datetime64[M]").astype("datetime64[D]")
    ).astype(np.int64)
    # A start on the 31st renews on the last day of shorter months.
    anniversary = np.minimum(start_day, last_day)
    full = months - (end_day < anniversary)
    exact = end_day == anniversary
    if unit == "years":
        return full // 12, exact & (full % 12 == 0)
    return full, exact


@dataclass(frozen=True, eq=False)
class Durations:
    """One row per account kept: ``T`` periods (>= 1), ``churned``, the ``entry`` (renewals
    before the data begin, < T) and the start period (``cohort``, an index of
    :func:`periods`); ``horizon`` is the whole periods from the start to the calibration
    end. ``too_recent`` accounts (active, less than one period) are left out."""

    accounts: npt.NDArray[np.str_]
    T: IntArray
    churned: npt.NDArray[np.bool_]
    entry: IntArray
    cohort: IntArray
    horizon: IntArray
    too_recent: int

    def summary(self) -> Summary:
        """Weighted distinct (T, churned, entry) rows for :mod:`sbg` (frequency = churned,
        recency = entry)."""
        rows = Summary(
            self.churned.astype(np.float64),
            self.entry.astype(np.float64),
            self.T.astype(np.float64),
            np.ones(len(self.T)),
            np.full(len(self.T), np.nan),
        )
        return rows.collapse()[0]


def account_durations(
    account: npt.ArrayLike,
    started: Days,
    ended: Days,
    calibration_end: np.datetime64,
    unit: TimeUnit,
    observed_from: np.datetime64 | None = None,
) -> Durations:
    """``ended`` is NaT for subscriptions still running. Subscriptions that start after the
    calibration end are ignored; ends after it are not known yet (censored). Accounts that
    started before ``observed_from`` enter the data then (left truncation)."""
    ids = np.asarray(account).astype(str)
    start = started.astype("datetime64[D]")
    end = ended.astype("datetime64[D]")
    cal = np.asarray(calibration_end).astype("datetime64[D]")
    seen = start <= cal
    ids, start, end = ids[seen], start[seen], end[seen]
    names, code = np.unique(ids, return_inverse=True)
    code = code.reshape(-1)
    n = len(names)
    first = np.full(n, np.datetime64("9999-12-31", "D"))
    np.minimum.at(first, code, start)
    open_ = np.isnat(end) | (end > cal)
    running = sum_by(code, open_.astype(np.float64), n) > 0
    last = np.full(n, np.datetime64("0001-01-01", "D"))
    np.maximum.at(last, code, np.where(open_, cal, end))
    last = np.maximum(last, first)
    churned = ~running
    full, exact = _full_periods(first, np.where(churned, last, cal), unit)
    lived = np.where(churned, np.maximum(1, full + ~exact), full)
    horizon, _ = _full_periods(first, np.full(n, cal), unit)
    entry = np.zeros(n, dtype=np.int64)
    if observed_from is not None:
        seen_from = np.asarray(observed_from).astype("datetime64[D]")
        before = first < seen_from
        done, _ = _full_periods(first, np.where(before, seen_from, first), unit)
        entry = np.where(before, np.minimum(done, lived - 1), 0)
        # Gone before the data begin: such accounts cannot be in truncated data.
        lived = np.where(churned & (last < seen_from), 0, lived)
    keep = lived >= 1
    return Durations(
        accounts=names[keep],
        T=lived[keep].astype(np.int64),
        churned=churned[keep],
        entry=np.maximum(entry[keep], 0).astype(np.int64),
        cohort=periods(first[keep], unit),
        horizon=horizon[keep].astype(np.int64),
        too_recent=int((~keep).sum()),
    )


@dataclass(frozen=True)
class Cohort:
    """Accounts that started in one period, and how many were still there after each
    whole period 0, 1, ..., horizon (the periods every one of them was observed for)."""

    period: int
    accounts: int
    survivors: tuple[int, ...]


def cohorts(data: Durations) -> list[Cohort]:
    """Cohorts observed from their start (none of their accounts entered late)."""
    out = []
    late = np.unique(data.cohort[data.entry > 0])
    for period in np.setdiff1d(np.unique(data.cohort), late):
        pick = data.cohort == period
        horizon = int(data.horizon[pick].min())
        t = np.arange(horizon + 1)
        # Alive after t periods: churned accounts lived T > t; censored ones reach the horizon.
        alive = ~data.churned[pick][:, None] | (data.T[pick][:, None] > t[None, :])
        out.append(
            Cohort(
                period=int(period),
                accounts=int(pick.sum()),
                survivors=tuple(int(v) for v in alive.sum(axis=0)),
            )
        )
    return out


def kaplan_meier(data: Durations) -> tuple[FloatArray, FloatArray]:
    """(at risk (P,), S(t) for t = 1..P), P the longest duration: at period t, the accounts
    at risk are those observed in it (entry < t <= T); those lost are the churned with
    T = t."""
    longest = int(data.T.max(initial=0))
    t = np.arange(1, longest + 1)
    observed = (data.entry[:, None] < t[None, :]) & (data.T[:, None] >= t[None, :])
    at_risk = observed.sum(axis=0).astype(np.float64)
    lost = np.bincount(data.T[data.churned], minlength=longest + 1)[1:].astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        step = np.where(at_risk > 0, 1.0 - lost / at_risk, 1.0)
    return at_risk, np.asarray(np.cumprod(step), dtype=np.float64)
