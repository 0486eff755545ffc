"""Arithmetic of an initiative's evaluation: the windows it compares, the counterfactual
of a pre/post design with a control group, and the verdict of actual against expected.

Windows: the initiative acts over [start, evaluation_date]; the "before" window has the
same number of days and ends the day before the start.

Counterfactual with a control group (proportional trends, as in a ratio
difference-in-differences): without the initiative the treated scope would have changed as
the control did, so counterfactual = treated_before × control_after / control_before, and
the impact is treated_after - counterfactual. Proportional rather than additive because a
region and the rest of the country differ in size, not in growth.
"""

from __future__ import annotations

import datetime
from typing import Literal

from pilotage.core.planning.metrics import Direction

Verdict = Literal["met", "partly", "missed", "unknown"]


def before_window(start: datetime.date, end: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The window of the same length just before [start, end]."""
    days = (end - start).days
    last = start - datetime.timedelta(days=1)
    return last - datetime.timedelta(days=days), last


def controlled_counterfactual(
    treated_before: float, control_before: float, control_after: float
) -> float | None:
    """What the treated scope would have shown without the initiative (None when the
    control group had nothing before: its change can't be read as a rate)."""
    if control_before == 0:
        return None
    return treated_before * control_after / control_before


def verdict(measured: float | None, expected: float | None, direction: Direction) -> Verdict:
    """met: the measured impact reaches the expected one; partly: it goes the expected way
    without reaching it; missed: none, or the wrong way. Impacts are signed (after minus
    baseline); for an at_most KPI (a cost) a fall is the improvement."""
    if measured is None or expected is None:
        return "unknown"
    sign = 1.0 if direction == "at_least" else -1.0
    got, wanted = sign * measured, sign * expected
    if wanted <= 0:
        return "met" if got >= wanted else "missed"
    if got >= wanted:
        return "met"
    return "partly" if got > 0 else "missed"
