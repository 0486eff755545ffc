"""Shapley-value attribution: channels as players, each distinct channel set as a coalition.

Three variants:

* ``shapley``: the exact Shapley value of the conversion-rate game
  v(S) = sum over channel sets T inside S of cr(T), where cr(T) is the observed conversion
  rate of the journeys whose set of channels is exactly T. It is computed over all 2^n
  coalitions (so at most ``MAX_EXACT_CHANNELS`` channels) and needs non-converting
  journeys: without them every rate is 1. Credits are the values normalised to one, times
  the total conversions (value: the same with value per journey instead of the rate).
* ``shapley_simplified`` (Zhao et al. 2018): the game v(S) = conversions of journeys whose
  set lies inside S, whose Shapley value has the closed form "each set's conversions split
  equally among its channels", whatever the number of channels.
* ``shapley_ordered`` (Zhao et al. 2018): the same credit split further by the rank of the
  channel's first touch in the journey (1st, 2nd, ...); per channel it sums to the
  simplified value.

Repeated touches of a channel do not change any of them (sets, not sequences).
"""

from __future__ import annotations

from math import factorial

import numpy as np

from pilotage.core.attribution.credits import Credits, from_shares
from pilotage.core.attribution.options import ModelOptions
from pilotage.core.attribution.paths import FloatArray, IntArray, PathCounts, sum_by
from pilotage.errors import UsageError

#: 2^20 coalitions x 20 channels is about 2e7 operations; 2^30 would not fit in memory.
MAX_EXACT_CHANNELS = 20


def _distinct_pairs(paths: PathCounts) -> tuple[IntArray, IntArray, IntArray]:
    """Each (path, channel) pair once: its path, channel and rank of first touch in the path
    (0-based), ordered by path then rank."""
    n = len(paths.channels)
    key = paths.path_of_touch * n + paths.touches
    unique, first = np.unique(key, return_index=True)
    order = np.lexsort((first, unique // n))
    path, channel = unique[order] // n, unique[order] % n
    starts = np.searchsorted(path, np.arange(paths.n_paths))
    rank = np.arange(len(path), dtype=np.int64) - starts[path]
    return path, channel, rank


def shapley_simplified(paths: PathCounts, options: ModelOptions) -> Credits:
    path, channel, _ = _distinct_pairs(paths)
    size = np.bincount(path, minlength=paths.n_paths)[path]
    n = len(paths.channels)
    return Credits(
        paths.channels,
        sum_by(channel, paths.conversions[path] / size, n),
        sum_by(channel, paths.value[path] / size, n),
    )


def shapley_ordered(paths: PathCounts, options: ModelOptions) -> Credits:
    path, channel, rank = _distinct_pairs(paths)
    size = np.bincount(path, minlength=paths.n_paths)[path]
    n = len(paths.channels)
    ranks = int(rank.max()) + 1 if len(rank) else 0
    by_position = np.zeros(n * ranks)
    np.add.at(by_position, channel * ranks + rank, paths.conversions[path] / size)
    simplified = shapley_simplified(paths, options)
    return Credits(
        paths.channels, simplified.conversions, simplified.value, by_position.reshape(n, ranks)
    )


def shapley(paths: PathCounts, options: ModelOptions) -> Credits:
    n = len(paths.channels)
    if n > MAX_EXACT_CHANNELS:
        raise UsageError(
            f"exact Shapley over {n} channels needs 2^{n} coalitions",
            fix=f"group channels to at most {MAX_EXACT_CHANNELS}, "
            "or use shapley_simplified (any number of channels)",
        )
    if options.ignore_nulls or paths.nulls.sum() <= 0:
        raise UsageError(
            "exact Shapley works from conversion rates and needs non-converting journeys",
            fix="give a total_null column (and drop --ignore-nulls), or use shapley_simplified",
        )
    bits = np.left_shift(np.int64(1), paths.touches)
    sets = np.bitwise_or.reduceat(bits, paths.offsets[:-1])
    journeys = np.bincount(sets, paths.conversions + paths.nulls, 2**n)
    seen = journeys > 0
    safe = np.where(seen, journeys, 1.0)
    rate = np.where(seen, np.bincount(sets, paths.conversions, 2**n) / safe, 0.0)
    value_rate = np.where(seen, np.bincount(sets, paths.value, 2**n) / safe, 0.0)
    phi = np.stack([shapley_values(_zeta(rate), n), shapley_values(_zeta(value_rate), n)])
    totals = phi.sum(axis=1, keepdims=True)
    shares = phi / np.where(totals > 0, totals, 1.0)
    return from_shares(paths, shares[0], shares[1])


def shapley_values(game: FloatArray, n: int) -> FloatArray:
    """(n,) exact Shapley values of a game given as (2^n,) worths indexed by bitmask:
    phi_j = sum over S without j of |S|! (n - |S| - 1)! / n! * (v(S + j) - v(S))."""
    coalitions = np.arange(2**n, dtype=np.int64)
    sizes = np.zeros(2**n, dtype=np.int64)
    for j in range(n):
        sizes += (coalitions >> j) & 1
    weight = np.array([factorial(s) * factorial(n - s - 1) / factorial(n) for s in range(n)])
    values = np.zeros(n)
    for j in range(n):
        without = coalitions[(coalitions >> j) & 1 == 0]
        values[j] = np.sum(weight[sizes[without]] * (game[without | (1 << j)] - game[without]))
    return values


def _zeta(direct: FloatArray) -> FloatArray:
    """(2^n,) sums over subsets: out[S] = sum of direct[T] for T inside S (n passes)."""
    out = direct.copy()
    bit = 1
    while bit < len(out):
        blocks = out.reshape(-1, 2 * bit)
        blocks[:, bit:] += blocks[:, :bit]
        bit *= 2
    return out
