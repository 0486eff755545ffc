"""Markov-chain attribution (Anderl et al. 2016): exact removal effects of an absorbing chain.

States are the last K channels touched (order K, 1 to 4), plus START and the two absorbing
states CONVERSION and NULL. Transition probabilities are the observed transition counts of
the distinct paths, weighted by how many journeys followed each path. The probability of
converting from START, ``p``, solves the linear system (I - Q) x = r on the transient states,
where Q holds the transient-to-transient probabilities and r the probabilities of moving
into CONVERSION. Removing a channel turns every state that contains it into a dead end
(NULL); its removal effect is 1 - p_without / p. Credits are the removal effects
normalised to sum to one, times the total conversions: exact, with no simulation noise.

Value uses the same chain: a conversion reached from state s is worth the mean value of the
conversions observed after s, so the expected value from START solves the same system with
another right-hand side, and value credits are the normalised removal effects on it.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.sparse.linalg import splu

from pilotage.core.attribution.credits import Credits, from_shares
from pilotage.core.attribution.options import ModelOptions
from pilotage.core.attribution.paths import FloatArray, IntArray, PathCounts, sum_by

BoolMatrix = np.ndarray[tuple[int, int], np.dtype[np.bool_]]


def markov(paths: PathCounts, options: ModelOptions) -> Credits:
    nulls = np.zeros(paths.n_paths) if options.ignore_nulls else paths.nulls
    journeys = paths.conversions + nulls
    used = paths
    if not np.all(journeys > 0):
        used = paths.take(np.flatnonzero(journeys > 0).astype(np.int64))
    if options.ignore_nulls:
        used = used.with_counts(used.conversions, used.value, nulls[journeys > 0])
    if used.conversions.sum() <= 0:
        zeros = np.zeros(len(paths.channels))
        return Credits(paths.channels, zeros, zeros.copy())
    state, contains = _states(used, options.order)
    system = _chain(used, state)
    base = _solve(system, np.ones(system.shape[0], dtype=np.bool_))
    effects = np.zeros((len(paths.channels), 2))
    for channel in np.flatnonzero(contains.any(axis=0)):
        keep = ~contains[:, channel]
        effects[channel] = 1.0 - _solve(system, keep) / np.where(base > 0, base, 1.0)
    # Float noise can leave a removal effect at -1e-17; a removal never adds conversions.
    effects = np.clip(effects, 0.0, None)
    totals = effects.sum(axis=0)
    shares = effects / np.where(totals > 0, totals, 1.0)
    return from_shares(paths, shares[:, 0], shares[:, 1])


def _states(paths: PathCounts, order: int) -> tuple[IntArray, BoolMatrix]:
    """(n_touches,) transient state id of each touch (1.. ; 0 is START) and the
    (n_states, n_channels) matrix of which channels each state contains.

    A state is the last ``order`` channels, coded in base n_channels + 1 with 0 standing
    for "before the path started", so that the first touches of a path have shorter states.
    """
    base = len(paths.channels) + 1
    position = paths.position
    code = np.zeros(len(paths.touches), dtype=np.int64)
    for back in range(order):
        digit = np.zeros(len(paths.touches), dtype=np.int64)
        has = position >= back
        digit[has] = paths.touches[np.flatnonzero(has) - back] + 1
        code += digit * base**back
    codes, state = _dense_unique(code, base**order)
    contains = np.zeros((len(codes) + 1, len(paths.channels)), dtype=np.bool_)
    for back in range(order):
        digit = (codes // base**back) % base
        rows = np.flatnonzero(digit > 0)
        contains[rows + 1, digit[rows] - 1] = True
    return state.astype(np.int64) + 1, contains


def _dense_unique(code: IntArray, bound: int) -> tuple[IntArray, IntArray]:
    """``np.unique(code, return_inverse=True)`` for codes in [0, bound), by counting when
    the bound is small (no sort of every touch)."""
    if bound > max(4 * len(code), 1 << 20):
        codes, inverse = np.unique(code, return_inverse=True)
        return codes.astype(np.int64), inverse.astype(np.int64)
    present = np.zeros(bound, dtype=np.bool_)
    present[code] = True
    rank = np.cumsum(present) - 1
    return np.flatnonzero(present).astype(np.int64), rank[code]


def _chain(paths: PathCounts, state: IntArray) -> sparse.csr_matrix:
    """The (n + 2, n + 2) matrix [[Q, r_conversion, r_value]] over transient states
    0..n-1 (START first) as one sparse block, rows normalised by each state's outflow."""
    n = int(state.max()) + 1
    path = paths.path_of_touch
    journeys = paths.conversions + paths.nulls
    first = paths.position == 0
    source = np.where(first, 0, np.roll(state, 1))
    ends = paths.offsets[1:] - 1
    last_state = state[ends]
    weight = journeys[path]
    outflow = np.bincount(source, weight, n) + np.bincount(last_state, journeys, n)
    scale = 1.0 / np.where(outflow > 0, outflow, 1.0)
    # Transitions are summed per (from, to) pair first: few pairs, many touches.
    pair, flow = _sum_pairs(source * n + state, weight, n * n)
    to_conversion = np.bincount(last_state, paths.conversions, n)
    to_value = np.bincount(last_state, paths.value, n)
    ends_in = np.flatnonzero((to_conversion > 0) | (to_value > 0))
    rows = np.concatenate([pair // n, ends_in, ends_in])
    cols = np.concatenate([pair % n, np.full(len(ends_in), n), np.full(len(ends_in), n + 1)])
    data = np.concatenate([flow, to_conversion[ends_in], to_value[ends_in]]) * scale[rows]
    return sparse.csr_matrix((data, (rows, cols)), shape=(n, n + 2))


def _sum_pairs(key: IntArray, weight: FloatArray, bound: int) -> tuple[IntArray, FloatArray]:
    """The distinct ``key`` values with a weight, and their summed weights."""
    if bound <= max(4 * len(key), 1 << 20):
        sums = sum_by(key, weight, bound)
        seen = np.flatnonzero(np.bincount(key, minlength=bound))
        return seen.astype(np.int64), sums[seen]
    keys, inverse = np.unique(key, return_inverse=True)
    return keys.astype(np.int64), sum_by(inverse.astype(np.int64), weight, len(keys))


def _solve(system: sparse.csr_matrix, keep: np.ndarray) -> FloatArray:
    """(2,) probability of converting and expected value from START, with only the transient
    states ``keep`` (a boolean mask over all n, START included and always kept) left."""
    n = system.shape[0]
    alive = np.flatnonzero(keep)
    block = system[alive]
    q = block[:, alive]
    rhs = block[:, [n, n + 1]].toarray()
    lhs = sparse.identity(len(alive), format="csc") - q.tocsc()
    x: FloatArray = splu(lhs).solve(rhs)
    start: FloatArray = x[0]
    return start
