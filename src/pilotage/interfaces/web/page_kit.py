"""What every analysis page shares: the filter form's options and the table sections."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from pilotage.interfaces.api.state import ServerState
from pilotage.interfaces.formatting import Lang
from pilotage.interfaces.web.filters import GRAINS
from pilotage.interfaces.web.render import render
from pilotage.services.overview import filter_options
from pilotage.services.results import MetricInfo
from pilotage.services.slices import Slice

#: Pages whose tables download as CSV or XLSX at /api/v1/exports/views/{page}.{csv,xlsx}.
EXPORTED = ("overview", "channels", "attribution", "journey", "accounts", "budget", "experiments")


def column(label: str, metric: MetricInfo | None = None) -> dict[str, Any]:
    return {"label": metric.name if metric else label, "metric": metric.id if metric else None}


def section(
    title: str | None,
    columns: list[dict[str, Any]],
    rows: list[list[dict[str, Any]]],
    *,
    totals: list[dict[str, Any]] | None = None,
    note: str | None = None,
    empty: str | None = None,
) -> dict[str, Any]:
    return {
        "title": title,
        "columns": columns,
        "rows": rows,
        "totals": totals,
        "note": note,
        "empty": empty,
    }


def analysis_page(
    request: Request,
    state: ServerState,
    template: str,
    page: str,
    lang: Lang,
    sl: Slice | None,
    *,
    filters: tuple[str, ...] = ("period", "channel", "segment"),
    **context: Any,
) -> HTMLResponse:
    """Render ``template`` with the filter form (only the ``filters`` that apply here) and,
    on an exported page, the downloads of its tables with the same URL parameters."""
    return render(
        request,
        template,
        page,
        lang,
        sl=sl,
        filters=filters,
        options=state.computed(filter_options),
        grains=GRAINS,
        action=request.url.path,
        exports=f"/api/v1/exports/views/{page}" if page in EXPORTED else None,
        export_query=request.url.query,
        **context,
    )
