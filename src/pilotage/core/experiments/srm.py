"""Sample-ratio mismatch: are the units split as planned? A chi-square goodness-of-fit test
of the observed units against the planned shares (never an assumed 50/50 when a plan is
given)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import stats

from pilotage.errors import UsageError


@dataclass(frozen=True)
class SampleRatio:
    """``expected``: planned share of each variant (normalised to sum to 1); ``observed``:
    its actual share; ``p_value``: chance of a split at least this uneven if the plan held;
    ``planned``: False when no plan was given and an equal split was assumed."""

    expected: tuple[float, ...]
    observed: tuple[float, ...]
    chi2: float
    p_value: float
    planned: bool


def sample_ratio(units: list[float], shares: list[float] | None) -> SampleRatio:
    """Chi-square test with k - 1 degrees of freedom; ``shares`` None: equal split."""
    if len(units) < 2:
        raise UsageError("a split needs two variants or more", fix="check the variant column")
    planned = shares is not None
    weights = list(shares) if shares is not None else [1.0] * len(units)
    if len(weights) != len(units) or any(not (w > 0 and math.isfinite(w)) for w in weights):
        raise UsageError(
            f"planned shares {weights} are not allowed",
            fix="give one positive planned_share per variant (e.g. 0.5 and 0.5)",
        )
    total_w = sum(weights)
    expected = [w / total_w for w in weights]
    n = sum(units)
    if n <= 0:
        raise UsageError("the experiment has no units", fix="check the units column")
    chi2 = sum((u - e * n) ** 2 / (e * n) for u, e in zip(units, expected, strict=True))
    p = float(stats.chi2.sf(chi2, len(units) - 1))
    return SampleRatio(tuple(expected), tuple(u / n for u in units), chi2, p, planned)
