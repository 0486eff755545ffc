"""Funnels, paths and retention under /api/v1: GET with query parameters (the CLI's
options), or POST with the whole request as JSON. They only read; a restricted user sees
only the people (and accounts) of their countries or accounts."""

from __future__ import annotations

import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from pilotage.core.attribution.milestones import Level
from pilotage.core.journey.paths import TouchLabel
from pilotage.core.journey.retention import Measure, RetentionMode, RevenueSource, RowsBy, Unit
from pilotage.core.journey.steps import Source
from pilotage.core.kpis.periods import Period
from pilotage.errors import UsageError
from pilotage.interfaces.api.auth import READ, guard
from pilotage.interfaces.api.state import ServerState, state_of
from pilotage.interfaces.web.filters import Scope, check_text
from pilotage.services.funnels import (
    FunnelRequest,
    FunnelResult,
    funnel,
    funnel_request,
    restrict,
    scoped_filters,
)
from pilotage.services.paths import (
    EventCatalogue,
    PathsRequest,
    PathsResult,
    event_catalogue,
    paths,
    paths_request,
)
from pilotage.services.retention import RetentionRequest, RetentionResult, retention
from pilotage.services.slices import Slice

router = APIRouter(prefix="/api/v1", tags=["journey"])
State = Annotated[ServerState, Depends(state_of)]
Texts = Annotated[list[str] | None, Query(max_length=20)]
Event = Annotated[str, Query(min_length=1, max_length=500)]


def _filters(values: list[str] | None) -> dict[str, list[str]]:
    """``filter=KEY=VALUE[,VALUE]`` parameters."""
    out: dict[str, list[str]] = {}
    for raw in check_text("filter", tuple(values or ())):
        key, sep, kept = raw.partition("=")
        if not sep or not key.strip() or not kept.strip():
            raise UsageError(f"filter {raw!r} is not KEY=VALUE", fix="write e.g. segment=SMB")
        out.setdefault(key.strip(), []).extend(v.strip() for v in kept.split(",") if v.strip())
    return out


def _scoped(filters: dict[str, list[str]], scope: Slice) -> dict[str, list[str]]:
    asked = {k: tuple(v) for k, v in filters.items()}
    return {k: list(v) for k, v in scoped_filters(asked, scope.countries, scope.account_ids)}


def _funnel(state: ServerState, request: FunnelRequest, scope: Slice) -> FunnelResult:
    spec = restrict(request.spec(), scope.countries, scope.account_ids)
    return state.computed(funnel, spec)


@router.get(
    "/funnel",
    dependencies=guard(READ),
    summary="Conversion through a sequence of events (default: the lifecycle stages)",
)
def get_funnel(
    state: State,
    scope: Scope,
    step: Texts = None,
    order: str = "ordered",
    window: Annotated[str | None, Query(max_length=20)] = None,
    within: Texts = None,
    min_gap: Texts = None,
    max_gap: Texts = None,
    exclude: Texts = None,
    level: str = "person",
    by: Annotated[str | None, Query(max_length=20)] = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    grain: str = "month",
    filter: Texts = None,
) -> FunnelResult:
    for name, values in (("step", step), ("exclude", exclude)):
        check_text(name, tuple(values or ()))
    request = funnel_request(
        step or [],
        order=order,
        window=window,
        within=check_text("within", tuple(within or ())),
        min_gap=check_text("min_gap", tuple(min_gap or ())),
        max_gap=check_text("max_gap", tuple(max_gap or ())),
        exclude=exclude or [],
        level=level,
        breakdown=by,
        start=start,
        end=end,
        grain=grain,
        filters=_filters(filter),
    )
    return _funnel(state, request, scope)


@router.post("/funnel", dependencies=guard(READ), summary="A funnel given as a whole")
def post_funnel(state: State, scope: Scope, body: FunnelRequest) -> FunnelResult:
    return _funnel(state, body, scope)


def _paths(state: ServerState, request: PathsRequest, scope: Slice) -> PathsResult:
    scoped = request.model_copy(update={"filters": _scoped(request.filters, scope)})
    return state.computed(paths, scoped.spec(), top=scoped.top, around=scoped.events_around())


@router.get(
    "/paths",
    dependencies=guard(READ),
    summary="Most frequent paths to conversion and to drop-off, lengths, steps around events",
)
def get_paths(
    state: State,
    scope: Scope,
    target: Annotated[str | None, Query(max_length=500)] = "stage:customer",
    source: Annotated[list[Source] | None, Query(max_length=5)] = None,
    touch_label: TouchLabel = "channel",
    level: Level = "person",
    steps: Annotated[int, Query(ge=1, le=12)] = 5,
    lookback: Annotated[str, Query(max_length=20)] = "90d",
    keep_repeats: bool = False,
    top: Annotated[int, Query(ge=1, le=100)] = 10,
    around: Texts = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    filter: Texts = None,
) -> PathsResult:
    check_text("target", (target,) if target else ())
    request = paths_request(
        target=target or "",
        sources=source or ["touch", "conversion"],
        touch_label=touch_label,
        level=level,
        steps=steps,
        lookback=lookback,
        keep_repeats=keep_repeats,
        top=top,
        around=list(check_text("around", tuple(around or ()))),
        start=start,
        end=end,
        filters=_filters(filter),
    )
    return _paths(state, request, scope)


@router.post("/paths", dependencies=guard(READ), summary="Paths given as a whole request")
def post_paths(state: State, scope: Scope, body: PathsRequest) -> PathsResult:
    return _paths(state, body, scope)


@router.get("/events", dependencies=guard(READ), summary="Event names funnels and paths can use")
def get_events(state: State) -> EventCatalogue:
    return state.computed(event_catalogue)


def _retention(state: ServerState, request: RetentionRequest, scope: Slice) -> RetentionResult:
    scoped = request.model_copy(update={"filters": _scoped(request.filters, scope)})
    return state.computed(retention, scoped.spec())


@router.get(
    "/retention",
    dependencies=guard(READ),
    summary="Cohort retention (N-day, unbounded, bracket; people or revenue) and its sBG curve",
)
def get_retention(
    state: State,
    scope: Scope,
    start_event: Event = "conversion:signup",
    return_event: Event = "product",
    level: Level = "person",
    unit: Unit = "month",
    periods: Annotated[int, Query(ge=1, le=60)] = 12,
    mode: RetentionMode = "n_day",
    brackets: Annotated[str | None, Query(max_length=200)] = None,
    rows: RowsBy = "period",
    cohort_grain: Period = "month",
    measure: Measure = "people",
    revenue_source: RevenueSource = "orders",
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    filter: Texts = None,
) -> RetentionResult:
    check_text("event", (start_event, return_event, *((brackets,) if brackets else ())))
    request = RetentionRequest(
        start_event=start_event,
        return_event=return_event,
        level=level,
        unit=unit,
        periods=periods,
        mode=mode,
        brackets=brackets,
        rows=rows,
        cohort_grain=cohort_grain,
        measure=measure,
        revenue_source=revenue_source,
        start=start,
        end=end,
        filters=_filters(filter),
    )
    return _retention(state, request, scope)


@router.post("/retention", dependencies=guard(READ), summary="Retention given as a whole request")
def post_retention(state: State, scope: Scope, body: RetentionRequest) -> RetentionResult:
    return _retention(state, body, scope)
