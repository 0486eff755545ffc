"""MBG/NBD (Batislam, Denizel and Filiztekin 2007): the BG/NBD where a customer may also
drop out right after the first purchase, so zero-repeat customers can be inactive."""

from __future__ import annotations

import numpy as np
from scipy.special import betaln, digamma, gammaln, hyp2f1

from pilotage.core.clv.summary import FloatArray, Summary
from pilotage.core.clv.terms import alive_or_dropped

NAMES = ("r", "alpha", "a", "b")


def log_likelihood(params: FloatArray, data: Summary) -> tuple[FloatArray, FloatArray]:
    """Per row: log L(r, alpha, a, b | x, t_x, T) and the gradient (4,) of the weighted
    sum."""
    r, alpha, a, b = params
    x = data.frequency_levels[0]
    const = gammaln(r + x) - gammaln(r) + r * np.log(alpha) + betaln(a, b + x + 1) - betaln(a, b)
    d_const = np.stack(
        [
            digamma(r + x) - digamma(r) + np.log(alpha),
            np.full(len(x), r / alpha),
            digamma(a + b) - digamma(a + b + x + 1),
            digamma(b + x + 1) - digamma(a + b + x + 1) - digamma(b) + digamma(a + b),
        ],
        axis=1,
    )
    drop = np.log(a) - np.log(b + x)
    zeros = np.zeros(len(x))
    d_drop = np.stack([zeros, zeros, np.full(len(x), 1 / a), -1 / (b + x)], axis=1)
    return alive_or_dropped(params, data, const, d_const, drop, d_drop)


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
    # Euler's transformation of ratio^(r+x) 2F1(r+x, b+x+1; a+b+x; z) (stable for large x).
    body = 1 - ratio ** (a - 1) * hyp2f1(a - 1, a + b - r, a + b + x, z)
    value: FloatArray = head * body / (1 + _odds_dropped(params, data))
    return np.maximum(value, 0.0)


def expected_purchases_new(params: FloatArray, t: FloatArray) -> FloatArray:
    """E[X(t)] for a customer just acquired."""
    r, alpha, a, b = params
    value: FloatArray = (
        b
        / (a - 1)
        * (1 - (alpha / (alpha + t)) ** (a - 1) * hyp2f1(a - 1, a + b - r, a + b, t / (alpha + t)))
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
