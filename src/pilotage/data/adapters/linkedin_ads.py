"""LinkedIn Campaign Manager "Campaign performance" export -> ``spend``.

The CSV from Campaign Manager > Analyze > Export, with a daily time breakdown:
``Start Date (in UTC)`` (month-first, ``11/24/2026``), ``Campaign Name``, ``Campaign ID``,
``Currency``, ``Total Spent`` (in that currency), ``Impressions``, ``Clicks``,
``Conversions``, ``Leads`` and the engagement counts (``Reactions``, ``Comments``,
``Shares``, ``Follows``). The report-description lines above the header are left to the
file reader.

``platform_conversions`` is ``Conversions`` (Insight Tag conversions); ``Leads`` (Lead Gen
Form submissions) and the engagement counts stay as extra columns. The channel is
paid_social.
"""

from __future__ import annotations

from pilotage.data.adapters.base import Adapter, Frame, Values
from pilotage.data.adapters.spend import check_daily_keys
from pilotage.data.adapters.values import english_number, mdy_date
from pilotage.data.readers.raw import RawTable

_FIX = "export the campaign performance report with the Daily time breakdown"


def convert(raw: RawTable) -> RawTable:
    frame = Frame(raw, "LinkedIn Campaign Manager export")
    start = frame.require("Start Date (in UTC)", "Start Date", fix=_FIX)
    campaign = frame.require("Campaign ID", fix=_FIX)
    spent = frame.require("Total Spent", "Amount Spent", fix=_FIX)
    fix = "export the report from Campaign Manager set to English"
    canonical: dict[str, Values] = {
        "date": frame.convert(start, frame.take(start), mdy_date, _FIX),
        "channel": ["paid_social"] * frame.num_rows,
        "campaign_id": frame.take(campaign),
        "cost": frame.convert(spent, frame.take(spent), english_number, fix),
        "currency": frame.take(frame.find("Currency")),
        "campaign_name": frame.take(frame.find("Campaign Name", "Campaign")),
        "ad_group": [None] * frame.num_rows,
    }
    for name, column in (
        ("impressions", "Impressions"),
        ("clicks", "Clicks"),
        ("platform_conversions", "Conversions"),
    ):
        found = frame.find(column)
        canonical[name] = frame.convert(found, frame.take(found), english_number, fix)
    check_daily_keys(frame, canonical, _FIX)
    return frame.output(canonical)


ADAPTER = Adapter(
    source="linkedin-ads",
    table="spend",
    description=(
        "LinkedIn Campaign Manager campaign performance CSV, daily (Start Date (in UTC), "
        "Total Spent)"
    ),
    convert=convert,
    parse={"decimal": ".", "date_order": "mdy"},
)
