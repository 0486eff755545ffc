"""REST API v1: the same result objects as the CLI, as JSON."""

from __future__ import annotations

import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from pilotage.core.kpis.periods import Period
from pilotage.core.metrics.registry import METRICS
from pilotage.interfaces.api.auth import READ, guard
from pilotage.interfaces.api.state import ServerState, state_of
from pilotage.interfaces.formatting import Lang
from pilotage.interfaces.web.filters import Scope, check_dates
from pilotage.services.kpis import By, channel_kpis
from pilotage.services.results import KpiTable, MetricInfo, TablesResult
from pilotage.services.workspaces import table_summaries

router = APIRouter(prefix="/api/v1", tags=["v1"])
State = Annotated[ServerState, Depends(state_of)]


@router.get(
    "/kpis",
    response_model=KpiTable,
    dependencies=guard(READ),
    summary="Cost, revenue, ROI and ROAS",
)
def get_kpis(
    state: State,
    scope: Scope,
    by: By = "channel",
    period: Period | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    lang: Lang = "en",
) -> KpiTable:
    """Revenue within the caller's restriction (``scope``); cost hidden when restricted."""
    check_dates(start, end)
    return state.computed(
        channel_kpis,
        by=by,
        period=period,
        start=start,
        end=end,
        lang=lang,
        countries=scope.countries,
        account_ids=scope.account_ids,
    )


@router.get(
    "/tables",
    response_model=TablesResult,
    dependencies=guard(READ),
    summary="Rows and dates of every table",
)
def get_tables(state: State) -> TablesResult:
    with state.analytics() as store:
        return table_summaries(store)


@router.get(
    "/metrics",
    response_model=list[MetricInfo],
    dependencies=guard(READ),
    summary="Metric definitions",
)
def get_metrics(lang: Annotated[Lang, Query()] = "en") -> list[MetricInfo]:
    return [MetricInfo.of(m, lang) for m in METRICS.values()]
