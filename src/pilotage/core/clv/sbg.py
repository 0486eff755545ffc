"""Shifted-beta-geometric (Fader and Hardie 2007, "How to project customer retention"):
each customer churns at every renewal with probability theta ~ Beta(alpha, beta).

Data rows: ``T`` is the number of periods a customer was observed to renew (the duration
t, >= 1) and ``frequency`` is 1 when the customer churned at the end of period t, 0 when
still active (censored). ``recency`` is the entry e (< t, usually 0): a customer first
observed after having renewed e times, whose likelihood is conditioned on S(e) (left
truncation: customers who churned before the observation began are not in the data)."""

from __future__ import annotations

import numpy as np
from scipy.special import betaln, digamma

from pilotage.core.clv.summary import FloatArray, Summary
from pilotage.core.clv.terms import weighted_sum

NAMES = ("alpha", "beta")


def log_likelihood(params: FloatArray, data: Summary) -> tuple[FloatArray, FloatArray]:
    """Churned at t: log P(T = t) = log B(alpha + 1, beta + t - 1) - log B(alpha, beta);
    active after t: log S(t) = log B(alpha, beta + t) - log B(alpha, beta); both minus
    log S(e) for an entry e, so - log B(alpha, beta + e) stands for - log B(alpha, beta).
    Returns the rows' values and the gradient (2,) of their weighted sum."""
    alpha, beta = params
    churned = data.frequency > 0
    t = data.T
    entered = beta + data.recency
    a1 = np.where(churned, alpha + 1, alpha)
    b1 = np.where(churned, beta + t - 1, beta + t)
    ll = betaln(a1, b1) - betaln(alpha, entered)
    common = digamma(a1 + b1)
    base = digamma(alpha + entered)
    grad = np.stack(
        [
            digamma(a1) - common - digamma(alpha) + base,
            digamma(b1) - common - digamma(entered) + base,
        ],
        axis=1,
    )
    return ll, weighted_sum(data.weight, grad)


def from_survivors(survivors: list[float] | FloatArray) -> Summary:
    """Rows from a cohort's survivors at the start and after each period (e.g. 1000, 631,
    468, ...): the lost of each period churned at t, the last survivors are still active."""
    alive = np.asarray(survivors, dtype=np.float64)
    lost = alive[:-1] - alive[1:]
    periods = np.arange(1, len(alive), dtype=np.float64)
    frequency = np.concatenate([np.ones(len(lost)), [0.0]])
    t = np.concatenate([periods, [float(len(alive) - 1)]])
    weight = np.concatenate([lost, alive[-1:]])
    keep = weight > 0
    return Summary(
        frequency[keep],
        np.zeros(int(keep.sum())),
        t[keep],
        weight[keep],
        np.full(int(keep.sum()), np.nan),
    )


def survival(params: FloatArray, t: FloatArray) -> FloatArray:
    """S(t) = B(alpha, beta + t) / B(alpha, beta)."""
    alpha, beta = params
    value: FloatArray = np.exp(betaln(alpha, beta + t) - betaln(alpha, beta))
    return value


def retention(params: FloatArray, t: FloatArray) -> FloatArray:
    """r(t) = (beta + t - 1) / (alpha + beta + t - 1): renewal rate at period t."""
    alpha, beta = params
    value: FloatArray = (beta + t - 1) / (alpha + beta + t - 1)
    return value


def p_alive(params: FloatArray, data: Summary) -> FloatArray:
    """P(renews next period): 0 for churned customers."""
    alpha, beta = params
    t = data.T
    value: FloatArray = np.where(data.frequency > 0, 0.0, (beta + t) / (alpha + beta + t))
    return value


def expected_purchases(params: FloatArray, data: Summary, t: float) -> FloatArray:
    """Expected renewals over the next ``t`` periods for active customers (0 if churned)."""
    periods = np.arange(1, int(np.floor(t)) + 1, dtype=np.float64)
    tenure = data.T[:, None]
    ratio = survival(params, tenure + periods[None, :]) / survival(params, tenure)
    value: FloatArray = np.where(data.frequency > 0, 0.0, ratio.sum(axis=1))
    return value


def simulate(params: FloatArray, periods: int, n: int, rng: np.random.Generator) -> Summary:
    alpha, beta = params
    theta = rng.beta(alpha, beta, n)
    t = np.minimum(rng.geometric(theta), periods + 1).astype(np.float64)
    churned = t <= periods
    return Summary(
        churned.astype(np.float64),
        np.zeros(n),
        np.where(churned, t, float(periods)),
        np.ones(n),
        np.full(n, np.nan),
    )
