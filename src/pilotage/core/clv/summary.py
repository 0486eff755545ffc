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
from functools import cached_property
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
        distinct row (so per-row predictions map back). Monetary is part of the key; rows
        are in lexicographic order of (frequency, recency, T, monetary)."""
        money = np.where(np.isnan(self.monetary), -1.0, self.monetary)
        keys = (money, self.T, self.recency, self.frequency)  # lexsort: last key first
        order = np.lexsort(keys)
        new = np.zeros(self.n_rows, dtype=bool)
        new[:1] = True
        for key in keys:
            ordered = key[order]
            new[1:] |= ordered[1:] != ordered[:-1]
        group = np.cumsum(new) - 1
        inverse = np.empty(self.n_rows, dtype=np.int64)
        inverse[order] = group
        first = order[new]
        weight = np.asarray(
            np.bincount(group, weights=self.weight[order], minlength=len(first)),
            dtype=np.float64,
        )
        collapsed = Summary(
            self.frequency[first],
            self.recency[first],
            self.T[first],
            weight,
            self.monetary[first],
        )
        return collapsed, inverse

    def without_spend(self) -> Summary:
        """The same customers without monetary values (what purchase models read, so
        that rows differing only in spend collapse together)."""
        return Summary(
            self.frequency, self.recency, self.T, self.weight, np.full(self.n_rows, np.nan)
        )

    @cached_property
    def frequency_levels(self) -> tuple[FloatArray, IntArray, FloatArray]:
        """Distinct frequencies (L,), each row's level (n,) and the levels' summed weights
        (L,): terms that depend on x alone are computed once per level."""
        levels, index = np.unique(self.frequency, return_inverse=True)
        index = index.reshape(-1).astype(np.int64)
        weight = np.bincount(index, weights=self.weight, minlength=len(levels))
        return levels, index, np.asarray(weight, dtype=np.float64)

    @cached_property
    def frequency_time_pairs(self) -> tuple[FloatArray, FloatArray, IntArray, IntArray]:
        """Distinct (frequency, time) pairs over t in recency and T: their frequencies (P,)
        and times (P,), and each row's pair for (x, t_x) and for (x, T) (n,): functions
        of x and of one time point are computed once per pair."""
        n = self.n_rows
        x = np.concatenate([self.frequency, self.frequency])
        t = np.concatenate([self.recency, self.T])
        order = np.lexsort((t, x))
        new = np.ones(2 * n, dtype=bool)
        new[1:] = (x[order][1:] != x[order][:-1]) | (t[order][1:] != t[order][:-1])
        index = np.empty(2 * n, dtype=np.int64)
        index[order] = np.cumsum(new) - 1
        first = order[new]
        return x[first], t[first], index[:n], index[n:]

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
