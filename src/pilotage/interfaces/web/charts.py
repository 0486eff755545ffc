"""Vega-Lite specifications for the pages' interactive charts (data embedded, no fetch)."""

from __future__ import annotations

from typing import Any

from pilotage.core.kpis.credit import UNATTRIBUTED
from pilotage.services.channels_view import ChannelsView
from pilotage.services.overview import TrendPoint
from pilotage.services.results import KpiTable

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
COST_COLOUR, REVENUE_COLOUR = "#c0392b", "#1f6f8b"


def measure_colours(cost_label: str, revenue_label: str) -> dict[str, Any]:
    """Colour by measure, pinned to its name: without a domain the colours follow the
    alphabetical order of the labels, which differs between French and English."""
    return {
        "scale": {"domain": [cost_label, revenue_label], "range": [COST_COLOUR, REVENUE_COLOUR]}
    }


def channel_bars(view: ChannelsView) -> list[tuple[str, float | None, float | None]]:
    """(name, cost, revenue) per channel or campaign of the channels page."""
    return [
        (
            row.campaign_name or row.campaign_id or row.channel,
            row.values["cost"],
            row.values["revenue"],
        )
        for row in view.rows
        if row.channel != UNATTRIBUTED
    ]


def table_bars(table: KpiTable) -> list[tuple[str, float | None, float | None]]:
    """(name, cost, revenue) per channel of a KPI table."""
    return [
        (str(row["channel"]), row["cost"], row["revenue"])
        for row in table.rows
        if row["channel"] != UNATTRIBUTED
    ]


def cost_revenue_bars(
    bars: list[tuple[str, float | None, float | None]],
    currency: str,
    cost_label: str,
    revenue_label: str,
) -> dict[str, Any]:
    """Grouped bars of cost and revenue per channel (or campaign), exact values in tooltips."""
    values = [
        {"name": name, "measure": measure, "amount": amount}
        for name, cost, revenue in bars
        for measure, amount in ((cost_label, cost), (revenue_label, revenue))
        if amount is not None
    ]
    return {
        "$schema": SCHEMA,
        "width": "container",
        "height": {"step": 14},
        "data": {"values": values},
        "mark": {"type": "bar", "tooltip": True},
        "encoding": {
            "y": {"field": "name", "type": "nominal", "sort": "-x", "title": None},
            "yOffset": {"field": "measure"},
            "x": {"field": "amount", "type": "quantitative", "title": currency},
            "color": {
                "field": "measure",
                "type": "nominal",
                "title": None,
                **measure_colours(cost_label, revenue_label),
            },
            "tooltip": [
                {"field": "name", "type": "nominal"},
                {"field": "measure", "type": "nominal"},
                {"field": "amount", "type": "quantitative", "format": ",.0f"},
            ],
        },
    }


def cost_revenue_trend(
    points: list[TrendPoint], currency: str, cost_label: str, revenue_label: str
) -> dict[str, Any]:
    """Cost and revenue per period as lines; click the legend to isolate one measure."""
    values = [
        {"period": p.period, "measure": label, "amount": amount}
        for p in points
        for label, amount in ((cost_label, p.cost), (revenue_label, p.revenue))
        if amount is not None
    ]
    return {
        "$schema": SCHEMA,
        "width": "container",
        "height": 220,
        "data": {"values": values},
        "params": [
            {"name": "pick", "select": {"type": "point", "fields": ["measure"]}, "bind": "legend"}
        ],
        "mark": {"type": "line", "point": True, "tooltip": True},
        "encoding": {
            "x": {"field": "period", "type": "ordinal", "title": None},
            "y": {"field": "amount", "type": "quantitative", "title": currency},
            "color": {
                "field": "measure",
                "type": "nominal",
                "title": None,
                **measure_colours(cost_label, revenue_label),
            },
            "opacity": {"condition": {"param": "pick", "value": 1}, "value": 0.15},
            "tooltip": [
                {"field": "period", "type": "ordinal"},
                {"field": "measure", "type": "nominal"},
                {"field": "amount", "type": "quantitative", "format": ",.0f"},
            ],
        },
    }
