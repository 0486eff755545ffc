"""The channels page: cost, revenue and media delivery by channel, or by campaign within
one channel (drill-down)."""

from __future__ import annotations

import datetime

from pydantic import BaseModel, ConfigDict

from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.services.kpis import Lang, channel_kpis
from pilotage.services.results import MetricInfo
from pilotage.services.slices import Slice
from pilotage.services.tables import StoredTables

CHANNEL_METRICS = (
    "cost",
    "revenue",
    "roi",
    "roas",
    "impressions",
    "clicks",
    "ctr",
    "cpc",
    "cpm",
)


class MediaRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    channel: str
    campaign_id: str | None
    campaign_name: str | None
    values: dict[str, float | None]


class ChannelsView(BaseModel):
    model_config = ConfigDict(frozen=True)

    metrics: list[MetricInfo]
    drill_channel: str | None
    currency: str
    lookback_days: int
    cost_sliced: bool
    rows: list[MediaRow]
    totals: dict[str, float | None]
    #: Trust score (0-100) of each metric's data; empty when not judged.
    trust: dict[str, float | None] = {}


def channels_view(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    sl: Slice,
    drill_channel: str | None = None,
    lang: Lang = "en",
    today: datetime.date | None = None,
) -> ChannelsView:
    """By channel; with ``drill_channel``, by campaign of that channel. Every figure comes
    from the KPI engine; spend has no segment, country or account, so under those filters
    cost and delivery read null rather than unfiltered."""
    channels = (drill_channel,) if drill_channel else sl.channels
    kpis = channel_kpis(
        store,
        settings,
        by="campaign" if drill_channel else "channel",
        start=sl.start,
        end=sl.end,
        lang=lang,
        channels=channels,
        segments=sl.segments,
        countries=sl.countries,
        account_ids=sl.account_ids,
        metrics=CHANNEL_METRICS,
        today=today,
    )
    names = _campaign_names(StoredTables(store)) if drill_channel else {}
    rows = [
        MediaRow(
            channel=str(kpi["channel"]),
            campaign_id=_name(kpi.get("campaign")),
            campaign_name=names.get(str(kpi.get("campaign"))),
            values={m: _float(kpi.get(m)) for m in CHANNEL_METRICS},
        )
        for kpi in kpis.rows
    ]
    return ChannelsView(
        metrics=kpis.metrics,
        drill_channel=drill_channel,
        currency=kpis.currency,
        lookback_days=kpis.lookback_days,
        cost_sliced=kpis.cost_sliced,
        rows=rows,
        totals={m: kpis.totals.get(m) for m in CHANNEL_METRICS},
        trust=kpis.trust,
    )


def _float(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _name(value: object) -> str | None:
    return str(value) if value else None


def _campaign_names(tables: StoredTables) -> dict[str, str]:
    """Campaign names from the campaigns table, else from the spend rows' campaign_name."""
    spend = tables["spend"]
    from_spend = spend.group_by("campaign_id").aggregate(name=spend.campaign_name.max())
    campaigns = tables["campaigns"].select("campaign_id", "name")
    names = {str(r["campaign_id"]): r["name"] for r in tables.rows(from_spend) if r["name"]}
    names |= {str(r["campaign_id"]): r["name"] for r in tables.rows(campaigns) if r["name"]}
    return {k: str(v) for k, v in names.items()}
