"""RFM segmentation: quintile scores (5 = best) of recency, frequency and monetary value,
and named segments by rules on the R and F scores.

Recency is scored on the time since the last purchase (T - recency: shorter is better);
ties share the score of their average rank, so the same customers always score the same
whatever the row order."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.stats import rankdata

from pilotage.core.clv.summary import FloatArray, IntArray, Summary

#: (name, rule on R and F scores), first match wins; "others" takes the rest.
SEGMENT_RULES: tuple[tuple[str, str], ...] = (
    ("champions", "R >= 4 and F >= 4"),
    ("loyal", "R >= 3 and F >= 4"),
    ("potential_loyalists", "R >= 4 and F >= 2"),
    ("new_customers", "R >= 4 and F == 1"),
    ("at_risk", "R <= 2 and F >= 3"),
    ("hibernating", "R <= 2 and F <= 2"),
    ("needs_attention", "otherwise"),
)


@dataclass(frozen=True, eq=False)
class Rfm:
    recency: IntArray
    frequency: IntArray
    monetary: IntArray
    segment: npt.NDArray[np.str_]


def quintile(values: FloatArray) -> IntArray:
    """Scores 1..5 by average rank (higher value, higher score)."""
    if len(values) == 0:
        return np.zeros(0, dtype=np.int64)
    ranks = rankdata(values, method="average")
    return np.asarray(1 + np.floor(5 * (ranks - 0.5) / len(values)), dtype=np.int64)


def rfm(data: Summary) -> Rfm:
    r = quintile(-(data.T - data.recency))
    f = quintile(data.frequency)
    m = quintile(np.nan_to_num(data.monetary, nan=0.0))
    names = np.full(len(r), "needs_attention", dtype=object)
    rules = [
        ("champions", (r >= 4) & (f >= 4)),
        ("loyal", (r >= 3) & (f >= 4)),
        ("potential_loyalists", (r >= 4) & (f >= 2)),
        ("new_customers", (r >= 4) & (f == 1)),
        ("at_risk", (r <= 2) & (f >= 3)),
        ("hibernating", (r <= 2) & (f <= 2)),
    ]
    done = np.zeros(len(r), dtype=bool)
    for name, rule in rules:
        pick = rule & ~done
        names[pick] = name
        done |= pick
    return Rfm(r, f, m, names.astype(str))
