"""Shared sales and marketing goals of a target account list: what each goal counts, and
how far a period's actual is from its target.

Every goal is about the list's accounts only, over the inclusive local days of a period:

- ``pipeline``: amount of the opportunities created in the period (the KPI engine's
  ``pipeline_created`` restricted to the list's accounts), in the reporting currency;
- ``opportunities``: number of those opportunities (``opportunities_created``);
- ``meetings``: touches of type ``sales_meeting`` in the period, on the account or on one of
  its people (a touch with both counts once, for the account it names);
- ``engaged_coverage``: share of the list's accounts with at least one touch of any type
  (marketing or sales, on the account or its people) in the period;
- ``opportunity_coverage``: share of the list's accounts with an opportunity open at some
  moment of the period (created on or before its last day, and not closed before its first).

Progress is read as of a day: before the period it has not started; after it, the goal is
achieved or missed; during it, a count or amount is on track when the actual reaches the
target prorated by the days elapsed (a linear pace), while a coverage (a share, not a flow)
has no pace: it is behind until it reaches its target.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Literal, get_args

from pilotage.errors import UsageError

GoalMetric = Literal[
    "pipeline", "opportunities", "meetings", "engaged_coverage", "opportunity_coverage"
]
GOAL_METRICS: tuple[GoalMetric, ...] = get_args(GoalMetric)
GoalStatus = Literal["not_started", "on_track", "behind", "achieved", "missed"]
GOAL_STATUSES: tuple[GoalStatus, ...] = get_args(GoalStatus)
#: The unit each goal is read in.
GOAL_UNITS: dict[GoalMetric, Literal["currency", "count", "percent"]] = {
    "pipeline": "currency",
    "opportunities": "count",
    "meetings": "count",
    "engaged_coverage": "percent",
    "opportunity_coverage": "percent",
}
#: (English, French) name and definition of each goal.
GOAL_NAMES: dict[GoalMetric, tuple[str, str]] = {
    "pipeline": ("Pipeline created", "Pipeline créé"),
    "opportunities": ("Opportunities created", "Opportunités créées"),
    "meetings": ("Sales meetings", "Rendez-vous commerciaux"),
    "engaged_coverage": ("Accounts engaged", "Comptes engagés"),
    "opportunity_coverage": ("Accounts with an open opportunity", "Comptes avec opportunité"),
}
GOAL_DEFINITIONS: dict[GoalMetric, tuple[str, str]] = {
    "pipeline": (
        "Sum of the amounts of the list's opportunities created in the period "
        "(KPI pipeline_created restricted to the list's accounts).",
        "Somme des montants des opportunités des comptes de la liste créées sur la période "
        "(KPI pipeline_created restreint aux comptes de la liste).",
    ),
    "opportunities": (
        "Number of the list's opportunities created in the period "
        "(KPI opportunities_created restricted to the list's accounts).",
        "Nombre d'opportunités des comptes de la liste créées sur la période "
        "(KPI opportunities_created restreint aux comptes de la liste).",
    ),
    "meetings": (
        "Touches of type sales_meeting in the period, on a list account or one of its people.",
        "Points de contact de type sales_meeting sur la période, sur un compte de la liste "
        "ou l'une de ses personnes.",
    ),
    "engaged_coverage": (
        "Share of the list's accounts with at least one touch (marketing or sales, on the "
        "account or its people) in the period.",
        "Part des comptes de la liste ayant au moins un point de contact (marketing ou "
        "commercial, sur le compte ou ses personnes) sur la période.",
    ),
    "opportunity_coverage": (
        "Share of the list's accounts with an opportunity open at some moment of the period "
        "(created by its last day, not closed before its first).",
        "Part des comptes de la liste ayant une opportunité ouverte à un moment de la période "
        "(créée au plus tard le dernier jour, non close avant le premier).",
    ),
}
#: Coverage goals are shares of the list (0 to 1).
COVERAGE_GOALS: frozenset[GoalMetric] = frozenset({"engaged_coverage", "opportunity_coverage"})
#: Largest amount or count a goal may target (beyond it, a typo is more likely than a plan).
MAX_TARGET = 1e12


def goal_metric(value: str) -> GoalMetric:
    """``value`` as a goal metric, or a UsageError listing them."""
    for metric in GOAL_METRICS:
        if value == metric:
            return metric
    raise UsageError(f"unknown goal metric {value!r}", fix=f"use one of {', '.join(GOAL_METRICS)}")


def check_target(metric: GoalMetric, target: float) -> float:
    """A target the goal can take: positive and finite; a coverage at most 1 (a share)."""
    if not target == target or target <= 0 or target > MAX_TARGET:  # NaN fails the first test
        raise UsageError(
            f"the {metric} target {target!r} is not a positive number",
            fix=f"give a target above 0 and at most {MAX_TARGET:g}",
        )
    if metric in COVERAGE_GOALS and target > 1:
        raise UsageError(
            f"the {metric} target {target:g} is above 1: a coverage is a share of the list",
            fix=f"write the share as a fraction, e.g. {min(target / 100, 1):g} for {target:g}%",
        )
    return float(target)


@dataclass(frozen=True)
class Progress:
    """How a goal stands on ``as_of``: ``elapsed`` share of the period's days (0 to 1),
    ``expected`` actual at a linear pace (the target itself for coverages), ``attainment``
    = actual / target."""

    actual: float
    target: float
    attainment: float
    elapsed: float
    expected: float
    status: GoalStatus


def progress(
    metric: GoalMetric,
    target: float,
    actual: float,
    start: datetime.date,
    end: datetime.date,
    as_of: datetime.date,
) -> Progress:
    """The goal's standing on ``as_of`` (see the module's rules)."""
    if start > end:
        raise ValueError(f"period start {start} is after its end {end}")
    days = (end - start).days + 1
    elapsed = min(max(((as_of - start).days + 1) / days, 0.0), 1.0)
    expected = target if metric in COVERAGE_GOALS else target * elapsed
    status: GoalStatus
    if as_of < start:
        status = "not_started"
    elif actual >= target:
        status = "achieved"
    elif as_of >= end:
        status = "missed"
    else:
        status = "on_track" if actual >= expected else "behind"
    return Progress(actual, target, actual / target, elapsed, expected, status)
