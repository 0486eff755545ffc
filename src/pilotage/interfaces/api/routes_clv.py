"""Customer lifetime value of the workspace's customers under /api/v1/clv.

The routes only read: the application mounts this router with ``guard(READ)``. They answer
the same result objects as ``pilotage clv fit`` and ``pilotage segments --format json``.
"""

from __future__ import annotations

import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from pilotage.core.clv.transactions import TimeUnit
from pilotage.interfaces.api.state import ServerState, state_of
from pilotage.interfaces.web.filters import unrestricted
from pilotage.services.clv import ClvFit
from pilotage.services.clv_segments import SegmentsResult, workspace_fit, workspace_segments

# Customers are not restricted by country or account yet: restricted users are refused.
router = APIRouter(prefix="/api/v1/clv", tags=["clv"], dependencies=[Depends(unrestricted)])
State = Annotated[ServerState, Depends(state_of)]
ModelQuery = Annotated[str, Query(description="bgnbd, mbgnbd, pareto_nbd, gamma_gamma or bgbb")]


@router.get("/fit", summary="A CLV model fitted on the workspace's orders")
def fit(
    state: State,
    model: ModelQuery = "bgnbd",
    unit: TimeUnit = "weeks",
    calibration_end: datetime.date | None = None,
) -> ClvFit:
    return state.computed(workspace_fit, model=model, unit=unit, calibration_end=calibration_end)


@router.get(
    "/segments",
    summary="LTV by channel, campaign, segment and cohort; RFM; most profitable segments",
)
def segments(
    state: State,
    model: Annotated[str, Query(description="bgnbd, mbgnbd or pareto_nbd")] = "bgnbd",
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
