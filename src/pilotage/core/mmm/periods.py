"""Rows of a file, one per week or one per day, made into the model's weekly table (pure).

Daily rows are summed into ISO weeks (Monday first): KPI and spend add up, controls are
averaged. Weeks with fewer than 7 days of rows (the table's first and last, usually) are
left out rather than read as a drop in the KPI.
"""

from __future__ import annotations

import datetime
import itertools
from collections import defaultdict

import numpy as np

from pilotage.core.mmm.design import WeeklyData
from pilotage.core.mmm.transforms import F64


def weekly_table(
    days: list[datetime.date],
    target: F64,
    channels: tuple[str, ...],
    spend: F64,
    control_names: tuple[str, ...] = (),
    controls: F64 | None = None,
) -> WeeklyData:
    """``days`` (n,) sorted, distinct; ``target`` (n,); ``spend`` (n, c); ``controls`` (n, k).

    Rows 7 days apart are taken as weeks as they are; rows 1 day apart are summed into ISO
    weeks. Any other spacing is refused (ValueError names the first irregular gap)."""
    if len(days) < 2:
        raise ValueError("the table needs at least two rows")
    pairs = list(itertools.pairwise(days))
    step = (days[1] - days[0]).days
    irregular = next(((a, b) for a, b in pairs if (b - a).days != step), None)
    if step not in (1, 7) or irregular is not None:
        first, second = irregular or pairs[0]
        raise ValueError(
            f"rows must be one per week (7 days apart) or one per day; found {first} then {second}"
        )
    if step == 7:
        return WeeklyData(tuple(days), target, channels, spend, control_names, controls)
    groups: dict[datetime.date, list[int]] = defaultdict(list)
    for i, d in enumerate(days):
        groups[d - datetime.timedelta(days=d.weekday())].append(i)
    weeks = [w for w in sorted(groups) if len(groups[w]) == 7]
    if not weeks:
        raise ValueError("the daily rows cover no full week (Monday to Sunday)")
    rows = [groups[w] for w in weeks]
    return WeeklyData(
        tuple(weeks),
        np.array([target[r].sum() for r in rows], dtype=np.float64),
        channels,
        np.array([spend[r].sum(axis=0) for r in rows], dtype=np.float64),
        control_names,
        None
        if controls is None
        else np.array([controls[r].mean(axis=0) for r in rows], dtype=np.float64),
    )
