"""Log-likelihoods written as ``C + log(sum_j exp(l_j))`` and their weighted gradients: the
shape shared by every model here (a customer is alive at the end, or dropped out after some
purchase). Working in logs keeps huge frequencies and long histories finite.

Every model's likelihood returns the rows' log-likelihoods (n,) and the gradient of their
weighted sum (k,): the optimiser only needs the sum, and never building (n, k) arrays is
what keeps a million customers fast. Sums over rows use :func:`dot` and
:func:`weighted_sum`, not BLAS: a multithreaded BLAS call per evaluation spins threads
that fight for the cores (several times slower on a busy machine)."""

from __future__ import annotations

import numpy as np

from pilotage.core.clv.summary import FloatArray, IntArray, Summary


def dot(a: FloatArray, b: FloatArray) -> float:
    """sum(a * b) over rows, single-threaded."""
    return float(np.einsum("i,i->", a, b))


def weighted_sum(weight: FloatArray, values: FloatArray) -> FloatArray:
    """weight (n,) @ values (n, k), single-threaded."""
    return np.asarray(np.einsum("i,ij->j", weight, values), dtype=np.float64)


def sum_by(index: IntArray, weights: FloatArray, length: int) -> FloatArray:
    """Sums of ``weights`` (n,) by ``index`` (n,) into ``length`` bins."""
    return np.asarray(np.bincount(index, weights=weights, minlength=length), dtype=np.float64)


def log_sum(
    const: FloatArray,
    d_const: FloatArray,
    terms: list[tuple[FloatArray, FloatArray]],
    weight: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """``const`` (n,), ``d_const`` (n, k); each term is (l_j (n,), dl_j (n, k)) with -inf
    where the term is absent. Returns the rows' log-likelihood and the weighted gradient."""
    stacked = np.stack([t[0] for t in terms])  # (J, n)
    top = np.max(stacked, axis=0)
    top = np.where(np.isfinite(top), top, 0.0)
    share = np.exp(stacked - top)  # (J, n); absent terms give 0
    norm = share.sum(axis=0)
    ll = const + top + np.log(norm)
    grad = weighted_sum(weight, d_const)
    for w, (_, dl) in zip(share / norm, terms, strict=True):
        grad += weighted_sum(weight * w, np.where(np.isfinite(dl), dl, 0.0))
    return ll, grad


def softplus(z: FloatArray) -> tuple[FloatArray, FloatArray]:
    """log(1 + e^z) and the logistic e^z / (1 + e^z), stable for any z (-inf gives 0, 0)."""
    e = np.exp(-np.abs(z))
    plus = np.maximum(z, 0.0) + np.log1p(e)
    logistic = np.where(z >= 0, 1.0, e) / (1.0 + e)
    return plus, logistic


def alive_or_dropped(
    params: FloatArray,
    data: Summary,
    const: FloatArray,
    d_const: FloatArray,
    drop: FloatArray,
    d_drop: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """BG/NBD-type likelihoods, parameters (r, alpha, a, b):

        L = exp(C(x)) [ (alpha + T)^-(r+x) + exp(K(x)) (alpha + t_x)^-(r+x) ]

    alive at T, or dropped out right after the purchase at t_x. ``const`` C and ``drop`` K
    are given per frequency level (L,) (K = -inf where dropping out is impossible), with
    their gradients (L, 4); K depends on (a, b) only. Only two logarithms per row."""
    r, alpha = params[0], params[1]
    levels, index, level_weight = data.frequency_levels
    w = data.weight
    rx = r + data.frequency
    log_alive = np.log(alpha + data.T)
    gap = log_alive - np.log(alpha + data.recency)  # >= 0
    plus, dropped = softplus(drop[index] + rx * gap)  # dropped: P(dropped | history)
    ll = const[index] - rx * log_alive + plus
    inv_alive = 1.0 / (alpha + data.T)
    inv_dropped = 1.0 / (alpha + data.recency)
    wd = w * dropped
    grad = weighted_sum(level_weight, d_const)
    grad[0] += dot(wd, gap) - dot(w, log_alive)
    grad[1] += dot(wd * rx, inv_alive - inv_dropped) - dot(w * rx, inv_alive)
    grad += weighted_sum(sum_by(index, wd, len(levels)), d_drop)
    return ll, grad
