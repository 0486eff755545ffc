"""Initiatives: create one, fill its measurement plan and business case, move it through
proposed -> approved -> launched -> evaluated (who and when logged), and read them back.

Every write checks the whole new state before touching the store, in one transaction with
its audit entry: a refused change leaves everything as it was.
"""

from __future__ import annotations

import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from pilotage.core.planning.lifecycle import (
    EDITABLE,
    MOVES,
    Action,
    Status,
    readiness,
    refusal,
)
from pilotage.core.planning.plans import (
    INITIATIVE_KINDS,
    BusinessCase,
    MeasurementPlan,
    merged,
    parse,
)
from pilotage.data.metadata.audit import record_audit
from pilotage.data.metadata.clock import now_of
from pilotage.data.metadata.experiments import all_links
from pilotage.data.metadata.models import INITIATIVE_STATUSES, Initiative
from pilotage.data.metadata.models_plans import InitiativeTransition
from pilotage.data.metadata.store import MetadataStore
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.errors import NotFoundError, UsageError
from pilotage.services.experiment_results import LinkInfo
from pilotage.services.initiative_evaluation import (
    EconomicsInfo,
    InitiativeEvaluation,
    MmmEvidence,
    business_economics,
    measure,
    workspace_baseline,
)

Move = Literal["approve", "launch"]


class TransitionInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    from_status: str | None
    to_status: str
    at: datetime.datetime
    by: str
    note: str | None


class InitiativeSummary(BaseModel):
    """One initiative in a list: its plan's essentials, the case's expected return and ROI,
    what launch still lacks, and the last move (who decided, when)."""

    model_config = ConfigDict(frozen=True)

    id: int
    name: str
    kind: str
    status: str
    owner: str
    created_at: datetime.datetime
    updated_at: datetime.datetime | None
    kpi: str | None
    start: datetime.date | None
    evaluation_date: datetime.date | None
    cost: float | None
    return_metric: str | None
    expected_return: float | None
    expected_roi: float | None
    probability_roi_positive: float | None
    plan_missing: list[str]
    case_missing: list[str]
    launchable: bool
    has_measurement_plan: bool
    #: Launched and past its evaluation date: the committee should have it evaluated.
    evaluation_due: bool | None
    verdict: str | None
    last_move: TransitionInfo | None


class InitiativesResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    initiatives: list[InitiativeSummary]


class InitiativeDetail(InitiativeSummary):
    """Everything about one initiative. ``blocked``: each next action refused today, with
    the reason (absent: allowed)."""

    description: str | None
    plan: MeasurementPlan
    case: BusinessCase
    economics: EconomicsInfo | None
    transitions: list[TransitionInfo]
    experiments: list[LinkInfo]
    evaluation: InitiativeEvaluation | None
    blocked: dict[str, str]


def _plan(row: Initiative) -> MeasurementPlan:
    return MeasurementPlan.model_validate(row.measurement_plan or {})


def _case(row: Initiative) -> BusinessCase:
    return BusinessCase.model_validate(row.business_case or {})


def _transitions(session: Session, initiative_id: int) -> list[TransitionInfo]:
    rows = session.scalars(
        select(InitiativeTransition)
        .where(InitiativeTransition.initiative_id == initiative_id)
        .order_by(InitiativeTransition.at, InitiativeTransition.id)
    )
    return [
        TransitionInfo(
            from_status=r.from_status, to_status=r.to_status, at=r.at, by=r.by, note=r.note
        )
        for r in rows
    ]


def _summary(
    row: Initiative, last: TransitionInfo | None, today: datetime.date | None
) -> dict[str, Any]:
    plan, case = _plan(row), _case(row)
    ready = readiness(plan, case)
    economics = business_economics(plan, case)
    due = None
    if today is not None:
        due = (
            row.status == "launched"
            and plan.evaluation_date is not None
            and plan.evaluation_date <= today
        )
    evaluation = row.evaluation or {}
    return {
        "id": row.id,
        "name": row.name,
        "kind": row.kind,
        "status": row.status,
        "owner": row.owner,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "kpi": plan.kpi,
        "start": plan.start,
        "evaluation_date": plan.evaluation_date,
        "cost": plan.cost,
        "return_metric": case.return_metric,
        "expected_return": economics.expected_return if economics else None,
        "expected_roi": economics.roi if economics else None,
        "probability_roi_positive": economics.probability_roi_positive if economics else None,
        "plan_missing": list(ready.plan_missing),
        "case_missing": list(ready.case_missing),
        "launchable": ready.launchable,
        "has_measurement_plan": not ready.plan_missing,
        "evaluation_due": due,
        "verdict": evaluation.get("verdict"),
        "last_move": last,
    }


def list_initiatives(
    meta: MetadataStore, *, status: str | None = None, today: datetime.date | None = None
) -> InitiativesResult:
    """Every initiative (or those in ``status``), oldest first. With ``today``, each says
    whether its evaluation is due."""
    if status is not None and status not in INITIATIVE_STATUSES:
        raise UsageError(
            f"unknown status {status!r}", fix=f"use one of {', '.join(INITIATIVE_STATUSES)}"
        )
    with meta.reading() as session:
        query = select(Initiative).order_by(Initiative.created_at, Initiative.id)
        if status is not None:
            query = query.where(Initiative.status == status)
        rows = session.scalars(query).all()
        moves: dict[int, TransitionInfo] = {}
        for t in session.scalars(select(InitiativeTransition).order_by(InitiativeTransition.at)):
            moves[t.initiative_id] = TransitionInfo(
                from_status=t.from_status, to_status=t.to_status, at=t.at, by=t.by, note=t.note
            )
        return InitiativesResult(
            initiatives=[InitiativeSummary(**_summary(r, moves.get(r.id), today)) for r in rows]
        )


def get_initiative(
    meta: MetadataStore, initiative_id: int, *, today: datetime.date | None = None
) -> InitiativeDetail:
    with meta.reading() as session:
        return _detail(session, _row(session, initiative_id), today)


def _row(session: Session, initiative_id: int) -> Initiative:
    row = session.get(Initiative, initiative_id)
    if row is None:
        raise NotFoundError(
            f"no initiative {initiative_id}",
            fix="list them with 'pilotage initiative list' or GET /api/v1/initiatives",
        )
    return row


def _detail(session: Session, row: Initiative, today: datetime.date | None) -> InitiativeDetail:
    transitions = _transitions(session, row.id)
    plan, case = _plan(row), _case(row)
    links = [
        LinkInfo(
            experiment_id=link.experiment_id,
            initiative_id=link.initiative_id,
            channel=link.channel,
            linked_at=link.linked_at,
            linked_by=link.linked_by,
        )
        for link in all_links(session).values()
        if link.initiative_id == row.id
    ]
    blocked: dict[str, str] = {}
    if today is not None:
        for action in MOVES:
            refused = refusal(action, row.status, plan, case, today)
            if refused is not None:
                blocked[action] = refused.reason
    return InitiativeDetail(
        **_summary(row, transitions[-1] if transitions else None, today),
        description=row.description,
        plan=plan,
        case=case,
        economics=business_economics(plan, case),
        transitions=transitions,
        experiments=links,
        evaluation=InitiativeEvaluation.model_validate(row.evaluation) if row.evaluation else None,
        blocked=blocked,
    )


def _text(value: str | None, field: str, limit: int) -> str:
    cleaned = (value or "").strip()
    if not cleaned:
        raise UsageError(f"the initiative's {field} is blank", fix=f"give its {field}")
    if len(cleaned) > limit or any(ord(c) < 32 for c in cleaned):
        raise UsageError(
            f"the initiative's {field} is too long or holds control characters",
            fix=f"give one line of at most {limit} characters",
        )
    return cleaned


def create_initiative(
    meta: MetadataStore,
    *,
    name: str,
    kind: str,
    owner: str,
    actor: str,
    description: str | None = None,
    plan: dict[str, Any] | None = None,
    case: dict[str, Any] | None = None,
) -> InitiativeDetail:
    """A new proposed initiative, optionally with a first draft of its plan and case."""
    if kind not in INITIATIVE_KINDS:
        raise UsageError(
            f"unknown initiative kind {kind!r}", fix=f"use one of {', '.join(INITIATIVE_KINDS)}"
        )
    checked_plan = parse(MeasurementPlan, _stated(plan or {}))
    checked_case = parse(BusinessCase, case or {})
    with meta.session() as session:
        now = now_of(session)
        row = Initiative(
            name=_text(name, "name", 200),
            kind=kind,
            status="proposed",
            owner=_text(owner, "owner", 320),
            created_at=now,
            updated_at=now,
            description=(description or "").strip() or None,
            measurement_plan=_stored(checked_plan),
            business_case=_stored(checked_case),
        )
        session.add(row)
        session.flush()
        _log(session, row, None, "proposed", actor, None, now)
        record_audit(session, actor, "initiative.create", f"initiative:{row.id}", {"name": name})
        return _detail(session, row, None)


def _stated(changes: dict[str, Any]) -> dict[str, Any]:
    """A baseline typed in by a person is ``stated``."""
    if changes.get("baseline") is not None and "baseline_source" not in changes:
        return {**changes, "baseline_source": "stated"}
    return changes


def _stored(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json", exclude_defaults=True)


def _log(
    session: Session,
    row: Initiative,
    origin: str | None,
    to: Status,
    actor: str,
    note: str | None,
    at: datetime.datetime,
) -> None:
    session.add(
        InitiativeTransition(
            initiative_id=row.id, from_status=origin, to_status=to, at=at, by=actor, note=note
        )
    )


def update_plan(
    meta: MetadataStore,
    initiative_id: int,
    changes: dict[str, Any],
    actor: str,
    *,
    store: AnalyticsStore | None = None,
    settings: WorkspaceSettings | None = None,
    baseline_from_data: bool = False,
) -> InitiativeDetail:
    """Merge ``changes`` into the plan. With ``baseline_from_data`` the baseline is the KPI
    over the window before the start, from the workspace (``store`` and ``settings``)."""
    with meta.session() as session:
        row = _editable(session, initiative_id, "plan")
        plan = merged(MeasurementPlan, row.measurement_plan, _stated(changes))
        if baseline_from_data:
            if store is None or settings is None:
                raise UsageError("the baseline from data needs the workspace", fix="open one")
            baseline = workspace_baseline(store, settings, plan)
            plan = plan.model_copy(update={"baseline": baseline, "baseline_source": "workspace"})
        row.measurement_plan = _stored(plan)
        return _changed(session, row, actor, "initiative.plan", _stored(plan))


def update_case(
    meta: MetadataStore, initiative_id: int, changes: dict[str, Any], actor: str
) -> InitiativeDetail:
    """Merge ``changes`` into the business case."""
    with meta.session() as session:
        row = _editable(session, initiative_id, "business case")
        case = merged(BusinessCase, row.business_case, changes)
        row.business_case = _stored(case)
        return _changed(session, row, actor, "initiative.case", _stored(case))


def _editable(session: Session, initiative_id: int, what: str) -> Initiative:
    row = _row(session, initiative_id)
    if row.status not in EDITABLE:
        raise UsageError(
            f"initiative {initiative_id} is {row.status}: its {what} is frozen since launch",
            fix="a launched initiative is measured against the plan it launched with; "
            "create a new initiative for a new plan",
        )
    return row


def _changed(
    session: Session, row: Initiative, actor: str, action: str, details: dict[str, Any]
) -> InitiativeDetail:
    now = now_of(session)
    if row.status == "approved":
        # The committee approved another plan: it must approve this one.
        _log(session, row, "approved", "proposed", actor, "changed after approval", now)
        row.status = "proposed"
    row.updated_at = now
    record_audit(session, actor, action, f"initiative:{row.id}", details)
    return _detail(session, row, None)


def move_initiative(
    meta: MetadataStore,
    initiative_id: int,
    action: Move,
    actor: str,
    *,
    today: datetime.date,
    note: str | None = None,
) -> InitiativeDetail:
    """Approve or launch, refused with what is missing when the rules say no."""
    if action not in ("approve", "launch"):
        raise UsageError(f"unknown action {action!r}", fix="use approve or launch")
    with meta.session() as session:
        row = _row(session, initiative_id)
        _check(action, row, today)
        return _moved(session, row, action, actor, note)


def _check(
    action: Literal["approve", "launch", "evaluate"], row: Initiative, today: datetime.date
) -> None:
    refused = refusal(action, row.status, _plan(row), _case(row), today)
    if refused is not None:
        raise UsageError(f"initiative {row.id}: {refused.reason}", fix=refused.fix)


def _moved(
    session: Session,
    row: Initiative,
    action: Action,
    actor: str,
    note: str | None,
) -> InitiativeDetail:
    origin, to = MOVES[action]
    when = now_of(session)
    _log(session, row, origin, to, actor, (note or "").strip() or None, when)
    row.status = to
    row.updated_at = when
    record_audit(session, actor, f"initiative.{action}", f"initiative:{row.id}", {"note": note})
    session.flush()
    return _detail(session, row, None)


def measure_initiative(
    store: AnalyticsStore,
    meta: MetadataStore,
    settings: WorkspaceSettings,
    initiative_id: int,
    *,
    today: datetime.date,
    mmm: MmmEvidence | None = None,
) -> InitiativeEvaluation:
    """Actual against expected now, without recording anything (a launched initiative's
    tracking; the stored evaluation of an evaluated one stays as it was)."""
    with meta.reading() as session:
        row = _row(session, initiative_id)
        plan, case = _plan(row), _case(row)
    return measure(store, meta, settings, initiative_id, plan, case, today=today, mmm=mmm)


def evaluate_initiative(
    store: AnalyticsStore,
    meta: MetadataStore,
    settings: WorkspaceSettings,
    initiative_id: int,
    actor: str,
    *,
    today: datetime.date,
    mmm: MmmEvidence | None = None,
    note: str | None = None,
) -> InitiativeDetail:
    """Measure a launched initiative whose evaluation date has come, store the result and
    mark it evaluated."""
    with meta.reading() as session:
        row = _row(session, initiative_id)
        _check("evaluate", row, today)
        plan, case = _plan(row), _case(row)
    result = measure(store, meta, settings, initiative_id, plan, case, today=today, mmm=mmm)
    with meta.session() as session:
        row = _row(session, initiative_id)
        _check("evaluate", row, today)  # unchanged since it was measured
        row.evaluation = result.model_dump(mode="json")
        return _moved(session, row, "evaluate", actor, note)
