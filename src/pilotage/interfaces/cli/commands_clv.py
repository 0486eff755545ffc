"""CLV commands: ``clv fit``, ``clv predict``, ``clv validate``, ``clv retention`` and
``segments``, from a summary file, a transactions file or the workspace's orders (and its
subscriptions for sbg)."""

from __future__ import annotations

import datetime
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from pilotage.core.clv.models import MODEL_NAMES, spec
from pilotage.core.clv.summary import Summary
from pilotage.core.clv.transactions import TimeUnit
from pilotage.data.clv_files import read_customers, read_transactions
from pilotage.errors import UsageError
from pilotage.interfaces.cli.options import FormatOption, WorkspaceOption, emit, workspace_of
from pilotage.services.clv import (
    ClvFit,
    customer_table,
    fit_model,
    holdout_split,
    holdout_validation,
    load_model,
    predict_customers,
    save_model,
    to_fit,
)
from pilotage.services.clv_segments import (
    RetentionResult,
    workspace_customers,
    workspace_retention,
    workspace_segments,
    workspace_validation,
)
from pilotage.services.workspaces import analytics

clv_app = typer.Typer(help="Customer lifetime value: fit, predict, validate.", no_args_is_help=True)

ModelOption = Annotated[str, typer.Option("--model", "-m", help=", ".join(MODEL_NAMES) + ".")]
SummaryOption = Annotated[
    Path | None,
    typer.Option(help="Customer summary (frequency, recency, T[, monetary_value, weight])."),
]
TransactionsOption = Annotated[
    Path | None, typer.Option(help="Transactions file (customer_id, date, amount).")
]
UnitOption = Annotated[TimeUnit, typer.Option("--unit", help="Time unit of the summaries.")]
ModelUnitOption = Annotated[
    TimeUnit | None,
    typer.Option("--unit", help="Time unit [weeks; months for sbg on subscriptions]."),
]
EndOption = Annotated[
    datetime.datetime | None,
    typer.Option(help="Calibration end (YYYY-MM-DD); later transactions are the holdout."),
]


def register(app: typer.Typer) -> None:
    app.add_typer(clv_app, name="clv")
    app.command("segments")(segments)


def _customers(
    model: str,
    summary: Path | None,
    transactions: Path | None,
    workspace: Path | None,
    unit: TimeUnit,
    calibration_end: datetime.datetime | None,
) -> tuple[list[str], Summary, str | None]:
    """(customer ids, summary, time unit or None for a summary file)."""
    if summary is not None and transactions is not None:
        raise UsageError("give --summary or --transactions, not both", fix="keep one")
    end = calibration_end.date() if calibration_end is not None else None
    if summary is not None:
        names, data = read_customers(summary, spec(model).kind)
        return names, data, None
    if transactions is not None:
        ids, days, amounts = read_transactions(transactions)
        table, _ = customer_table(ids, days, amounts, unit, end)
    else:
        if spec(model).kind == "durations":
            raise UsageError(
                "sbg predicts from subscription durations",
                fix="give --summary FILE (customer_id, T, churned)",
            )
        ws = workspace_of(workspace)
        with analytics(ws) as store:
            table, _, _ = workspace_customers(store, ws.settings, unit, end)
    return [str(c) for c in table.customers], table.summary, unit


@clv_app.command("fit")
def fit(
    model: ModelOption,
    summary: SummaryOption = None,
    transactions: TransactionsOption = None,
    unit: ModelUnitOption = None,
    calibration_end: EndOption = None,
    save: Annotated[Path | None, typer.Option(help="Write the fitted model (JSON).")] = None,
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Fit a CLV model by maximum likelihood; print parameters and standard errors.
    Without a file, sbg is fitted on the workspace's subscriptions (accounts' durations,
    censored while subscribed), the other models on its orders."""
    chosen = spec(model)
    if chosen.kind == "durations" and summary is None and transactions is None:
        retention = _retention(workspace, unit or "months", calibration_end)
        if save is not None:
            raise UsageError(
                "a model fitted on the subscriptions is not saved",
                fix="see 'pilotage clv retention' for its projections",
            )
        emit(
            retention.fit, fmt, _parameter_rows(retention.fit), ["parameter", "value", "std_error"]
        )
        return
    _, data, time_unit = _customers(
        chosen.name, summary, transactions, workspace, unit or "weeks", calibration_end
    )
    estimate = fit_model(data, chosen.name)
    if chosen.name == "gamma_gamma":
        print(
            f"gamma_gamma: fitted on {estimate.n_customers:g} customers with frequency > 0 "
            f"(of {data.n_customers:g})",
            file=sys.stderr,
        )
    if save is not None:
        save_model(save, estimate, time_unit=time_unit)
    result = to_fit(estimate)
    emit(result, fmt, _parameter_rows(result), ["parameter", "value", "std_error"])


def _parameter_rows(result: ClvFit) -> list[dict[str, Any]]:
    return [
        {"parameter": name, "value": value, "std_error": result.std_errors[name]}
        for name, value in result.params.items()
    ]


def _retention(
    workspace: Path | None,
    unit: TimeUnit,
    calibration_end: datetime.datetime | None,
    observed_from: datetime.datetime | None = None,
) -> RetentionResult:
    ws = workspace_of(workspace)
    with analytics(ws) as store:
        return workspace_retention(
            store,
            ws.settings,
            unit=unit,
            calibration_end=calibration_end.date() if calibration_end else None,
            observed_from=observed_from.date() if observed_from else None,
        )


ObservedOption = Annotated[
    datetime.datetime | None,
    typer.Option(
        help="When the subscriptions data begin (YYYY-MM-DD) [the first end date]: older "
        "accounts are conditioned on lasting until then."
    ),
]


@clv_app.command("retention")
def retention(
    unit: UnitOption = "months",
    calibration_end: EndOption = None,
    observed_from: ObservedOption = None,
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Subscriptions -> accounts' durations by start cohort -> sBG: survival observed
    (Kaplan-Meier) and fitted, renewal rates, and the cohorts' survivors (JSON)."""
    done = _retention(workspace, unit, calibration_end, observed_from)
    columns = ["period", "at_risk", "observed", "fitted", "retention_rate"]
    emit(done, fmt, [p.model_dump() for p in done.survival], columns)


@clv_app.command("predict")
def predict(
    model: ModelOption = "bgnbd",
    model_file: Annotated[
        Path | None, typer.Option(help="A model saved by 'clv fit --save' (else fitted now).")
    ] = None,
    spend_file: Annotated[
        Path | None, typer.Option(help="A saved gamma_gamma model for spend.")
    ] = None,
    summary: SummaryOption = None,
    transactions: TransactionsOption = None,
    unit: UnitOption = "weeks",
    calibration_end: EndOption = None,
    horizon: Annotated[
        float | None, typer.Option(help="Periods ahead [one year of the unit].")
    ] = None,
    discount_rate: Annotated[float, typer.Option(help="Discount rate per period.")] = 0.0,
    margin: Annotated[float, typer.Option(help="Gross margin ratio applied to spend.")] = 1.0,
    draws: Annotated[int, typer.Option(help="Parameter draws for p05/p50/p95.")] = 100,
    seed: Annotated[int, typer.Option(help="Seed of the parameter draws.")] = 0,
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """One row per customer: expected purchases, P(alive), expected spend and LTV."""
    if draws < 1:
        raise UsageError(f"--draws {draws} is not allowed", fix="use 1 or more draws")
    estimate, spend, saved_unit = (
        load_model(model_file) if model_file is not None else (None, None, None)
    )
    name = estimate.model if estimate is not None else spec(model).name
    ids, data, time_unit = _customers(name, summary, transactions, workspace, unit, calibration_end)
    if estimate is None:
        estimate = fit_model(data, name)
    if spend_file is not None:
        spend = load_model(spend_file)[0]
    elif spend is None and spec(name).kind == "continuous" and (data.frequency > 0).any():
        if not bool((data.monetary == data.monetary).any()):
            spend = None
        else:
            spend = fit_model(data, "gamma_gamma")
    done = predict_customers(
        ids,
        data,
        estimate,
        spend=spend,
        time_unit=time_unit or saved_unit,
        horizon=horizon,
        discount_rate=discount_rate,
        margin=margin,
        draws=draws,
        seed=seed,
    )
    columns = [
        "customer_id",
        "frequency",
        "recency",
        "T",
        "expected_purchases",
        "p_alive",
        "expected_spend",
        "ltv",
        "ltv_p05",
        "ltv_p50",
        "ltv_p95",
    ]
    emit(done, fmt, [c.model_dump() for c in done.customers], columns)


@clv_app.command("validate")
def validate(
    model: ModelOption = "bgnbd",
    transactions: TransactionsOption = None,
    unit: UnitOption = "weeks",
    calibration_end: EndOption = None,
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Fit on the calibration period (default: the first half of the transactions), check
    on the holdout: MAE, tracking error and the tracking series (repeat purchases per
    period, actual vs expected), conditional expectations and the histogram chi-square."""
    end = calibration_end.date() if calibration_end is not None else None
    if transactions is not None:
        ids, days, amounts = read_transactions(transactions)
        table, end = customer_table(ids, days, amounts, unit, end or holdout_split(days))
        done = holdout_validation(table, model, unit, end)
    else:
        ws = workspace_of(workspace)
        with analytics(ws) as store:
            done = workspace_validation(
                store, ws.settings, model=model, unit=unit, calibration_end=end
            )
    rows = [c.model_dump() for c in done.conditional_expectations]
    emit(done, fmt, rows, ["frequency", "customers", "actual", "predicted"])


def segments(
    model: ModelOption = "bgnbd",
    unit: UnitOption = "weeks",
    calibration_end: EndOption = None,
    horizon: Annotated[
        float | None, typer.Option(help="Periods ahead [one year of the unit].")
    ] = None,
    discount_rate: Annotated[float, typer.Option(help="Discount rate per period.")] = 0.0,
    top: Annotated[int, typer.Option(help="Segments in the ranking.")] = 10,
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """LTV by acquisition channel, campaign, segment and cohort; RFM segments; the most
    profitable segments ranked (size, LTV, CAC, share of revenue)."""
    ws = workspace_of(workspace)
    with analytics(ws) as store:
        done = workspace_segments(
            store,
            ws.settings,
            model=model,
            unit=unit,
            calibration_end=calibration_end.date() if calibration_end else None,
            horizon=horizon,
            discount_rate=discount_rate,
            top=top,
        )
    rows: list[dict[str, Any]] = [g.model_dump() for g in done.ranking]
    columns = ["dimension", "segment", "customers", "ltv_mean", "cac", "ltv_to_cac"]
    emit(done, fmt, rows, [*columns, "payback_periods", "revenue_share"])
