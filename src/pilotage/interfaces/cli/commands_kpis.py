"""Analysis commands: kpis."""

from __future__ import annotations

import datetime
from typing import Annotated

import typer

from pilotage.core.kpis.periods import Period
from pilotage.interfaces.cli.options import FormatOption, WorkspaceOption, emit, workspace_of
from pilotage.interfaces.formatting import Lang
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
