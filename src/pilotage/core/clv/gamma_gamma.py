"""Gamma-Gamma spend model (Fader, Hardie and Lee 2005, "RFM and CLV"; Fader and Hardie
2013, "The Gamma-Gamma model of monetary value"): a customer's transaction values are
Gamma(p, nu) with nu ~ Gamma(q, gamma); fitted on the mean spend of repeat buyers."""

from __future__ import annotations

import numpy as np
from scipy.special import digamma, gammaln

from pilotage.core.clv.summary import FloatArray, Summary
from pilotage.core.clv.terms import weighted_sum

NAMES = ("p", "q", "gamma")


def log_likelihood(params: FloatArray, data: Summary) -> tuple[FloatArray, FloatArray]:
    """Per row (x > 0): log f(mean spend | p, q, gamma, x), and the gradient (3,) of the
    weighted sum."""
    p, q, gamma = params
    x, m = data.frequency, data.monetary
    px = p * x
    total = gamma + m * x
    ll = (
        gammaln(px + q)
        - gammaln(px)
        - gammaln(q)
        + q * np.log(gamma)
        + (px - 1) * np.log(m)
        + px * np.log(x)
        - (px + q) * np.log(total)
    )
    grad = np.stack(
        [
            x * (digamma(px + q) - digamma(px) + np.log(m) + np.log(x) - np.log(total)),
            digamma(px + q) - digamma(q) + np.log(gamma) - np.log(total),
            q / gamma - (px + q) / total,
        ],
        axis=1,
    )
    return ll, weighted_sum(data.weight, grad)


def expected_spend(params: FloatArray, data: Summary) -> FloatArray:
    """E[M | x, mean spend]: a weighted average of the population mean p*gamma/(q-1) and
    the customer's observed mean (the population mean without repeat purchases)."""
    p, q, gamma = params
    x = data.frequency
    m = np.where(x > 0, np.nan_to_num(data.monetary), 0.0)
    value: FloatArray = p * (gamma + m * x) / (p * x + q - 1)
    return value


def simulate(params: FloatArray, x: FloatArray, rng: np.random.Generator) -> FloatArray:
    """Mean spend of ``x`` (> 0) transactions per customer."""
    p, q, gamma = params
    nu = rng.gamma(q, 1 / gamma, len(x))
    total: FloatArray = rng.gamma(p * x, 1 / nu)
    return total / x
