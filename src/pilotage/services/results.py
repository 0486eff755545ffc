"""Result objects: what every interface (CLI, API, pages, reports) receives unchanged."""

from __future__ import annotations

import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from pilotage.core.metrics.registry import Metric


class MetricInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    unit: str
    definition: str
    formula: str
    numerator: str | None
    denominator: str | None

    @classmethod
    def of(cls, metric: Metric, lang: str) -> MetricInfo:
        return cls(
            id=metric.id,
            name=metric.name(lang),
            unit=metric.unit,
            definition=metric.definition(lang),
            formula=metric.formula,
            numerator=metric.numerator,
            denominator=metric.denominator,
        )


class KpiTable(BaseModel):
    """A table of KPIs by dimension (and period), with its totals and definitions.

    ``rows`` and ``totals`` are keyed by metric id (and dimension names); a ratio whose
    denominator is zero is null. ``channels`` and ``segments`` are the filters applied
    (empty: all); ``cost_sliced`` is false when a segment filter hid cost, ROI and ROAS.
    """

    model_config = ConfigDict(frozen=True)

    metrics: list[MetricInfo]
    dimensions: list[str]
    period: str | None
    currency: str
    attribution: str
    lookback_days: int
    start: datetime.date | None
    end: datetime.date | None
    rows: list[dict[str, Any]]
    totals: dict[str, float | None]
    channels: list[str] = []
    segments: list[str] = []
    cost_sliced: bool = True


class TableInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    table: str
    rows: int
    min_date: str | None
    max_date: str | None


class TablesResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    tables: list[TableInfo]


class ImportInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    table: str
    file_name: str
    status: str
    source_adapter: str | None
    rows_in_file: int
    inserted: int
    updated: int
    unchanged: int
    actor: str
    started_at: datetime.datetime
    finished_at: datetime.datetime | None
    message: str | None


class ImportsResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    imports: list[ImportInfo]
