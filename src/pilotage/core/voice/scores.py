"""Intervals of the survey scores, from the counts the KPI engine sums (its registry holds
the scores' definitions; this module only adds how sure each value is).

- NPS = 100 (P - D) / n over n answers with P promoters (9-10) and D detractors (0-6). Each
  answer is +1, 0 or -1, so Var = (p + d - (p - d)^2) / n with p = P/n, d = D/n, and the
  interval is NPS ± z · 100 · sqrt(Var) (normal approximation), clipped to [-100, 100].
- CSAT = satisfied / answers: Wilson's (1927) score interval.
- CES = mean score: mean ± t(n-1) · s / sqrt(n), s from the sum of squares.
"""

from __future__ import annotations

import math

from scipy import stats


def _z(confidence: float) -> float:
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1")
    return float(stats.norm.ppf(0.5 + confidence / 2))


def nps_interval(
    promoters: float, detractors: float, n: float, confidence: float = 0.95
) -> tuple[float, float] | None:
    if n <= 0:
        return None
    if promoters < 0 or detractors < 0 or promoters + detractors > n:
        raise ValueError("promoters and detractors must be >= 0 and add up to at most n")
    p, d = promoters / n, detractors / n
    half = _z(confidence) * 100 * math.sqrt(max(p + d - (p - d) ** 2, 0.0) / n)
    nps = 100 * (p - d)
    return max(-100.0, nps - half), min(100.0, nps + half)


def wilson_interval(
    successes: float, n: float, confidence: float = 0.95
) -> tuple[float, float] | None:
    if n <= 0:
        return None
    if not 0 <= successes <= n:
        raise ValueError("successes must be between 0 and n")
    z = _z(confidence)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def mean_interval(
    total: float, squares: float, n: float, confidence: float = 0.95
) -> tuple[float, float] | None:
    if n < 2:
        return None
    mean = total / n
    variance = max((squares - n * mean * mean) / (n - 1), 0.0)
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1")
    t = float(stats.t.ppf(0.5 + confidence / 2, n - 1))
    half = t * math.sqrt(variance / n)
    return mean - half, mean + half
