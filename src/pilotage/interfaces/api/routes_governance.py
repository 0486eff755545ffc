"""Monitoring and governance under /api/v1: alerts (runs, states, pacing, webhooks and their
deliveries), committees with members, the RACI matrix, agendas, the decision log with
action items, and the strategy health check. The same result objects as ``pilotage alerts``
and ``pilotage committee``.

Reads need ``read``, changes ``write``; webhooks (their URLs may carry secrets) ``admin``.
Restricted users are refused: alerts and agendas show unrestricted totals and spend.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from pilotage.core.governance.vocabulary import CADENCES, Cadence
from pilotage.core.monitoring.settings import MonitorSettings
from pilotage.errors import UsageError
from pilotage.interfaces.api.auth import ADMIN, READ, WRITE, Require, guard
from pilotage.interfaces.api.ids import MAX_ID, RowId
from pilotage.interfaces.api.state import ServerState, state_of
from pilotage.interfaces.formatting import Lang
from pilotage.interfaces.web.filters import unrestricted
from pilotage.jobs.scheduler import today_in
from pilotage.services import alerts as alert_service
from pilotage.services import governance as gov
from pilotage.services.accounts import Principal
from pilotage.services.alerts_drift import check_cpa_metric
from pilotage.services.alerts_pacing import month_pacing
from pilotage.services.alerts_realloc import proposal_moves
from pilotage.services.alerts_types import (
    AlertInfo,
    AlertList,
    AlertRun,
    DeliveryReport,
    PacingView,
)
from pilotage.services.alerts_view import AlertsView, alerts_view
from pilotage.services.governance_agenda import agenda_period, build_agenda
from pilotage.services.governance_agenda_types import Agenda
from pilotage.services.governance_health import HealthCheck, answer_question, health_check
from pilotage.services.governance_view import GovernanceView, governance_view
from pilotage.services.planning_view import committee_packs
from pilotage.services.report_periods import ReportKind, parse_period
from pilotage.services.webhooks import (
    RetryPolicy,
    WebhookInfo,
    WebhookList,
    add_webhook,
    deliver_pending,
    list_deliveries,
    list_webhooks,
    remove_webhook,
    toml_webhooks,
)

router = APIRouter(prefix="/api/v1", tags=["governance"])
State = Annotated[ServerState, Depends(state_of)]


def allowed(requirement: Require) -> list[Any]:
    return [*guard(requirement), Depends(unrestricted)]


def _currency(state: ServerState) -> str:
    return state.workspace.settings.reporting_currency


# Alerts -----------------------------------------------------------------------------------


@router.get("/alerts", dependencies=allowed(READ), summary="Alerts, the most serious first")
def get_alerts(
    state: State,
    alert_state: Annotated[
        str | None, Query(alias="state", description="open, acknowledged, resolved, active")
    ] = None,
    severity: str | None = None,
    rule: str | None = None,
    lang: Lang = "en",
) -> AlertList:
    return alert_service.list_alerts(
        state.meta,
        currency=_currency(state),
        state=alert_state,
        severity=severity,
        rule=rule,
        lang=lang,
    )


class RunOptions(BaseModel):
    deliver: bool = True
    history_weeks: int = Field(default=156, ge=16, le=520)
    lookback_weeks: int = Field(default=52, ge=1, le=520)
    cpa_metrics: list[str] = Field(default_factory=lambda: ["cpa", "cpl"], max_length=10)
    attempts: int = Field(default=3, ge=1, le=10)
    timeout_s: float = Field(default=5.0, gt=0, le=60)
    lang: Lang = "en"


@router.post(
    "/alerts/run",
    dependencies=allowed(WRITE),
    summary="Run the monitoring: anomalies, pacing, CPA drift; store and deliver",
)
def post_run(state: State, options: RunOptions) -> AlertRun:
    for metric in options.cpa_metrics:
        check_cpa_metric(metric)
    try:
        rules = MonitorSettings(
            history_weeks=options.history_weeks,
            lookback_weeks=options.lookback_weeks,
            cpa_metrics=tuple(options.cpa_metrics),
        )
    except ValueError as exc:
        raise UsageError(str(exc), fix="give lookback_weeks <= history_weeks") from exc
    ws = state.workspace
    with state.analytics() as store:
        done = alert_service.run_alerts(
            store,
            state.meta,
            ws.settings,
            today=today_in(ws),
            rules=rules,
            proposal=proposal_moves(ws),
            webhook_urls=toml_webhooks(ws.root),
            lang=options.lang,
        )
    if options.deliver:
        policy = RetryPolicy(attempts=options.attempts, timeout_s=options.timeout_s)
        done = done.model_copy(update={"delivery": deliver_pending(state.meta, policy=policy)})
    return done


@router.get(
    "/alerts/pacing",
    dependencies=allowed(READ),
    summary="Month-to-date spend of budgeted campaigns against their prorated budgets",
)
def get_pacing(state: State) -> PacingView:
    return state.computed(month_pacing)


@router.get(
    "/alerts/deliveries", dependencies=allowed(READ), summary="Webhook deliveries, newest first"
)
def get_deliveries(state: State, status: str | None = None) -> DeliveryReport:
    return list_deliveries(state.meta, status)


@router.post(
    "/alerts/deliveries/retry",
    dependencies=allowed(WRITE),
    summary="Send the pending and failed webhook deliveries again",
)
def post_retry(
    state: State,
    attempts: Annotated[int, Query(ge=1, le=10)] = 3,
    timeout_s: Annotated[float, Query(gt=0, le=60)] = 5.0,
) -> DeliveryReport:
    return deliver_pending(state.meta, policy=RetryPolicy(attempts=attempts, timeout_s=timeout_s))


@router.get("/alerts/webhooks", dependencies=allowed(ADMIN), summary="Webhook receivers")
def get_webhooks(state: State) -> WebhookList:
    return list_webhooks(state.meta, toml_webhooks(state.workspace.root))


class NewWebhook(BaseModel):
    url: str = Field(min_length=1, max_length=2000)
    name: str | None = Field(default=None, max_length=200)


@router.post(
    "/alerts/webhooks", status_code=201, dependencies=allowed(ADMIN), summary="Save a webhook"
)
def post_webhook(
    state: State, body: NewWebhook, principal: Annotated[Principal, Depends(ADMIN)]
) -> WebhookInfo:
    return add_webhook(state.meta, body.url, body.name, principal.email)


@router.delete("/alerts/webhooks", dependencies=allowed(ADMIN), summary="Forget a webhook")
def delete_webhook(
    state: State,
    webhook_id: Annotated[int, Query(ge=1, le=MAX_ID)],
    principal: Annotated[Principal, Depends(ADMIN)],
) -> WebhookInfo:
    return remove_webhook(state.meta, webhook_id, principal.email)


@router.get("/alerts/{alert_id}", dependencies=allowed(READ), summary="One alert")
def get_alert(state: State, alert_id: RowId, lang: Lang = "en") -> AlertInfo:
    return alert_service.get_alert(state.meta, alert_id, currency=_currency(state), lang=lang)


class StateChange(BaseModel):
    note: str | None = Field(default=None, max_length=2000)


@router.post("/alerts/{alert_id}/acknowledge", dependencies=allowed(WRITE), summary="Acknowledge")
def post_acknowledge(
    state: State,
    alert_id: RowId,
    principal: Annotated[Principal, Depends(WRITE)],
    body: StateChange | None = None,
) -> AlertInfo:
    note = body.note if body else None
    return alert_service.acknowledge(
        state.meta, alert_id, principal.email, currency=_currency(state), note=note
    )


@router.post("/alerts/{alert_id}/resolve", dependencies=allowed(WRITE), summary="Resolve")
def post_resolve(
    state: State,
    alert_id: RowId,
    principal: Annotated[Principal, Depends(WRITE)],
    body: StateChange | None = None,
) -> AlertInfo:
    note = body.note if body else None
    return alert_service.resolve(
        state.meta, alert_id, principal.email, currency=_currency(state), note=note
    )


@router.post("/alerts/{alert_id}/reopen", dependencies=allowed(WRITE), summary="Reopen")
def post_reopen(
    state: State, alert_id: RowId, principal: Annotated[Principal, Depends(WRITE)]
) -> AlertInfo:
    return alert_service.reopen(state.meta, alert_id, principal.email, currency=_currency(state))


# Committees -------------------------------------------------------------------------------


@router.get("/committees", dependencies=allowed(READ), summary="Committees and members")
def get_committees(state: State) -> gov.CommitteeList:
    return gov.list_committees(state.meta)


class NewCommittee(BaseModel):
    name: str = Field(min_length=1, max_length=50)
    title: str = Field(min_length=1, max_length=200)
    cadence: Cadence
    purpose: str | None = Field(default=None, max_length=2000)


@router.post(
    "/committees", status_code=201, dependencies=allowed(WRITE), summary="Create a committee"
)
def post_committee(
    state: State, body: NewCommittee, principal: Annotated[Principal, Depends(WRITE)]
) -> gov.CommitteeInfo:
    return gov.create_committee(
        state.meta, body.name, body.title, body.cadence, principal.email, body.purpose
    )


@router.post(
    "/committees/standard",
    dependencies=allowed(WRITE),
    summary="Create the weekly, monthly and quarterly meetings that are missing",
)
def post_standard(
    state: State, principal: Annotated[Principal, Depends(WRITE)], lang: Lang = "fr"
) -> gov.CommitteeList:
    return gov.standard_committees(state.meta, principal.email, lang)


@router.get("/committees/{committee_id}", dependencies=allowed(READ), summary="A committee")
def get_committee(state: State, committee_id: RowId) -> gov.CommitteeInfo:
    return gov.get_committee(state.meta, committee_id)


class NewMember(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    role: str = Field(min_length=1, max_length=30)
    email: str | None = Field(default=None, max_length=320)
    title: str | None = Field(default=None, max_length=200)


@router.post(
    "/committees/{committee_id}/members",
    dependencies=allowed(WRITE),
    summary="Add or update a member",
)
def post_member(
    state: State,
    committee_id: RowId,
    body: NewMember,
    principal: Annotated[Principal, Depends(WRITE)],
) -> gov.CommitteeInfo:
    return gov.add_member(
        state.meta,
        committee_id,
        body.name,
        body.role,
        principal.email,
        email=body.email,
        title=body.title,
    )


@router.delete(
    "/committees/{committee_id}/members", dependencies=allowed(WRITE), summary="Remove a member"
)
def delete_member(
    state: State,
    committee_id: RowId,
    name: Annotated[str, Query(min_length=1, max_length=200)],
    principal: Annotated[Principal, Depends(WRITE)],
) -> gov.CommitteeInfo:
    return gov.remove_member(state.meta, committee_id, name, principal.email)


def _agenda(state: ServerState, cadence: Cadence, period: str | None, lang: Lang) -> Agenda:
    ws = state.workspace
    today = today_in(ws)
    with state.analytics() as store:
        chosen = parse_period(cadence, period) if period else agenda_period(store, cadence, today)
        return build_agenda(
            store, state.meta, ws.settings, chosen, today=today, workspace_root=ws.root, lang=lang
        )


PeriodQuery = Annotated[str | None, Query(max_length=10, description="2026-W43, 2026-10, 2026-Q3")]


@router.get(
    "/committees/{committee_id}/agenda",
    dependencies=allowed(READ),
    summary="The agenda of the committee's next meeting, built from the data",
)
def get_committee_agenda(
    state: State, committee_id: RowId, period: PeriodQuery = None, lang: Lang = "en"
) -> Agenda:
    committee = gov.get_committee(state.meta, committee_id)
    return _agenda(state, committee.cadence, period, lang)


@router.get(
    "/agenda/{kind}",
    dependencies=allowed(READ),
    summary="The agenda of a cadence (weekly, monthly, quarterly), built from the data",
)
def get_agenda(
    state: State, kind: ReportKind, period: PeriodQuery = None, lang: Lang = "en"
) -> Agenda:
    return _agenda(state, kind, period, lang)


@router.get("/raci", dependencies=allowed(READ), summary="Who answers for each domain")
def get_raci(state: State) -> gov.RaciMatrix:
    return gov.raci(state.meta)


class RaciEntry(BaseModel):
    domain: str = Field(min_length=1, max_length=30)
    person: str = Field(min_length=1, max_length=200)
    level: str = Field(min_length=1, max_length=12)


@router.put("/raci", dependencies=allowed(WRITE), summary="Set someone's responsibility")
def put_raci(
    state: State, body: RaciEntry, principal: Annotated[Principal, Depends(WRITE)]
) -> gov.RaciMatrix:
    return gov.set_responsibility(state.meta, body.domain, body.person, body.level, principal.email)


@router.delete("/raci", dependencies=allowed(WRITE), summary="Remove a responsibility")
def delete_raci(
    state: State,
    domain: Annotated[str, Query(max_length=30)],
    person: Annotated[str, Query(max_length=200)],
    principal: Annotated[Principal, Depends(WRITE)],
) -> gov.RaciMatrix:
    return gov.remove_responsibility(state.meta, domain, person, principal.email)


# Decisions and action items ---------------------------------------------------------------


@router.get("/decisions", dependencies=allowed(READ), summary="The decision log")
def get_decisions(
    state: State, committee: Annotated[str | None, Query(max_length=50)] = None
) -> gov.DecisionLog:
    return gov.decision_log(state.meta, today=today_in(state.workspace), committee=committee)


class NewDecision(BaseModel):
    committee_id: int = Field(ge=1, le=MAX_ID)
    title: str = Field(min_length=1, max_length=300)
    text: str = Field(default="", max_length=10_000)
    actions: list[gov.NewAction] = Field(default_factory=list, max_length=50)
    initiative_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    alert_id: int | None = Field(default=None, ge=1, le=MAX_ID)


@router.post(
    "/decisions",
    status_code=201,
    dependencies=allowed(WRITE),
    summary="Log a decision with its action items",
)
def post_decision(
    state: State, body: NewDecision, principal: Annotated[Principal, Depends(WRITE)]
) -> gov.DecisionEntry:
    return gov.record_decision(
        state.meta,
        body.committee_id,
        body.title,
        body.text,
        principal.email,
        today=today_in(state.workspace),
        actions=body.actions,
        initiative_id=body.initiative_id,
        alert_id=body.alert_id,
    )


@router.get("/decisions/actions", dependencies=allowed(READ), summary="Action items")
def get_actions(state: State, status: str | None = None) -> gov.ActionList:
    return gov.list_actions(state.meta, today=today_in(state.workspace), status=status)


class NewActionItem(BaseModel):
    title: str = Field(min_length=1, max_length=300)
    owner: str = Field(min_length=1, max_length=200)
    due_date: datetime.date
    decision_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    committee_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    alert_id: int | None = Field(default=None, ge=1, le=MAX_ID)


@router.post(
    "/decisions/actions", status_code=201, dependencies=allowed(WRITE), summary="Add an action"
)
def post_action(
    state: State, body: NewActionItem, principal: Annotated[Principal, Depends(WRITE)]
) -> gov.ActionInfo:
    return gov.add_action(
        state.meta,
        gov.NewAction(title=body.title, owner=body.owner, due_date=body.due_date),
        principal.email,
        today=today_in(state.workspace),
        decision_id=body.decision_id,
        committee_id=body.committee_id,
        alert_id=body.alert_id,
    )


class ActionStatusChange(BaseModel):
    status: str = Field(min_length=1, max_length=10)


@router.post(
    "/decisions/actions/{action_id}/status",
    dependencies=allowed(WRITE),
    summary="Mark an action item done, cancelled or open",
)
def post_action_status(
    state: State,
    action_id: RowId,
    body: ActionStatusChange,
    principal: Annotated[Principal, Depends(WRITE)],
) -> gov.ActionInfo:
    return gov.set_action_status(
        state.meta, action_id, body.status, principal.email, today=today_in(state.workspace)
    )


@router.get("/decisions/{decision_id}", dependencies=allowed(READ), summary="One decision")
def get_decision(state: State, decision_id: RowId) -> gov.DecisionEntry:
    return gov.get_decision(state.meta, decision_id, today=today_in(state.workspace))


# Health check -----------------------------------------------------------------------------


@router.get(
    "/health-check",
    dependencies=allowed(READ),
    summary="Strategy health check: from the data where it exists, else from answers",
)
def get_health(state: State, lang: Lang = "en") -> HealthCheck:
    with state.analytics() as store:
        return health_check(
            store, state.meta, state.workspace.settings, today=today_in(state.workspace), lang=lang
        )


class HealthAnswerBody(BaseModel):
    question: str = Field(min_length=1, max_length=50)
    score: int = Field(ge=0, le=4)
    note: str | None = Field(default=None, max_length=2000)


@router.post(
    "/health-check/answers",
    status_code=201,
    dependencies=allowed(WRITE),
    summary="Answer a health-check question (0-4)",
)
def post_answer(
    state: State,
    body: HealthAnswerBody,
    principal: Annotated[Principal, Depends(WRITE)],
    lang: Lang = "en",
) -> HealthCheck:
    answer_question(state.meta, body.question, body.score, principal.email, body.note)
    return get_health(state, lang)


# The pages' JSON twins ---------------------------------------------------------------------


def alerts_model(state: ServerState, lang: Lang) -> AlertsView:
    """The alerts page's numbers (its JSON twin answers the same)."""
    pacing = state.computed(month_pacing)
    currency = state.workspace.settings.reporting_currency
    return alerts_view(state.meta, pacing, currency=currency, lang=lang)


@router.get("/views/alerts", dependencies=allowed(READ), summary="The alerts page's numbers")
def get_alerts_view(state: State, lang: Lang = "en") -> AlertsView:
    return alerts_model(state, lang)


def check_cadence(value: str | None) -> Cadence:
    """The cadence a page or twin asks for (monthly when none)."""
    if value is None or value == "":
        return "monthly"
    for cadence in CADENCES:
        if value == cadence:
            return cadence
    raise UsageError(f"unknown cadence {value!r}", fix="use weekly, monthly or quarterly")


def committee_model(state: ServerState, cadence: Cadence, lang: Lang) -> GovernanceView:
    ws = state.workspace
    today = today_in(ws)
    packs = state.computed(committee_packs, today)
    with state.analytics() as store:
        return governance_view(
            packs,
            store,
            state.meta,
            ws.settings,
            cadence=cadence,
            today=today,
            workspace_root=ws.root,
            lang=lang,
        )


@router.get("/views/committee", dependencies=allowed(READ), summary="The committee page's numbers")
def get_committee_view(
    state: State,
    cadence: Annotated[str | None, Query(max_length=10)] = None,
    lang: Lang = "en",
) -> GovernanceView:
    return committee_model(state, check_cadence(cadence), lang)
