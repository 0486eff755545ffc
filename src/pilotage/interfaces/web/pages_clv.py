"""The customer lifetime value page: the most profitable segments and the RFM segments."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from pilotage.errors import UsageError
from pilotage.interfaces.api.auth import READ, guard
from pilotage.interfaces.api.state import ServerState, state_of
from pilotage.interfaces.formatting import check_lang, money, number, percent
from pilotage.interfaces.web import wording
from pilotage.interfaces.web.cells import count_cell, text_cell
from pilotage.interfaces.web.page_kit import analysis_page, column, section
from pilotage.services.clv_segments import workspace_segments

router = APIRouter(include_in_schema=False)
State = Annotated[ServerState, Depends(state_of)]


@router.get("/clv", response_class=HTMLResponse, dependencies=guard(READ))
def clv(
    request: Request, state: State, lang: Annotated[str | None, Query()] = None
) -> HTMLResponse:
    la = check_lang(lang)
    t = wording.words(la)
    cur = state.workspace.settings.reporting_currency
    try:
        v = state.computed(workspace_segments)
    except UsageError:
        empty = section(None, [], [], empty=t("clv_empty"))
        return analysis_page(
            request, state, "sections.html", "clv", la, None, filters=(), sections=[empty]
        )
    ranking = section(
        t("clv_ranking"),
        [
            column(t("clv_dimension")),
            column(t("segment")),
            column(t("clv_customers")),
            column(t("clv_ltv_mean")),
            column(t("clv_cac")),
            column(t("clv_ltv_cac")),
            column(t("clv_revenue_share")),
        ],
        [
            [
                text_cell(g.dimension),
                text_cell(g.segment),
                count_cell(g.customers, la),
                text_cell(money(g.ltv_mean, cur, la, 0)),
                text_cell(money(g.cac, cur, la, 0) if g.cac is not None else None),
                text_cell(number(g.ltv_to_cac, la, 1) if g.ltv_to_cac is not None else None),
                text_cell(percent(g.revenue_share, la, 1) if g.revenue_share is not None else None),
            ]
            for g in v.ranking
        ],
        note=t("clv_note").format(
            horizon=f"{v.horizon:g}", unit=v.time_unit, model=v.model, end=v.calibration_end
        ),
    )
    segments = section(
        t("clv_rfm"),
        [
            column(t("segment")),
            column(t("clv_rule")),
            column(t("clv_customers")),
            column(t("clv_ltv_mean")),
        ],
        [
            [
                text_cell(r.segment),
                text_cell(r.rule),
                count_cell(r.customers, la),
                text_cell(money(r.ltv_mean, cur, la, 0)),
            ]
            for r in v.rfm
        ],
    )
    return analysis_page(
        request, state, "sections.html", "clv", la, None, filters=(), sections=[ranking, segments]
    )
