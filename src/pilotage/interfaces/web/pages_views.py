"""The pages that show what exists today and grow with their capabilities: attribution,
journey, accounts, budget, experiments, initiatives and objectives, committee."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from pilotage.interfaces.api.auth import READ, guard
from pilotage.interfaces.api.state import ServerState, state_of
from pilotage.interfaces.formatting import check_lang, number, percent
from pilotage.interfaces.web import wording
from pilotage.interfaces.web.cells import cell, count_cell, text_cell
from pilotage.interfaces.web.experiment_sections import experiment_sections
from pilotage.interfaces.web.filters import SliceQuery
from pilotage.interfaces.web.page_kit import analysis_page, column, section
from pilotage.jobs.scheduler import today_in
from pilotage.services.accounts_view import accounts_view
from pilotage.services.attribution_view import attribution_view
from pilotage.services.budget_view import budget_view
from pilotage.services.experiment_results import links as experiment_links
from pilotage.services.experiments import experiment_readouts
from pilotage.services.marketing_view import journey_view
from pilotage.services.planning_view import (
    committee_packs,
    committee_view,
    experiments_view,
    plans_view,
)

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


@router.get("/journey", response_class=HTMLResponse, dependencies=guard(READ))
def journey(request: Request, state: State, sl: SliceQuery, lang: LangQuery = None) -> HTMLResponse:
    la = check_lang(lang)
    v = state.computed(journey_view, sl, la)
    t = wording.words(la)
    rows = [
        [
            text_cell(s.metric.name, link=f"/definitions?lang={la}#{s.metric.id}"),
            count_cell(s.people, la),
            cell(v.conversion, s.conversion_from_previous, "", la),
        ]
        for s in v.stages
    ]
    cols = [column(t("stage")), column(t("people")), column("", v.conversion)]
    table = section(None, cols, rows, note=t("journey_note"))
    return analysis_page(request, state, "sections.html", "journey", la, sl, sections=[table])


@router.get("/accounts", response_class=HTMLResponse, dependencies=guard(READ))
def accounts(
    request: Request, state: State, sl: SliceQuery, lang: LangQuery = None
) -> HTMLResponse:
    la = check_lang(lang)
    v = state.computed(accounts_view, sl, la)
    t = wording.words(la)
    pipeline, won = v.metrics
    rows = [
        [
            text_cell(a.name),
            text_cell(a.segment),
            text_cell(a.tier),
            text_cell(a.sales_owner),
            text_cell(a.marketing_owner),
            cell(pipeline, a.open_pipeline, v.currency, la),
            cell(won, a.won_amount, v.currency, la),
        ]
        for a in v.accounts
    ]
    cols = [
        column(t("account_name")),
        column(t("segment")),
        column(t("tier")),
        column(t("sales_owner")),
        column(t("marketing_owner")),
        column("", pipeline),
        column("", won),
    ]
    totals = (
        [text_cell(t("total"))]
        + [text_cell(None)] * 4
        + [
            cell(pipeline, v.total_open_pipeline, v.currency, la),
            cell(won, v.total_won_amount, v.currency, la),
        ]
    )
    table = section(None, cols, rows, totals=totals, note=t("accounts_note"), empty=t("no_targets"))
    return analysis_page(
        request,
        state,
        "sections.html",
        "accounts",
        la,
        sl,
        filters=("period", "segment"),
        sections=[table],
    )


@router.get("/budget", response_class=HTMLResponse, dependencies=guard(READ))
def budget(request: Request, state: State, sl: SliceQuery, lang: LangQuery = None) -> HTMLResponse:
    la = check_lang(lang)
    v = state.computed(budget_view, sl, la)
    t = wording.words(la)
    cost, budget_metric, used = v.metrics
    per_channel = section(
        t("budget_by_channel"),
        [column(t("channel")), column("", cost), column("", budget_metric), column("", used)],
        [
            [
                text_cell(c.channel),
                cell(cost, c.cost, v.currency, la),
                cell(budget_metric, c.budget, v.currency, la),
                cell(used, c.budget_used, v.currency, la),
            ]
            for c in v.channels
        ],
        note=t("budget_note"),
        empty=t("empty"),
    )
    amounts = {(m.channel, m.month): m.cost for m in v.monthly}
    channels = sorted({m.channel for m in v.monthly})
    monthly = section(
        t("spend_by_month"),
        [column(t("month"))] + [column(c) for c in channels],
        [
            [text_cell(month)]
            + [cell(cost, amounts.get((c, month)), v.currency, la) for c in channels]
            for month in v.months
        ],
    )
    return analysis_page(
        request,
        state,
        "sections.html",
        "budget",
        la,
        sl,
        filters=("period", "channel"),
        sections=[per_channel, monthly],
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


@router.get("/initiatives", response_class=HTMLResponse, dependencies=guard(READ))
def initiatives(request: Request, state: State, lang: LangQuery = None) -> HTMLResponse:
    la = check_lang(lang)
    v = plans_view(state.meta)
    t = wording.words(la)
    plans = section(
        t("initiatives"),
        [
            column(t("name")),
            column(t("kind")),
            column(t("status")),
            column(t("owner")),
            column(t("measurement_plan")),
            column(t("created")),
        ],
        [
            [
                text_cell(i.name),
                text_cell(i.kind),
                text_cell(i.status),
                text_cell(i.owner),
                text_cell(t("yes") if i.has_measurement_plan else t("no")),
                text_cell(i.created_at.strftime(_DAY)),
            ]
            for i in v.initiatives
        ],
        empty=t("no_initiatives"),
    )
    goals = section(
        t("objectives"),
        [column(t("name")), column(t("metric")), column(t("target")), column(t("deadline"))],
        [
            [
                text_cell(o.name),
                text_cell(o.metric_id, link=f"/definitions?lang={la}#{o.metric_id}"),
                text_cell(number(o.target, la, 2)),
                text_cell(o.deadline.isoformat()),
            ]
            for o in v.objectives
        ],
        empty=t("no_objectives"),
    )
    return analysis_page(
        request,
        state,
        "sections.html",
        "initiatives",
        la,
        None,
        filters=(),
        sections=[plans, goals],
    )


@router.get("/committee", response_class=HTMLResponse, dependencies=guard(READ))
def committee(request: Request, state: State, lang: LangQuery = None) -> HTMLResponse:
    la = check_lang(lang)
    v = committee_view(state.computed(committee_packs, today_in(state.workspace)), state.meta)
    t = wording.words(la)
    packs = section(
        t("packs"),
        [
            column(t("kind")),
            column(t("period")),
            column(t("start")),
            column(t("end")),
            column("HTML"),
            column("PDF"),
        ],
        [
            [
                text_cell(t(p.kind)),
                text_cell(p.period),
                text_cell(p.start.isoformat()),
                text_cell(p.end.isoformat()),
                text_cell(
                    "HTML", link=f"/api/v1/reports/{p.kind}?period={p.period}&format=html&lang={la}"
                ),
                text_cell(
                    "PDF", link=f"/api/v1/reports/{p.kind}?period={p.period}&format=pdf&lang={la}"
                ),
            ]
            for p in v.packs
        ],
    )
    log = section(
        t("decisions"),
        [column(t("when")), column(t("committee")), column(t("title")), column(t("by"))],
        [
            [
                text_cell(d.decided_at.strftime(_DAY)),
                text_cell(d.committee),
                text_cell(d.title),
                text_cell(d.decided_by),
            ]
            for d in v.decisions
        ],
        empty=t("no_decisions"),
    )
    return analysis_page(
        request, state, "sections.html", "committee", la, None, filters=(), sections=[packs, log]
    )
