"""The initiative lifecycle: proposed -> approved -> launched -> evaluated, forward only.

Rule zero: nothing launches without a complete measurement plan and business case. A
committee approves a business case, so approval needs a complete case; evaluation waits
for the plan's evaluation date. Each refusal names what is missing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Literal, get_args

from pilotage.core.planning.plans import BusinessCase, MeasurementPlan

Status = Literal["proposed", "approved", "launched", "evaluated"]
STATUSES: tuple[Status, ...] = get_args(Status)
Action = Literal["approve", "launch", "evaluate"]
ACTIONS: tuple[Action, ...] = get_args(Action)
#: action -> (status it starts from, status it leads to).
MOVES: dict[Action, tuple[Status, Status]] = {
    "approve": ("proposed", "approved"),
    "launch": ("approved", "launched"),
    "evaluate": ("launched", "evaluated"),
}
#: Statuses whose plan and case may still change (a change after approval withdraws it).
EDITABLE: tuple[Status, ...] = ("proposed", "approved")


@dataclass(frozen=True)
class Readiness:
    """What each next step still lacks (empty: it may be taken)."""

    plan_missing: tuple[str, ...]
    case_missing: tuple[str, ...]

    @property
    def launchable(self) -> bool:
        return not self.plan_missing and not self.case_missing


def readiness(plan: MeasurementPlan, case: BusinessCase) -> Readiness:
    return Readiness(tuple(plan.missing()), tuple(case.missing()))


@dataclass(frozen=True)
class Refusal:
    reason: str
    fix: str


_ARTICLE = {"proposed": "a proposed", "approved": "an approved", "launched": "a launched"}


def refusal(
    action: Action,
    status: Status,
    plan: MeasurementPlan,
    case: BusinessCase,
    today: datetime.date,
) -> Refusal | None:
    """Why ``action`` may not be taken now, and the fix (None: it may). ``today`` is the
    workspace's day."""
    origin, _ = MOVES[action]
    ready = readiness(plan, case)
    if action == "launch" and not ready.launchable:
        lacks = [f"measurement plan: {', '.join(ready.plan_missing)}"] * bool(ready.plan_missing)
        lacks += [f"business case: {', '.join(ready.case_missing)}"] * bool(ready.case_missing)
        return Refusal(
            "cannot launch without a complete measurement plan and business case (rule zero); "
            "missing " + "; ".join(lacks),
            "complete them with 'pilotage initiative plan ID ...' and 'pilotage initiative "
            "case ID ...' (or the initiative's page), then approve and launch",
        )
    if status != origin:
        return Refusal(
            f"cannot {action} an initiative that is {status}: only {_ARTICLE[origin]} one can be",
            {
                "approve": "it was approved already, or is past approval",
                "launch": "approve it first (pilotage initiative approve ID)",
                "evaluate": "launch it first; an evaluated one keeps its evaluation",
            }[action],
        )
    if action == "approve" and ready.case_missing:
        return Refusal(
            "cannot approve without a complete business case: it lacks "
            + ", ".join(ready.case_missing),
            "complete it with 'pilotage initiative case ID ...' (or the initiative's page)",
        )
    if action == "launch" and plan.evaluation_date is not None and plan.evaluation_date <= today:
        return Refusal(
            f"cannot launch: the evaluation date {plan.evaluation_date} is not after today "
            f"({today})",
            "move the evaluation date later (pilotage initiative plan ID --evaluation-date)",
        )
    if action == "evaluate" and plan.evaluation_date is not None and today < plan.evaluation_date:
        return Refusal(
            f"cannot evaluate before the evaluation date {plan.evaluation_date}",
            "wait for that date; 'pilotage initiative measure ID' shows the figures so far",
        )
    return None
