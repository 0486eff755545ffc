"""Multiple-testing adjustments of p-values: Holm (1979) controls the family-wise error
rate, Benjamini & Hochberg (1995) the false discovery rate. Both return adjusted p-values
(compare each with alpha), in the input order."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from pilotage.core.experiments.options import Correction


def holm(p_values: Sequence[float]) -> list[float]:
    """Step-down: the i-th smallest of m p-values times (m - i + 1), made non-decreasing."""
    p = np.asarray(p_values, dtype=np.float64)
    m = len(p)
    if m == 0:
        return []
    order = np.argsort(p, kind="stable")
    scaled = p[order] * (m - np.arange(m))
    adjusted = np.minimum(1.0, np.maximum.accumulate(scaled))
    out = np.empty(m)
    out[order] = adjusted
    return [float(x) for x in out]


def benjamini_hochberg(p_values: Sequence[float]) -> list[float]:
    """Step-up: the i-th smallest of m p-values times m / i, made non-decreasing from the
    largest down."""
    p = np.asarray(p_values, dtype=np.float64)
    m = len(p)
    if m == 0:
        return []
    order = np.argsort(p, kind="stable")
    scaled = p[order] * m / np.arange(1, m + 1)
    adjusted = np.minimum(1.0, np.minimum.accumulate(scaled[::-1])[::-1])
    out = np.empty(m)
    out[order] = adjusted
    return [float(x) for x in out]


def adjust(p_values: Sequence[float], correction: Correction) -> list[float]:
    if correction == "holm":
        return holm(p_values)
    if correction == "bh":
        return benjamini_hochberg(p_values)
    return [float(p) for p in p_values]
