"""Holdout validation of a purchase model, as numbers: mean absolute error per customer,
tracking error of the holdout total, the conditional-expectation table (mean holdout
purchases by calibration frequency, actual vs predicted), the chi-square of the
calibration frequency histogram against the model's (by simulation with a fixed seed), and
the tracking series of Fader and Hardie's plots: repeat purchases per calendar period,
actual vs expected, over the calibration and holdout periods."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from pilotage.core.clv.mle import Estimate
from pilotage.core.clv.models import ModelSpec
from pilotage.core.clv.summary import FloatArray, IntArray, Summary
from pilotage.core.clv.terms import dot, sum_by

#: Frequencies shown one by one; larger ones share the last class ("7+").
TOP_CLASS = 7
#: Simulated replications of every distinct row for the expected histogram.
REPLICATIONS = 200


@dataclass(frozen=True)
class ConditionalRow:
    frequency: str
    customers: float
    actual: float
    predicted: float


@dataclass(frozen=True)
class Validation:
    mae: float
    total_actual: float
    total_predicted: float
    tracking_error: float | None  # (predicted - actual) / actual
    table: tuple[ConditionalRow, ...]
    histogram_observed: tuple[float, ...]
    histogram_expected: tuple[float, ...]
    chi_square: float
    degrees_of_freedom: int
    p_value: float | None


def _classes(frequency: FloatArray) -> FloatArray:
    return np.minimum(frequency, TOP_CLASS)


def validate(
    model: ModelSpec,
    estimate: Estimate,
    data: Summary,
    actual: FloatArray,
    length: float,
    *,
    seed: int = 0,
) -> Validation:
    assert model.expected_purchases is not None and model.simulate is not None
    params = estimate.values
    w = data.weight
    predicted = model.expected_purchases(params, data, length)
    mae = float(np.average(np.abs(predicted - actual), weights=w))
    total_actual = dot(w, actual)
    total_predicted = dot(w, predicted)
    tracking = (total_predicted - total_actual) / total_actual if total_actual > 0 else None
    classes = _classes(data.frequency)
    table = []
    for k in range(TOP_CLASS + 1):
        sel = classes == k
        if not sel.any():
            continue
        table.append(
            ConditionalRow(
                frequency=f"{k}+" if k == TOP_CLASS else str(k),
                customers=float(w[sel].sum()),
                actual=float(np.average(actual[sel], weights=w[sel])),
                predicted=float(np.average(predicted[sel], weights=w[sel])),
            )
        )
    observed = np.bincount(classes.astype(np.int64), weights=w, minlength=TOP_CLASS + 1)
    rows, _ = data.collapse()
    rng = np.random.default_rng(seed)
    ages = np.repeat(rows.T, REPLICATIONS)
    x, _ = model.simulate(params, ages, rng)
    share = np.repeat(rows.weight, REPLICATIONS) / REPLICATIONS
    expected = np.bincount(_classes(x).astype(np.int64), weights=share, minlength=TOP_CLASS + 1)
    used = expected > 0
    chi = float((((observed - expected) ** 2)[used] / expected[used]).sum())
    dof = int(used.sum()) - 1 - len(params)
    p_value = float(stats.chi2.sf(chi, dof)) if dof > 0 else None
    return Validation(
        mae=mae,
        total_actual=total_actual,
        total_predicted=total_predicted,
        tracking_error=tracking,
        table=tuple(table),
        histogram_observed=tuple(float(v) for v in observed),
        histogram_expected=tuple(float(v) for v in expected),
        chi_square=chi,
        degrees_of_freedom=dof,
        p_value=p_value,
    )


@dataclass(frozen=True)
class Tracking:
    """Per calendar period ``periods`` (indices of :func:`transactions.periods`): repeat
    purchases actual and expected; the calibration ends with ``calibration_period``."""

    periods: tuple[int, ...]
    actual: tuple[float, ...]
    predicted: tuple[float, ...]
    calibration_period: int


def tracking(
    model: ModelSpec,
    estimate: Estimate,
    first_period: IntArray,
    weight: FloatArray,
    origin: int,
    calibration_period: int,
    actual: FloatArray,
) -> Tracking:
    """Expected repeat purchases in calendar period k: sum over customers acquired in
    period f <= k of E[X(k - f)] - E[X(k - f - 1)], E[X(t)] the expectation for a customer
    just acquired. ``actual`` (P,) counts periods origin .. origin + P - 1."""
    assert model.expected_new is not None
    params = estimate.values
    count = len(actual)
    cohort = first_period - origin
    size = sum_by(cohort, weight, count)  # customers acquired in each period
    ages = np.arange(count, dtype=np.float64)
    cumulative = model.expected_new(params, ages)  # E[X(t)], t = 0 .. P-1
    per_age = np.diff(cumulative, prepend=0.0)  # expected in the t-th period after the first
    per_age[0] = 0.0
    # Period k receives size[f] * per_age[k - f]: a convolution of the two series.
    predicted = np.convolve(size, per_age)[:count]
    return Tracking(
        periods=tuple(int(origin + k) for k in range(count)),
        actual=tuple(float(v) for v in actual),
        predicted=tuple(float(v) for v in predicted),
        calibration_period=calibration_period,
    )
