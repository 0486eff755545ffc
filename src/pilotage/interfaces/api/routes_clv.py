"""Customer lifetime value of the workspace's customers under /api/v1/clv.

The routes only read: the application mounts this router with ``guard(READ)``. They answer
the same result objects as ``pilotage clv fit``, ``clv validate``, ``clv retention`` and
``pilotage segments --format json``.
"""

from __future__ import annotations

import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from pilotage.core.clv.transactions import TimeUnit
from pilotage.interfaces.api.state import ServerState, state_of
from pilotage.interfaces.web.filters import unrestricted
from pilotage.services.clv import ClvFit, HoldoutValidation
from pilotage.services.clv_segments import (
    RetentionResult,
    SegmentsResult,
    workspace_fit,
    workspace_retention,
    workspace_segments,
    workspace_validation,
)

# Customers are not restricted by country or account yet: restricted users are refused.
router = APIRouter(prefix="/api/v1/clv", tags=["clv"], dependencies=[Depends(unrestricted)])
State = Annotated[ServerState, Depends(state_of)]
ModelQuery = Annotated[
    str,
    Query(
        description="bgnbd, mbgnbd, pareto_nbd, gamma_gamma or bgbb (on the orders), "
        "sbg (on the subscriptions)"
    ),
]
PurchaseModel = Annotated[str, Query(description="bgnbd, mbgnbd or pareto_nbd")]
UnitQuery = Annotated[TimeUnit | None, Query(description="weeks by default; months for sbg")]


@router.get("/fit", summary="A CLV model fitted on the workspace's orders or subscriptions")
def fit(
    state: State,
    model: ModelQuery = "bgnbd",
    unit: UnitQuery = None,
    calibration_end: datetime.date | None = None,
) -> ClvFit:
    return state.computed(workspace_fit, model=model, unit=unit, calibration_end=calibration_end)


@router.get(
    "/validation",
    summary="Holdout validation: MAE, tracking error and series, conditional expectations",
)
def validation(
    state: State,
    model: PurchaseModel = "bgnbd",
    unit: TimeUnit = "weeks",
    calibration_end: datetime.date | None = None,
) -> HoldoutValidation:
    return state.computed(
        workspace_validation, model=model, unit=unit, calibration_end=calibration_end
    )


@router.get(
    "/retention",
    summary="Subscriptions: sBG fit, survival observed and fitted, cohorts' survivors",
)
def retention(
    state: State,
    unit: TimeUnit = "months",
    calibration_end: datetime.date | None = None,
    observed_from: datetime.date | None = None,
) -> RetentionResult:
    return state.computed(
        workspace_retention,
        unit=unit,
        calibration_end=calibration_end,
        observed_from=observed_from,
    )


@router.get(
    "/segments",
    summary="LTV by channel, campaign, segment and cohort; RFM; most profitable segments",
)
def segments(
    state: State,
    model: PurchaseModel = "bgnbd",
    unit: TimeUnit = "weeks",
    calibration_end: datetime.date | None = None,
    horizon: Annotated[float | None, Query(gt=0)] = None,
    discount_rate: Annotated[float, Query(ge=0)] = 0.0,
    top: Annotated[int, Query(ge=1, le=100)] = 10,
) -> SegmentsResult:
    return state.computed(
        workspace_segments,
        model=model,
        unit=unit,
        calibration_end=calibration_end,
        horizon=horizon,
        discount_rate=discount_rate,
        top=top,
    )
