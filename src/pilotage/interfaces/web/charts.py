"""Vega-Lite specifications for the pages' interactive charts (data embedded, no fetch)."""

from __future__ import annotations

from typing import Any

from pilotage.core.kpis.channel_roi import UNATTRIBUTED
from pilotage.services.results import KpiTable


def cost_revenue_by_channel(
    result: KpiTable, cost_label: str, revenue_label: str
) -> dict[str, Any]:
    """Grouped bars of cost and revenue per channel, with the exact values in tooltips."""
    values = []
    for row in result.rows:
        if row["channel"] == UNATTRIBUTED:
            continue
        values.append(
            {
                "channel": row["channel"],
                "measure": cost_label,
                "amount": row["cost"],
                "roas": row["roas"],
            }
        )
        values.append(
            {
                "channel": row["channel"],
                "measure": revenue_label,
                "amount": row["revenue"],
                "roas": row["roas"],
            }
        )
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": "container",
        "height": {"step": 14},
        "data": {"values": values},
        "mark": {"type": "bar", "tooltip": True},
        "encoding": {
            "y": {"field": "channel", "type": "nominal", "sort": "-x", "title": None},
            "yOffset": {"field": "measure"},
            "x": {"field": "amount", "type": "quantitative", "title": result.currency},
            "color": {
                "field": "measure",
                "type": "nominal",
                "title": None,
                "scale": {"range": ["#c0392b", "#1f6f8b"]},
            },
            "tooltip": [
                {"field": "channel", "type": "nominal"},
                {"field": "measure", "type": "nominal"},
                {"field": "amount", "type": "quantitative", "format": ",.0f"},
                {"field": "roas", "type": "quantitative", "format": ".2f", "title": "ROAS"},
            ],
        },
    }
