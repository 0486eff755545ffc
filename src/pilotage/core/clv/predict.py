"""Per-customer predictions with their uncertainty from the parameters' estimates.

Expected purchases over the next ``horizon`` periods, P(alive), expected spend per
purchase (Gamma-Gamma, or the observed mean spend for subscriptions) and LTV: the
discounted expected gross profit over the horizon,
    LTV = margin * E[spend] * sum_k (E[X(k)] - E[X(k - 1)]) / (1 + d)^k,
with the discount rate d per period of the data's own time unit, the sum taken over a
grid of at most 24 steps (each step's purchases discounted at its end). p05 / p50 / p95
come from drawing the parameters from their asymptotic normal (on the log scale) and
recomputing, on the distinct rows only."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pilotage.core.clv import gamma_gamma
from pilotage.core.clv.mle import Estimate
from pilotage.core.clv.models import ModelSpec
from pilotage.core.clv.summary import FloatArray, Summary

#: Largest number of discounting steps over the horizon.
MAX_STEPS = 24


@dataclass(frozen=True, eq=False)
class Predictions:
    """(n,) arrays in the summary's row order; ``*_band`` are (3, n): p05, p50, p95.
    Spend and LTV are NaN without a spend model or observed spend."""

    expected_purchases: FloatArray
    purchases_band: FloatArray
    p_alive: FloatArray
    expected_spend: FloatArray
    ltv: FloatArray
    ltv_band: FloatArray


def _discounted(
    model: ModelSpec, params: FloatArray, data: Summary, horizon: float, rate: float
) -> tuple[FloatArray, FloatArray]:
    """(expected purchases over the horizon, discounted expected purchases)."""
    assert model.expected_purchases is not None
    steps = max(1, min(MAX_STEPS, int(np.ceil(horizon))))
    grid = np.linspace(0.0, horizon, steps + 1)[1:]
    previous = np.zeros(data.n_rows)
    discounted = np.zeros(data.n_rows)
    for t in grid:
        current = model.expected_purchases(params, data, float(t))
        discounted += (current - previous) / (1 + rate) ** t
        previous = current
    return previous, discounted


def _spend(spend: Estimate | None, params: FloatArray | None, data: Summary) -> FloatArray:
    if spend is None or params is None:
        return np.asarray(data.monetary, dtype=np.float64)
    return gamma_gamma.expected_spend(params, data)


def predict(
    model: ModelSpec,
    estimate: Estimate,
    data: Summary,
    *,
    horizon: float,
    discount_rate: float = 0.0,
    spend: Estimate | None = None,
    margin: float = 1.0,
    draws: int = 100,
    seed: int = 0,
) -> Predictions:
    """Predictions for every row of ``data`` (computed on its distinct rows)."""
    if model.p_alive is None or model.expected_purchases is None:
        raise ValueError(f"{model.name} does not predict purchases")
    rows, back = data.collapse()
    params = estimate.values
    spend_params = spend.values if spend is not None else None
    purchases, discounted = _discounted(model, params, rows, horizon, discount_rate)
    alive = model.p_alive(params, rows)
    per_purchase = _spend(spend, spend_params, rows)
    ltv = margin * per_purchase * discounted
    rng = np.random.default_rng(seed)
    sampled_p = estimate.draws(draws, rng)
    sampled_s = spend.draws(draws, rng) if spend is not None else None
    p_draws = np.empty((draws, rows.n_rows))
    v_draws = np.empty((draws, rows.n_rows))
    for i in range(draws):
        total, disc = _discounted(model, sampled_p[i], rows, horizon, discount_rate)
        p_draws[i] = total
        s = _spend(spend, sampled_s[i] if sampled_s is not None else None, rows)
        v_draws[i] = margin * s * disc
    quantiles = np.array([0.05, 0.5, 0.95])
    purchases_band = np.quantile(p_draws, quantiles, axis=0)
    with np.errstate(all="ignore"):
        ltv_band = np.quantile(v_draws, quantiles, axis=0)
    return Predictions(
        expected_purchases=purchases[back],
        purchases_band=purchases_band[:, back],
        p_alive=alive[back],
        expected_spend=per_purchase[back],
        ltv=ltv[back],
        ltv_band=ltv_band[:, back],
    )
