"""The alerts and committee pages, and their forms (acknowledge, resolve, run the
monitoring, record a decision, mark an action done, add a member or a responsibility,
answer a health-check question). A form posts with the session's CSRF token and answers a
redirect; a refusal shows the page again with the message and saves nothing."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from pilotage.core.governance.health import AREAS
from pilotage.core.governance.vocabulary import (
    CADENCES,
    DOMAINS,
    MEMBER_ROLES,
    RACI_LEVELS,
    Cadence,
)
from pilotage.errors import PilotageError, UsageError
from pilotage.interfaces.api.auth import READ, WRITE, Require, guard
from pilotage.interfaces.api.errors import status_of
from pilotage.interfaces.api.ids import RowId
from pilotage.interfaces.api.routes_governance import alerts_model, check_cadence, committee_model
from pilotage.interfaces.api.state import ServerState, state_of
from pilotage.interfaces.formatting import Lang, check_lang, money, number, percent
from pilotage.interfaces.reports.agenda_view import agenda_blocks, status_word
from pilotage.interfaces.web import wording
from pilotage.interfaces.web.filters import unrestricted
from pilotage.interfaces.web.render import render
from pilotage.jobs.scheduler import today_in
from pilotage.services import alerts as alert_service
from pilotage.services import governance as gov
from pilotage.services.accounts import Principal
from pilotage.services.alerts_realloc import proposal_moves
from pilotage.services.governance_health import answer_question
from pilotage.services.webhooks import RetryPolicy, deliver_pending, toml_webhooks

router = APIRouter(include_in_schema=False)
State = Annotated[ServerState, Depends(state_of)]
Writer = Annotated[Principal, Depends(WRITE)]
LangQuery = Annotated[str | None, Query()]
CadenceQuery = Annotated[str | None, Query(max_length=10)]
#: A page's form waits for one try per receiver; the scheduler and the CLI retry more.
PAGE_POLICY = RetryPolicy(attempts=1, timeout_s=5.0)


def allowed(requirement: Require) -> list[Any]:
    return [*guard(requirement), Depends(unrestricted)]


def _can_write(request: Request) -> bool:
    principal: Principal | None = getattr(request.state, "principal", None)
    return principal is not None and principal.can("write")


def _back(path: str, lang: Lang, **params: str | int) -> RedirectResponse:
    return RedirectResponse(f"{path}?{urlencode({'lang': lang, **params})}", 303)


# Alerts -----------------------------------------------------------------------------------


def _alerts_page(
    request: Request,
    state: ServerState,
    lang: Lang,
    *,
    notice: str | None = None,
    problem: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    v = alerts_model(state, lang)
    t = wording.words(lang)
    cur = v.pacing.currency

    def alert_row(a: Any) -> dict[str, Any]:
        related = ", ".join(r["metric_id"] for r in a.details.get("related", []))
        return {
            "id": a.id,
            "severity": a.severity,
            "severity_label": status_word(a.severity, lang),
            "summary": a.summary,
            "related": related,
            "since": a.since.isoformat(),
            "state": a.state,
            "state_label": t("gov_ack") if a.state == "acknowledged" else a.state,
            "resolved_by": a.resolved_by,
        }

    return render(
        request,
        "governance_alerts.html",
        "alerts",
        lang,
        status_code=status_code,
        notice=notice,
        problem=problem,
        can_write=_can_write(request),
        active=[alert_row(a) for a in v.alerts.alerts if a.state != "resolved"],
        resolved=[alert_row(a) for a in v.alerts.alerts if a.state == "resolved"],
        method=v.method,
        pacing={
            "month_start": v.pacing.month_start,
            "as_of": v.pacing.as_of,
            "channels": [
                {
                    "channel": c.channel,
                    "planned": money(c.planned_to_date, cur, lang),
                    "spent": money(c.spent_to_date, cur, lang),
                    "ratio": percent(c.ratio, lang),
                    "projected": money(c.projected, cur, lang),
                    "status": status_word(c.status, lang),
                    "off": c.status != "on_plan",
                }
                for c in v.pacing.channels
            ],
        },
        deliveries=v.deliveries.deliveries,
        waiting=any(d.status != "delivered" for d in v.deliveries.deliveries),
    )


@router.get("/alerts", response_class=HTMLResponse, dependencies=allowed(READ))
def alerts_page(
    request: Request,
    state: State,
    lang: LangQuery = None,
    done: Annotated[str | None, Query(max_length=20)] = None,
    opened: int | None = None,
    updated: int | None = None,
    resolved: int | None = None,
    scored: int | None = None,
) -> HTMLResponse:
    la = check_lang(lang)
    t = wording.words(la)
    notice = None
    if done == "run":
        notice = t("gov_run_done").format(
            opened=number(opened, la),
            updated=number(updated, la),
            resolved=number(resolved, la),
            scored=number(scored, la),
        )
    elif done:
        notice = t("gov_saved")
    return _alerts_page(request, state, la, notice=notice)


def _on_alerts(
    request: Request, state: ServerState, lang: Lang, act: Callable[[], Response]
) -> Response:
    try:
        return act()
    except PilotageError as error:
        problem = error.message + (f" — {error.fix}" if error.fix else "")
        return _alerts_page(request, state, lang, problem=problem, status_code=status_of(error))


@router.post("/alerts/run", dependencies=allowed(WRITE))
def alerts_run(request: Request, state: State, lang: LangQuery = None) -> Response:
    la = check_lang(lang)

    def act() -> Response:
        ws = state.workspace
        with state.analytics() as store:
            run = alert_service.run_alerts(
                store,
                state.meta,
                ws.settings,
                today=today_in(ws),
                proposal=proposal_moves(ws),
                webhook_urls=toml_webhooks(ws.root),
                lang=la,
            )
        deliver_pending(state.meta, policy=PAGE_POLICY)
        return _back(
            "/alerts",
            la,
            done="run",
            opened=len(run.opened),
            updated=len(run.updated),
            resolved=len(run.resolved),
            scored=run.coverage.scored,
        )

    return _on_alerts(request, state, la, act)


def _change(
    request: Request, state: ServerState, lang: LangQuery, act: Callable[[str], object]
) -> Response:
    la = check_lang(lang)

    def done() -> Response:
        act(state.workspace.settings.reporting_currency)
        return _back("/alerts", la, done="saved")

    return _on_alerts(request, state, la, done)


@router.post("/alerts/{alert_id}/acknowledge", dependencies=allowed(WRITE))
def alerts_acknowledge(
    request: Request, state: State, alert_id: RowId, principal: Writer, lang: LangQuery = None
) -> Response:
    return _change(
        request,
        state,
        lang,
        lambda cur: alert_service.acknowledge(state.meta, alert_id, principal.email, currency=cur),
    )


@router.post("/alerts/{alert_id}/resolve", dependencies=allowed(WRITE))
def alerts_resolve(
    request: Request, state: State, alert_id: RowId, principal: Writer, lang: LangQuery = None
) -> Response:
    return _change(
        request,
        state,
        lang,
        lambda cur: alert_service.resolve(state.meta, alert_id, principal.email, currency=cur),
    )


@router.post("/alerts/{alert_id}/reopen", dependencies=allowed(WRITE))
def alerts_reopen(
    request: Request, state: State, alert_id: RowId, principal: Writer, lang: LangQuery = None
) -> Response:
    return _change(
        request,
        state,
        lang,
        lambda cur: alert_service.reopen(state.meta, alert_id, principal.email, currency=cur),
    )


@router.post("/alerts/deliveries/retry", dependencies=allowed(WRITE))
def alerts_retry(request: Request, state: State, lang: LangQuery = None) -> Response:
    la = check_lang(lang)

    def act() -> Response:
        deliver_pending(state.meta, policy=PAGE_POLICY)
        return _back("/alerts", la, done="retry")

    return _on_alerts(request, state, la, act)


# Committee --------------------------------------------------------------------------------


def _committee_page(
    request: Request,
    state: ServerState,
    lang: Lang,
    cadence: Cadence,
    *,
    notice: str | None = None,
    problem: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    v = committee_model(state, cadence, lang)
    t = wording.words(lang)
    currency = state.workspace.settings.reporting_currency
    names = {c.name for c in v.committees.committees}
    raci_rows = [
        {
            "domain": d,
            "cells": [
                ", ".join(e.person for e in v.raci.entries if e.domain == d and e.level == level)
                for level in RACI_LEVELS
            ],
        }
        for d in DOMAINS
    ]
    sources = {
        "data": t("gov_source_data"),
        "answer": t("gov_source_answer"),
        "missing": t("gov_source_missing"),
    }
    return render(
        request,
        "governance_committee.html",
        "committee",
        lang,
        status_code=status_code,
        notice=notice,
        problem=problem,
        can_write=_can_write(request),
        committees=v.committees.committees,
        missing_standard=not {"weekly", "digital", "strategy"} <= names,
        roles=MEMBER_ROLES,
        cadences=CADENCES,
        cadence=cadence,
        agenda_period=v.agenda.period,
        agenda=agenda_blocks(v.agenda, lang, currency),
        packs=v.packs,
        decisions=[
            {**d.model_dump(), "day": d.decided_at.date().isoformat()}
            for d in v.decisions.decisions
        ],
        actions=v.actions.actions,
        raci_rows=raci_rows,
        raci_gaps=", ".join(v.raci.gaps),
        levels=RACI_LEVELS,
        domains=DOMAINS,
        health_overall=_score(v.health.overall, lang),
        health_areas=[
            {"code": a.area, "name": status_word(a.area, lang), "score": _score(a.score, lang)}
            for a in v.health.areas
            if a.area in AREAS
        ],
        health_criteria=[
            {
                "id": c.id,
                "question": c.question,
                "rule": c.data_rule,
                "score": _score(c.score, lang),
                "source": c.source,
                "source_label": sources[c.source],
            }
            for c in v.health.criteria
        ],
    )


def _score(value: float | None, lang: Lang) -> str:
    return "–" if value is None else f"{number(value, lang)}/100"


@router.get("/committee", response_class=HTMLResponse, dependencies=allowed(READ))
def committee_page(
    request: Request,
    state: State,
    lang: LangQuery = None,
    cadence: CadenceQuery = None,
    done: Annotated[str | None, Query(max_length=20)] = None,
) -> HTMLResponse:
    la = check_lang(lang)
    notice = wording.text("gov_saved", la) if done else None
    return _committee_page(request, state, la, check_cadence(cadence), notice=notice)


def _on_committee(
    request: Request,
    state: ServerState,
    lang: Lang,
    cadence: str | None,
    act: Callable[[], object],
) -> Response:
    chosen: Cadence = "monthly"
    for c in CADENCES:
        if cadence == c:
            chosen = c
    try:
        act()
    except PilotageError as error:
        problem = error.message + (f" — {error.fix}" if error.fix else "")
        return _committee_page(
            request,
            state,
            lang,
            chosen,
            problem=problem,
            status_code=status_of(error),
        )
    return _back("/committee", lang, cadence=chosen, done="saved")


Field = Annotated[str, Form(max_length=10_000)]


@router.post("/committee/standard", dependencies=allowed(WRITE))
def committee_standard(
    request: Request, state: State, principal: Writer, lang: LangQuery = None
) -> Response:
    la = check_lang(lang)
    return _on_committee(
        request, state, la, None, lambda: gov.standard_committees(state.meta, principal.email, la)
    )


def _id(value: str, field: str) -> int:
    if not value.strip().isdigit():
        raise UsageError(f"the {field} is missing", fix=f"choose a {field}")
    return int(value)


@router.post("/committee/members", dependencies=allowed(WRITE))
def committee_member(
    request: Request,
    state: State,
    principal: Writer,
    lang: LangQuery = None,
    committee_id: Field = "",
    name: Field = "",
    role: Field = "",
    email: Field = "",
) -> Response:
    la = check_lang(lang)
    return _on_committee(
        request,
        state,
        la,
        None,
        lambda: gov.add_member(
            state.meta,
            _id(committee_id, "committee"),
            name,
            role,
            principal.email,
            email=email or None,
        ),
    )


@router.post("/committee/decisions", dependencies=allowed(WRITE))
def committee_decision(
    request: Request,
    state: State,
    principal: Writer,
    lang: LangQuery = None,
    cadence: CadenceQuery = None,
    committee_id: Field = "",
    title: Field = "",
    text: Field = "",
    action_title: Field = "",
    action_owner: Field = "",
    action_due: Field = "",
) -> Response:
    la = check_lang(lang)

    def act() -> object:
        actions = []
        if action_title.strip() or action_owner.strip() or action_due.strip():
            try:
                due = datetime.date.fromisoformat(action_due.strip())
            except ValueError:
                raise UsageError(
                    "the action needs a title, an owner and a due date",
                    fix="fill the three action fields, or leave all three empty",
                ) from None
            actions.append(gov.NewAction(title=action_title, owner=action_owner, due_date=due))
        return gov.record_decision(
            state.meta,
            _id(committee_id, "committee"),
            title,
            text,
            principal.email,
            today=today_in(state.workspace),
            actions=actions,
        )

    return _on_committee(request, state, la, cadence, act)


@router.post("/committee/actions/{action_id}/done", dependencies=allowed(WRITE))
def committee_action_done(
    request: Request,
    state: State,
    action_id: RowId,
    principal: Writer,
    lang: LangQuery = None,
    cadence: CadenceQuery = None,
) -> Response:
    la = check_lang(lang)
    return _on_committee(
        request,
        state,
        la,
        cadence,
        lambda: gov.set_action_status(
            state.meta, action_id, "done", principal.email, today=today_in(state.workspace)
        ),
    )


@router.post("/committee/raci", dependencies=allowed(WRITE))
def committee_raci(
    request: Request,
    state: State,
    principal: Writer,
    lang: LangQuery = None,
    cadence: CadenceQuery = None,
    domain: Field = "",
    person: Field = "",
    level: Field = "",
) -> Response:
    la = check_lang(lang)
    return _on_committee(
        request,
        state,
        la,
        cadence,
        lambda: gov.set_responsibility(state.meta, domain, person, level, principal.email),
    )


@router.post("/committee/health", dependencies=allowed(WRITE))
def committee_health(
    request: Request,
    state: State,
    principal: Writer,
    lang: LangQuery = None,
    cadence: CadenceQuery = None,
    question: Field = "",
    score: Field = "",
) -> Response:
    la = check_lang(lang)
    return _on_committee(
        request,
        state,
        la,
        cadence,
        lambda: answer_question(
            state.meta, question, _id(score, "answer (0 to 4)"), principal.email
        ),
    )
