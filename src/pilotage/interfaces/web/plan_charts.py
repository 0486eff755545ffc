"""The objective chart: the actual path, the forecast path to the deadline with its 80 %
band, and the target (Vega-Lite, data embedded). A total is drawn cumulative from the
start; a level month by month."""

from __future__ import annotations

import datetime
from typing import Any

from pilotage.interfaces.web.charts import SCHEMA
from pilotage.services.objectives import ObjectiveStatus

ACTUAL_COLOUR, FORECAST_COLOUR, TARGET_COLOUR = "#1f6f8b", "#8e44ad", "#c0392b"
#: Months of history drawn for a level.
LEVEL_MONTHS = 24


def actual_path(o: ObjectiveStatus) -> list[tuple[datetime.date, float]]:
    """(day, value) points of what happened: a total's running sum of the complete months
    counted from the start, ending on the exact value to date; a level's monthly values."""
    if o.aggregation == "level":
        return [(h.month, h.value) for h in o.history[-LEVEL_MONTHS:] if h.value is not None]
    points: list[tuple[datetime.date, float]] = [(o.start, 0.0)]
    running = 0.0
    for h in o.history:
        if h.month >= o.start and h.value is not None:
            running += h.value
            points.append((h.month, running))
    if o.as_of is not None and o.value_to_date is not None and o.as_of >= o.start:
        points.append((min(o.as_of, o.deadline), o.value_to_date))
    return points


def objective_chart(
    o: ObjectiveStatus, actual_label: str, forecast_label: str, target_label: str
) -> dict[str, Any]:
    lines = [{"date": d.isoformat(), "value": v, "series": actual_label} for d, v in actual_path(o)]
    band = []
    if o.forecast is not None:
        joint = lines[-1:] if lines and o.aggregation == "total" else []
        lines += [{**p, "series": forecast_label} for p in joint]
        for p in o.forecast.path:
            lines.append({"date": p.month.isoformat(), "value": p.value, "series": forecast_label})
            band.append({"date": p.month.isoformat(), "low": p.low, "high": p.high})
    x = {"field": "date", "type": "temporal", "title": None}
    colours = {
        "domain": [actual_label, forecast_label],
        "range": [ACTUAL_COLOUR, FORECAST_COLOUR],
    }
    return {
        "$schema": SCHEMA,
        "width": "container",
        "height": 260,
        "layer": [
            {
                "data": {"values": band},
                "mark": {"type": "area", "opacity": 0.18, "color": FORECAST_COLOUR},
                "encoding": {
                    "x": x,
                    "y": {"field": "low", "type": "quantitative"},
                    "y2": {"field": "high"},
                },
            },
            {
                "data": {"values": lines},
                "mark": {"type": "line", "point": True, "tooltip": True},
                "encoding": {
                    "x": x,
                    "y": {"field": "value", "type": "quantitative", "title": o.metric_name},
                    "color": {
                        "field": "series",
                        "type": "nominal",
                        "title": None,
                        "scale": colours,
                    },
                },
            },
            {
                "data": {"values": [{"target": o.target, "label": target_label}]},
                "mark": {"type": "rule", "strokeDash": [6, 4], "color": TARGET_COLOUR},
                "encoding": {
                    "y": {"field": "target", "type": "quantitative"},
                    "tooltip": [{"field": "label"}, {"field": "target", "format": ",.2f"}],
                },
            },
        ],
    }
