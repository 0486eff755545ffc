"""Pareto/NBD (Schmittlein, Morrison and Colombo 1987; likelihood as in Fader, Hardie and
Lee 2005, "A note on deriving the Pareto/NBD model"): purchases at a Poisson rate
lambda ~ Gamma(r, alpha) during an exponential lifetime of rate mu ~ Gamma(s, beta).

    L = Gamma(r+x) alpha^r beta^s / Gamma(r)
        * [ (alpha+T)^-(r+x) (beta+T)^-s + s * I ],
    I = integral from t_x to T of (alpha+tau)^-(r+x) (beta+tau)^-(s+1) dtau.

The published form writes I with Gauss hypergeometric functions; their derivatives in r
and s have no closed form, so I and its parameter derivatives are computed by quadrature.
I = J(x, t_x) - J(x, T) with J(x, t) the integral from t to the data's largest T: J is
computed once per distinct (x, t) pair (far fewer than customers), by composite
Gauss-Legendre quadrature in u = log(min(alpha, beta) + tau). The integrand's log g(u) is
concave in u and changes by at most (r + x + s + 2) per unit of u: panels are sized so that
it changes by at most 4 per panel, which keeps the quadrature at double precision, and the
range stops where the tangent at t has fallen by 50 (the rest is below e^-50 of J).
The difference loses no precision that matters: where J(x, t_x) and J(x, T) are close, the
alive term dominates the likelihood.
"""

from __future__ import annotations

import numpy as np
from scipy.special import digamma, gammaln

from pilotage.core.clv.summary import FloatArray, IntArray, Summary
from pilotage.core.clv.terms import dot, sum_by, weighted_sum

NAMES = ("r", "alpha", "s", "beta")
_NODES, _WEIGHTS = np.polynomial.legendre.leggauss(16)
_MAX_PANELS = 2000
#: Fall of the tangent of log-integrand after which the rest of the range is dropped.
_TAIL_CUT = 50.0


def _tails(params: FloatArray, data: Summary) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Per (x, t) pair: J = exp(top) * s0 and dJ / d(r, alpha, s, beta) = exp(top) * s1,
    as (top (P,), s0 (P,), s1 (P, 4)); top = -inf and s0 = s1 = 0 where J = 0 (t = max T)."""
    r, alpha, s, beta = params
    x, t = data.frequency_time_pairs[:2]
    n = len(x)
    p, q = r + x, s + 1.0
    c = min(alpha, beta)
    lo = np.log(c + t)
    slope = 1.0 - p * (c + t) / (alpha + t) - q * (c + t) / (beta + t)  # g'(lo)
    hi = np.full(n, np.log(c + float(np.max(data.T, initial=0.0))))
    end = np.where(slope < 0, np.minimum(hi, lo + _TAIL_CUT / np.abs(slope)), hi)
    width = end - lo
    present = width > 0
    panels = np.where(
        present, np.clip(np.ceil((p + q + 1) * width / 4.0), 1, _MAX_PANELS), 0
    ).astype(np.int64)
    row: IntArray = np.repeat(np.arange(n), panels)
    starts = np.cumsum(panels) - panels
    k = np.arange(len(row)) - np.repeat(starts, panels)  # panel number within its pair
    h = width[row] / panels[row]
    u = (lo[row] + (k + 0.5) * h)[:, None] + 0.5 * h[:, None] * _NODES[None, :]  # (K, 16)
    e = np.exp(u)
    a_tau = (alpha - c) + e  # alpha + tau
    b_tau = (beta - c) + e  # beta + tau
    log_a, log_b = np.log(a_tau), np.log(b_tau)
    g = u - p[row][:, None] * log_a - q * log_b
    top = np.full(n, -np.inf)
    if len(row):
        top[present] = np.maximum.reduceat(g.max(axis=1), starts[present])
    f = np.exp(g - top[row][:, None]) * (_WEIGHTS[None, :] * 0.5 * h[:, None])

    def per_pair(values: FloatArray) -> FloatArray:
        return np.asarray(
            np.bincount(row, weights=(f * values).sum(axis=1), minlength=n), dtype=np.float64
        )

    s0 = np.asarray(np.bincount(row, weights=f.sum(axis=1), minlength=n), dtype=np.float64)
    s1 = np.stack(
        [
            per_pair(-log_a),
            per_pair(-p[row][:, None] / a_tau),
            per_pair(-log_b),
            per_pair(-q / b_tau),
        ],
        axis=1,
    )
    return top, s0, s1


def _dropped(
    params: FloatArray, data: Summary
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
    """log(s I) per row (-inf when t_x = T), and what its gradient needs: exp(top) at
    (x, t_x) and the ratio exp(top(x, T) - top(x, t_x)) per row, and s1 per pair."""
    s = params[2]
    at_recency, at_age = data.frequency_time_pairs[2:]
    top, s0, s1 = _tails(params, data)
    top_d, top_t = top[at_recency], top[at_age]
    with np.errstate(divide="ignore", invalid="ignore"):
        # J(x, T) <= J(x, t_x): the ratio is at most about 1, and 0 when J(x, T) = 0.
        ratio = np.where(np.isfinite(top_t), np.exp(top_t - top_d), 0.0)
        left = np.maximum(s0[at_recency] - ratio * s0[at_age], 0.0)
        log_si = np.log(s) + top_d + np.log(left)
    return log_si, top_d, ratio, s0, s1


def _alive(params: FloatArray, data: Summary) -> FloatArray:
    r, alpha, s, beta = params
    value: FloatArray = -(r + data.frequency) * np.log(alpha + data.T) - s * np.log(beta + data.T)
    return value


def log_likelihood(params: FloatArray, data: Summary) -> tuple[FloatArray, FloatArray]:
    """Per row: log L(r, alpha, s, beta | x, t_x, T), and the gradient (4,) of the
    weighted sum."""
    r, alpha, s, beta = params
    levels, index, level_weight = data.frequency_levels
    at_recency, at_age = data.frequency_time_pairs[2:]
    w = data.weight
    const = gammaln(r + levels) - gammaln(r) + r * np.log(alpha) + s * np.log(beta)
    d_const = np.stack(
        [
            digamma(r + levels) - digamma(r) + np.log(alpha),
            np.full(len(levels), r / alpha),
            np.full(len(levels), np.log(beta)),
            np.full(len(levels), s / beta),
        ],
        axis=1,
    )
    alive = _alive(params, data)
    log_si, top_d, ratio, _, s1 = _dropped(params, data)
    both = np.logaddexp(alive, log_si)
    ll = const[index] + both
    w_alive = w * np.exp(alive - both)  # weight x share of the alive term
    w_dropped = w - w_alive
    # d(s I) / (e^A + s I) = I / (...) ds + s exp(top_d - both) (s1(x, t_x) - ratio s1(x, T))
    present = np.isfinite(log_si)
    w_scale = w * s * np.exp(np.where(present, top_d - both, -np.inf))
    pairs = len(s1)
    at_pairs = sum_by(at_recency, w_scale, pairs) - sum_by(at_age, w_scale * ratio, pairs)
    grad = weighted_sum(level_weight, d_const) + weighted_sum(at_pairs, s1)
    grad += np.array(
        [
            -dot(w_alive, np.log(alpha + data.T)),
            -dot(w_alive, (r + data.frequency) / (alpha + data.T)),
            -dot(w_alive, np.log(beta + data.T)) + w_dropped.sum() / s,
            -dot(w_alive, s / (beta + data.T)),
        ]
    )
    return ll, grad


def p_alive(params: FloatArray, data: Summary) -> FloatArray:
    alive = _alive(params, data)
    value: FloatArray = np.exp(alive - np.logaddexp(alive, _dropped(params, data)[0]))
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
