"""Report commands: report, export, scheduler."""

from __future__ import annotations

import datetime
import sys
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from pilotage.core.kpis.periods import Period
from pilotage.data.workspace import Workspace
from pilotage.errors import UsageError
from pilotage.interfaces.cli.commands_kpis import EndOption, LangOption, StartOption
from pilotage.interfaces.cli.options import WorkspaceOption, progress, workspace_of
from pilotage.interfaces.formatting import LANGS, Lang
from pilotage.interfaces.reports.kpi_report import build_view, render_html
from pilotage.interfaces.reports.render import (
    REPORT_FORMATS,
    ReportFormat,
    html_to_pdf,
    render_pack,
)
from pilotage.interfaces.reports.spreadsheets import export_bytes
from pilotage.jobs.scheduler import PassResult, run_forever, run_pass, today_in
from pilotage.services.exports import ExportFormat, ExportView, kpi_export, tables_export
from pilotage.services.kpis import REPORT_KPIS, By, channel_kpis
from pilotage.services.report_periods import REPORT_KINDS, ReportKind, accepted_forms, parse_period
from pilotage.services.reports import build_report, default_period
from pilotage.services.workspaces import analytics, metadata, table_summaries

T = TypeVar("T", bound=str)
OutOption = Annotated[Path, typer.Option(help="File to write.")]


def register(app: typer.Typer) -> None:
    app.command("report")(report)
    app.command("export")(export)
    app.command("scheduler")(scheduler)


def report(
    out: OutOption,
    fmt: Annotated[ReportFormat, typer.Option("--format", help="html or pdf (A4).")] = "html",
    kind: Annotated[
        ReportKind | None,
        typer.Option(help="weekly, monthly or quarterly pack (see above for the default)."),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(help=f"The pack's period. {accepted_forms()}.", show_default=False),
    ] = None,
    by: Annotated[
        By | None, typer.Option(help="Channel-return report only: channel or campaign.")
    ] = None,
    start: StartOption = None,
    end: EndOption = None,
    lang: LangOption = "fr",
    workspace: WorkspaceOption = None,
) -> None:
    """Write a committee pack, or the channel-return report, as HTML or PDF.

    With --kind or --period: the weekly, monthly or quarterly pack (KPIs against the
    previous period and the same period last year, six-period trend, narrative, decisions
    to take, definitions, data coverage). --period alone implies its kind; --kind alone
    takes the latest complete period with data.

    With neither: the channel-return report over all data (or --start/--end), by --by.
    """
    ws = workspace_of(workspace)
    if kind is None and period is None:
        _write(out, _channel_report(ws, fmt, by or "channel", start, end, lang))
        print(f"report written to {out}")
        return
    if by is not None or start is not None or end is not None:
        raise UsageError(
            "--by, --start and --end apply to the channel-return report, not to a pack",
            fix="drop them, or drop --kind and --period",
        )
    today = today_in(ws)
    with analytics(ws) as store, metadata(ws) as meta:
        chosen = (
            parse_period(kind, period)
            if period is not None
            else default_period(store, kind or "monthly", today)
        )
        data = build_report(store, ws.settings, chosen, lang, meta)
    _write(out, render_pack(data, lang, fmt, today))
    print(f"{chosen.kind} report for {chosen.label} written to {out}")


def _channel_report(
    ws: Workspace,
    fmt: ReportFormat,
    by: By,
    start: datetime.datetime | None,
    end: datetime.datetime | None,
    lang: Lang,
) -> bytes:
    with analytics(ws) as store:
        result = channel_kpis(
            store,
            ws.settings,
            by=by,
            start=start.date() if start else None,
            end=end.date() if end else None,
            lang=lang,
            metrics=REPORT_KPIS,
        )
    html = render_html(build_view(result, lang, today_in(ws)))
    return html_to_pdf(html) if fmt == "pdf" else html.encode("utf-8")


def export(
    view: Annotated[ExportView, typer.Argument(help="kpis or tables.")],
    out: OutOption,
    fmt: Annotated[ExportFormat, typer.Option("--format", help="csv or xlsx.")] = "csv",
    by: Annotated[By, typer.Option(help="kpis: channel or campaign.")] = "channel",
    period: Annotated[
        Period | None, typer.Option(help="kpis: split by day, week, month, quarter or year.")
    ] = None,
    start: StartOption = None,
    end: EndOption = None,
    lang: LangOption = "en",
    workspace: WorkspaceOption = None,
) -> None:
    """Export a table view as CSV or XLSX; text cells that a spreadsheet would run as a
    formula (starting with = + - @ | % tab or CR) are prefixed with a quote."""
    ws = workspace_of(workspace)
    with analytics(ws) as store:
        if view == "tables":
            table = tables_export(table_summaries(store))
        else:
            table = kpi_export(
                channel_kpis(
                    store,
                    ws.settings,
                    by=by,
                    period=period,
                    start=start.date() if start else None,
                    end=end.date() if end else None,
                    lang=lang,
                )
            )
    _write(out, export_bytes(table, fmt))
    print(f"{view} exported to {out}")


def scheduler(
    out_dir: Annotated[Path, typer.Option(help="Folder of the reports.")] = Path("reports"),
    once: Annotated[bool, typer.Option(help="Run one pass and exit (for cron).")] = False,
    kinds: Annotated[
        list[str] | None,
        typer.Option("--kind", help="Repeat to choose; default: weekly, monthly, quarterly."),
    ] = None,
    langs: Annotated[
        list[str] | None, typer.Option("--lang", help="Repeat to choose; default: fr, en.")
    ] = None,
    formats: Annotated[
        list[str] | None, typer.Option("--format", help="Repeat to choose; default: pdf.")
    ] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Write the packs of the latest complete periods, each only once.

    Files are OUT_DIR/<kind>-<period>-<lang>.<format>, each with a .json manifest holding
    a hash of its numbers; a document is rewritten only when those numbers change, so a
    second run writes nothing. Without --once, runs a pass every hour until Ctrl-C.
    For cron, call it once an hour: 0 * * * * pilotage scheduler --once -w DIR
    """
    ws = workspace_of(workspace)
    # Typer cannot parse lists of Literal values, so repeated options are checked here.
    chosen_kinds = _choices(kinds, REPORT_KINDS, "--kind")
    chosen_langs = _choices(langs, LANGS, "--lang")
    chosen_formats = _choices(formats, ("pdf",), "--format", allowed=REPORT_FORMATS)

    def one_pass() -> PassResult:
        result = run_pass(
            ws,
            out_dir,
            kinds=chosen_kinds,
            langs=chosen_langs,
            formats=chosen_formats,
            today=today_in(ws),
        )
        for path in result.written:
            print(f"written {path}", flush=True)
        progress(f"{len(result.written)} written, {len(result.unchanged)} unchanged")
        return result

    if once:
        one_pass()
        return
    try:
        run_forever(one_pass)
    except KeyboardInterrupt:
        print("scheduler stopped", file=sys.stderr)


def _choices(
    given: list[str] | None,
    default: tuple[T, ...],
    option: str,
    *,
    allowed: tuple[T, ...] | None = None,
) -> tuple[T, ...]:
    """The values of a repeated option, each checked against what is allowed."""
    allowed = allowed or default
    if not given:
        return default
    chosen = []
    for value in given:
        match = next((a for a in allowed if a == value), None)
        if match is None:
            raise UsageError(f"{option} {value!r} is not allowed", fix=f"use {', '.join(allowed)}")
        chosen.append(match)
    return tuple(chosen)


def _write(out: Path, content: bytes) -> None:
    try:
        out.write_bytes(content)
    except OSError as exc:
        raise typer.BadParameter(f"cannot write {out}: {exc.strerror}", param_hint="--out") from exc
