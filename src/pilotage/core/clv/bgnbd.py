"""BG/NBD (Fader, Hardie and Lee 2005, "Counting your customers the easy way"): purchases
at a Poisson rate lambda ~ Gamma(r, alpha) while alive; after each purchase the customer
drops out with probability p ~ Beta(a, b)."""

from __future__ import annotations

import numpy as np
from scipy.special import betaln, digamma, gammaln, hyp2f1

from pilotage.core.clv.summary import FloatArray, Summary
from pilotage.core.clv.terms import alive_or_dropped

NAMES = ("r", "alpha", "a", "b")


def log_likelihood(params: FloatArray, data: Summary) -> tuple[FloatArray, FloatArray]:
    """Per row: log L(r, alpha, a, b | x, t_x, T), equation (6) of the paper, and the
    gradient (4,) of the weighted sum."""
    r, alpha, a, b = params
    x = data.frequency_levels[0]
    const = gammaln(r + x) - gammaln(r) + r * np.log(alpha) + betaln(a, b + x) - betaln(a, b)
    d_const = np.stack(
        [
            digamma(r + x) - digamma(r) + np.log(alpha),
            np.full(len(x), r / alpha),
            digamma(a + b) - digamma(a + b + x),
            digamma(b + x) - digamma(a + b + x) - digamma(b) + digamma(a + b),
        ],
        axis=1,
    )
    # Dropping out after the last purchase needs a repeat purchase (x > 0).
    repeat = x > 0
    bx1 = np.where(repeat, b + x - 1, 1.0)
    drop = np.where(repeat, np.log(a) - np.log(bx1), -np.inf)
    zeros = np.zeros(len(x))
    d_drop = np.stack(
        [zeros, zeros, np.where(repeat, 1 / a, 0.0), np.where(repeat, -1 / bx1, 0.0)], axis=1
    )
    return alive_or_dropped(params, data, const, d_const, drop, d_drop)


def _odds_dropped(params: FloatArray, data: Summary) -> FloatArray:
    """P(dropped out) / P(alive) given the history."""
    r, alpha, a, b = params
    x = data.frequency
    repeat = x > 0
    bx1 = np.where(repeat, b + x - 1, 1.0)
    log_odds = (
        np.log(a) - np.log(bx1) + (r + x) * (np.log(alpha + data.T) - np.log(alpha + data.recency))
    )
    return np.where(repeat, np.exp(np.minimum(log_odds, 700.0)), 0.0)


def p_alive(params: FloatArray, data: Summary) -> FloatArray:
    return 1.0 / (1.0 + _odds_dropped(params, data))


def expected_purchases(params: FloatArray, data: Summary, t: float) -> FloatArray:
    """E[X(T, T + t) | x, t_x, T], equation (10) of the paper."""
    r, alpha, a, b = params
    x, age = data.frequency, data.T
    ratio = (alpha + age) / (alpha + age + t)
    z = t / (alpha + age + t)
    head = (a + b + x - 1) / (a - 1)
    # Euler's transformation of the paper's ratio^(r+x) 2F1(r+x, b+x; a+b+x-1; z): the same
    # value, without a huge 2F1 times a tiny power when x or t is large.
    body = 1 - ratio ** (a - 1) * hyp2f1(a - 1, a + b - 1 - r, a + b + x - 1, z)
    value: FloatArray = head * body / (1 + _odds_dropped(params, data))
    return np.maximum(value, 0.0)


def expected_purchases_new(params: FloatArray, t: FloatArray) -> FloatArray:
    """E[X(t)] for a customer just acquired, equation (9) of the paper."""
    r, alpha, a, b = params
    value: FloatArray = (
        (a + b - 1)
        / (a - 1)
        * (
            1
            - (alpha / (alpha + t)) ** (a - 1)
            * hyp2f1(a - 1, a + b - 1 - r, a + b - 1, t / (alpha + t))
        )
    )
    return value


def simulate(
    params: FloatArray, age: FloatArray, rng: np.random.Generator
) -> tuple[FloatArray, FloatArray]:
    """Draw (x, t_x) for customers observed for ``age`` after their first purchase."""
    r, alpha, a, b = params
    n = len(age)
    lam = rng.gamma(r, 1 / alpha, n)
    p = rng.beta(a, b, n)
    x, tx, t = np.zeros(n), np.zeros(n), np.zeros(n)
    alive = np.ones(n, dtype=bool)
    while alive.any():
        t = t + rng.exponential(1.0, n) / lam
        alive &= t <= age
        x[alive] += 1
        tx[alive] = t[alive]
        alive &= rng.random(n) >= p
    return x, tx
