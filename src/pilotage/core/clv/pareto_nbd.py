"""Pareto/NBD (Schmittlein, Morrison and Colombo 1987; likelihood as in Fader, Hardie and
Lee 2005, "A note on deriving the Pareto/NBD model"): purchases at a Poisson rate
lambda ~ Gamma(r, alpha) during an exponential lifetime of rate mu ~ Gamma(s, beta).

    L = Gamma(r+x) alpha^r beta^s / Gamma(r)
        * [ (alpha+T)^-(r+x) (beta+T)^-s + s * I ],
    I = integral from t_x to T of (alpha+tau)^-(r+x) (beta+tau)^-(s+1) dtau.

The published form writes I with Gauss hypergeometric functions; their derivatives in r
and s have no closed form, so I and its parameter derivatives are computed by composite
Gauss-Legendre quadrature in u = log(min(alpha, beta) + tau), where the integrand's log
changes by at most (r + x + s + 2) per unit of u: panels are sized so that it changes by
at most 4 per panel, which keeps the quadrature at double precision.
"""

from __future__ import annotations

import numpy as np
from scipy.special import digamma, gammaln

from pilotage.core.clv.summary import FloatArray, IntArray, Summary
from pilotage.core.clv.terms import log_sum

NAMES = ("r", "alpha", "s", "beta")
_NODES, _WEIGHTS = np.polynomial.legendre.leggauss(16)
_MAX_PANELS = 2000


def _integral(params: FloatArray, data: Summary) -> tuple[FloatArray, FloatArray]:
    """log I (n,) (-inf when t_x = T) and d log I / d(r, alpha, s, beta) (n, 4)."""
    r, alpha, s, beta = params
    x, tx, age = data.frequency, data.recency, data.T
    n = len(x)
    p, q = r + x, np.full(n, s + 1)
    c = min(alpha, beta)
    lo, hi = np.log(c + tx), np.log(c + age)
    width = hi - lo
    present = width > 0
    panels = np.where(
        present, np.clip(np.ceil((p + q + 1) * width / 4.0), 1, _MAX_PANELS), 0
    ).astype(np.int64)
    row: IntArray = np.repeat(np.arange(n), panels)
    first = np.repeat(np.cumsum(panels) - panels, panels)
    k = np.arange(len(row)) - first  # panel number within its row
    h = width[row] / panels[row]
    mid = lo[row] + (k + 0.5) * h
    u = mid[:, None] + 0.5 * h[:, None] * _NODES[None, :]  # (P, 16)
    e = np.exp(u)
    a_tau = (alpha - c) + e  # alpha + tau
    b_tau = (beta - c) + e  # beta + tau
    log_a, log_b = np.log(a_tau), np.log(b_tau)
    g = -p[row][:, None] * log_a - q[row][:, None] * log_b + u
    top = np.full(n, -np.inf)
    np.maximum.at(top, row, g.max(axis=1))
    f = np.exp(g - top[row][:, None]) * (_WEIGHTS[None, :] * 0.5 * h[:, None])

    def per_row(values: FloatArray) -> FloatArray:
        return np.asarray(
            np.bincount(row, weights=(f * values).sum(axis=1), minlength=n), dtype=np.float64
        )

    s0 = np.bincount(row, weights=f.sum(axis=1), minlength=n)
    log_i = np.where(present, top + np.log(np.where(present, s0, 1.0)), -np.inf)
    safe = np.where(present, s0, 1.0)
    d = np.stack(
        [
            per_row(-log_a) / safe,
            per_row(-p[row][:, None] / a_tau) / safe,
            per_row(-log_b) / safe,
            per_row(-q[row][:, None] / b_tau) / safe,
        ],
        axis=1,
    )
    return log_i, d


def log_likelihood(params: FloatArray, data: Summary) -> tuple[FloatArray, FloatArray]:
    """Per row: log L(r, alpha, s, beta | x, t_x, T) and its gradient (n, 4)."""
    r, alpha, s, beta = params
    x, age = data.frequency, data.T
    n = len(x)
    const = gammaln(r + x) - gammaln(r) + r * np.log(alpha) + s * np.log(beta)
    d_const = np.stack(
        [
            digamma(r + x) - digamma(r) + np.log(alpha),
            np.full(n, r / alpha),
            np.full(n, np.log(beta)),
            np.full(n, s / beta),
        ],
        axis=1,
    )
    alive = -(r + x) * np.log(alpha + age) - s * np.log(beta + age)
    d_alive = np.stack(
        [
            -np.log(alpha + age),
            -(r + x) / (alpha + age),
            -np.log(beta + age),
            -s / (beta + age),
        ],
        axis=1,
    )
    log_i, d_i = _integral(params, data)
    dropped = np.log(s) + log_i
    d_dropped = d_i + np.array([0.0, 0.0, 1 / s, 0.0])[None, :]
    return log_sum(const, d_const, [(alive, d_alive), (dropped, d_dropped)])


def p_alive(params: FloatArray, data: Summary) -> FloatArray:
    r, alpha, s, beta = params
    x, age = data.frequency, data.T
    alive = -(r + x) * np.log(alpha + age) - s * np.log(beta + age)
    dropped = np.log(s) + _integral(params, data)[0]
    value: FloatArray = np.exp(alive - np.logaddexp(alive, dropped))
    return value


def expected_purchases(params: FloatArray, data: Summary, t: float) -> FloatArray:
    """E[X(T, T + t) | x, t_x, T] (Schmittlein et al. 1987, equation 22)."""
    r, alpha, s, beta = params
    x, age = data.frequency, data.T
    rate = (r + x) * (beta + age) / ((alpha + age) * (s - 1))
    value: FloatArray = rate * (1 - ((beta + age) / (beta + age + t)) ** (s - 1))
    return value * p_alive(params, data)


def expected_purchases_new(params: FloatArray, t: FloatArray) -> FloatArray:
    r, alpha, s, beta = params
    value: FloatArray = r * beta / (alpha * (s - 1)) * (1 - (beta / (beta + t)) ** (s - 1))
    return value


def simulate(
    params: FloatArray, age: FloatArray, rng: np.random.Generator
) -> tuple[FloatArray, FloatArray]:
    r, alpha, s, beta = params
    n = len(age)
    lam = rng.gamma(r, 1 / alpha, n)
    mu = rng.gamma(s, 1 / beta, n)
    end = np.minimum(rng.exponential(1.0, n) / mu, age)
    x, tx, t = np.zeros(n), np.zeros(n), np.zeros(n)
    alive = np.ones(n, dtype=bool)
    while alive.any():
        t = t + rng.exponential(1.0, n) / lam
        alive &= t <= end
        x[alive] += 1
        tx[alive] = t[alive]
    return x, tx
