"""Customer summaries, the models' sufficient statistics: one row per distinct pattern.

A row is ``frequency`` (x, repeat purchases after the first), ``recency`` (t_x, time from the
first purchase to the last repeat purchase, 0 without repeat), ``T`` (time from the first
purchase to the end of the calibration period), optionally ``monetary`` (mean value of the
repeat purchases) and ``weight`` (how many customers share the row). Times are in the data's
own unit (days, weeks, months). For the discrete-time BG/BB model, T is the number of
purchase opportunities and recency the opportunity of the last purchase.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from pilotage.errors import InputError, RowError

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: What a model reads: repeat purchases in continuous time, discrete opportunities, or spend.
DataKind = Literal["continuous", "discrete", "spend", "durations"]


@dataclass(frozen=True, eq=False)
class Summary:
    """(n,) arrays, checked by :func:`summary`; ``monetary`` is NaN where unknown."""

    frequency: FloatArray
    recency: FloatArray
    T: FloatArray
    weight: FloatArray
    monetary: FloatArray

    @property
    def n_rows(self) -> int:
        return len(self.frequency)

    @property
    def n_customers(self) -> float:
        return float(self.weight.sum())

    def collapse(self) -> tuple[Summary, IntArray]:
        """Distinct rows with summed weights, and for each input row the index of its
        distinct row (so per-row predictions map back). Monetary is part of the key."""
        money = np.where(np.isnan(self.monetary), -1.0, self.monetary)
        keys = np.stack([self.frequency, self.recency, self.T, money], axis=1)
        unique, inverse = np.unique(keys, axis=0, return_inverse=True)
        inverse = inverse.reshape(-1)
        weight = np.asarray(
            np.bincount(inverse, weights=self.weight, minlength=len(unique)), dtype=np.float64
        )
        monetary = np.where(unique[:, 3] < 0, np.nan, unique[:, 3])
        collapsed = Summary(
            unique[:, 0].copy(), unique[:, 1].copy(), unique[:, 2].copy(), weight, monetary
        )
        return collapsed, inverse.astype(np.int64)

    def repeat_buyers(self) -> Summary:
        """The rows with frequency > 0 (what the Gamma-Gamma spend model uses)."""
        keep = self.frequency > 0
        return Summary(
            self.frequency[keep],
            self.recency[keep],
            self.T[keep],
            self.weight[keep],
            self.monetary[keep],
        )


def summary(
    frequency: npt.ArrayLike,
    recency: npt.ArrayLike,
    T: npt.ArrayLike,  # noqa: N803 - the papers' name
    *,
    weight: npt.ArrayLike | None = None,
    monetary: npt.ArrayLike | None = None,
    kind: DataKind = "continuous",
    source: str = "summary",
    lines: npt.ArrayLike | None = None,
) -> Summary:
    """Check every row and build the summary; InputError lists every broken rule.

    ``lines`` gives each row's line in the source file (default: row number + 2, after a
    header line). ``kind="spend"`` requires a positive monetary value where frequency > 0.
    """
    x = np.asarray(frequency, dtype=np.float64).reshape(-1)
    tx = np.asarray(recency, dtype=np.float64).reshape(-1)
    age = np.asarray(T, dtype=np.float64).reshape(-1)
    n = len(x)
    w = np.ones(n) if weight is None else np.asarray(weight, dtype=np.float64).reshape(-1)
    m = np.full(n, np.nan) if monetary is None else np.asarray(monetary, dtype=np.float64)
    m = m.reshape(-1)
    where = np.arange(n) + 2 if lines is None else np.asarray(lines, dtype=np.int64)
    if not len(tx) == len(age) == len(w) == len(m) == n:
        raise InputError(source, [RowError(None, None, None, "columns of different lengths")])
    errors: list[RowError] = []

    def broken(
        mask: npt.NDArray[np.bool_], column: str, values: FloatArray, rule: str, fix: str
    ) -> None:
        for i in np.flatnonzero(mask)[:50]:
            errors.append(RowError(int(where[i]), column, _text(values[i]), rule, fix))

    for column, values in (("frequency", x), ("recency", tx), ("T", age), ("weight", w)):
        broken(~np.isfinite(values), column, values, "not a number", "give a finite number")
    ok = np.isfinite(x) & np.isfinite(tx) & np.isfinite(age)
    broken(ok & (x < 0), "frequency", x, "negative frequency", "count repeat purchases (>= 0)")
    broken(
        ok & (x != np.round(x)),
        "frequency",
        x,
        "frequency is not a whole number",
        "count repeat purchases (0, 1, 2, ...)",
    )
    broken(ok & (tx < 0), "recency", tx, "negative recency", "recency is >= 0")
    broken(ok & (age < 0), "T", age, "negative T", "T is the customer's age, >= 0")
    if kind == "durations":
        broken(
            ok & ((age < 1) | (age != np.round(age))),
            "T",
            age,
            "T is not a whole number of periods >= 1",
            "give the periods the customer was observed (1, 2, ...)",
        )
    else:
        broken(
            ok & (tx > age),
            "recency",
            tx,
            "recency > T: the last purchase is after the end of the period",
            "recency is at most T",
        )
        broken(
            ok & (x > 0) & (tx == 0),
            "recency",
            tx,
            "frequency > 0 with recency 0 is impossible: a repeat purchase comes after the first",
            "give the time of the last repeat purchase, or frequency 0",
        )
        broken(
            ok & (x == 0) & (tx > 0),
            "recency",
            tx,
            "recency > 0 with frequency 0 is impossible: no repeat purchase to date",
            "recency is 0 when frequency is 0",
        )
    broken(np.isfinite(w) & (w <= 0), "weight", w, "weight <= 0", "give the customers (> 0)")
    if kind == "discrete":
        for column, values in (("recency", tx), ("T", age)):
            broken(
                ok & (values != np.round(values)),
                column,
                values,
                "not a whole number of opportunities",
                "count opportunities (0, 1, 2, ...)",
            )
        broken(
            ok & (x > tx),
            "frequency",
            x,
            "more purchases than opportunities up to the last one",
            "at most one purchase per opportunity: frequency <= recency",
        )
    if kind == "spend":
        bad = (x > 0) & ~(np.isfinite(m) & (m > 0))
        broken(
            bad,
            "monetary_value",
            m,
            "a repeat buyer needs a positive mean spend",
            "give the mean value of the repeat purchases (> 0)",
        )
    if errors:
        raise InputError(source, errors)
    return Summary(x, tx, age, w, m)


def _text(value: float) -> str:
    return "" if np.isnan(value) else f"{value:g}"
