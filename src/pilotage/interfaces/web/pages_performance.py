"""The overview and channels pages: KPIs with their comparison, trend and channel tables."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from pilotage.interfaces.api.auth import READ, guard
from pilotage.interfaces.api.state import ServerState, state_of
from pilotage.interfaces.formatting import check_lang
from pilotage.interfaces.web import wording
from pilotage.interfaces.web.cells import cell, change_text, metric_text, text_cell
from pilotage.interfaces.web.charts import (
    channel_bars,
    cost_revenue_bars,
    cost_revenue_trend,
    table_bars,
)
from pilotage.interfaces.web.filters import SliceQuery, check_text
from pilotage.interfaces.web.page_kit import analysis_page
from pilotage.jobs.scheduler import today_in
from pilotage.services.channels_view import channels_view
from pilotage.services.overview import overview as overview_data

router = APIRouter(include_in_schema=False)
State = Annotated[ServerState, Depends(state_of)]
LangQuery = Annotated[str | None, Query()]


@router.get("/", response_class=HTMLResponse, dependencies=guard(READ))
def overview(
    request: Request, state: State, sl: SliceQuery, lang: LangQuery = None
) -> HTMLResponse:
    language = check_lang(lang)
    data = state.computed(overview_data, sl, language, today_in(state.workspace))
    cur = data.currency
    tiles = [
        {
            "id": t.metric.id,
            "name": t.metric.name,
            "value": metric_text(t.metric, t.value, cur, language),
            "previous": metric_text(t.metric, t.previous, cur, language),
            "change": change_text(t.metric, t.change, cur, language),
            "down": t.change.absolute is not None and t.change.absolute < 0,
            "trust": t.trust,
        }
        for t in data.tiles
    ]
    names = {m.id: m.name for m in data.channels.metrics}
    return analysis_page(
        request,
        state,
        "overview.html",
        "overview",
        language,
        sl,
        filters=("period", "grain", "channel", "segment"),
        data=data,
        tiles=tiles,
        table=_channel_table(
            data.channels.metrics, data.channels.rows, data.channels.totals, cur, language
        ),
        chart_spec=cost_revenue_bars(
            table_bars(data.channels), cur, names["cost"], names["revenue"]
        ),
        trend_spec=cost_revenue_trend(data.trend, cur, names["cost"], names["revenue"]),
        note=_note(data.channels.lookback_days, cur, data.channels.cost_sliced, language),
    )


@router.get("/channels", response_class=HTMLResponse, dependencies=guard(READ))
def channels(
    request: Request,
    state: State,
    sl: SliceQuery,
    lang: LangQuery = None,
    drill: Annotated[str | None, Query(max_length=100)] = None,
) -> HTMLResponse:
    language = check_lang(lang)
    check_text("drill", (drill,) if drill else ())
    view = state.computed(channels_view, sl, drill, language, today_in(state.workspace))
    cur = view.currency
    rows = []
    for r in view.rows:
        if view.drill_channel:
            first = text_cell(r.campaign_name or r.campaign_id)
        else:
            first = text_cell(r.channel, link=f"?{_drill_query(request, r.channel)}")
        rows.append([first] + [cell(m, r.values.get(m.id), cur, language) for m in view.metrics])
    names = {m.id: m.name for m in view.metrics}
    return analysis_page(
        request,
        state,
        "channels.html",
        "channels",
        language,
        sl,
        view=view,
        rows=rows,
        totals=[text_cell(wording.text("total", language))]
        + [cell(m, view.totals.get(m.id), cur, language) for m in view.metrics],
        chart_spec=cost_revenue_bars(channel_bars(view), cur, names["cost"], names["revenue"]),
        back=f"?{_drill_query(request, None)}",
        note=_note(view.lookback_days, cur, view.cost_sliced, language),
    )


def _channel_table(
    metrics: list[Any], rows: list[dict[str, Any]], totals: dict[str, Any], cur: str, lang: Any
) -> dict[str, Any]:
    return {
        "metrics": metrics,
        "rows": [
            [text_cell(str(r["channel"]))] + [cell(m, r.get(m.id), cur, lang) for m in metrics]
            for r in rows
        ],
        "totals": [text_cell(wording.text("total", lang))]
        + [cell(m, totals.get(m.id), cur, lang) for m in metrics],
    }


def _drill_query(request: Request, channel: str | None) -> str:
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != "drill"]
    return urlencode(kept + ([("drill", channel)] if channel else []))


def _note(days: int, cur: str, cost_sliced: bool, lang: Any) -> str:
    note = wording.text("attribution_note", lang).format(days=days, cur=cur)
    if not cost_sliced:
        note += " " + wording.text("segment_hides_cost", lang)
    return note
