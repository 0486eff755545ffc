"""REST API v1: the same result objects as the CLI, as JSON."""

from __future__ import annotations

import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from pilotage.core.kpis.credit import CreditModel
from pilotage.core.kpis.periods import Period
from pilotage.interfaces.api.auth import READ, guard
from pilotage.interfaces.api.state import ServerState, state_of
from pilotage.interfaces.formatting import Lang
from pilotage.interfaces.web.filters import Scope, check_dates, check_text
from pilotage.jobs.scheduler import today_in
from pilotage.services.kpi_targets import with_targets
from pilotage.services.kpis import CHANNEL_KPIS, Compare, kpi_table, metric_catalogue
from pilotage.services.results import KpiTable, MetricCatalogue, TablesResult
from pilotage.services.workspaces import table_summaries

router = APIRouter(prefix="/api/v1", tags=["v1"])
State = Annotated[ServerState, Depends(state_of)]


@router.get(
    "/kpis",
    response_model=KpiTable,
    dependencies=guard(READ),
    summary="Any metrics by any dimensions and period",
)
def get_kpis(
    state: State,
    scope: Scope,
    metrics: Annotated[str, Query(description="Metric ids, comma-separated.")] = ",".join(
        CHANNEL_KPIS
    ),
    by: Annotated[str, Query(description="Dimensions, comma-separated ('' for totals).")] = (
        "channel"
    ),
    period: Period | None = None,
    start_from: Annotated[datetime.date | None, Query(alias="from")] = None,
    end_to: Annotated[datetime.date | None, Query(alias="to")] = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    compare: Compare | None = None,
    model: CreditModel = "last",
    segment: Annotated[list[str] | None, Query(description="Keep these segments.")] = None,
    channel: Annotated[list[str] | None, Query(description="Keep these channels.")] = None,
    lang: Lang = "en",
) -> KpiTable:
    """The same result as `pilotage kpis`. A restricted caller (``scope``) sees only the
    rows of their countries or accounts; what has no country or account (cost) is null."""
    first, last = start_from or start, end_to or end
    check_dates(first, last)
    check_text("metrics", (metrics, by, *(segment or ()), *(channel or ())))
    filters: dict[str, tuple[str, ...]] = {}
    if segment:
        filters["segment"] = tuple(segment)
    if channel:
        filters["channel"] = tuple(channel)
    if scope.countries is not None:
        filters["country"] = scope.countries
    if scope.account_ids is not None:
        filters["account"] = scope.account_ids
    result = state.computed(
        kpi_table,
        metrics=tuple(_names(metrics)),
        by=tuple(_names(by)),
        period=period,
        start=first,
        end=last,
        compare=compare,
        model=model,
        filters=filters,
        lang=lang,
        today=today_in(state.workspace),
    )
    return with_targets(result, state.meta, filters)


def _names(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


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
    response_model=MetricCatalogue,
    dependencies=guard(READ),
    summary="The metric registry and the dimensions",
)
def get_metrics(lang: Annotated[Lang, Query()] = "en") -> MetricCatalogue:
    return metric_catalogue(lang)
