"""Customer lifetime value use cases: fit a model, predict every customer, roll LTV up by
channel, campaign, segment and cohort, and rank the segments worth personalising for.

Result objects here are what ``pilotage clv ...``, ``pilotage segments``, the API and the
CLV page show."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict

from pilotage.core.clv.mle import Estimate
from pilotage.core.clv.models import PURCHASE_MODELS, fit, spec
from pilotage.core.clv.predict import predict
from pilotage.core.clv.summary import Summary
from pilotage.core.clv.transactions import (
    PER_YEAR,
    CustomerTable,
    TimeUnit,
    period_start,
    summarize,
)
from pilotage.core.clv.validation import tracking, validate
from pilotage.errors import UsageError

#: Version of the saved model documents.
MODEL_FORMAT = "pilotage.clv/1"


class ClvConvergence(BaseModel):
    """How the optimiser got there (see :class:`pilotage.core.clv.mle.Convergence`)."""

    model_config = ConfigDict(frozen=True)

    message: str
    iterations: int
    gradient_norm: float
    starts: int
    starts_converged: int
    starts_agreeing: int
    hessian_positive_definite: bool


class ClvFit(BaseModel):
    """A fitted model: parameters as named in the papers, their standard errors and 95 %
    intervals, the full log-likelihood, the customers used (Gamma-Gamma: those with
    frequency > 0), whether the optimiser converged and how."""

    model_config = ConfigDict(frozen=True)

    model: str
    params: dict[str, float]
    std_errors: dict[str, float | None]
    log_likelihood: float
    n_customers: float
    converged: bool
    ci_low: dict[str, float | None]
    ci_high: dict[str, float | None]
    convergence: ClvConvergence


def to_fit(estimate: Estimate) -> ClvFit:
    c = estimate.convergence
    return ClvFit(
        model=estimate.model,
        params=estimate.params,
        std_errors=estimate.std_errors,
        log_likelihood=estimate.log_likelihood,
        n_customers=estimate.n_customers,
        converged=c.converged,
        ci_low=estimate.ci_low,
        ci_high=estimate.ci_high,
        convergence=ClvConvergence(
            message=c.message,
            iterations=c.iterations,
            gradient_norm=c.gradient_norm,
            starts=c.starts,
            starts_converged=c.starts_converged,
            starts_agreeing=c.starts_agreeing,
            hessian_positive_definite=c.hessian_positive_definite,
        ),
    )


def fit_model(data: Summary, model: str) -> Estimate:
    return fit(spec(model).name, data)


def save_model(
    path: Path, estimate: Estimate, *, time_unit: str | None, spend: Estimate | None = None
) -> None:
    doc = {
        "format": MODEL_FORMAT,
        "time_unit": time_unit,
        "estimate": estimate.to_dict(),
        "spend": spend.to_dict() if spend is not None else None,
    }
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")


def load_model(path: Path) -> tuple[Estimate, Estimate | None, str | None]:
    """(estimate, spend estimate or None, time unit) of a saved model."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        if doc.get("format") != MODEL_FORMAT:
            raise ValueError("not a Pilotage CLV model")
        spend = doc.get("spend")
        return (
            Estimate.from_dict(doc["estimate"]),
            Estimate.from_dict(spend) if spend else None,
            doc.get("time_unit"),
        )
    except (OSError, ValueError, KeyError, TypeError, AssertionError) as error:
        raise UsageError(
            f"{path}: cannot read the model ({error})",
            fix="give a file written by 'pilotage clv fit --save FILE'",
        ) from error


class CustomerValue(BaseModel):
    """One customer: the summary, then predictions over the horizon with p05/p50/p95 from
    the parameters' uncertainty (spend and LTV are null without a spend model)."""

    model_config = ConfigDict(frozen=True)

    customer_id: str
    frequency: float
    recency: float
    T: float
    monetary_value: float | None
    expected_purchases: float
    purchases_p05: float
    purchases_p50: float
    purchases_p95: float
    p_alive: float
    expected_spend: float | None
    ltv: float | None
    ltv_p05: float | None
    ltv_p50: float | None
    ltv_p95: float | None


class ClvPredictions(BaseModel):
    model_config = ConfigDict(frozen=True)

    model: str
    spend_model: str | None
    time_unit: str | None
    horizon: float
    discount_rate: float
    margin: float
    definition: str
    customers: list[CustomerValue]


def _num(value: float) -> float | None:
    return None if not np.isfinite(value) else float(value)


def predict_customers(
    ids: list[str],
    data: Summary,
    estimate: Estimate,
    *,
    spend: Estimate | None = None,
    time_unit: str | None = None,
    horizon: float | None = None,
    discount_rate: float = 0.0,
    margin: float = 1.0,
    draws: int = 100,
    seed: int = 0,
) -> ClvPredictions:
    """Every customer's predictions. ``horizon`` defaults to one year of the time unit
    (52 periods when the unit is unknown); the discount rate is per period of that unit."""
    model = spec(estimate.model)
    if model.name not in (*PURCHASE_MODELS, "sbg"):
        raise UsageError(
            f"{model.name} predicts spend, not purchases",
            fix="predict with a purchase model and give the spend model with --spend-model",
        )
    if discount_rate < 0 or not 0 < margin <= 1:
        raise UsageError(
            "discount rate must be >= 0 and margin in (0, 1]", fix="e.g. --discount-rate 0.01"
        )
    if horizon is None:
        horizon = float(PER_YEAR.get(time_unit, 52))  # type: ignore[call-overload]
    if horizon <= 0:
        raise UsageError(f"horizon {horizon} is not allowed", fix="give a horizon > 0 periods")
    done = predict(
        model,
        estimate,
        data,
        horizon=horizon,
        discount_rate=discount_rate,
        spend=spend,
        margin=margin,
        draws=draws,
        seed=seed,
    )
    rows = [
        CustomerValue(
            customer_id=ids[i],
            frequency=float(data.frequency[i]),
            recency=float(data.recency[i]),
            T=float(data.T[i]),
            monetary_value=_num(data.monetary[i]),
            expected_purchases=float(done.expected_purchases[i]),
            purchases_p05=float(done.purchases_band[0, i]),
            purchases_p50=float(done.purchases_band[1, i]),
            purchases_p95=float(done.purchases_band[2, i]),
            p_alive=float(done.p_alive[i]),
            expected_spend=_num(done.expected_spend[i]),
            ltv=_num(done.ltv[i]),
            ltv_p05=_num(done.ltv_band[0, i]),
            ltv_p50=_num(done.ltv_band[1, i]),
            ltv_p95=_num(done.ltv_band[2, i]),
        )
        for i in range(data.n_rows)
    ]
    return ClvPredictions(
        model=model.name,
        spend_model=spend.model if spend is not None else None,
        time_unit=time_unit,
        horizon=horizon,
        discount_rate=discount_rate,
        margin=margin,
        definition="LTV = margin x expected spend per purchase x expected purchases over the "
        "horizon, each period's purchases discounted by (1 + discount rate)^t; p05/p95 from "
        "the parameters' uncertainty.",
        customers=rows,
    )


class ConditionalExpectation(BaseModel):
    model_config = ConfigDict(frozen=True)

    frequency: str
    customers: float
    actual: float
    predicted: float


class TrackingPoint(BaseModel):
    """One calendar period of the tracking plot: the customers' repeat purchases in it,
    actual and expected, and both cumulated since the first purchase of the data."""

    model_config = ConfigDict(frozen=True)

    period: datetime.date
    holdout: bool
    actual: float
    predicted: float
    cumulative_actual: float
    cumulative_predicted: float


class HoldoutValidation(BaseModel):
    """Calibration fit checked on the holdout period: MAE per customer, tracking error of
    the holdout total ((predicted - actual) / actual), conditional expectations by
    calibration frequency, the calibration histogram's chi-square, and the tracking series
    (repeat purchases per period over calibration and holdout, actual vs expected)."""

    model_config = ConfigDict(frozen=True)

    model: str
    time_unit: str
    calibration_end: datetime.date
    holdout_periods: float
    customers: float
    mae: float
    total_actual: float
    total_predicted: float
    tracking_error: float | None
    conditional_expectations: list[ConditionalExpectation]
    histogram_observed: list[float]
    histogram_expected: list[float]
    chi_square: float
    degrees_of_freedom: int
    p_value: float | None
    tracking: list[TrackingPoint]
    params: dict[str, float]


def holdout_validation(
    table: CustomerTable, model: str, unit: TimeUnit, calibration_end: datetime.date
) -> HoldoutValidation:
    chosen = spec(model)
    if chosen.name not in PURCHASE_MODELS or chosen.name == "bgbb":
        raise UsageError(
            f"holdout validation needs a continuous purchase model, not {model}",
            fix="use bgnbd, mbgnbd or pareto_nbd",
        )
    if table.holdout_length <= 0:
        raise UsageError(
            "there is no holdout period after the calibration end",
            fix="give --calibration-end before the last transaction",
        )
    estimate = fit(chosen.name, table.summary)
    checked = validate(
        chosen, estimate, table.summary, table.holdout_frequency, table.holdout_length
    )
    series = tracking(
        chosen,
        estimate,
        table.first_period,
        table.summary.weight,
        table.first_calendar_period,
        table.calibration_period,
        table.repeat_by_period,
    )
    starts = period_start(np.array(series.periods, dtype=np.int64), unit)
    cumulative_actual = np.cumsum(series.actual)
    cumulative_predicted = np.cumsum(series.predicted)
    return HoldoutValidation(
        model=chosen.name,
        time_unit=unit,
        calibration_end=calibration_end,
        holdout_periods=table.holdout_length,
        customers=table.summary.n_customers,
        mae=checked.mae,
        total_actual=checked.total_actual,
        total_predicted=checked.total_predicted,
        tracking_error=checked.tracking_error,
        conditional_expectations=[ConditionalExpectation(**row.__dict__) for row in checked.table],
        histogram_observed=list(checked.histogram_observed),
        histogram_expected=list(checked.histogram_expected),
        chi_square=checked.chi_square,
        degrees_of_freedom=checked.degrees_of_freedom,
        p_value=checked.p_value,
        tracking=[
            TrackingPoint(
                period=datetime.date.fromisoformat(str(starts[i])),
                holdout=series.periods[i] > series.calibration_period,
                actual=series.actual[i],
                predicted=series.predicted[i],
                cumulative_actual=float(cumulative_actual[i]),
                cumulative_predicted=float(cumulative_predicted[i]),
            )
            for i in range(len(series.periods))
        ],
        params=estimate.params,
    )


def holdout_split(days: Any) -> datetime.date:
    """Half-way from the first to the last transaction (CDNOW's 39 + 39 weeks): the
    default calibration end of a validation."""
    if len(days) == 0:
        raise UsageError("there are no transactions", fix="load orders or give a file with rows")
    first, last = np.min(days).astype("datetime64[D]"), np.max(days).astype("datetime64[D]")
    return datetime.date.fromisoformat(str(first + (last - first) // 2))


def customer_table(
    ids: Any,
    days: Any,
    amounts: Any,
    unit: TimeUnit,
    calibration_end: datetime.date | None = None,
) -> tuple[CustomerTable, datetime.date]:
    """Summaries of transactions; the calibration end defaults to the last transaction
    (no holdout). Transactions after it form the holdout."""
    if len(days) == 0:
        raise UsageError("there are no transactions", fix="load orders or give a file with rows")
    last = np.max(days).astype("datetime64[D]")
    end = np.datetime64(calibration_end, "D") if calibration_end is not None else last
    table = summarize(ids, days, amounts, end, unit, observation_end=last)
    if table.summary.n_rows == 0:
        raise UsageError(
            f"no customer bought on or before {end}", fix="give a later --calibration-end"
        )
    return table, datetime.date.fromisoformat(str(end))
