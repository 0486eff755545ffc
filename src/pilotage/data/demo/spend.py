"""Daily spend rows per campaign and ad group, with the platforms' delivery metrics.

Platform-reported conversions over-claim the true expected identifications by a known
factor per channel (PLATFORM_OVERCLAIM), as ad platforms do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from pilotage.data.demo.config import F64, Calendar
from pilotage.data.demo.tables import build_table, date_column, labels
from pilotage.data.demo.truth import CHANNEL_INDEX, CHANNELS, MEDIA_INDEX, conversion_probability

if TYPE_CHECKING:
    from pilotage.data.demo.media import Campaign

WEEKDAY_SHARE = np.array([1.2, 1.25, 1.25, 1.2, 1.0, 0.6, 0.5])  # Monday..Sunday, relative
# Platform-reported conversions = true expected identifications x over-claim factor.
PLATFORM_OVERCLAIM = {"paid_search": 1.35, "paid_social": 1.9, "display": 2.6, "video": 2.1}
# (cost per 1,000 impressions EUR, click-through rate, impressions per reached user)
_DELIVERY = {
    "paid_search": (110.0, 0.04, 0.0),
    "paid_social": (32.0, 0.006, 3.0),
    "display": (3.5, 0.0015, 4.5),
    "video": (9.0, 0.003, 2.2),
}


def spend_rows(
    cal: Calendar,
    rng: np.random.Generator,
    campaigns: tuple[Campaign, ...],
    per_campaign: dict[int, F64],
    weekly: F64,
    arrivals: F64,
) -> pa.Table:
    """Daily rows per campaign and ad group with delivery metrics from the platforms."""
    first = int(cal.day_num[0])
    day_share = (
        WEEKDAY_SHARE[cal.weekday]
        / np.bincount(cal.day_week, weights=WEEKDAY_SHARE[cal.weekday])[cal.day_week]
    )
    cols: dict[str, list[np.ndarray]] = {
        k: [] for k in ("day", "campaign", "group", "cost", "impr", "clicks", "reach", "conv")
    }
    for c in campaigns:
        if c.index not in per_campaign:
            continue
        m = MEDIA_INDEX[c.channel]
        if c.start_day == c.end_day:  # events and webinars: the whole cost on the day
            days = np.array([c.start_day - first])
            daily = per_campaign[c.index][cal.day_week[days]]
        else:
            days = np.arange(cal.n_days)
            daily = per_campaign[c.index][cal.day_week] * day_share
        share_of_channel = daily / np.maximum(weekly[m][cal.day_week[days]], 1e-9)
        ident = (
            arrivals[m][cal.day_week[days]]
            * conversion_probability(CHANNELS[CHANNEL_INDEX[c.channel]])
            * share_of_channel
        )
        split = rng.dirichlet(np.full(len(c.ad_groups), 4.0))
        for g, group in enumerate(c.ad_groups):
            cost = np.round(daily * split[g] * np.exp(rng.normal(0, 0.05, len(days))), 2)
            keep = cost > 0
            cols["day"].append(cal.day_num[days][keep])
            cols["campaign"].append(np.full(int(keep.sum()), c.index))
            cols["group"].append(np.full(int(keep.sum()), g if group else -1))
            cols["cost"].append(cost[keep])
            if c.channel in _DELIVERY:
                cpm, ctr, freq = _DELIVERY[c.channel]
                impr = np.round(cost[keep] / cpm * 1000 * np.exp(rng.normal(0, 0.1, keep.sum())))
                clicks = rng.binomial(impr.astype(np.int64), ctr).astype(np.float64)
                reach = np.round(impr / freq) if freq else np.full(impr.shape, np.nan)
                conv = np.round(
                    ident[keep]
                    * split[g]
                    * PLATFORM_OVERCLAIM[c.channel]
                    * np.exp(rng.normal(0, 0.25, keep.sum())),
                    1,
                )
            else:
                impr = clicks = reach = conv = np.full(int(keep.sum()), np.nan)
            cols["impr"].append(impr)
            cols["clicks"].append(clicks)
            cols["reach"].append(reach)
            cols["conv"].append(conv)
    flat = {k: np.concatenate(v) for k, v in cols.items()}
    camp = flat["campaign"].astype(np.int64)
    channel_of = np.array([CHANNEL_INDEX[c.channel] for c in campaigns])[camp]
    src = np.array([CHANNELS[i].sources[0][0] for i in range(len(CHANNELS))])
    med = np.array([CHANNELS[i].sources[0][1] for i in range(len(CHANNELS))])
    meta = np.array(["Meta" in c.name for c in campaigns])[camp]
    source = np.where(meta, "facebook", src[channel_of])
    criteo = np.array(["Criteo" in c.name for c in campaigns])[camp]
    source = np.where(criteo, "criteo", source)
    groups = sorted({g for c in campaigns for g in c.ad_groups if g})

    def to_int(x: F64) -> pa.Array:
        return pa.array(np.nan_to_num(x).astype(np.int64), mask=np.isnan(x))

    group_codes = np.array(
        [
            groups.index(campaigns[k].ad_groups[g]) if g >= 0 else -1
            for k, g in zip(camp, flat["group"].astype(np.int64), strict=True)
        ]
    )
    table = build_table(
        "spend",
        {
            "date": date_column(flat["day"].astype(np.int64)),
            "channel": labels(channel_of, [c.name for c in CHANNELS]),
            "campaign_id": [campaigns[k].campaign_id for k in camp],
            "cost": flat["cost"],
            "currency": pa.array(["EUR"] * len(camp)),
            "campaign_name": [campaigns[k].name for k in camp],
            "ad_group": labels(group_codes.astype(np.int64), groups),
            "impressions": to_int(flat["impr"]),
            "clicks": to_int(flat["clicks"]),
            "reach": to_int(flat["reach"]),
            "platform_conversions": flat["conv"],
            "platform_conversion_value": np.round(flat["conv"] * 180.0, 2),
            "source": pa.array(source.tolist()),
            "medium": pa.array(med[channel_of].tolist()),
        },
        extras={"campaign_type": [campaigns[k].program for k in camp]},
    )
    return table.sort_by(
        [("date", "ascending"), ("campaign_id", "ascending"), ("ad_group", "ascending")]
    )
