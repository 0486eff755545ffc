"""Turning result values into table cells and tiles: text as people read it, a raw value for
sorting, and the sign for colouring. Formatting only; every value comes from a service."""

from __future__ import annotations

from typing import Any

from pilotage.interfaces.formatting import Lang, money, number, percent
from pilotage.interfaces.formatting import metric_value as base_value
from pilotage.services.reports import Change
from pilotage.services.results import MetricInfo

#: Per-unit costs read with cents.
_CENTS = frozenset({"cpc"})


def metric_text(metric: MetricInfo, value: float | None, currency: str, lang: Lang) -> str:
    if metric.id in _CENTS:
        return money(value, currency, lang, 2)
    if metric.unit == "percent":
        return percent(value, lang, 1)
    return base_value(value, metric.unit, currency, lang, metric.id)


def cell(metric: MetricInfo, value: float | None, currency: str, lang: Lang) -> dict[str, Any]:
    return {
        "text": metric_text(metric, value, currency, lang),
        "sort": "" if value is None else value,
        "negative": metric.id == "roi" and value is not None and value < 0,
    }


def text_cell(text: str | None, link: str | None = None) -> dict[str, Any]:
    return {"text": text or "–", "sort": text or "", "negative": False, "link": link}


def count_cell(value: int, lang: Lang) -> dict[str, Any]:
    return {"text": number(value, lang), "sort": value, "negative": False}


def change_text(metric: MetricInfo, change: Change, currency: str, lang: Lang) -> str | None:
    """'+1 234 € (+12 %)', or None when there is nothing to compare with."""
    if change.absolute is None:
        return None
    sign = "+" if change.absolute >= 0 else ""
    absolute = metric_text(metric, change.absolute, currency, lang)
    if change.relative is None:
        return f"{sign}{absolute}"
    rel_sign = "+" if change.relative >= 0 else ""
    return f"{sign}{absolute} ({rel_sign}{percent(change.relative, lang, 1)})"
