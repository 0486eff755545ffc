"""Analysis command: attribution (every model, from the workspace's touchpoints and
conversions or from an aggregated path file)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from pilotage.core.attribution.deals import DealStage
from pilotage.core.attribution.milestones import Level
from pilotage.core.attribution.options import ModelOptions, PositionWeights
from pilotage.core.attribution.registry import ModelName
from pilotage.data.path_files import PathColumns
from pilotage.errors import UsageError
from pilotage.interfaces.cli.options import FormatOption, WorkspaceOption, emit, workspace_of
from pilotage.services.attribution import (
    AttributionComparison,
    AttributionResult,
    read_paths,
    run_all,
    run_model,
    workspace_attribution,
)
from pilotage.services.attribution_deals import UNATTRIBUTED, DealCreditResult, deal_credits
from pilotage.services.workspaces import analytics

_COLUMNS = ["model", "channel", "conversions", "value", "share", "ci_low", "ci_high"]


def register(app: typer.Typer) -> None:
    app.command("attribution")(attribution)
    app.command("attribution-deals")(attribution_deals)


def attribution(
    model: Annotated[
        str,
        typer.Option(
            help="first, last, last_non_direct, linear, time_decay, position, "
            "u_shaped, w_shaped, full_path, custom, markov, shapley, shapley_simplified, "
            "shapley_ordered, or all."
        ),
    ] = "all",
    order: Annotated[int, typer.Option(help="Markov order, 1 to 4.")] = 1,
    paths: Annotated[
        Path | None,
        typer.Option(help="Aggregated path file (CSV, JSON or Parquet); default: the workspace."),
    ] = None,
    level: Annotated[
        Level, typer.Option(help="Workspace journeys of a person, or of a whole account.")
    ] = "person",
    lookback_days: Annotated[
        int | None, typer.Option(help="Days before a conversion a touch counts [workspace].")
    ] = None,
    conversion_type: Annotated[
        str | None,
        typer.Option(
            help="Conversion types ending a journey, comma-separated [the most valuable type; "
            "account level: opportunity]. Account stages: mql, sql, opportunity, won."
        ),
    ] = None,
    stage: Annotated[
        str | None,
        typer.Option(
            help="Account level: the funnel stage ending journeys, mql, sql, opportunity or won "
            "(instead of --conversion-type)."
        ),
    ] = None,
    include_sales: Annotated[
        bool, typer.Option("--include-sales/--exclude-sales", help="Count sales touches.")
    ] = True,
    ignore_nulls: Annotated[
        bool, typer.Option("--ignore-nulls", help="Leave non-converting journeys out.")
    ] = False,
    path_col: Annotated[str | None, typer.Option(help="Path column [path].")] = None,
    conv_col: Annotated[str | None, typer.Option(help="Conversions [total_conversions].")] = None,
    value_col: Annotated[
        str | None, typer.Option(help="Value column [total_conversion_value].")
    ] = None,
    null_col: Annotated[str | None, typer.Option(help="Non-conversions [total_null].")] = None,
    ages_col: Annotated[
        str | None, typer.Option(help="Days before conversion per touch [touch_ages].")
    ] = None,
    sep: Annotated[str, typer.Option(help="Separator between channels in a path.")] = ">",
    half_life: Annotated[float, typer.Option(help="Time decay half-life in days.")] = 7.0,
    weights: Annotated[
        str | None, typer.Option(help="custom model: e.g. first=0.3,lead=0.3,last=0.3,rest=0.1")
    ] = None,
    bootstrap: Annotated[int, typer.Option(help="Bootstrap draws (0: no intervals).")] = 0,
    seed: Annotated[int | None, typer.Option(help="Seed of the bootstrap draws.")] = None,
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Credit conversions and value to channels, model by model, with intervals."""
    if bootstrap < 0:
        raise UsageError(f"--bootstrap {bootstrap} is not allowed", fix="use 0 or more draws")
    options = ModelOptions(
        order=order,
        ignore_nulls=ignore_nulls,
        half_life_days=half_life,
        weights=PositionWeights.parse(weights) if weights else None,
    )
    if paths is None:
        ws = workspace_of(workspace)
        with analytics(ws) as store:
            done = workspace_attribution(
                store,
                ws.settings,
                model_name=model,
                level=level,
                lookback_days=lookback_days,
                conversion_type=conversion_type,
                include_sales=include_sales,
                options=options,
                draws=bootstrap,
                seed=seed,
                stage=stage,
            )
    else:
        if stage is not None:
            raise UsageError(
                "--stage builds account journeys from the workspace", fix="drop --paths"
            )
        counts = read_paths(paths, _columns(path_col, conv_col, value_col, null_col, ages_col), sep)
        done = (
            run_all(counts, options, draws=bootstrap, seed=seed)
            if model == "all"
            else run_model(counts, _model_name(model), options, draws=bootstrap, seed=seed)
        )
    if isinstance(done, AttributionComparison):
        emit(done, fmt, [r for m in done.models for r in _rows(m)], _COLUMNS)
    else:
        emit(done, fmt, _rows(done), _COLUMNS)


def _model_name(text: str) -> ModelName:
    return text  # type: ignore[return-value]  # checked by the registry


def _columns(*given: str | None) -> PathColumns:
    roles: tuple[Literal["path", "conversions", "value", "nulls", "ages"], ...] = (
        "path",
        "conversions",
        "value",
        "nulls",
        "ages",
    )
    names = {role: name for role, name in zip(roles, given, strict=True) if name is not None}
    required = frozenset({"path", "conversions", *names})
    return PathColumns(**names, required=required)


def _rows(result: AttributionResult) -> list[dict[str, Any]]:
    return [{"model": result.model, **c.model_dump()} for c in result.channels]


_DEAL_COLUMNS = ["opportunity_id", "account_id", "amount", "channel", "value"]


def attribution_deals(
    model: Annotated[
        str,
        typer.Option(
            help="first, last, last_non_direct, linear, time_decay, position (set-based), "
            "u_shaped, w_shaped, full_path, custom (each deal's journey), markov, shapley, "
            "shapley_simplified, shapley_ordered (model weights spread per deal)."
        ),
    ] = "linear",
    stage: Annotated[
        DealStage,
        typer.Option(help="opportunity: pipeline amounts at creation; won: won amounts at close."),
    ] = "opportunity",
    lookback_days: Annotated[
        int | None, typer.Option(help="Days before the deal a touch counts [workspace].")
    ] = None,
    include_sales: Annotated[
        bool, typer.Option("--include-sales/--exclude-sales", help="Count sales touches.")
    ] = True,
    order: Annotated[int, typer.Option(help="Markov order, 1 to 4.")] = 1,
    ignore_nulls: Annotated[
        bool, typer.Option("--ignore-nulls", help="Markov/Shapley: leave non-converting out.")
    ] = False,
    half_life: Annotated[float, typer.Option(help="Time decay half-life in days.")] = 7.0,
    weights: Annotated[
        str | None, typer.Option(help="custom model: e.g. first=0.3,lead=0.3,opp=0.3,rest=0.1")
    ] = None,
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Credit every deal's CRM amount to channels and campaigns, reconciled to the CRM, with
    marketing-sourced and influenced pipeline."""
    options = ModelOptions(
        order=order,
        ignore_nulls=ignore_nulls,
        half_life_days=half_life,
        weights=PositionWeights.parse(weights) if weights else None,
    )
    ws = workspace_of(workspace)
    with analytics(ws) as store:
        done = deal_credits(
            store,
            ws.settings,
            model_name=model,
            stage=stage,
            lookback_days=lookback_days,
            include_sales=include_sales,
            options=options,
        )
    emit(done, fmt, _deal_rows(done), _DEAL_COLUMNS)


def _deal_rows(result: DealCreditResult) -> list[dict[str, Any]]:
    rows = []
    for deal in result.deals:
        head = {"opportunity_id": deal.opportunity_id, "account_id": deal.account_id}
        parts = [(c.channel, c.value) for c in deal.channels]
        if deal.unattributed or not parts:
            parts.append((UNATTRIBUTED, deal.unattributed))
        rows += [{**head, "amount": deal.amount, "channel": c, "value": v} for c, v in parts]
    return rows
