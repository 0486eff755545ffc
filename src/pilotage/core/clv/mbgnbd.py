"""MBG/NBD (Batislam, Denizel and Filiztekin 2007): the BG/NBD where a customer may also
drop out right after the first purchase, so zero-repeat customers can be inactive."""

from __future__ import annotations

import numpy as np
from scipy.special import betaln, digamma, gammaln, hyp2f1

from pilotage.core.clv.summary import FloatArray, Summary
from pilotage.core.clv.terms import log_sum

NAMES = ("r", "alpha", "a", "b")


def log_likelihood(params: FloatArray, data: Summary) -> tuple[FloatArray, FloatArray]:
    """Per row: log L(r, alpha, a, b | x, t_x, T) and its gradient (n, 4)."""
    r, alpha, a, b = params
    x, tx, age = data.frequency, data.recency, data.T
    n = len(x)
    const = gammaln(r + x) - gammaln(r) + r * np.log(alpha) + betaln(a, b + x + 1) - betaln(a, b)
    d_const = np.stack(
        [
            digamma(r + x) - digamma(r) + np.log(alpha),
            np.full(n, r / alpha),
            digamma(a + b) - digamma(a + b + x + 1),
            digamma(b + x + 1) - digamma(a + b + x + 1) - digamma(b) + digamma(a + b),
        ],
        axis=1,
    )
    zeros = np.zeros(n)
    alive = -(r + x) * np.log(alpha + age)
    d_alive = np.stack([-np.log(alpha + age), -(r + x) / (alpha + age), zeros, zeros], axis=1)
    dropped = np.log(a) - np.log(b + x) - (r + x) * np.log(alpha + tx)
    d_dropped = np.stack(
        [-np.log(alpha + tx), -(r + x) / (alpha + tx), np.full(n, 1 / a), -1 / (b + x)], axis=1
    )
    return log_sum(const, d_const, [(alive, d_alive), (dropped, d_dropped)])


def _odds_dropped(params: FloatArray, data: Summary) -> FloatArray:
    r, alpha, a, b = params
    x = data.frequency
    log_odds = (
        np.log(a)
        - np.log(b + x)
        + (r + x) * (np.log(alpha + data.T) - np.log(alpha + data.recency))
    )
    odds: FloatArray = np.exp(np.minimum(log_odds, 700.0))
    return odds


def p_alive(params: FloatArray, data: Summary) -> FloatArray:
    return 1.0 / (1.0 + _odds_dropped(params, data))


def expected_purchases(params: FloatArray, data: Summary, t: float) -> FloatArray:
    """E[X(T, T + t) | x, t_x, T]."""
    r, alpha, a, b = params
    x, age = data.frequency, data.T
    ratio = (alpha + age) / (alpha + age + t)
    z = t / (alpha + age + t)
    head = (a + b + x) / (a - 1)
    body = 1 - ratio ** (r + x) * hyp2f1(r + x, b + x + 1, a + b + x, z)
    value: FloatArray = head * body / (1 + _odds_dropped(params, data))
    return np.maximum(value, 0.0)


def expected_purchases_new(params: FloatArray, t: FloatArray) -> FloatArray:
    """E[X(t)] for a customer just acquired."""
    r, alpha, a, b = params
    value: FloatArray = (
        b / (a - 1) * (1 - (alpha / (alpha + t)) ** r * hyp2f1(r, b + 1, a + b, t / (alpha + t)))
    )
    return value


def simulate(
    params: FloatArray, age: FloatArray, rng: np.random.Generator
) -> tuple[FloatArray, FloatArray]:
    r, alpha, a, b = params
    n = len(age)
    lam = rng.gamma(r, 1 / alpha, n)
    p = rng.beta(a, b, n)
    x, tx, t = np.zeros(n), np.zeros(n), np.zeros(n)
    alive = rng.random(n) >= p  # may drop out right after the first purchase
    while alive.any():
        t = t + rng.exponential(1.0, n) / lam
        alive &= t <= age
        x[alive] += 1
        tx[alive] = t[alive]
        alive &= rng.random(n) >= p
    return x, tx
