"""The journey page: the lifecycle funnel of the people created in the period."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from pilotage.core.kpis.media import stage_conversions
from pilotage.core.kpis.periods import local_date
from pilotage.core.metrics.registry import METRICS
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.services.kpis import Lang
from pilotage.services.results import MetricInfo
from pilotage.services.slices import Slice
from pilotage.services.tables import StoredTables, as_int

#: Lifecycle stages in order: (metric id, people column).
STAGES = (
    ("leads", "created_at"),
    ("mqls", "mql_at"),
    ("sqls", "sql_at"),
    ("opportunity_people", "opportunity_at"),
    ("customers", "customer_at"),
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
    """People created in the period (of the chosen acquisition channels and segments, and
    of the countries and accounts of a restriction), and how many of them reached each
    later stage."""
    tables = StoredTables(store)
    people = tables["people"]
    if sl.channels:
        people = people.filter(people.acquisition_channel.isin(list(sl.channels)))
    if sl.segments:
        people = people.filter(people.segment.isin(list(sl.segments)))
    if sl.countries is not None:
        people = people.filter(people.country.isin(list(sl.countries)))
    if sl.account_ids is not None:
        people = people.filter(people.account_id.isin(list(sl.account_ids)))
    created = local_date(people.created_at, settings.timezone)
    if sl.start is not None:
        people = people.filter(created >= sl.start)
    if sl.end is not None:
        people = people.filter(created <= sl.end)
    counts = people.aggregate(
        **{m: people[c].notnull().cast("int64").sum() for m, c in STAGES[1:]},
        leads=people.count(),
    )
    found = tables.rows(counts)[0]
    numbers = [as_int(found[m]) for m, _ in STAGES]
    rates: list[float | None] = [None, *stage_conversions(numbers)]
    return JourneyView(
        stages=[
            Stage(metric=MetricInfo.of(METRICS[m], lang), people=n, conversion_from_previous=r)
            for (m, _), n, r in zip(STAGES, numbers, rates, strict=True)
        ],
        conversion=MetricInfo.of(METRICS["stage_conversion"], lang),
    )
