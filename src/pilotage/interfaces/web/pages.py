"""Server-rendered pages: they format result objects from services, never compute."""

from __future__ import annotations

import datetime
from importlib.resources import files
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from pilotage.core.metrics.registry import METRICS
from pilotage.interfaces.api.state import ServerState, state_of
from pilotage.interfaces.formatting import Lang, check_lang, metric_value
from pilotage.interfaces.web import wording
from pilotage.interfaces.web.assets import charts_available
from pilotage.interfaces.web.charts import cost_revenue_by_channel
from pilotage.services.kpis import channel_kpis
from pilotage.services.results import MetricInfo
from pilotage.services.workspaces import recent_imports, table_summaries

router = APIRouter(include_in_schema=False)
State = Annotated[ServerState, Depends(state_of)]
LangQuery = Annotated[str | None, Query()]
NAV = (("overview", "/"), ("data", "/data"), ("definitions", "/definitions"))

_env = Environment(
    loader=FileSystemLoader(str(files("pilotage.interfaces.web") / "templates")),
    autoescape=select_autoescape(default=True),
)


def _render(request: Request, template: str, page: str, lang: Lang, **context: Any) -> HTMLResponse:
    other = "en" if lang == "fr" else "fr"
    params = dict(request.query_params) | {"lang": other}
    html = _env.get_template(template).render(
        lang=lang,
        page=page,
        nav=NAV,
        t=lambda key: wording.text(key, lang),
        title=wording.text(page, lang),
        switch_lang_url=f"{request.url.path}?{urlencode(params)}",
        charts_available=charts_available(),
        **context,
    )
    return HTMLResponse(html)


@router.get("/", response_class=HTMLResponse)
def overview(
    request: Request,
    state: State,
    lang: LangQuery = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> HTMLResponse:
    language = check_lang(lang)
    with state.analytics() as store:
        result = channel_kpis(store, state.workspace.settings, start=start, end=end, lang=language)
    cur = result.currency

    def cell(metric: MetricInfo, value: float | None) -> dict[str, Any]:
        return {
            "text": metric_value(value, metric.unit, cur, language, metric.id),
            "negative": metric.id == "roi" and value is not None and value < 0,
        }

    rows = [
        [{"text": str(r["channel"]), "negative": False}]
        + [cell(m, r.get(m.id)) for m in result.metrics]
        for r in result.rows
    ]
    totals = [{"text": wording.text("total", language)}] + [
        cell(m, result.totals.get(m.id)) for m in result.metrics
    ]
    tiles = [
        {"id": m.id, "name": m.name, "value": cell(m, result.totals.get(m.id))["text"]}
        for m in result.metrics
    ]
    cost_name, revenue_name = result.metrics[0].name, result.metrics[1].name
    return _render(
        request,
        "overview.html",
        "overview",
        language,
        start=start,
        end=end,
        tiles=tiles,
        metrics=result.metrics,
        rows=rows,
        totals=totals,
        chart_spec=cost_revenue_by_channel(result, cost_name, revenue_name),
        note=wording.text("attribution", language).format(days=result.lookback_days, cur=cur),
    )


@router.get("/definitions", response_class=HTMLResponse)
def definitions(request: Request, lang: LangQuery = None) -> HTMLResponse:
    language = check_lang(lang)
    metrics = [MetricInfo.of(m, language) for m in METRICS.values()]
    return _render(request, "definitions.html", "definitions", language, metrics=metrics)


@router.get("/data", response_class=HTMLResponse)
def data(request: Request, state: State, lang: LangQuery = None) -> HTMLResponse:
    language = check_lang(lang)
    with state.analytics() as store:
        tables = table_summaries(store).tables
    imports = [
        {
            "when": i.finished_at.strftime("%Y-%m-%d %H:%M UTC"),
            "table": i.table,
            "file": i.file_name,
            "status": i.status,
            "inserted": i.inserted,
            "updated": i.updated,
            "unchanged": i.unchanged,
            "actor": i.actor,
        }
        for i in recent_imports(state.meta).imports
    ]
    return _render(request, "data.html", "data", language, tables=tables, imports=imports)
