"""Modeled attribution of the workspace's journeys under /api/v1.

The route only reads: it needs the ``read`` permission, which the application including
this router enforces (``dependencies=guard(READ)``). It answers the same result objects as
``pilotage attribution --format json``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from pilotage.core.attribution.deals import DealStage
from pilotage.core.attribution.milestones import Level
from pilotage.core.attribution.options import MAX_ORDER, ModelOptions
from pilotage.interfaces.api.state import ServerState, state_of
from pilotage.interfaces.web.filters import unrestricted
from pilotage.services.attribution import (
    AttributionComparison,
    AttributionResult,
    workspace_attribution,
)
from pilotage.services.attribution_deals import DealCreditResult, deal_credits

# Journeys are not restricted by country or account yet: restricted users are refused.
router = APIRouter(prefix="/api/v1", tags=["attribution"], dependencies=[Depends(unrestricted)])
State = Annotated[ServerState, Depends(state_of)]


@router.get(
    "/attribution",
    summary="Conversions and value credited to channels, by one model or all side by side",
)
def attribution(
    state: State,
    model: Annotated[
        str, Query(description="first, last, last_non_direct, linear, ..., markov, or all")
    ] = "all",
    level: Level = "person",
    lookback_days: Annotated[int | None, Query(ge=1, le=730)] = None,
    conversion_type: Annotated[
        str | None, Query(description="Conversion types ending a journey, comma-separated")
    ] = None,
    include_sales: bool = True,
    stage: Annotated[
        str | None,
        Query(description="Account level: mql, sql, opportunity or won (ends the journeys)"),
    ] = None,
    order: Annotated[int, Query(ge=1, le=MAX_ORDER, description="Markov order")] = 1,
    bootstrap: Annotated[int, Query(ge=0, le=1000, description="Bootstrap draws")] = 0,
    seed: int | None = None,
) -> AttributionResult | AttributionComparison:
    with state.analytics() as store:
        return workspace_attribution(
            store,
            state.workspace.settings,
            model_name=model,
            level=level,
            lookback_days=lookback_days,
            conversion_type=conversion_type,
            include_sales=include_sales,
            options=ModelOptions(order=order),
            draws=bootstrap,
            seed=seed,
            stage=stage,
        )


@router.get(
    "/attribution/deals",
    summary="Each deal's CRM amount credited to channels and campaigns, reconciled to the CRM",
)
def attribution_deals(
    state: State,
    model: Annotated[
        str, Query(description="first, last, linear, position, w_shaped, markov, ...")
    ] = "linear",
    stage: DealStage = "opportunity",
    lookback_days: Annotated[int | None, Query(ge=1, le=730)] = None,
    include_sales: bool = True,
    order: Annotated[int, Query(ge=1, le=MAX_ORDER, description="Markov order")] = 1,
    half_life: Annotated[float, Query(gt=0, description="Time decay half-life, days")] = 7.0,
) -> DealCreditResult:
    with state.analytics() as store:
        return deal_credits(
            store,
            state.workspace.settings,
            model_name=model,
            stage=stage,
            lookback_days=lookback_days,
            include_sales=include_sales,
            options=ModelOptions(order=order, half_life_days=half_life),
        )
