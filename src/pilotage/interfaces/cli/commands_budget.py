"""Budget commands on the workspace's mix model (or a saved model file):
``budget optimize`` and ``budget curves``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from pilotage.core.mmm.posterior import FittedModel
from pilotage.interfaces.cli.options import FormatOption, WorkspaceOption, emit, workspace_of
from pilotage.interfaces.formatting import Lang
from pilotage.services.budget_plan import (
    curves,
    load_model,
    optimize_budget,
    parse_bounds,
    require_model,
)

budget_app = typer.Typer(
    help="Budget optimizer and response curves on the mix model.", no_args_is_help=True
)

ModelOption = Annotated[
    Path | None,
    typer.Option("--model", help="A model saved by 'mmm fit --save' (default: the workspace's)."),
]
WeeksOption = Annotated[int, typer.Option(help="Horizon in weeks; budgets are totals over it.")]


def register(app: typer.Typer) -> None:
    app.add_typer(budget_app, name="budget")


def _model(model: Path | None, workspace: Path | None) -> FittedModel:
    return load_model(model) if model is not None else require_model(workspace_of(workspace))


@budget_app.command("optimize")
def optimize_command(
    workspace: WorkspaceOption = None,
    model: ModelOption = None,
    total: Annotated[float | None, typer.Option(help="Budget (EUR) over the horizon.")] = None,
    target_roi: Annotated[
        float | None, typer.Option(help="Overall ROI to reach, e.g. 1.5 for +150 %.")
    ] = None,
    weeks: WeeksOption = 13,
    bounds: Annotated[
        list[str] | None, typer.Option("--bounds", help="channel=low:high (EUR), repeatable.")
    ] = None,
    lang: Annotated[Lang, typer.Option("--lang", help="Moves in fr or en.")] = "en",
    fmt: FormatOption = "table",
) -> None:
    """Split a budget across channels for the best expected outcome; list the moves."""
    parsed = parse_bounds(bounds or [])
    result = optimize_budget(
        _model(model, workspace), total=total, target_roi=target_roi, weeks=weeks, bounds=parsed
    )
    rows = [c.model_dump() for c in result.channels]
    emit(result, fmt, rows, ["channel", "current", "optimal", "change", "low", "high", "mroas"])
    if fmt == "table":
        lines = result.moves_fr if lang == "fr" else result.moves
        head = (
            f"expected {result.kpi}: {result.expected:,.0f} "
            f"(80 % interval {result.expected_ci_low:,.0f} to {result.expected_ci_high:,.0f}), "
            f"current split: {result.current_expected:,.0f}"
        )
        sys.stdout.write("\n" + head + "\n" + "".join(f"- {m}\n" for m in lines))


@budget_app.command("curves")
def curves_command(
    workspace: WorkspaceOption = None,
    model: ModelOption = None,
    weeks: WeeksOption = 13,
    points: Annotated[int, typer.Option(help="Points per curve.")] = 11,
    fmt: FormatOption = "table",
) -> None:
    """Response curve of each channel: outcome over the horizon against its spend."""
    result = curves(_model(model, workspace), weeks=weeks, points=points)
    rows = [{"channel": c.channel, **p.model_dump()} for c in result.channels for p in c.points]
    emit(result, fmt, rows, ["channel", "spend", "outcome", "outcome_ci_low", "outcome_ci_high"])
