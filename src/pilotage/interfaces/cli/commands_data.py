"""Workspace and data commands: init, load, tables, demo."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated

import typer

from pilotage.data.typed import DateOrder, DecimalMark
from pilotage.interfaces.cli.options import (
    FormatOption,
    WorkspaceOption,
    emit,
    progress,
    workspace_of,
)
from pilotage.services.loading import load_table
from pilotage.services.results import TablesResult
from pilotage.services.workspaces import analytics, init_workspace, metadata, table_summaries

DEFAULT_DEMO_WORKSPACE = Path("demo-workspace")


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("load")(load)
    app.command("tables")(tables)
    app.command("demo")(demo)


def init(
    directory: Annotated[Path, typer.Argument(help="Folder to create (or complete).")],
    currency: Annotated[str, typer.Option(help="Reporting currency (ISO 4217).")] = "EUR",
    timezone: Annotated[str, typer.Option(help="Time zone for days, weeks and months.")] = (
        "Europe/Paris"
    ),
) -> None:
    """Create a workspace: pilotage.toml, the analytics file and the metadata store."""
    workspace = init_workspace(directory, reporting_currency=currency, timezone=timezone)
    print(f"workspace ready in {workspace.root}")


def load(
    table: Annotated[str, typer.Argument(help="Canonical table, e.g. spend, touchpoints.")],
    file: Annotated[Path, typer.Argument(help="CSV, Parquet, JSON or JSON lines file.")],
    source: Annotated[
        str | None,
        typer.Option(
            help="Export format: google-ads, meta-ads, linkedin-ads, hubspot, salesforce, ga4."
        ),
    ] = None,
    sep: Annotated[str | None, typer.Option(help="CSV separator (default: sniffed).")] = None,
    date_order: Annotated[
        str, typer.Option(help="Slash dates: auto, dmy (31/03/2026) or mdy (03/31/2026).")
    ] = "auto",
    decimal: Annotated[str, typer.Option(help="Decimal mark: auto, ',' or '.'.")] = "auto",
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Load one file into one table: validated, all or nothing, re-loading changes nothing."""
    ws = workspace_of(workspace)
    with analytics(ws, write=True) as store, metadata(ws) as meta:
        report = load_table(
            ws,
            store,
            meta,
            table,
            file,
            source=source,
            sep=sep,
            date_order=_date_order(date_order),
            decimal=_decimal(decimal),
            actor=f"cli:{getpass.getuser()}",
        )
    if fmt == "json":
        import json

        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return
    print(
        f"{report.file_name} -> {report.table}: {report.rows_in_file} rows "
        f"({report.inserted} inserted, {report.updated} updated, "
        f"{report.unchanged} unchanged)"
    )
    for warning in report.warnings:
        print(f"warning: {warning}")


def _date_order(value: str) -> DateOrder:
    if value not in ("auto", "dmy", "mdy"):
        raise typer.BadParameter("use auto, dmy or mdy", param_hint="--date-order")
    return value  # type: ignore[return-value]


def _decimal(value: str) -> DecimalMark:
    if value not in ("auto", ",", "."):
        raise typer.BadParameter("use auto, ',' or '.'", param_hint="--decimal")
    return value  # type: ignore[return-value]


def tables(workspace: WorkspaceOption = None, fmt: FormatOption = "table") -> None:
    """Rows and date range of every table in the workspace."""
    ws = workspace_of(workspace)
    with analytics(ws) as store:
        result: TablesResult = table_summaries(store)
    rows = [t.model_dump() for t in result.tables]
    emit(result, fmt, rows, ["table", "rows", "min_date", "max_date"])


def demo(
    workspace: WorkspaceOption = None,
    seed: Annotated[int, typer.Option(help="Same seed, same data, byte for byte.")] = 42,
    months: Annotated[int, typer.Option(help="Months of history.")] = 24,
    scale: Annotated[float, typer.Option(help="Multiply the volumes (benchmarks).")] = 1.0,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Build only.")] = False,
    host: Annotated[str, typer.Option(help="Address to serve on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 8000,
) -> None:
    """Build the demo company (a French mid-market SaaS vendor) and serve the dashboard."""
    # Imported here: the generator is only needed by this command.
    from pilotage.data.demo.config import DemoConfig
    from pilotage.services.demo import build_demo

    root = workspace or DEFAULT_DEMO_WORKSPACE
    try:
        config = DemoConfig(seed=seed, months=months, scale=scale)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    build = build_demo(root, config, progress)
    total = sum(build.rows.values())
    progress(f"demo company ready in {build.workspace.root}: {total:,} rows")
    print(f"Demo workspace: {build.workspace.root}")
    print("Demo logins (email / password):")
    for login in build.logins:
        print(f"  {login.email:<32} {login.password}")
    if no_serve:
        return
    from pilotage.interfaces.cli.commands_serve import run_server

    run_server(build.workspace, host=host, port=port, demo=True)
