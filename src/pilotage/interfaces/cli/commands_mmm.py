"""Mix model command: ``mmm fit`` (a workspace fit is saved as the workspace's model)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, cast, get_args

import typer

from pilotage.core.mmm.design import WeeklyData
from pilotage.core.mmm.holidays import COUNTRIES, Country, country_of_timezone
from pilotage.core.mmm.spec import KPI_KINDS, KpiKind, LiftCalibration, ModelSpec
from pilotage.core.mmm.transforms import AdstockKind, SaturationKind
from pilotage.errors import UsageError
from pilotage.interfaces.cli.options import (
    FormatOption,
    WorkspaceOption,
    emit,
    progress,
    workspace_of,
)
from pilotage.services.mmm import (
    DEFAULT_TARGET,
    business_priors,
    fit_mmm,
    pre_fit,
    read_lift_file,
    read_weekly_file,
    saved_lifts,
    target_kind,
    with_events,
    workspace_weekly,
)
from pilotage.services.mmm_results import save_fit
from pilotage.services.workspaces import analytics, metadata

mmm_app = typer.Typer(
    help="Marketing mix model: ROAS per channel with intervals.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(mmm_app, name="mmm")


def _csv_list(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").split(",") if p.strip()]


def _ranges(items: list[str] | None, option: str) -> dict[str, tuple[float, float]]:
    """``channel=low:high`` items of a repeatable option."""
    out: dict[str, tuple[float, float]] = {}
    for item in items or []:
        name, _, rng = item.partition("=")
        low, _, high = rng.partition(":")
        try:
            out[name.strip()] = (float(low), float(high))
        except ValueError as exc:
            raise UsageError(
                f"bad {option} {item!r}", fix=f"write {option} channel=low:high, e.g. search=1:4"
            ) from exc
    return out


def _events(items: list[str] | None) -> dict[str, tuple[dt.date, dt.date | None]]:
    """``name=START[:END]`` items: the weeks of an event, or a lasting change from START."""
    out: dict[str, tuple[dt.date, dt.date | None]] = {}
    for item in items or []:
        name, _, when = item.partition("=")
        start, _, end = when.partition(":")
        if name.strip() in out:
            raise UsageError(f"two --event named {name.strip()!r}", fix="name each event once")
        try:
            out[name.strip()] = (
                dt.date.fromisoformat(start.strip()),
                dt.date.fromisoformat(end.strip()) if end.strip() else None,
            )
        except ValueError as exc:
            raise UsageError(
                f"bad --event {item!r}",
                fix="write --event name=YYYY-MM-DD (a lasting change) or "
                "name=YYYY-MM-DD:YYYY-MM-DD (the weeks of the event)",
            ) from exc
    return out


def _choice(value: str, allowed: tuple[str, ...], option: str) -> str:
    if value not in allowed:
        raise UsageError(f"{option} {value!r} is not known", fix=f"use {', '.join(allowed)}")
    return value


@mmm_app.command("fit")
def fit_command(
    workspace: WorkspaceOption = None,
    data: Annotated[Path | None, typer.Option(help="Weekly or daily CSV (no workspace).")] = None,
    date_col: Annotated[str | None, typer.Option(help="Date column of --data.")] = None,
    target: Annotated[
        str | None,
        typer.Option(help=f"KPI: a column of --data, or a metric (default {DEFAULT_TARGET})."),
    ] = None,
    kpi: Annotated[
        str | None, typer.Option(help="revenue or conversions (--data; default revenue).")
    ] = None,
    channels: Annotated[str | None, typer.Option(help="Spend columns, comma-separated.")] = None,
    controls: Annotated[str | None, typer.Option(help="Control columns of --data.")] = None,
    event: Annotated[
        list[str] | None,
        typer.Option(help="name=START[:END]: a one-off event's weeks, or a change from START."),
    ] = None,
    roas_prior: Annotated[
        list[str] | None, typer.Option(help="channel=low:high, 90 % ROAS range; repeatable.")
    ] = None,
    roi_prior: Annotated[
        list[str] | None, typer.Option(help="channel=low:high, 90 % ROI range (revenue).")
    ] = None,
    cpa_prior: Annotated[
        list[str] | None, typer.Option(help="channel=low:high, 90 % CPA range (conversions).")
    ] = None,
    lifts: Annotated[
        Path | None,
        typer.Option(help="Lift tests CSV: channel,start,end,lift,std_error[,spend]."),
    ] = None,
    saved: Annotated[
        bool, typer.Option(help="Calibrate on the workspace's saved experiment lifts.")
    ] = True,
    adstock: Annotated[str, typer.Option(help="geometric, delayed or weibull.")] = "geometric",
    saturation: Annotated[str, typer.Option(help="hill or logistic.")] = "hill",
    max_lag: Annotated[int, typer.Option(help="Weeks of carry-over.")] = 8,
    fourier_order: Annotated[int, typer.Option(help="Yearly seasonality terms.")] = 2,
    changepoints: Annotated[
        int | None, typer.Option(help="Bends of the trend (default: one per 26 weeks).")
    ] = None,
    holidays: Annotated[
        str | None,
        typer.Option(help="Country of the holidays (FR, BE, ...) or none; default from tz."),
    ] = None,
    holdout_weeks: Annotated[int, typer.Option(help="Last weeks kept out to validate.")] = 0,
    draws: Annotated[int, typer.Option(help="Posterior draws per chain.")] = 250,
    warmup: Annotated[int, typer.Option(help="Warmup iterations per chain.")] = 250,
    chains: Annotated[int, typer.Option(help="Chains (run side by side).")] = 4,
    seed: Annotated[int, typer.Option(help="Same data and seed, same result.")] = 0,
    save: Annotated[Path | None, typer.Option(help="Save the fitted model (JSON).")] = None,
    fmt: FormatOption = "table",
) -> None:
    """Fit the Bayesian mix model (NUTS) and print ROAS, ROI, contribution, mROAS (90 %)."""
    kind, weekly, country, target_name = _table(
        data, workspace, date_col, target, kpi, channels, controls, holidays
    )
    weekly = with_events(weekly, _events(event))
    calibration: list[LiftCalibration] = []
    skipped: list[str] = []
    if data is None and saved:
        with metadata(workspace_of(workspace)) as meta:
            calibration, skipped = saved_lifts(meta, weekly, kind)
    if lifts is not None:
        calibration += read_lift_file(lifts, weekly)
    priors = business_priors(
        kind,
        roas=_ranges(roas_prior, "--roas-prior"),
        roi=_ranges(roi_prior, "--roi-prior"),
        cpa=_ranges(cpa_prior, "--cpa-prior"),
    )
    try:
        spec = ModelSpec(
            channels=weekly.channels,
            kpi=kind,
            adstock=cast(AdstockKind, _choice(adstock, get_args(AdstockKind), "--adstock")),
            saturation=cast(
                SaturationKind, _choice(saturation, get_args(SaturationKind), "--saturation")
            ),
            max_lag=max_lag,
            fourier_order=fourier_order,
            trend_changepoints=changepoints,
            holidays=country,
            roas_priors=priors,
            calibration=tuple(calibration),
            draws=draws,
            warmup=warmup,
            chains=chains,
            seed=seed,
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    for check in pre_fit(weekly):
        progress(f"check: {check.text}")
    progress(f"fitting {len(weekly.channels)} channels on {weekly.n_weeks} weeks")
    model, result = fit_mmm(
        weekly, spec, holdout_weeks=holdout_weeks, target=target_name, lifts_skipped=skipped
    )
    f = result.fit
    progress(
        f"fit on {f.weeks} {'holdout' if f.on == 'holdout' else 'fitted'} weeks: MAPE "
        f"{f.mape:.1%}, R² {f.r2:.2f}, {f.coverage:.0%} of weeks inside the 90 % interval"
    )
    if result.diagnostics.status != "good":
        progress(
            f"the fit is {result.diagnostics.status}: {'; '.join(result.diagnostics.warnings)}"
        )
    if save is not None:
        save.write_text(model.to_json(), encoding="utf-8")
    if data is None:
        progress(f"model saved in {save_fit(workspace_of(workspace), model, result)}")
    rows = [c.model_dump() for c in result.channels]
    money = ["roi"] if kind == "revenue" else ["cpa"]
    cols = ["channel", "spend", "roas", "roas_ci_low", "roas_ci_high", *money, "mroas"]
    emit(result, fmt, rows, [*cols, "contribution_share"])


def _table(
    data: Path | None,
    workspace: Path | None,
    date_col: str | None,
    target: str | None,
    kpi: str | None,
    channels: str | None,
    controls: str | None,
    holidays: str | None,
) -> tuple[KpiKind, WeeklyData, Country | None, str]:
    """The KPI kind, the weekly table, the holiday country and the KPI's name."""
    country = (
        None
        if holidays is None or holidays == "none"
        else cast(Country, _choice(holidays.upper(), COUNTRIES, "--holidays"))
    )
    if data is not None:
        if not (date_col and target and channels):
            raise UsageError(
                "--data needs --date-col, --target and --channels",
                fix="e.g. --date-col week --target revenue --channels search,social",
            )
        kind = cast(KpiKind, _choice(kpi or "revenue", KPI_KINDS, "--kpi"))
        weekly = read_weekly_file(data, date_col, target, _csv_list(channels), _csv_list(controls))
        return kind, weekly, country, target
    if controls or kpi:
        raise UsageError(
            "--controls and --kpi apply to --data only",
            fix="a workspace KPI's kind follows its metric (money: revenue, counts: conversions)",
        )
    ws = workspace_of(workspace)
    name = target or DEFAULT_TARGET
    kind = target_kind(name)
    if holidays is None:
        country = country_of_timezone(ws.settings.timezone)
    with analytics(ws) as store:
        weekly = workspace_weekly(store, ws.settings, _csv_list(channels), name)
    return kind, weekly, country, name
