"""The journey page: the lifecycle funnel of the people created in the period."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from pilotage.core.kpis.media import stage_conversions
from pilotage.core.metrics.registry import METRICS
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.services.kpis import Lang, kpi_table
from pilotage.services.results import MetricInfo
from pilotage.services.slices import Slice

#: The cohort of leads created in the period, and how many of them reached each stage.
STAGES = (
    "leads",
    "cohort_lead_mql",
    "cohort_lead_sql",
    "cohort_lead_opportunity",
    "cohort_lead_customer",
)


class Stage(BaseModel):
    model_config = ConfigDict(frozen=True)

    metric: MetricInfo
    people: int
    conversion_from_previous: float | None


class JourneyView(BaseModel):
    model_config = ConfigDict(frozen=True)

    stages: list[Stage]
    conversion: MetricInfo


def journey_view(
    store: AnalyticsStore, settings: WorkspaceSettings, sl: Slice, lang: Lang = "en"
) -> JourneyView:
    """People created in the period (credited to the chosen channels by their lead source,
    of the chosen segments, and of the countries and accounts of a restriction), and how
    many of that cohort reached each later stage: the KPI engine's cohort measures."""
    filters: dict[str, tuple[str, ...]] = {}
    if sl.channels:
        filters["channel"] = sl.channels
    if sl.segments:
        filters["segment"] = sl.segments
    if sl.countries is not None:
        filters["country"] = sl.countries
    if sl.account_ids is not None:
        filters["account"] = sl.account_ids
    result = kpi_table(
        store,
        settings,
        metrics=STAGES,
        start=sl.start,
        end=sl.end,
        filters=filters,
        lang=lang,
    )
    numbers = [round(result.totals[m] or 0.0) for m in STAGES]
    rates: list[float | None] = [None, *stage_conversions(numbers)]
    return JourneyView(
        stages=[
            Stage(metric=info, people=n, conversion_from_previous=r)
            for info, n, r in zip(result.metrics, numbers, rates, strict=True)
        ],
        conversion=MetricInfo.of(METRICS["stage_conversion"], lang),
    )
