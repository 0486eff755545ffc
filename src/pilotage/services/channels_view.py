"""The channels page: cost, revenue and media delivery by channel, or by campaign within
one channel (drill-down)."""

from __future__ import annotations

from collections.abc import Mapping

import ibis
import ibis.expr.types as ir
from pydantic import BaseModel, ConfigDict

from pilotage.core.kpis.channel_roi import Window
from pilotage.core.kpis.media import media_ratios
from pilotage.core.kpis.slices import spend_in_channels
from pilotage.core.metrics.registry import METRICS
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.services.kpis import Lang, channel_kpis
from pilotage.services.results import MetricInfo
from pilotage.services.slices import Slice
from pilotage.services.tables import StoredTables, as_float

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


def channels_view(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    sl: Slice,
    drill_channel: str | None = None,
    lang: Lang = "en",
) -> ChannelsView:
    """By channel; with ``drill_channel``, by campaign of that channel."""
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
    )
    tables = StoredTables(store)
    keys = ["channel", "campaign_id"] if drill_channel else ["channel"]
    delivery = {
        tuple(str(r[k]) for k in keys): r
        for r in tables.rows(_delivery(tables, channels, Window(sl.start, sl.end), keys))
    }
    # Delivery is spend: no country or account to restrict it by, so a restriction hides it.
    shown = not sl.restricted
    rows = []
    total_impressions = total_clicks = 0.0
    for kpi in kpis.rows:
        key = tuple(str(kpi[k]) for k in keys)
        media = delivery.get(key, {})
        impressions = as_float(media.get("impressions"))
        clicks = as_float(media.get("clicks"))
        total_impressions += impressions
        total_clicks += clicks
        rows.append(
            MediaRow(
                channel=str(kpi["channel"]),
                campaign_id=kpi.get("campaign_id"),
                campaign_name=_name(media.get("campaign_name")),
                values=_values(kpi, impressions, clicks, shown),
            )
        )
    return ChannelsView(
        metrics=[MetricInfo.of(METRICS[m], lang) for m in CHANNEL_METRICS],
        drill_channel=drill_channel,
        currency=kpis.currency,
        lookback_days=kpis.lookback_days,
        cost_sliced=kpis.cost_sliced,
        rows=rows,
        totals=_values(kpis.totals, total_impressions, total_clicks, shown),
    )


def _values(
    kpi: Mapping[str, object], impressions: float, clicks: float, shown: bool
) -> dict[str, float | None]:
    """The row's KPIs and delivery; with ``shown`` false, delivery and its ratios are null."""
    values = {m: _float(kpi.get(m)) for m in ("cost", "revenue", "roi", "roas")}
    if not shown:
        return values | dict.fromkeys(("impressions", "clicks", "ctr", "cpc", "cpm"))
    values |= {"impressions": impressions, "clicks": clicks}
    cost = values["cost"]
    ratios = media_ratios(cost, impressions, clicks) if cost is not None else {}
    return values | {m: ratios.get(m) for m in ("ctr", "cpc", "cpm")}


def _float(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _name(value: object) -> str | None:
    return str(value) if value else None


def _delivery(
    tables: StoredTables, channels: tuple[str, ...], window: Window, keys: list[str]
) -> ir.Table:
    """Impressions and clicks per key; campaigns are named from the campaigns table, else
    from the spend rows' campaign_name."""
    spend = spend_in_channels(tables["spend"], channels)
    if window.start is not None:
        spend = spend.filter(spend.date >= window.start)
    if window.end is not None:
        spend = spend.filter(spend.date <= window.end)
    sums = spend.group_by(keys).aggregate(
        impressions=spend.impressions.sum(),
        clicks=spend.clicks.sum(),
        spend_name=spend.campaign_name.max(),
    )
    if "campaign_id" not in keys:
        return sums.mutate(campaign_name=ibis.null(str))
    campaigns = tables["campaigns"].select(c_id="campaign_id", c_name="name")
    joined = sums.left_join(campaigns, sums.campaign_id == campaigns.c_id)
    return joined.select(
        *keys,
        "impressions",
        "clicks",
        campaign_name=ibis.coalesce(joined.c_name, joined.spend_name),
    )
