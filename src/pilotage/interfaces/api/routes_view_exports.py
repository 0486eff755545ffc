"""The tables of the dashboard pages as CSV or XLSX, under /api/v1/exports/views.

Each route takes the same query parameters as its JSON twin under /api/v1/views and reads
the same (cached) result. An XLSX holds one sheet per table of the view; a CSV holds the
view's main table, the first sheet: channels (overview: the channel table), attribution,
journey, accounts, budget (by channel, not by month), experiments, data quality. Text cells
are escaped against spreadsheet formulas, numbers stay numbers. The file is named after the
view and the month of the export in the workspace's time zone (``channels-2026-10.csv``).

Every route only reads: the application that includes this router declares ``read``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from pilotage.interfaces.api.state import ServerState, state_of
from pilotage.interfaces.formatting import Lang
from pilotage.interfaces.reports.spreadsheets import MEDIA_TYPES, export_bytes
from pilotage.interfaces.web.filters import SliceQuery, check_text
from pilotage.jobs.scheduler import today_in
from pilotage.services.accounts_view import accounts_view
from pilotage.services.attribution_view import attribution_view
from pilotage.services.budget_view import budget_view
from pilotage.services.channels_view import channels_view
from pilotage.services.data_quality import quality_checks
from pilotage.services.exports import (
    ExportFormat,
    TableExport,
    accounts_export,
    attribution_export,
    budget_export,
    channels_export,
    experiments_export,
    journey_export,
    overview_export,
    quality_export,
)
from pilotage.services.marketing_view import journey_view
from pilotage.services.overview import overview
from pilotage.services.planning_view import experiments_view

router = APIRouter(
    prefix="/api/v1/exports/views",
    tags=["exports"],
    default_response_class=Response,
    responses={200: {"content": {t: {} for t in MEDIA_TYPES.values()}}},
)
State = Annotated[ServerState, Depends(state_of)]


def _download(
    state: ServerState, view: str, fmt: ExportFormat, tables: tuple[TableExport, ...]
) -> Response:
    month = today_in(state.workspace).strftime("%Y-%m")
    return Response(
        content=export_bytes(tables[0], fmt, *tables[1:]),
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{view}-{month}.{fmt}"'},
    )


@router.get("/overview.{fmt}", summary="Overview tables (as /api/v1/views/overview)")
def export_overview(state: State, fmt: ExportFormat, sl: SliceQuery, lang: Lang = "en") -> Response:
    """Sheets: channels (the CSV), kpis against the previous period, trend."""
    return _download(state, "overview", fmt, overview_export(state.computed(overview, sl, lang)))


@router.get("/channels.{fmt}", summary="Channel table (as /api/v1/views/channels)")
def export_channels(
    state: State,
    fmt: ExportFormat,
    sl: SliceQuery,
    drill: Annotated[str | None, Query(max_length=100)] = None,
    lang: Lang = "en",
) -> Response:
    """By channel, or by campaign of the ``drill`` channel."""
    check_text("drill", (drill,) if drill else ())
    view = state.computed(channels_view, sl, drill, lang)
    return _download(state, "channels", fmt, channels_export(view))


@router.get("/attribution.{fmt}", summary="Attribution table (as /api/v1/views/attribution)")
def export_attribution(
    state: State, fmt: ExportFormat, sl: SliceQuery, lang: Lang = "en"
) -> Response:
    view = state.computed(attribution_view, sl, lang)
    return _download(state, "attribution", fmt, attribution_export(view))


@router.get("/journey.{fmt}", summary="Journey stages (as /api/v1/views/journey)")
def export_journey(state: State, fmt: ExportFormat, sl: SliceQuery, lang: Lang = "en") -> Response:
    return _download(state, "journey", fmt, journey_export(state.computed(journey_view, sl, lang)))


@router.get("/accounts.{fmt}", summary="Target accounts (as /api/v1/views/accounts)")
def export_accounts(state: State, fmt: ExportFormat, sl: SliceQuery, lang: Lang = "en") -> Response:
    view = state.computed(accounts_view, sl, lang)
    return _download(state, "accounts", fmt, accounts_export(view))


@router.get("/budget.{fmt}", summary="Budget tables (as /api/v1/views/budget)")
def export_budget(state: State, fmt: ExportFormat, sl: SliceQuery, lang: Lang = "en") -> Response:
    """Sheets: budget by channel (the CSV), monthly spend by channel."""
    return _download(state, "budget", fmt, budget_export(state.computed(budget_view, sl, lang)))


@router.get("/experiments.{fmt}", summary="Experiment variants (as /api/v1/views/experiments)")
def export_experiments(state: State, fmt: ExportFormat) -> Response:
    view = state.computed(experiments_view)
    return _download(state, "experiments", fmt, experiments_export(view))


@router.get("/data-quality.{fmt}", summary="Data checks (as /api/v1/views/data-quality)")
def export_data_quality(state: State, fmt: ExportFormat, lang: Lang = "en") -> Response:
    view = state.computed(quality_checks, today_in(state.workspace), lang)
    return _download(state, "data-quality", fmt, quality_export(view))
