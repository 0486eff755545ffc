"""The initiatives and objectives pages, with their forms (CSRF-checked by the permission
guard): propose an initiative, fill its plan and case, approve, launch, evaluate; create or
check an objective. A refused form comes back with its values and what is wrong."""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from pilotage.core.kpis.credit import CREDIT_MODELS
from pilotage.core.metrics.registry import METRICS
from pilotage.core.planning.metrics import measurable_ids
from pilotage.core.planning.plans import INITIATIVE_KINDS, METHODS
from pilotage.errors import UsageError
from pilotage.interfaces.api.auth import READ, WRITE, Require, guard
from pilotage.interfaces.api.ids import RowId
from pilotage.interfaces.api.routes_plan import judged_objectives
from pilotage.interfaces.api.state import ServerState, state_of
from pilotage.interfaces.formatting import Lang, check_lang
from pilotage.interfaces.web import wording
from pilotage.interfaces.web.filters import unrestricted
from pilotage.interfaces.web.plan_charts import objective_chart
from pilotage.interfaces.web.plan_sections import (
    case_facts,
    evaluation_rows,
    initiatives_section,
    objective_columns,
    objective_row,
    objectives_summary,
    parse_scope_text,
    plan_facts,
    scope_text,
)
from pilotage.interfaces.web.render import render
from pilotage.jobs.scheduler import today_in
from pilotage.services.accounts import Principal
from pilotage.services.initiative_evaluation import InitiativeEvaluation
from pilotage.services.initiatives import (
    create_initiative,
    evaluate_initiative,
    get_initiative,
    measure_initiative,
    move_initiative,
    update_case,
    update_plan,
)
from pilotage.services.objectives import (
    ObjectiveSpec,
    ObjectiveStatus,
    check_objective,
    create_objective,
    list_objectives,
    objective_status,
)
from pilotage.services.planning_view import plans_view

router = APIRouter(include_in_schema=False)
State = Annotated[ServerState, Depends(state_of)]
LangQuery = Annotated[str | None, Query()]
Writer = Annotated[Principal, Depends(WRITE)]
Form = dict[str, str]


def allowed(requirement: Require) -> list[Any]:
    """Figures here are computed over the whole workspace: restricted users are refused."""
    return [*guard(requirement), Depends(unrestricted)]


async def _form(request: Request) -> Form:
    form = await request.form()
    return {k: v.strip() for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}


def _number(form: Form, key: str, label: str) -> float | None:
    raw = form.get(key, "").replace("\u202f", "").replace(" ", "").replace(",", ".")
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        raise UsageError(
            f"{label}: {form[key]!r} is not a number", fix="write e.g. 1200.5"
        ) from None


def _day(form: Form, key: str, label: str) -> datetime.date | None:
    raw = form.get(key, "")
    if not raw:
        return None
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise UsageError(f"{label}: {raw!r} is not a date", fix="write YYYY-MM-DD") from None


def _go(path: str, lang: Lang) -> Response:
    return RedirectResponse(f"{path}?lang={lang}", status_code=303)


def _choices(lang: Lang) -> dict[str, Any]:
    t = wording.words(lang)
    return {
        "kinds": [(k, t(f"plan_kind_{k}")) for k in INITIATIVE_KINDS],
        "methods": [(m, t(f"plan_method_{m}")) for m in METHODS],
        "credit_models": CREDIT_MODELS,
        "metrics": [(m, METRICS[m].name(lang)) for m in measurable_ids()],
        "money_metrics": [
            (m, METRICS[m].name(lang))
            for m in measurable_ids()
            if METRICS[m].unit == "currency" and METRICS[m].kind == "additive"
        ],
    }


# Initiatives ---------------------------------------------------------------------------


def _initiatives_page(
    request: Request,
    state: ServerState,
    lang: Lang,
    *,
    problems: list[str] | None = None,
    form: Form | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    t = wording.words(lang)
    v = plans_view(state.meta, today_in(state.workspace))
    currency = state.workspace.settings.reporting_currency
    return render(
        request,
        "plan_initiatives.html",
        "initiatives",
        lang,
        status_code=status_code,
        sections=[
            initiatives_section(v.initiatives, t, lang, currency),
            objectives_summary(v.objectives, t, lang),
        ],
        problems=problems or [],
        form=form or {},
        **_choices(lang),
    )


@router.get("/initiatives", response_class=HTMLResponse, dependencies=allowed(READ))
def initiatives(request: Request, state: State, lang: LangQuery = None) -> HTMLResponse:
    return _initiatives_page(request, state, check_lang(lang))


@router.post("/initiatives", dependencies=allowed(WRITE))
async def initiatives_create(
    request: Request, state: State, principal: Writer, lang: LangQuery = None
) -> Response:
    form = await _form(request)
    return await run_in_threadpool(_create, request, state, form, principal.email, lang)


def _create(
    request: Request, state: ServerState, form: Form, actor: str, lang: str | None
) -> Response:
    la = check_lang(lang)
    try:
        done = create_initiative(
            state.meta,
            name=form.get("name", ""),
            kind=form.get("kind", ""),
            owner=form.get("owner", ""),
            description=form.get("description"),
            actor=actor,
        )
    except UsageError as exc:
        return _initiatives_page(
            request, state, la, problems=[str(exc)], form=form, status_code=400
        )
    return _go(f"/initiatives/{done.id}", la)


def _initiative_page(
    request: Request,
    state: ServerState,
    initiative_id: RowId,
    lang: Lang,
    *,
    problems: list[str] | None = None,
    form: Form | None = None,
    measured: InitiativeEvaluation | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    t = wording.words(lang)
    d = get_initiative(state.meta, initiative_id, today=today_in(state.workspace))
    currency = state.workspace.settings.reporting_currency
    shown = measured or d.evaluation
    values = form or _plan_form_values(d)
    return render(
        request,
        "plan_initiative.html",
        "initiatives",
        lang,
        status_code=status_code,
        d=d,
        plan_facts=plan_facts(d, t, lang, currency),
        case_facts=case_facts(d, t, lang, currency),
        evaluation=shown,
        evaluation_rows=evaluation_rows(shown, t, lang) if shown else [],
        live=measured is not None,
        problems=problems or [],
        form=values,
        **_choices(lang),
    )


def _plan_form_values(d: Any) -> Form:
    p, c = d.plan, d.case
    raw: dict[str, Any] = {
        **p.model_dump(exclude_none=True),
        **c.model_dump(exclude_none=True),
        "scope": scope_text(p.scope),
        "control": scope_text(p.control_scope or {}),
        "experiment": p.experiment_id,
    }
    return {k: str(v) for k, v in raw.items() if v is not None and not isinstance(v, dict)}


@router.get("/initiatives/{initiative_id}", response_class=HTMLResponse, dependencies=allowed(READ))
def initiative(
    request: Request,
    state: State,
    initiative_id: RowId,
    lang: LangQuery = None,
    measure: bool = False,
) -> HTMLResponse:
    la = check_lang(lang)
    measured = None
    problems = []
    if measure:
        try:
            with state.analytics() as store:
                measured = measure_initiative(
                    store,
                    state.meta,
                    state.workspace.settings,
                    initiative_id,
                    today=today_in(state.workspace),
                )
        except UsageError as exc:
            problems.append(str(exc))
    return _initiative_page(request, state, initiative_id, la, measured=measured, problems=problems)


def _plan_changes(form: Form) -> dict[str, Any]:
    return {
        "kpi": form.get("kpi") or None,
        "scope": parse_scope_text(form.get("scope", ""), "scope"),
        "baseline": _number(form, "baseline", "baseline"),
        "target": _number(form, "target", "target"),
        "start": _day(form, "start", "start"),
        "evaluation_date": _day(form, "evaluation_date", "evaluation date"),
        "cost": _number(form, "cost", "cost"),
        "method": form.get("method") or None,
        "attribution_model": form.get("attribution_model") or None,
        "experiment_id": form.get("experiment") or None,
        "control_scope": parse_scope_text(form.get("control", ""), "control group"),
        "channel": form.get("channel") or None,
        "notes": form.get("notes") or None,
    }


def _case_changes(form: Form) -> dict[str, Any]:
    months = _number(form, "months", "months")
    return {
        "return_metric": form.get("return_metric") or None,
        "low": _number(form, "low", "low"),
        "base": _number(form, "base", "base"),
        "high": _number(form, "high", "high"),
        "margin": _number(form, "margin", "margin"),
        "months": int(months) if months is not None else None,
        "rationale": form.get("rationale") or None,
    }


async def _step(
    request: Request,
    state: ServerState,
    initiative_id: RowId,
    step: str,
    principal: Principal,
    lang: str | None,
) -> Response:
    """One form of the initiative page: plan, case, approve, launch or evaluate (the work
    runs off the event loop)."""
    form = await _form(request)
    return await run_in_threadpool(
        _apply, request, state, initiative_id, step, form, principal.email, check_lang(lang)
    )


def _apply(
    request: Request,
    state: ServerState,
    initiative_id: RowId,
    step: str,
    form: Form,
    actor: str,
    la: Lang,
) -> Response:
    today, settings = today_in(state.workspace), state.workspace.settings
    note = form.get("note") or None
    try:
        if step == "plan" and form.get("baseline_from_data"):
            with state.analytics() as store:
                update_plan(
                    state.meta,
                    initiative_id,
                    _plan_changes(form),
                    actor,
                    store=store,
                    settings=settings,
                    baseline_from_data=True,
                )
        elif step == "plan":
            update_plan(state.meta, initiative_id, _plan_changes(form), actor)
        elif step == "case":
            update_case(state.meta, initiative_id, _case_changes(form), actor)
        elif step == "evaluate":
            with state.analytics() as store:
                evaluate_initiative(
                    store, state.meta, settings, initiative_id, actor, today=today, note=note
                )
        else:
            action: Literal["approve", "launch"] = "approve" if step == "approve" else "launch"
            move_initiative(state.meta, initiative_id, action, actor, today=today, note=note)
    except UsageError as exc:
        return _initiative_page(
            request, state, initiative_id, la, problems=[str(exc)], form=form, status_code=400
        )
    return _go(f"/initiatives/{initiative_id}", la)


@router.post("/initiatives/{initiative_id}/plan", dependencies=allowed(WRITE))
async def initiative_plan(
    request: Request, state: State, initiative_id: RowId, principal: Writer, lang: LangQuery = None
) -> Response:
    return await _step(request, state, initiative_id, "plan", principal, lang)


@router.post("/initiatives/{initiative_id}/case", dependencies=allowed(WRITE))
async def initiative_case(
    request: Request, state: State, initiative_id: RowId, principal: Writer, lang: LangQuery = None
) -> Response:
    return await _step(request, state, initiative_id, "case", principal, lang)


@router.post("/initiatives/{initiative_id}/approve", dependencies=allowed(WRITE))
async def initiative_approve(
    request: Request, state: State, initiative_id: RowId, principal: Writer, lang: LangQuery = None
) -> Response:
    return await _step(request, state, initiative_id, "approve", principal, lang)


@router.post("/initiatives/{initiative_id}/launch", dependencies=allowed(WRITE))
async def initiative_launch(
    request: Request, state: State, initiative_id: RowId, principal: Writer, lang: LangQuery = None
) -> Response:
    return await _step(request, state, initiative_id, "launch", principal, lang)


@router.post("/initiatives/{initiative_id}/evaluate", dependencies=allowed(WRITE))
async def initiative_evaluate(
    request: Request, state: State, initiative_id: RowId, principal: Writer, lang: LangQuery = None
) -> Response:
    return await _step(request, state, initiative_id, "evaluate", principal, lang)


# Objectives ----------------------------------------------------------------------------


def _objectives_page(
    request: Request,
    state: ServerState,
    lang: Lang,
    *,
    problems: list[str] | None = None,
    form: Form | None = None,
    checked: ObjectiveStatus | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    t = wording.words(lang)
    v = judged_objectives(state, lang)
    return render(
        request,
        "plan_objectives.html",
        "objectives",
        lang,
        status_code=status_code,
        columns=objective_columns(t),
        rows=[(o, objective_row(o, t, lang)) for o in v.objectives],
        note=t("plan_objectives_note").format(as_of=v.as_of or "–"),
        parents=[o for o in list_objectives(state.meta) if o.kind == "business"],
        checked=checked,
        checked_row=objective_row(checked, t, lang) if checked else None,
        problems=problems or [],
        form=form or {},
        **_choices(lang),
    )


@router.get("/objectives", response_class=HTMLResponse, dependencies=allowed(READ))
def objectives(request: Request, state: State, lang: LangQuery = None) -> HTMLResponse:
    return _objectives_page(request, state, check_lang(lang))


def _spec(form: Form) -> ObjectiveSpec:
    target = _number(form, "target", "target")
    deadline = _day(form, "deadline", "deadline")
    missing = [n for n, v in (("target", target), ("deadline", deadline)) if v is None]
    missing += [n for n in ("name", "metric_id") if not form.get(n)]
    if missing:
        raise UsageError(
            "the objective lacks " + ", ".join(missing), fix="fill in every required field"
        )
    assert target is not None and deadline is not None
    parent = form.get("parent_id")
    direction = form.get("direction")
    try:
        return ObjectiveSpec(
            name=form["name"],
            metric_id=form["metric_id"],
            target=target,
            deadline=deadline,
            start=_day(form, "start", "start"),
            scope=parse_scope_text(form.get("scope", ""), "scope") or {},
            kind="business" if form.get("kind") == "business" else "marketing",
            parent_id=int(parent) if parent and parent.isdigit() else None,
            owner=form.get("owner") or None,
            direction="at_most" if direction == "at_most" else "at_least" if direction else None,
        )
    except ValueError as exc:
        raise UsageError(f"the objective is not valid: {exc}", fix="correct the fields") from None


@router.post("/objectives", dependencies=allowed(WRITE))
async def objectives_create(
    request: Request, state: State, principal: Writer, lang: LangQuery = None
) -> Response:
    form = await _form(request)
    return await run_in_threadpool(_objective_create, request, state, form, principal.email, lang)


def _objective_create(
    request: Request, state: ServerState, form: Form, actor: str, lang: str | None
) -> Response:
    la = check_lang(lang)
    try:
        made = create_objective(state.meta, _spec(form), actor, today=today_in(state.workspace))
    except UsageError as exc:
        return _objectives_page(request, state, la, problems=[str(exc)], form=form, status_code=400)
    return _go(f"/objectives/{made.id}", la)


@router.post("/objectives/check", response_class=HTMLResponse, dependencies=allowed(READ))
async def objectives_check(request: Request, state: State, lang: LangQuery = None) -> Response:
    form = await _form(request)
    return await run_in_threadpool(_objective_check, request, state, form, lang)


def _objective_check(
    request: Request, state: ServerState, form: Form, lang: str | None
) -> Response:
    la = check_lang(lang)
    try:
        spec = _spec(form)
        with state.analytics() as store:
            checked = check_objective(
                store,
                state.meta,
                state.workspace.settings,
                spec,
                today=today_in(state.workspace),
                lang=la,
            )
    except UsageError as exc:
        return _objectives_page(request, state, la, problems=[str(exc)], form=form, status_code=400)
    return _objectives_page(request, state, la, form=form, checked=checked)


@router.get("/objectives/{objective_id}", response_class=HTMLResponse, dependencies=allowed(READ))
def objective(
    request: Request, state: State, objective_id: RowId, lang: LangQuery = None
) -> HTMLResponse:
    la = check_lang(lang)
    t = wording.words(la)
    with state.analytics() as store:
        o = objective_status(
            store,
            state.meta,
            state.workspace.settings,
            objective_id,
            today=today_in(state.workspace),
            lang=la,
        )
    spec = objective_chart(
        o, t("plan_history_series"), t("plan_forecast_series"), t("plan_target_series")
    )
    return render(
        request,
        "plan_objective.html",
        "objectives",
        la,
        o=o,
        row=objective_row(o, t, la),
        columns=objective_columns(t),
        chart_spec=spec,
        model=t(f"plan_model_{o.forecast.model}") if o.forecast else None,
        months_used=t("plan_months_used").format(n=o.forecast.months_used) if o.forecast else None,
    )
