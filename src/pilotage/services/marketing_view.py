"""The attribution and journey pages: last-touch credit by channel, and the lifecycle funnel."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from pilotage.core.kpis.channel_roi import UNATTRIBUTED, last_touch_orders
from pilotage.core.kpis.media import stage_conversions
from pilotage.core.kpis.periods import local_date
from pilotage.core.kpis.slices import credited_in_channels, orderers, orders_of
from pilotage.core.metrics.registry import METRICS, safe_ratio
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.services.kpis import Lang
from pilotage.services.results import MetricInfo
from pilotage.services.slices import Slice
from pilotage.services.tables import StoredTables, as_float, as_int

#: Lifecycle stages in order: (metric id, people column).
STAGES = (
    ("leads", "created_at"),
    ("mqls", "mql_at"),
    ("sqls", "sql_at"),
    ("opportunity_people", "opportunity_at"),
    ("customers", "customer_at"),
)
CREDIT_METRICS = ("revenue", "attributed_orders", "revenue_share")


class CreditRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    channel: str
    revenue: float
    attributed_orders: int
    revenue_share: float | None


class AttributionView(BaseModel):
    model_config = ConfigDict(frozen=True)

    rule: str
    lookback_days: int
    currency: str
    metrics: list[MetricInfo]
    rows: list[CreditRow]
    total_revenue: float
    total_orders: int


class Stage(BaseModel):
    model_config = ConfigDict(frozen=True)

    metric: MetricInfo
    people: int
    conversion_from_previous: float | None


class JourneyView(BaseModel):
    model_config = ConfigDict(frozen=True)

    stages: list[Stage]
    conversion: MetricInfo


def attribution_view(
    store: AnalyticsStore, settings: WorkspaceSettings, sl: Slice, lang: Lang = "en"
) -> AttributionView:
    """Revenue and orders credited to the last touch, by channel, with each one's share."""
    tables = StoredTables(store)
    credited = last_touch_orders(tables["orders"], tables["touchpoints"], settings.lookback_days)
    credited = credited_in_channels(credited, sl.channels)
    if sl.by_orderer:
        who = orderers(tables["orders"], tables["people"], tables["accounts"])
        credited = orders_of(credited, who, sl.segments, sl.countries, sl.account_ids)
    day = local_date(credited.ordered_at, settings.timezone)
    if sl.start is not None:
        credited = credited.filter(day >= sl.start)
    if sl.end is not None:
        credited = credited.filter(day <= sl.end)
    grouped = credited.group_by(channel=credited.channel.fill_null(UNATTRIBUTED)).aggregate(
        revenue=credited.amount.cast("float64").sum(), orders=credited.count()
    )
    found = tables.rows(grouped)
    total_revenue = sum(as_float(r["revenue"]) for r in found)
    total_orders = sum(as_int(r["orders"]) for r in found)
    rows = [
        CreditRow(
            channel=str(r["channel"]),
            revenue=as_float(r["revenue"]),
            attributed_orders=as_int(r["orders"]),
            revenue_share=safe_ratio(as_float(r["revenue"]), total_revenue),
        )
        for r in found
    ]
    rows.sort(key=lambda r: (-r.revenue, r.channel))
    return AttributionView(
        rule="last_touch",
        lookback_days=settings.lookback_days,
        currency=settings.reporting_currency,
        metrics=[MetricInfo.of(METRICS[m], lang) for m in CREDIT_METRICS],
        rows=rows,
        total_revenue=total_revenue,
        total_orders=total_orders,
    )


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
