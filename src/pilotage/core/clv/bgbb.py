"""BG/BB (Fader, Hardie and Shang 2010, "Customer-base analysis in a discrete-time
noncontractual setting"): at each of n opportunities an alive customer buys with
probability p ~ Beta(alpha, beta) and, before the next one, drops out with probability
theta ~ Beta(gamma, delta).

Rows: ``frequency`` x (opportunities with a purchase), ``recency`` t_x (the last of them,
0 without purchase) and ``T`` n (opportunities observed)."""

from __future__ import annotations

import numpy as np
from scipy.special import betaln, digamma, gammaln

from pilotage.core.clv.summary import FloatArray, Summary
from pilotage.core.clv.terms import log_sum

NAMES = ("alpha", "beta", "gamma", "delta")


def _beta_term(
    a: float, b: float, g: float, d: float, x: FloatArray, m: FloatArray, gx: float, k: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """log[B(a + x, b + m) B(g + gx, d + k)] and its gradient in (a, b, g, d)."""
    value = betaln(a + x, b + m) + betaln(g + gx, d + k)
    ab = digamma(a + b + x + m)
    gd = digamma(g + d + gx + k)
    grad = np.stack(
        [digamma(a + x) - ab, digamma(b + m) - ab, digamma(g + gx) - gd, digamma(d + k) - gd],
        axis=1,
    )
    return value, grad


def log_likelihood(params: FloatArray, data: Summary) -> tuple[FloatArray, FloatArray]:
    """Per row: log L(alpha, beta, gamma, delta | x, t_x, n), equation (5) of the paper,
    and the gradient (4,) of the weighted sum."""
    a, b, g, d = params
    x, tx, n = data.frequency, data.recency, data.T
    rows = len(x)
    const = np.full(rows, -betaln(a, b) - betaln(g, d))
    d_const = np.tile(
        [
            -(digamma(a) - digamma(a + b)),
            -(digamma(b) - digamma(a + b)),
            -(digamma(g) - digamma(g + d)),
            -(digamma(d) - digamma(g + d)),
        ],
        (rows, 1),
    )
    terms = [_beta_term(a, b, g, d, x, n - x, 0.0, n)]
    gap = n - tx
    for i in range(int(gap.max()) if rows else 0):
        value, grad = _beta_term(a, b, g, d, x, tx - x + i, 1.0, tx + i)
        terms.append((np.where(i < gap, value, -np.inf), grad))
    return log_sum(const, d_const, terms, data.weight)


def p_alive(params: FloatArray, data: Summary) -> FloatArray:
    """P(alive at opportunity n + 1 | x, t_x, n), equation (11)."""
    a, b, g, d = params
    x, n = data.frequency, data.T
    ll, _ = log_likelihood(params, data)
    value: FloatArray = np.exp(
        betaln(a + x, b + n - x) - betaln(a, b) + betaln(g, d + n + 1) - betaln(g, d) - ll
    )
    return value


def expected_purchases(params: FloatArray, data: Summary, t: float) -> FloatArray:
    """E[X(n, n + t) | x, t_x, n], equation (13): purchases in the next t opportunities."""
    a, b, g, d = params
    x, n = data.frequency, data.T
    ll, _ = log_likelihood(params, data)
    head = betaln(a + x + 1, b + n - x) - betaln(a, b) - ll
    scale = d / (g - 1) * np.exp(gammaln(g + d) - gammaln(1 + d))
    bracket = np.exp(gammaln(1 + d + n) - gammaln(g + d + n)) - np.exp(
        gammaln(1 + d + n + t) - gammaln(g + d + n + t)
    )
    value: FloatArray = np.exp(head) * scale * bracket
    return value


def expected_purchases_new(params: FloatArray, t: FloatArray) -> FloatArray:
    """E[X(n)] for a customer at the start, equation (8)."""
    a, b, g, d = params
    ratio = np.exp(gammaln(g + d) + gammaln(1 + d + t) - gammaln(g + d + t) - gammaln(1 + d))
    value: FloatArray = a / (a + b) * d / (g - 1) * (1 - ratio)
    return value


def simulate(
    params: FloatArray, n: FloatArray, rng: np.random.Generator
) -> tuple[FloatArray, FloatArray]:
    a, b, g, d = params
    rows = len(n)
    p = rng.beta(a, b, rows)
    theta = rng.beta(g, d, rows)
    x, tx = np.zeros(rows), np.zeros(rows)
    alive = np.ones(rows, dtype=bool)
    for k in range(1, int(n.max()) + 1 if rows else 1):
        alive &= (rng.random(rows) >= theta) & (k <= n)
        buy = alive & (rng.random(rows) < p)
        x[buy] += 1
        tx[buy] = k
    return x, tx
