"""Log-likelihoods written as ``C + log(sum_j exp(l_j))`` and their gradients: the shape
shared by every model here (a customer is alive at the end, or dropped out after some
purchase). Working in logs keeps huge frequencies and long histories finite."""

from __future__ import annotations

import numpy as np

from pilotage.core.clv.summary import FloatArray


def log_sum(
    const: FloatArray,
    d_const: FloatArray,
    terms: list[tuple[FloatArray, FloatArray]],
) -> tuple[FloatArray, FloatArray]:
    """``const`` (n,), ``d_const`` (n, k); each term is (l_j (n,), dl_j (n, k)) with -inf
    where the term is absent. Returns the rows' log-likelihood and gradient."""
    stacked = np.stack([t[0] for t in terms])  # (J, n)
    top = np.max(stacked, axis=0)
    top = np.where(np.isfinite(top), top, 0.0)
    share = np.exp(stacked - top)  # (J, n); absent terms give 0
    norm = share.sum(axis=0)
    ll = const + top + np.log(norm)
    weights = share / norm
    grad = d_const.copy()
    for w, (_, dl) in zip(weights, terms, strict=True):
        grad += w[:, None] * np.where(np.isfinite(dl), dl, 0.0)
    return ll, grad
