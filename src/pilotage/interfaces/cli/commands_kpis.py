"""Analysis commands: kpis and metrics."""

from __future__ import annotations

import datetime
from typing import Annotated

import typer

from pilotage.core.kpis.credit import CreditModel
from pilotage.core.kpis.periods import Period
from pilotage.errors import UsageError
from pilotage.interfaces.cli.options import FormatOption, WorkspaceOption, emit, workspace_of
from pilotage.interfaces.formatting import Lang
from pilotage.jobs.scheduler import today_in
from pilotage.services.kpi_targets import with_targets
from pilotage.services.kpis import CHANNEL_KPIS, Compare, kpi_table, metric_catalogue
from pilotage.services.workspaces import analytics, metadata

PeriodOption = Annotated[
    Period | None, typer.Option(help="Split by day, week, month, quarter or year.")
]
StartOption = Annotated[
    datetime.datetime | None,
    typer.Option("--from", "--start", formats=["%Y-%m-%d"], help="First day (local)."),
]
EndOption = Annotated[
    datetime.datetime | None,
    typer.Option("--to", "--end", formats=["%Y-%m-%d"], help="Last day (local)."),
]
LangOption = Annotated[Lang, typer.Option("--lang", help="fr or en.")]


def register(app: typer.Typer) -> None:
    app.command("kpis")(kpis)
    app.command("metrics")(metrics_command)


def kpis(
    metrics: Annotated[
        str, typer.Option("--metrics", "-m", help="Metric ids, comma-separated (pilotage metrics).")
    ] = ",".join(CHANNEL_KPIS),
    by: Annotated[
        str,
        typer.Option(
            help="Dimensions, comma-separated: channel, campaign, program, initiative, tier, "
            "target, segment, country, cohort, conversion_type ('' for totals only)."
        ),
    ] = "channel",
    period: PeriodOption = None,
    start: StartOption = None,
    end: EndOption = None,
    compare: Annotated[
        Compare | None, typer.Option(help="previous period or last_year, beside each value.")
    ] = None,
    model: Annotated[
        CreditModel, typer.Option(help="Attribution of revenue, customers, leads, pipeline.")
    ] = "last",
    where: Annotated[
        list[str] | None,
        typer.Option("--filter", help="Keep DIM=VALUE[,VALUE...] (repeatable)."),
    ] = None,
    lang: LangOption = "en",
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Any metrics of the registry, by any dimensions and period, with a comparison."""
    ws = workspace_of(workspace)
    kept = _filters(where or [])
    with analytics(ws) as store:
        result = kpi_table(
            store,
            ws.settings,
            metrics=_names(metrics),
            by=_names(by),
            period=period,
            start=start.date() if start else None,
            end=end.date() if end else None,
            compare=compare,
            model=model,
            filters=kept,
            lang=lang,
            today=today_in(ws),
        )
    with metadata(ws) as meta:
        result = with_targets(result, meta, kept)
    values = [m.id for m in result.metrics]
    if compare:
        values = [f"{m}{suffix}" for m in values for suffix in ("", "_compare", "_change")]
    emit(result, fmt, result.rows, [*result.dimensions, *values])


def metrics_command(
    lang: LangOption = "en",
    fmt: FormatOption = "table",
) -> None:
    """The metric registry: id, name, unit, formula, parts and tables of every metric."""
    result = metric_catalogue(lang)
    rows = [m.model_dump() | {"parts": ",".join(m.parts)} for m in result.metrics]
    emit(result, fmt, rows, ["id", "name", "unit", "kind", "formula", "parts"])


def _names(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _filters(items: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for item in items:
        dim, sep, values = item.partition("=")
        if not sep or not dim.strip() or not _names(values):
            raise UsageError(
                f"--filter {item!r} is not DIM=VALUE", fix="write e.g. --filter segment=smb,mid"
            )
        out.setdefault(dim.strip(), []).extend(_names(values))
    return out
