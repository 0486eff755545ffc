"""The pages that show what exists today and grow with their capabilities: attribution,
journey, accounts, budget, experiments, initiatives and objectives, committee."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from pilotage.interfaces.api.auth import READ, guard
from pilotage.interfaces.api.state import ServerState, state_of
from pilotage.interfaces.formatting import check_lang, percent
from pilotage.interfaces.web import wording
from pilotage.interfaces.web.cells import cell, count_cell, text_cell
from pilotage.interfaces.web.experiment_sections import experiment_sections
from pilotage.interfaces.web.filters import SliceQuery
from pilotage.interfaces.web.page_kit import analysis_page, column, section
from pilotage.services.attribution_view import attribution_view
from pilotage.services.experiment_results import links as experiment_links
from pilotage.services.experiments import experiment_readouts
from pilotage.services.planning_view import experiments_view

router = APIRouter(include_in_schema=False)
State = Annotated[ServerState, Depends(state_of)]
LangQuery = Annotated[str | None, Query()]
_DAY = "%Y-%m-%d"


@router.get("/attribution", response_class=HTMLResponse, dependencies=guard(READ))
def attribution(
    request: Request, state: State, sl: SliceQuery, lang: LangQuery = None
) -> HTMLResponse:
    la = check_lang(lang)
    v = state.computed(attribution_view, sl, la)
    t = wording.words(la)
    revenue, orders, share = v.metrics
    rows = [
        [
            text_cell(r.channel),
            cell(revenue, r.revenue, v.currency, la),
            count_cell(r.attributed_orders, la),
            cell(share, r.revenue_share, v.currency, la),
        ]
        for r in v.rows
    ]
    totals = [
        text_cell(t("total")),
        cell(revenue, v.total_revenue, v.currency, la),
        count_cell(v.total_orders, la),
        text_cell(None),
    ]
    note = t("rule_last_touch").format(days=v.lookback_days)
    table = section(
        None,
        [column(t("channel")), column("", revenue), column("", orders), column("", share)],
        rows,
        totals=totals,
        note=note,
        empty=t("empty"),
    )
    roi, cost = v.roi_metric, v.cost_metric
    names = [column(t(f"model_{m}")) for m in v.models]
    side = section(
        t("models_side_by_side"),
        [column(t("channel")), column("", cost), *names, column(t("spread"))],
        [
            [
                text_cell(("⚠ " if r.disagree else "") + r.channel),
                cell(cost, r.cost, v.currency, la),
                *(cell(revenue, r.by_model[m], v.currency, la) for m in v.models),
                text_cell(percent(r.spread, la) if r.spread is not None else None),
            ]
            for r in v.rows
        ],
        note=" ".join([t("models_note"), *v.warnings]),
        empty=t("empty"),
    )
    returns = section(
        t("roi_by_model"),
        [column(t("channel")), *names],
        [
            [
                text_cell(r.channel),
                *(cell(roi, r.roi_by_model[m], v.currency, la) for m in v.models),
            ]
            for r in v.rows
            if r.cost
        ],
        empty=t("empty"),
    )
    return analysis_page(
        request, state, "sections.html", "attribution", la, sl, sections=[table, side, returns]
    )


@router.get("/experiments", response_class=HTMLResponse, dependencies=guard(READ))
def experiments(request: Request, state: State, lang: LangQuery = None) -> HTMLResponse:
    la = check_lang(lang)
    v = state.computed(experiments_view)
    t = wording.words(la)
    readouts = experiment_sections(
        state.computed(experiment_readouts), experiment_links(state.meta), la
    )
    rows = [
        [
            text_cell(e.experiment_id),
            text_cell(e.variant),
            count_cell(e.units, la),
            text_cell(e.first_exposure.strftime(_DAY) if e.first_exposure else None),
            text_cell(e.last_exposure.strftime(_DAY) if e.last_exposure else None),
        ]
        for e in v.variants
    ]
    cols = [
        column(t("experiment")),
        column(t("variant")),
        column(t("units")),
        column(t("first_exposure")),
        column(t("last_exposure")),
    ]
    table = section(
        t("exposure"), cols, rows, note=t("experiments_note"), empty=t("no_experiments")
    )
    return analysis_page(
        request,
        state,
        "sections.html",
        "experiments",
        la,
        None,
        filters=(),
        sections=[table, *readouts],
    )
