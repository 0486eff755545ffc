"""Budget and scenarios under /api/v1: the budget page's JSON twin, the optimizer and the
response curves on the workspace's mix model, and the scenario comparison.

The POST routes compute without writing anything: they need the ``read`` permission (and,
from a browser session, the CSRF header like every POST). Spend and the mix model cover the
whole company, so restricted accounts are refused.
"""

from __future__ import annotations

import datetime
import math
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from pilotage.core.kpis.credit import CreditModel
from pilotage.core.mmm.posterior import FittedModel
from pilotage.errors import NotFoundError
from pilotage.interfaces.api.auth import READ, guard
from pilotage.interfaces.api.state import ServerState, state_of
from pilotage.interfaces.formatting import Lang
from pilotage.interfaces.web.filters import SliceQuery, unrestricted
from pilotage.services.budget_plan import (
    NO_MODEL_FIX,
    BudgetResult,
    ResponseCurves,
    curves,
    load_model,
    model_path,
    optimize_budget,
    reallocate,
)
from pilotage.services.budget_view import BudgetView, budget_view
from pilotage.services.scenarios import (
    ProgramHistory,
    Proposal,
    ReturnMetric,
    ScenarioComparison,
    compare_proposals,
    program_history,
)

router = APIRouter(tags=["budget"])
State = Annotated[ServerState, Depends(state_of)]
WHOLE_COMPANY: list[Any] = [*guard(READ), Depends(unrestricted)]


def model_version(state: ServerState) -> int | None:
    """The saved model file's modification time (ns), None without a model."""
    path = model_path(state.workspace)
    return path.stat().st_mtime_ns if path.is_file() else None


def workspace_model(state: ServerState) -> FittedModel | None:
    """The workspace's saved mix model, read once per version of its file."""
    version = model_version(state)
    if version is None:
        return None
    path = model_path(state.workspace)
    return state.cache.get_or_compute(("mix-model", version), lambda: load_model(path))


def required_model(state: ServerState) -> FittedModel:
    model = workspace_model(state)
    if model is None:
        raise NotFoundError("no mix model is saved in this workspace", fix=NO_MODEL_FIX)
    return model


class Bound(BaseModel):
    model_config = ConfigDict(extra="forbid")

    low: float = Field(default=0.0, ge=0, allow_inf_nan=False)
    high: float | None = Field(default=None, ge=0, allow_inf_nan=False)


class OptimizeRequest(BaseModel):
    """A ``total`` budget or a ``target_roi``; bounds by channel name, EUR over the horizon."""

    model_config = ConfigDict(extra="forbid")

    total: float | None = Field(default=None, allow_inf_nan=False)
    target_roi: float | None = Field(default=None, allow_inf_nan=False)
    weeks: int = Field(default=13, ge=1, le=520)
    bounds: dict[str, Bound] = Field(default_factory=dict, max_length=100)


class CompareRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    proposals: list[Proposal] = Field(min_length=1, max_length=20)
    metric: ReturnMetric = "revenue"
    credit: CreditModel = "linear"
    margin: float = Field(default=1.0, gt=0, le=10)
    months: int = Field(default=12, ge=1, le=120)
    weeks: int = Field(default=13, ge=1, le=520)
    start: datetime.date | None = None
    end: datetime.date | None = None
    seed: int = 0


@router.get("/api/v1/views/budget", response_model=BudgetView, dependencies=guard(READ))
def get_budget(state: State, sl: SliceQuery, lang: Lang = "en") -> BudgetView:
    """Spend by channel and month against the budgets campaigns declare (the /budget page)."""
    return state.computed(budget_view, sl, lang)


@router.post("/api/v1/budget/optimize", dependencies=WHOLE_COMPANY)
def optimize(state: State, body: OptimizeRequest) -> BudgetResult:
    """The best split of the budget on the workspace's mix model, with the moves."""
    bounds = {
        name: (b.low, math.inf if b.high is None else b.high) for name, b in body.bounds.items()
    }
    return optimize_budget(
        required_model(state),
        total=body.total,
        target_roi=body.target_roi,
        weeks=body.weeks,
        bounds=bounds,
    )


@router.get("/api/v1/budget/response-curves", dependencies=WHOLE_COMPANY)
def response_curves(
    state: State,
    weeks: Annotated[int, Query(ge=1, le=520)] = 13,
    points: Annotated[int, Query(ge=2, le=200)] = 25,
) -> ResponseCurves:
    """Each channel's outcome over the horizon against its spend (80 % intervals)."""
    return curves(required_model(state), weeks=weeks, points=points)


@router.get("/api/v1/budget/reallocation", dependencies=WHOLE_COMPANY)
def reallocation(
    state: State, weeks: Annotated[int, Query(ge=1, le=520)] = 13
) -> BudgetResult | None:
    """The current budget split for the best expected outcome (null without a mix model)."""
    model = workspace_model(state)
    if model is None:
        return None
    return reallocate(model, weeks=weeks)


@router.get("/api/v1/scenarios/history", dependencies=WHOLE_COMPANY)
def history(
    state: State,
    metric: ReturnMetric = "revenue",
    credit: CreditModel = "linear",
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> ProgramHistory:
    """Past programs (initiatives, else campaigns) with their cost and return."""
    return state.computed(program_history, metric=metric, credit=credit, start=start, end=end)


@router.post("/api/v1/scenarios/compare", dependencies=WHOLE_COMPANY)
def compare(state: State, body: CompareRequest) -> ScenarioComparison:
    """Proposals side by side, a recommendation and the constructive no."""
    past = state.computed(
        program_history, metric=body.metric, credit=body.credit, start=body.start, end=body.end
    )
    needs_model = any(p.channel is not None for p in body.proposals)
    return compare_proposals(
        past,
        body.proposals,
        model=workspace_model(state) if needs_model else None,
        margin=body.margin,
        months=body.months,
        weeks=body.weeks,
        seed=body.seed,
    )
