"""Report commands: report."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Annotated, Literal

import typer

from pilotage.interfaces.cli.commands_kpis import EndOption, LangOption, StartOption
from pilotage.interfaces.cli.options import WorkspaceOption, workspace_of
from pilotage.interfaces.reports.kpi_report import build_view, render_html
from pilotage.services.kpis import By, channel_kpis
from pilotage.services.workspaces import analytics


def register(app: typer.Typer) -> None:
    app.command("report")(report)


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
