"""Spend pacing: what a plan allows to date (flight budgets spread evenly over their days)
against what was spent, and where the month ends at the current pace."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Literal

PacingKind = Literal["overspend", "underspend"]


@dataclass(frozen=True)
class Flight:
    """A budget to spend evenly from ``start`` to ``end`` (inclusive days)."""

    budget: float
    start: datetime.date
    end: datetime.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"a flight ends ({self.end}) before it starts ({self.start})")

    def planned(self, first: datetime.date, last: datetime.date) -> float:
        """The share of the budget falling on the days [first, last]."""
        lo, hi = max(first, self.start), min(last, self.end)
        if hi < lo:
            return 0.0
        days = (self.end - self.start).days + 1
        return self.budget * ((hi - lo).days + 1) / days


@dataclass(frozen=True)
class Pacing:
    planned_to_date: float
    spent_to_date: float
    planned_period: float
    #: Spend at the end of the period if the pace of the elapsed days goes on.
    projected: float
    #: spent / planned to date (None without a plan to date).
    ratio: float | None
    elapsed_days: int
    period_days: int

    @property
    def gap(self) -> float:
        """Projected minus planned spend for the whole period (positive: over)."""
        return self.projected - self.planned_period


def pace(
    planned_to_date: float,
    spent_to_date: float,
    planned_period: float,
    elapsed_days: int,
    period_days: int,
) -> Pacing:
    if not 0 < elapsed_days <= period_days:
        raise ValueError(f"elapsed days {elapsed_days} outside 1..{period_days}")
    return Pacing(
        planned_to_date=planned_to_date,
        spent_to_date=spent_to_date,
        planned_period=planned_period,
        projected=spent_to_date * period_days / elapsed_days,
        ratio=spent_to_date / planned_to_date if planned_to_date > 0 else None,
        elapsed_days=elapsed_days,
        period_days=period_days,
    )


def pacing_kind(p: Pacing, tolerance: float, min_amount: float) -> PacingKind | None:
    """Over or under plan by more than ``tolerance`` (relative) and ``min_amount``."""
    if p.ratio is None:
        return "overspend" if p.spent_to_date > min_amount else None
    off = p.spent_to_date - p.planned_to_date
    if abs(off) < min_amount or abs(p.ratio - 1.0) < tolerance:
        return None
    return "overspend" if off > 0 else "underspend"
