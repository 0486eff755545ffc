"""Initiatives and SMART objectives under /api/v1/initiatives and /api/v1/objectives: the
objects ``pilotage initiative ...`` and ``pilotage objective ...`` print.

Reads need ``read``; creating, planning and moving need ``write``. Objectives and
measurements are computed over the whole workspace, so restricted users are refused.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from pilotage.core.planning.plans import BusinessCase, InitiativeKind, MeasurementPlan
from pilotage.interfaces.api.auth import READ, WRITE, Require, guard
from pilotage.interfaces.api.ids import RowId
from pilotage.interfaces.api.state import ServerState, state_of
from pilotage.interfaces.formatting import Lang
from pilotage.interfaces.web.filters import unrestricted
from pilotage.jobs.scheduler import today_in
from pilotage.services.accounts import Principal
from pilotage.services.budget_plan import saved_model
from pilotage.services.initiative_evaluation import (
    InitiativeEvaluation,
    MmmEvidence,
    mmm_evidence,
)
from pilotage.services.initiatives import (
    InitiativeDetail,
    InitiativesResult,
    create_initiative,
    evaluate_initiative,
    get_initiative,
    list_initiatives,
    measure_initiative,
    move_initiative,
    update_case,
    update_plan,
)
from pilotage.services.objective_numbers import Ask, ObjectiveNumbers, objectives_numbers
from pilotage.services.objectives import (
    ObjectiveSpec,
    ObjectivesResult,
    ObjectiveStatus,
    check_objective,
    create_objective,
    data_as_of,
    judge_objectives,
    objective_status,
)
from pilotage.services.planning_view import PlansView, plans_view

router = APIRouter(tags=["plans"])
State = Annotated[ServerState, Depends(state_of)]
Writer = Annotated[Principal, Depends(WRITE)]
LangQuery = Annotated[Lang, Query()]
_INITIATIVES = "/api/v1/initiatives"
_OBJECTIVES = "/api/v1/objectives"


def judged_objectives(state: ServerState, lang: Lang) -> ObjectivesResult:
    """Every objective judged, its KPI numbers from the server's cache (same data, same
    numbers); the store is taken only while they are computed."""
    today = today_in(state.workspace)

    def numbers(asks: Sequence[Ask], as_of: datetime.date | None) -> list[ObjectiveNumbers]:
        return state.computed(objectives_numbers, tuple(asks), as_of)

    as_of = state.computed(data_as_of, today)
    return judge_objectives(
        state.meta, state.workspace.settings, today=today, as_of=as_of, numbers=numbers, lang=lang
    )


def allowed(requirement: Require) -> list[Any]:
    """The permission, then the refusal of restricted users."""
    return [*guard(requirement), Depends(unrestricted)]


class NewInitiative(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    kind: InitiativeKind
    owner: str = Field(min_length=1, max_length=320)
    description: str | None = Field(default=None, max_length=5000)
    plan: MeasurementPlan | None = None
    case: BusinessCase | None = None


class PlanChanges(MeasurementPlan):
    """The plan's fields to change (those sent); ``baseline_from_data`` sets the baseline
    to the KPI over the window before the start."""

    baseline_from_data: bool = False


class Move(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str | None = Field(default=None, max_length=2000)


class Evaluate(Move):
    #: mmm plans: the channel's ROAS from the mix model (default: the workspace's saved one).
    mmm: MmmEvidence | None = None


def _mmm(state: ServerState, initiative_id: RowId, given: MmmEvidence | None) -> MmmEvidence | None:
    if given is not None:
        return given
    plan = get_initiative(state.meta, initiative_id).plan
    if plan.method != "mmm" or plan.channel is None:
        return None
    model = saved_model(state.workspace)
    return None if model is None else mmm_evidence(model, plan.channel)


@router.get(
    "/api/v1/views/initiatives",
    dependencies=allowed(READ),
    summary="The initiatives page: initiatives and the objectives beside them",
)
def get_initiatives_view(state: State) -> PlansView:
    return plans_view(state.meta, today_in(state.workspace))


@router.get(_INITIATIVES, dependencies=allowed(READ), summary="Initiatives, oldest first")
def get_initiatives(state: State, status: str | None = None) -> InitiativesResult:
    return list_initiatives(state.meta, status=status, today=today_in(state.workspace))


@router.post(
    _INITIATIVES, status_code=201, dependencies=allowed(WRITE), summary="Propose an initiative"
)
def post_initiative(state: State, body: NewInitiative, principal: Writer) -> InitiativeDetail:
    return create_initiative(
        state.meta,
        name=body.name,
        kind=body.kind,
        owner=body.owner,
        description=body.description,
        actor=principal.email,
        plan=body.plan.model_dump(exclude_unset=True) if body.plan else None,
        case=body.case.model_dump(exclude_unset=True) if body.case else None,
    )


@router.get(
    _INITIATIVES + "/{initiative_id}",
    dependencies=allowed(READ),
    summary="One initiative: plan, case and economics, history, evaluation",
)
def get_one(state: State, initiative_id: RowId) -> InitiativeDetail:
    return get_initiative(state.meta, initiative_id, today=today_in(state.workspace))


@router.post(
    _INITIATIVES + "/{initiative_id}/plan",
    dependencies=allowed(WRITE),
    summary="Set or complete the measurement plan (the fields sent change)",
)
def post_plan(
    state: State, initiative_id: RowId, body: PlanChanges, principal: Writer
) -> InitiativeDetail:
    changes = body.model_dump(exclude_unset=True)
    from_data = bool(changes.pop("baseline_from_data", False))
    if not from_data:
        return update_plan(state.meta, initiative_id, changes, principal.email)
    with state.analytics() as store:
        return update_plan(
            state.meta,
            initiative_id,
            changes,
            principal.email,
            store=store,
            settings=state.workspace.settings,
            baseline_from_data=True,
        )


@router.post(
    _INITIATIVES + "/{initiative_id}/case",
    dependencies=allowed(WRITE),
    summary="Set or complete the business case (the fields sent change)",
)
def post_case(
    state: State, initiative_id: RowId, body: BusinessCase, principal: Writer
) -> InitiativeDetail:
    return update_case(
        state.meta, initiative_id, body.model_dump(exclude_unset=True), principal.email
    )


@router.post(
    _INITIATIVES + "/{initiative_id}/approve",
    dependencies=allowed(WRITE),
    summary="Approve a proposed initiative (needs a complete business case)",
)
def post_approve(
    state: State, initiative_id: RowId, body: Move, principal: Writer
) -> InitiativeDetail:
    today = today_in(state.workspace)
    return move_initiative(
        state.meta, initiative_id, "approve", principal.email, today=today, note=body.note
    )


@router.post(
    _INITIATIVES + "/{initiative_id}/launch",
    dependencies=allowed(WRITE),
    summary="Launch an approved initiative (refused without a complete plan and case)",
)
def post_launch(
    state: State, initiative_id: RowId, body: Move, principal: Writer
) -> InitiativeDetail:
    today = today_in(state.workspace)
    return move_initiative(
        state.meta, initiative_id, "launch", principal.email, today=today, note=body.note
    )


@router.get(
    _INITIATIVES + "/{initiative_id}/measurement",
    dependencies=allowed(READ),
    summary="Actual against expected now, from the workspace (nothing recorded)",
)
def get_measurement(state: State, initiative_id: RowId) -> InitiativeEvaluation:
    mmm = _mmm(state, initiative_id, None)
    with state.analytics() as store:
        return measure_initiative(
            store,
            state.meta,
            state.workspace.settings,
            initiative_id,
            today=today_in(state.workspace),
            mmm=mmm,
        )


@router.post(
    _INITIATIVES + "/{initiative_id}/evaluate",
    dependencies=allowed(WRITE),
    summary="Evaluate a launched initiative after its evaluation date",
)
def post_evaluate(
    state: State, initiative_id: RowId, body: Evaluate, principal: Writer
) -> InitiativeDetail:
    mmm = _mmm(state, initiative_id, body.mmm)
    with state.analytics() as store:
        return evaluate_initiative(
            store,
            state.meta,
            state.workspace.settings,
            initiative_id,
            principal.email,
            today=today_in(state.workspace),
            mmm=mmm,
            note=body.note,
        )


@router.get(
    _OBJECTIVES,
    dependencies=allowed(READ),
    summary="Objectives with progress, forecast, probability and SMART check",
)
def get_objectives(state: State, lang: LangQuery = "en") -> ObjectivesResult:
    return judged_objectives(state, lang)


@router.post(
    _OBJECTIVES,
    status_code=201,
    dependencies=allowed(WRITE),
    summary="Create an objective (refused without a measurable metric or future deadline)",
)
def post_objective(
    state: State, body: ObjectiveSpec, principal: Writer, lang: LangQuery = "en"
) -> ObjectiveStatus:
    today = today_in(state.workspace)
    made = create_objective(state.meta, body, principal.email, today=today)
    with state.analytics() as store:
        return objective_status(
            store, state.meta, state.workspace.settings, made.id, today=today, lang=lang
        )


@router.post(
    _OBJECTIVES + "/check",
    dependencies=allowed(READ),
    summary="SMART check and forecast of an objective before creating it (nothing saved)",
)
def post_check(state: State, body: ObjectiveSpec, lang: LangQuery = "en") -> ObjectiveStatus:
    with state.analytics() as store:
        return check_objective(
            store,
            state.meta,
            state.workspace.settings,
            body,
            today=today_in(state.workspace),
            lang=lang,
        )


@router.get(
    _OBJECTIVES + "/{objective_id}",
    dependencies=allowed(READ),
    summary="One objective: SMART reasons, history, forecast path",
)
def get_objective(state: State, objective_id: RowId, lang: LangQuery = "en") -> ObjectiveStatus:
    with state.analytics() as store:
        return objective_status(
            store,
            state.meta,
            state.workspace.settings,
            objective_id,
            today=today_in(state.workspace),
            lang=lang,
        )
