"""Mix model and budget commands: ``mmm fit`` and ``budget optimize``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pilotage.core.mmm.design import WeeklyData
from pilotage.core.mmm.spec import ModelSpec
from pilotage.errors import UsageError
from pilotage.interfaces.cli.options import (
    FormatOption,
    WorkspaceOption,
    emit,
    progress,
    workspace_of,
)
from pilotage.services.mmm import (
    fit_mmm,
    load_model,
    optimize_budget,
    read_weekly_file,
    workspace_weekly,
)
from pilotage.services.workspaces import analytics

mmm_app = typer.Typer(
    help="Marketing mix model: ROAS per channel with intervals.", no_args_is_help=True
)
budget_app = typer.Typer(help="Budget optimizer on a fitted mix model.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(mmm_app, name="mmm")
    app.add_typer(budget_app, name="budget")


def _csv_list(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").split(",") if p.strip()]


def _weekly(
    data: Path | None,
    workspace: Path | None,
    date_col: str | None,
    target: str | None,
    channels: str | None,
    controls: str | None,
) -> WeeklyData:
    if data is not None:
        if not (date_col and target and channels):
            raise UsageError(
                "--data needs --date-col, --target and --channels",
                fix="e.g. --date-col week --target revenue --channels search,social",
            )
        return read_weekly_file(data, date_col, target, _csv_list(channels), _csv_list(controls))
    ws = workspace_of(workspace)
    with analytics(ws) as store:
        return workspace_weekly(store, ws.settings, _csv_list(channels))


@mmm_app.command("fit")
def fit_command(
    workspace: WorkspaceOption = None,
    data: Annotated[Path | None, typer.Option(help="Weekly CSV (no workspace needed).")] = None,
    date_col: Annotated[str | None, typer.Option(help="Date column of --data.")] = None,
    target: Annotated[str | None, typer.Option(help="KPI column of --data.")] = None,
    channels: Annotated[str | None, typer.Option(help="Spend columns, comma-separated.")] = None,
    controls: Annotated[str | None, typer.Option(help="Control columns.")] = None,
    draws: Annotated[int, typer.Option(help="Posterior draws per chain.")] = 500,
    warmup: Annotated[int, typer.Option(help="Warmup iterations per chain.")] = 500,
    chains: Annotated[int, typer.Option(help="Chains (run together).")] = 2,
    seed: Annotated[int, typer.Option(help="Same data and seed, same result.")] = 0,
    save: Annotated[Path | None, typer.Option(help="Save the fitted model (JSON).")] = None,
    fmt: FormatOption = "table",
) -> None:
    """Fit the Bayesian mix model (NUTS) and print ROAS, ROI, contribution, mROAS (90 %)."""
    weekly = _weekly(data, workspace, date_col, target, channels, controls)
    try:
        spec = ModelSpec(
            channels=weekly.channels, draws=draws, warmup=warmup, chains=chains, seed=seed
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    progress(f"fitting {len(weekly.channels)} channels on {weekly.n_weeks} weeks")
    model, result = fit_mmm(weekly, spec)
    if save is not None:
        save.write_text(model.to_json(), encoding="utf-8")
    rows = [c.model_dump() for c in result.channels]
    cols = ["channel", "spend", "roas", "roas_ci_low", "roas_ci_high", "roi", "mroas"]
    emit(result, fmt, rows, cols)


@budget_app.command("optimize")
def optimize_command(
    model: Annotated[Path, typer.Option("--model", help="Model saved by mmm fit --save.")],
    total: Annotated[float | None, typer.Option(help="Budget (EUR) over the horizon.")] = None,
    target_roi: Annotated[float | None, typer.Option(help="Overall ROI to reach.")] = None,
    weeks: Annotated[int, typer.Option(help="Horizon in weeks.")] = 13,
    bounds: Annotated[
        list[str] | None, typer.Option("--bounds", help="channel=low:high (EUR), repeatable.")
    ] = None,
    fmt: FormatOption = "table",
) -> None:
    """Split a budget across channels for the best expected outcome; list the moves."""
    parsed: dict[str, tuple[float, float]] = {}
    for item in bounds or []:
        name, _, rng = item.partition("=")
        lo, _, hi = rng.partition(":")
        try:
            parsed[name.strip()] = (float(lo or 0.0), float(hi) if hi else float("inf"))
        except ValueError as exc:
            raise UsageError(f"bad bound {item!r}", fix="write channel=low:high") from exc
    result = optimize_budget(
        load_model(model), total=total, target_roi=target_roi, weeks=weeks, bounds=parsed
    )
    rows = [c.model_dump() for c in result.channels]
    emit(result, fmt, rows, ["channel", "current", "optimal", "change", "mroas"])
