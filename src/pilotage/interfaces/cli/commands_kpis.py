"""Analysis commands: kpis, report."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Annotated, Literal

import typer

from pilotage.core.kpis.periods import Period
from pilotage.interfaces.cli.options import FormatOption, WorkspaceOption, emit, workspace_of
from pilotage.interfaces.formatting import Lang
from pilotage.interfaces.reports.kpi_report import build_view, render_html
from pilotage.services.kpis import By, channel_kpis
from pilotage.services.workspaces import analytics

PeriodOption = Annotated[
    Period | None, typer.Option(help="Split by day, week, month, quarter or year.")
]
StartOption = Annotated[
    datetime.datetime | None,
    typer.Option(formats=["%Y-%m-%d"], help="First day (local), YYYY-MM-DD."),
]
EndOption = Annotated[
    datetime.datetime | None,
    typer.Option(formats=["%Y-%m-%d"], help="Last day (local), YYYY-MM-DD."),
]
LangOption = Annotated[Lang, typer.Option("--lang", help="fr or en.")]


def register(app: typer.Typer) -> None:
    app.command("kpis")(kpis)
    app.command("report")(report)


def kpis(
    by: Annotated[By, typer.Option(help="channel or campaign.")] = "channel",
    period: PeriodOption = None,
    start: StartOption = None,
    end: EndOption = None,
    lang: LangOption = "en",
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Cost, last-touch revenue, ROI and ROAS by channel or campaign."""
    ws = workspace_of(workspace)
    with analytics(ws) as store:
        result = channel_kpis(
            store,
            ws.settings,
            by=by,
            period=period,
            start=start.date() if start else None,
            end=end.date() if end else None,
            lang=lang,
        )
    columns = [*result.dimensions, *(m.id for m in result.metrics)]
    emit(result, fmt, result.rows, columns)


def report(
    out: Annotated[Path, typer.Option(help="File to write.")],
    fmt: Annotated[Literal["html"], typer.Option("--format", help="html.")] = "html",
    by: Annotated[By, typer.Option(help="channel or campaign.")] = "channel",
    start: StartOption = None,
    end: EndOption = None,
    lang: LangOption = "fr",
    workspace: WorkspaceOption = None,
) -> None:
    """Write the channel-return report (cost, revenue, ROI, ROAS, definitions) to a file."""
    ws = workspace_of(workspace)
    with analytics(ws) as store:
        result = channel_kpis(
            store,
            ws.settings,
            by=by,
            start=start.date() if start else None,
            end=end.date() if end else None,
            lang=lang,
        )
    html = render_html(build_view(result, lang, datetime.datetime.now(datetime.UTC).date()))
    try:
        out.write_text(html, encoding="utf-8")
    except OSError as exc:
        raise typer.BadParameter(f"cannot write {out}: {exc.strerror}", param_hint="--out") from exc
    print(f"report written to {out}")
