"""A/B tests under /api/v1/experiments: the analysis (the object ``pilotage experiment
analyze`` summarises), the plan, the link to an initiative and the saved lifts.

Every route declares its permission (reads: ``read``; links and saved lifts: ``write``) and
then refuses restricted users: experiments are not restricted by country or account yet.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from pilotage.core.experiments.options import (
    Alternative,
    AnalysisSettings,
    Correction,
    Method,
    MetricKind,
    Prior,
)
from pilotage.interfaces.api.auth import READ, WRITE, Require, guard
from pilotage.interfaces.api.state import ServerState, state_of
from pilotage.interfaces.formatting import Lang
from pilotage.interfaces.web.filters import unrestricted
from pilotage.services.accounts import Principal
from pilotage.services.experiment_plan import PlanDetails, plan
from pilotage.services.experiment_results import (
    LinkInfo,
    StoredLifts,
    link_experiment,
    save_lifts,
    stored_lifts,
)
from pilotage.services.experiments import ExperimentAnalysis, analyze_workspace

router = APIRouter(prefix="/api/v1/experiments", tags=["experiments"])
State = Annotated[ServerState, Depends(state_of)]
ExperimentId = Annotated[str, Query(min_length=1, max_length=200)]


def allowed(requirement: Require) -> list[Any]:
    """The permission, then the refusal of restricted users (which needs the principal the
    permission check leaves on the request)."""
    return [*guard(requirement), Depends(unrestricted)]


class AnalysisQuery(BaseModel):
    """How to read the experiment (the options of ``pilotage experiment analyze``)."""

    model_config = ConfigDict(frozen=True)

    metric: MetricKind = "conversion"
    control: str | None = Field(default=None, max_length=200)
    method: Method = "frequentist"
    relative: bool = False
    alternative: Alternative = "two-sided"
    alpha: float = Field(default=0.05, gt=0, lt=0.5)
    correction: Correction = "holm"
    prior_mean: float = 0.0
    prior_sd: float | None = Field(default=None, gt=0)
    cuped: bool = True
    lang: Lang = "en"

    def settings(self) -> AnalysisSettings:
        return AnalysisSettings(
            method=self.method,
            alternative=self.alternative,
            difference="relative" if self.relative else "absolute",
            alpha=self.alpha,
            prior=Prior(self.prior_mean, self.prior_sd),
            correction=self.correction,
            cuped=self.cuped,
        )


def _analysis(state: ServerState, experiment: str, how: AnalysisQuery) -> ExperimentAnalysis:
    with state.analytics() as store:
        return analyze_workspace(
            store, experiment, how.metric, how.settings(), control=how.control, lang=how.lang
        )


@router.get(
    "/analysis",
    dependencies=allowed(READ),
    summary="One experiment: lift, interval, p-value, chance to win, risk, SRM, readout",
)
def get_analysis(
    state: State, experiment: ExperimentId, how: Annotated[AnalysisQuery, Query()]
) -> ExperimentAnalysis:
    return _analysis(state, experiment, how)


@router.get(
    "/plan",
    dependencies=allowed(READ),
    summary="Units per variant and days for an MDE, or the MDE a traffic can detect",
)
def get_plan(
    baseline: Annotated[float, Query(gt=0)],
    mde: float | None = None,
    relative: bool = False,
    alpha: Annotated[float, Query(gt=0, lt=0.5)] = 0.05,
    power: Annotated[float, Query(ge=0.5, lt=1)] = 0.8,
    daily_units: Annotated[float | None, Query(gt=0)] = None,
    variants: Annotated[int, Query(ge=2, le=20)] = 2,
    sd: Annotated[float | None, Query(gt=0)] = None,
    alternative: Alternative = "two-sided",
    units_per_variant: Annotated[int | None, Query(ge=2)] = None,
    days: Annotated[int | None, Query(ge=1)] = None,
) -> PlanDetails:
    return plan(
        baseline,
        mde=mde,
        relative=relative,
        alpha=alpha,
        power=power,
        daily_units=daily_units,
        variants=variants,
        sd=sd,
        alternative=alternative,
        units=units_per_variant,
        days=days,
    )


class NewLink(BaseModel):
    experiment_id: str = Field(min_length=1, max_length=200)
    initiative_id: int = Field(ge=1)
    channel: str | None = Field(default=None, max_length=100)


@router.post(
    "/links",
    status_code=201,
    dependencies=allowed(WRITE),
    summary="Link an experiment to the initiative it tests",
)
def post_link(
    state: State, body: NewLink, principal: Annotated[Principal, Depends(WRITE)]
) -> LinkInfo:
    return link_experiment(
        state.meta, body.experiment_id, body.initiative_id, body.channel, principal.email
    )


class SaveLifts(AnalysisQuery):
    experiment_id: str = Field(min_length=1, max_length=200)


@router.post(
    "/results",
    status_code=201,
    dependencies=allowed(WRITE),
    summary="Analyse an experiment and store its lifts (the mix model calibrates on them)",
)
def post_results(
    state: State, body: SaveLifts, principal: Annotated[Principal, Depends(WRITE)]
) -> StoredLifts:
    return save_lifts(state.meta, _analysis(state, body.experiment_id, body), principal.email)


@router.get("/results", dependencies=allowed(READ), summary="Saved lifts, oldest first")
def get_results(
    state: State, experiment: Annotated[str | None, Query(max_length=200)] = None
) -> StoredLifts:
    return stored_lifts(state.meta, experiment)
