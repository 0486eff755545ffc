"""Robust distance of a value from a reference set: the modified z-score of Iglewicz and
Hoaglin (1993), M = 0.6745 (x - median) / MAD, MAD the median absolute deviation. When more
than half the reference values are equal (MAD = 0) the mean absolute deviation around the
median stands in: M = (x - median) / (1.253314 MeanAD). |M| > 3.5 is their outlier rule."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

#: The outlier threshold Iglewicz and Hoaglin recommend.
THRESHOLD = 3.5
#: At least this many reference values to judge against.
MIN_REFERENCE = 3
#: Spreads below this are rounding noise, not spread.
TINY = 1e-12


def modified_z(x: float, reference: Sequence[float]) -> float | None:
    """The modified z-score of ``x`` against ``reference`` (None: fewer than
    :data:`MIN_REFERENCE` values, or no spread at all)."""
    values = np.asarray(reference, dtype=np.float64)
    if len(values) < MIN_REFERENCE:
        return None
    median = float(np.median(values))
    deviations = np.abs(values - median)
    mad = float(np.median(deviations))
    if mad > TINY:
        return 0.6745 * (x - median) / mad
    mean_ad = float(np.mean(deviations))
    if mean_ad > TINY:
        return (x - median) / (1.253314 * mean_ad)
    return None


def median(values: Sequence[float]) -> float | None:
    return float(np.median(np.asarray(values, dtype=np.float64))) if len(values) else None
