"""How strongly doing something goes with an outcome, from a 2 x 2 table of units.

For a behaviour (an event, a theme mentioned) and an outcome (purchase, churn):
    a = did it and reached the outcome      b = did it and did not
    c = did not and reached the outcome     d = did not and did not
rate with = a / (a + b), rate without = c / (c + d), lift = rate with / rate without (the
relative risk). Its 95 % interval is Katz et al. (1978) on the log scale,
exp(log(lift) ± z · sqrt(1/a - 1/(a+b) + 1/c - 1/(c+d))), with 0.5 added to every cell when
one is zero (Haldane). The p-value is Fisher's exact test (two-sided); across behaviours
they are adjusted by Benjamini & Hochberg (1995) to control the false discovery rate.

This is association, not cause: the units who do something differ in many other ways.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from scipy import stats

from pilotage.core.experiments.corrections import benjamini_hochberg


@dataclass(frozen=True)
class Table2x2:
    """Units with and without the behaviour, and how many of each reached the outcome."""

    with_units: int
    with_outcome: int
    without_units: int
    without_outcome: int

    def __post_init__(self) -> None:
        for name, value in self.__dict__.items():
            if value < 0:
                raise ValueError(f"{name} must be >= 0, not {value}")
        if self.with_outcome > self.with_units or self.without_outcome > self.without_units:
            raise ValueError("more units reached the outcome than there are units")


@dataclass(frozen=True)
class Association:
    rate_with: float | None
    rate_without: float | None
    lift: float | None
    lift_low: float | None
    lift_high: float | None
    p_value: float
    #: Benjamini-Hochberg adjusted p-value across the behaviours tested together.
    q_value: float
    significant: bool


def relative_risk(table: Table2x2, confidence: float = 0.95) -> tuple[float, float, float] | None:
    """(lift, low, high), or None when a group is empty."""
    n1, n0 = table.with_units, table.without_units
    if n1 == 0 or n0 == 0:
        return None
    a, c = float(table.with_outcome), float(table.without_outcome)
    b, d = n1 - a, n0 - c
    if 0 in (a, b, c, d):
        a, b, c, d = a + 0.5, b + 0.5, c + 0.5, d + 0.5
    lift = (a / (a + b)) / (c / (c + d))
    se = math.sqrt(1 / a - 1 / (a + b) + 1 / c - 1 / (c + d))
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    return lift, lift * math.exp(-z * se), lift * math.exp(z * se)


def fisher_p(table: Table2x2) -> float:
    a, c = table.with_outcome, table.without_outcome
    b, d = table.with_units - a, table.without_units - c
    result = stats.fisher_exact([[a, b], [c, d]], alternative="two-sided")
    return float(min(1.0, result.pvalue))


def associations(
    tables: Sequence[Table2x2], *, alpha: float = 0.05, confidence: float = 0.95
) -> list[Association]:
    """One association per table, in order; ``significant`` when the adjusted p-value is
    below ``alpha`` and the interval leaves out 1."""
    if not 0 < alpha < 1 or not 0 < confidence < 1:
        raise ValueError("alpha and confidence must be between 0 and 1")
    p_values = [fisher_p(t) for t in tables]
    q_values = benjamini_hochberg(p_values)
    out = []
    for table, p, q in zip(tables, p_values, q_values, strict=True):
        rr = relative_risk(table, confidence)
        rate_with = table.with_outcome / table.with_units if table.with_units else None
        rate_without = table.without_outcome / table.without_units if table.without_units else None
        lift, low, high = rr if rr is not None else (None, None, None)
        excludes_one = low is not None and high is not None and (low > 1 or high < 1)
        out.append(
            Association(rate_with, rate_without, lift, low, high, p, q, q < alpha and excludes_one)
        )
    return out
