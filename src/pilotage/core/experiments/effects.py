"""The lift of a variant over the control, absolute or relative, with its variance.

Relative lift by the delta method: for r = t / c - 1 with independent arms,
var(r) ~ var(t) / c^2 + t^2 var(c) / c^4.
"""

from __future__ import annotations

from dataclasses import dataclass

from pilotage.core.experiments.metrics import Estimate
from pilotage.core.experiments.options import Difference
from pilotage.errors import UsageError


@dataclass(frozen=True)
class Effect:
    """``value``: the lift; ``variance``: its sampling variance; ``df``: Welch-Satterthwaite
    degrees of freedom (None: use the normal distribution); ``n``: units in both arms."""

    value: float
    variance: float
    df: float | None
    n: float


def absolute(control: Estimate, variant: Estimate) -> float:
    return variant.mean - control.mean


def relative(control: Estimate, variant: Estimate) -> float | None:
    """variant / control - 1, or None when the control's value is zero."""
    if control.mean == 0:
        return None
    return variant.mean / control.mean - 1


def welch_df(control: Estimate, variant: Estimate) -> float | None:
    """Welch-Satterthwaite degrees of freedom of the difference of two means."""
    num = (control.variance + variant.variance) ** 2
    den = 0.0
    for arm in (control, variant):
        if arm.n > 1:
            den += arm.variance**2 / (arm.n - 1)
    if den <= 0 or num <= 0:
        return None
    return num / den


def effect(control: Estimate, variant: Estimate, difference: Difference, *, welch: bool) -> Effect:
    """The lift on the ``difference`` scale; ``welch`` keeps the t degrees of freedom."""
    n = control.n + variant.n
    df = welch_df(control, variant) if welch else None
    if difference == "absolute":
        return Effect(absolute(control, variant), control.variance + variant.variance, df, n)
    lift = relative(control, variant)
    if lift is None:
        raise UsageError(
            "the control's value is zero: a relative lift is undefined",
            fix="read the absolute lift (leave out --relative) or wait for conversions in the "
            "control",
        )
    c, t = control.mean, variant.mean
    variance = variant.variance / c**2 + t**2 * control.variance / c**4
    return Effect(lift, variance, df, n)
