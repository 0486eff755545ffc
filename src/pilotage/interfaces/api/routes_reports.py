"""Report downloads and table exports (CSV, XLSX) under /api/v1.

Every route here only reads: each needs the ``read`` permission (any role; a token with
scope ``read`` or above). The application that includes this router enforces it. These
downloads don't apply row-level restrictions yet: a restricted user is refused (403).
"""

from __future__ import annotations

import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from pilotage.core.kpis.periods import Period
from pilotage.interfaces.api.state import ServerState, state_of
from pilotage.interfaces.formatting import Lang
from pilotage.interfaces.reports.render import MEDIA_TYPES as REPORT_MEDIA_TYPES
from pilotage.interfaces.reports.render import ReportFormat, render_pack
from pilotage.interfaces.reports.spreadsheets import MEDIA_TYPES as EXPORT_MEDIA_TYPES
from pilotage.interfaces.reports.spreadsheets import export_bytes
from pilotage.interfaces.web.filters import unrestricted
from pilotage.jobs.scheduler import today_in
from pilotage.services.exports import ExportFormat, kpi_export, tables_export
from pilotage.services.kpis import By, channel_kpis
from pilotage.services.report_periods import ReportKind, accepted_forms, parse_period
from pilotage.services.reports import build_report, default_period
from pilotage.services.workspaces import table_summaries

router = APIRouter(prefix="/api/v1", tags=["reports"], dependencies=[Depends(unrestricted)])
State = Annotated[ServerState, Depends(state_of)]


def _download(content: bytes, media_type: str, filename: str) -> Response:
    return Response(
        content=content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get(
    "/exports/kpis.{fmt}",
    summary="KPI table as CSV or XLSX (same parameters as /api/v1/kpis)",
    response_class=Response,
    responses={200: {"content": {t: {} for t in EXPORT_MEDIA_TYPES.values()}}},
)
def export_kpis(
    state: State,
    fmt: ExportFormat,
    by: By = "channel",
    period: Period | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    lang: Lang = "en",
) -> Response:
    with state.analytics() as store:
        result = channel_kpis(
            store, state.workspace.settings, by=by, period=period, start=start, end=end, lang=lang
        )
    return _download(export_bytes(kpi_export(result), fmt), EXPORT_MEDIA_TYPES[fmt], f"kpis.{fmt}")


@router.get(
    "/exports/tables.{fmt}",
    summary="Rows and dates of every table as CSV or XLSX",
    response_class=Response,
    responses={200: {"content": {t: {} for t in EXPORT_MEDIA_TYPES.values()}}},
)
def export_tables(state: State, fmt: ExportFormat) -> Response:
    with state.analytics() as store:
        result = table_summaries(store)
    return _download(
        export_bytes(tables_export(result), fmt), EXPORT_MEDIA_TYPES[fmt], f"tables.{fmt}"
    )


@router.get(
    "/reports/{kind}",
    summary="Weekly, monthly or quarterly committee pack as HTML or PDF",
    response_class=Response,
    responses={200: {"content": {t: {} for t in REPORT_MEDIA_TYPES.values()}}},
)
def get_report(
    state: State,
    kind: ReportKind,
    period: Annotated[
        str | None,
        Query(description=f"Default: the latest complete period. {accepted_forms()}."),
    ] = None,
    fmt: Annotated[ReportFormat, Query(alias="format")] = "pdf",
    lang: Lang = "fr",
) -> Response:
    today = today_in(state.workspace)
    with state.analytics() as store:
        chosen = (
            parse_period(kind, period, option="period")
            if period is not None
            else default_period(store, kind, today)
        )
        data = build_report(store, state.workspace.settings, chosen, lang, state.meta)
    return _download(
        render_pack(data, lang, fmt, today),
        REPORT_MEDIA_TYPES[fmt],
        f"{kind}-{chosen.label}-{lang}.{fmt}",
    )
