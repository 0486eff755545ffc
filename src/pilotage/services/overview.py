"""The overview page's numbers: KPI tiles against the previous period, trend, channels."""

from __future__ import annotations

import datetime
from dataclasses import replace

import ibis
from pydantic import BaseModel, ConfigDict

from pilotage.core.kpis.periods import Period
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.services.kpis import CHANNEL_KPIS, Lang, channel_kpis
from pilotage.services.reports import Change, change, last_data_day
from pilotage.services.results import KpiTable, MetricInfo
from pilotage.services.slices import Slice
from pilotage.services.tables import StoredTables

#: Without dates the overview shows the twelve months up to the last day with data.
DEFAULT_MONTHS = 12


class Tile(BaseModel):
    model_config = ConfigDict(frozen=True)

    metric: MetricInfo
    value: float | None
    previous: float | None
    change: Change
    #: Trust score (0-100) of the data behind the figure; None: not judged.
    trust: float | None = None


class TrendPoint(BaseModel):
    model_config = ConfigDict(frozen=True)

    period: str
    cost: float | None
    revenue: float


class Overview(BaseModel):
    model_config = ConfigDict(frozen=True)

    start: datetime.date | None
    end: datetime.date | None
    previous_start: datetime.date | None
    previous_end: datetime.date | None
    grain: str
    currency: str
    tiles: list[Tile]
    trend: list[TrendPoint]
    channels: KpiTable


class FilterOptions(BaseModel):
    model_config = ConfigDict(frozen=True)

    channels: list[str]
    segments: list[str]


def window_of(store: AnalyticsStore, sl: Slice) -> Slice:
    """The slice with both dates set: missing ones default to the twelve months ending on
    the last day with data (unchanged when nothing is loaded)."""
    end = sl.end or last_data_day(store)
    if end is None:
        return sl
    first = end.replace(day=1)
    months_back = first.year * 12 + first.month - 1 - (DEFAULT_MONTHS - 1)
    start = sl.start or datetime.date(months_back // 12, months_back % 12 + 1, 1)
    return replace(sl, start=start, end=end)


def previous_window(
    start: datetime.date, end: datetime.date
) -> tuple[datetime.date, datetime.date]:
    """The period of equal length that ends the day before ``start``."""
    length = end - start
    previous_end = start - datetime.timedelta(days=1)
    return previous_end - length, previous_end


def overview(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    sl: Slice,
    lang: Lang = "en",
    today: datetime.date | None = None,
) -> Overview:
    """Tiles, trend and channel table; with ``today``, each figure's data trust score."""
    sl = window_of(store, sl)
    current = _kpis(store, settings, sl, lang, sl.start, sl.end, today=today)
    before: dict[str, float | None] = {}
    previous: tuple[datetime.date, datetime.date] | None = None
    if sl.start and sl.end:
        previous = previous_window(sl.start, sl.end)
        before = _kpis(store, settings, sl, lang, *previous).totals
    by_period = _kpis(store, settings, sl, lang, sl.start, sl.end, sl.grain)
    tiles = [
        Tile(
            metric=metric,
            value=current.totals[metric.id],
            previous=before.get(metric.id),
            change=change(current.totals[metric.id], before.get(metric.id)),
            trust=current.trust.get(metric.id),
        )
        for metric in current.metrics
        if metric.id in CHANNEL_KPIS
    ]
    return Overview(
        start=sl.start,
        end=sl.end,
        previous_start=previous[0] if previous else None,
        previous_end=previous[1] if previous else None,
        grain=sl.grain,
        currency=settings.reporting_currency,
        tiles=tiles,
        trend=trend_of(by_period),
        channels=current,
    )


def _kpis(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    sl: Slice,
    lang: Lang,
    start: datetime.date | None,
    end: datetime.date | None,
    period: Period | None = None,
    today: datetime.date | None = None,
) -> KpiTable:
    return channel_kpis(
        store,
        settings,
        period=period,
        start=start,
        end=end,
        lang=lang,
        channels=sl.channels,
        segments=sl.segments,
        countries=sl.countries,
        account_ids=sl.account_ids,
        today=today,
    )


def trend_of(by_period: KpiTable) -> list[TrendPoint]:
    """Cost and revenue per period, summed over the channels (cost null when hidden)."""
    cost: dict[str, float] = {}
    revenue: dict[str, float] = {}
    for row in by_period.rows:
        label = str(row["period"])
        cost[label] = cost.get(label, 0.0) + float(row["cost"] or 0.0)
        revenue[label] = revenue.get(label, 0.0) + float(row["revenue"] or 0.0)
    return [
        TrendPoint(
            period=label,
            cost=cost[label] if by_period.cost_sliced else None,
            revenue=revenue[label],
        )
        for label in sorted(revenue)
    ]


def filter_options(store: AnalyticsStore, settings: WorkspaceSettings) -> FilterOptions:
    """The channels (spend and touches) and segments (people and accounts) in the data."""
    tables = StoredTables(store)
    channels = (
        tables["spend"].select("channel").union(tables["touchpoints"].select("channel")).distinct()
    )
    segments = (
        tables["people"].select("segment").union(tables["accounts"].select("segment")).distinct()
    )
    return FilterOptions(
        channels=sorted(str(r["channel"]) for r in tables.rows(channels) if r["channel"]),
        segments=sorted(
            str(r["segment"])
            for r in tables.rows(segments.filter(ibis._.segment.notnull()))
            if r["segment"]
        ),
    )
