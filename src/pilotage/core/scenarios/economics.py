"""The economics of one proposal: cost, expected return with its interval, ROI, break-even,
payback and the probability that ROI is positive.

Two ways in, one result:

- ``economics_from_samples``: draws of the return (a posterior, a bootstrap); the interval is
  the draws' 10th-90th percentiles and P(ROI > 0) their share above break-even.
- ``economics_from_cases``: a stated low / base / high case (a business case). The three cases
  are read as the 10th, 50th and 90th percentiles of a split-normal (two-piece normal)
  distribution: a normal below the base with sigma = (base - low) / z90 and another above it
  with sigma = (high - base) / z90, z90 = 1.2816. It honours the three stated numbers exactly,
  allows a skewed case (more upside than downside) and gives P(ROI > 0) in closed form.

Units: ``cost`` and returns in the reporting currency; ``margin`` converts a return into the
money that pays the cost back (1.0 when the return already is margin, 0.8 for an 80 % gross
margin on revenue); returns arrive evenly over ``months`` months, which sets the payback.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.stats import norm

from pilotage.errors import UsageError

LOW_QUANTILE = 0.10
HIGH_QUANTILE = 0.90
Z90 = float(norm.ppf(HIGH_QUANTILE))  # 1.2816: the 90th percentile of a standard normal


@dataclass(frozen=True)
class Economics:
    cost: float
    expected_return: float
    return_low: float  # 10th percentile, or the stated low case
    return_high: float  # 90th percentile, or the stated high case
    roi: float | None  # (return x margin - cost) / cost; None when cost is 0
    roi_low: float | None
    roi_high: float | None
    break_even_return: float  # return at which ROI = 0 (cost / margin)
    payback_months: float | None  # None if the cumulative margin never covers the cost
    probability_roi_positive: float | None  # None when cost is 0
    margin: float = 1.0
    months: int = 12

    @property
    def probability_roi_negative(self) -> float | None:
        p = self.probability_roi_positive
        return None if p is None else 1.0 - p

    @property
    def spread(self) -> float:
        """Width of the 80 % interval of the return, the risk as an amount."""
        return self.return_high - self.return_low


def _check(cost: float, margin: float, months: int) -> None:
    if not math.isfinite(cost) or cost < 0:
        raise UsageError(
            f"cost must be a finite amount >= 0 (got {cost})", fix="give the cost in currency"
        )
    if not math.isfinite(margin) or margin <= 0:
        raise UsageError(
            f"margin must be > 0 (got {margin})",
            fix="give the share of the return that pays the cost back, e.g. 0.8",
        )
    if months < 1:
        raise UsageError(f"months must be >= 1 (got {months})", fix="spread returns over 1+ months")


def _roi(ret: float, cost: float, margin: float) -> float | None:
    return None if cost == 0 else (ret * margin - cost) / cost


def _payback(expected: float, cost: float, margin: float, months: int) -> float | None:
    if cost == 0:
        return 0.0
    total_margin = expected * margin
    if total_margin < cost:
        return None
    return months * cost / total_margin


def _build(
    cost: float,
    expected: float,
    low: float,
    high: float,
    probability: float | None,
    margin: float,
    months: int,
) -> Economics:
    return Economics(
        cost=float(cost),
        expected_return=float(expected),
        return_low=float(low),
        return_high=float(high),
        roi=_roi(expected, cost, margin),
        roi_low=_roi(low, cost, margin),
        roi_high=_roi(high, cost, margin),
        break_even_return=cost / margin,
        payback_months=_payback(expected, cost, margin, months),
        probability_roi_positive=None if cost == 0 else probability,
        margin=margin,
        months=months,
    )


def economics_from_cases(
    cost: float, low: float, base: float, high: float, *, margin: float = 1.0, months: int = 12
) -> Economics:
    """Economics of a stated low / base / high case.

    ``low``, ``base`` and ``high`` are read as the 10th, 50th and 90th percentiles of a
    split-normal distribution of the return (see the module docstring); the expected return
    reported is the base case, and P(ROI > 0) is that distribution's mass above break-even.
    Equal cases mean a certain return: P(ROI > 0) is then 1 or 0.
    """
    _check(cost, margin, months)
    values = (low, base, high)
    if not all(math.isfinite(v) for v in values):
        raise UsageError("low, base and high must be finite amounts", fix="give three numbers")
    if not low <= base <= high:
        raise UsageError(
            f"the cases must be ordered low <= base <= high (got {low}, {base}, {high})",
            fix="swap the cases so that low is the pessimistic one",
        )
    even = cost / margin
    sigma = (base - low) / Z90 if even < base else (high - base) / Z90
    if sigma == 0:
        probability = 1.0 if base > even else 0.0
    else:
        # each half of the split normal holds half of the mass
        probability = float(norm.sf((even - base) / sigma))
    return _build(cost, base, low, high, probability, margin, months)


def economics_from_samples(
    cost: float, samples: NDArray[np.float64], *, margin: float = 1.0, months: int = 12
) -> Economics:
    """Economics of draws of the return, shape (n,): the mean is the expected return, the
    10th-90th percentiles the interval, P(ROI > 0) the share of draws above break-even."""
    _check(cost, margin, months)
    draws = np.asarray(samples, dtype=np.float64).ravel()
    if draws.size == 0 or not np.all(np.isfinite(draws)):
        raise UsageError("the return needs at least one finite draw", fix="check the estimate")
    low, high = np.quantile(draws, [LOW_QUANTILE, HIGH_QUANTILE])
    probability = float(np.mean(draws * margin > cost))
    return _build(cost, float(draws.mean()), float(low), float(high), probability, margin, months)


def split_normal_draws(
    low: float, base: float, high: float, n: int, rng: np.random.Generator
) -> NDArray[np.float64]:
    """(n,) draws of the split normal whose 10th / 50th / 90th percentiles are the cases."""
    z = rng.standard_normal(n)
    below, above = (base - low) / Z90, (high - base) / Z90
    return np.asarray(base + np.where(z < 0, below, above) * z, dtype=np.float64)
