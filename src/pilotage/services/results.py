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
    kind: str
    definition: str
    formula: str
    numerator: str | None
    denominator: str | None
    #: The additive measures it is recomputed from (empty: not a KPI of the engine).
    parts: list[str] = []
    tables: list[str] = []

    @classmethod
    def of(cls, metric: Metric, lang: str) -> MetricInfo:
        return cls(
            id=metric.id,
            name=metric.name(lang),
            unit=metric.unit,
            kind=metric.kind,
            definition=metric.definition(lang),
            formula=metric.formula,
            numerator=metric.numerator,
            denominator=metric.denominator,
            parts=list(metric.parts),
            tables=list(metric.tables),
        )


class KpiTarget(BaseModel):
    model_config = ConfigDict(frozen=True)

    objective_id: int
    objective: str
    metric: str
    target: float
    deadline: datetime.date
    scope: dict[str, list[str]]
    #: The KPI's total under the same scope (None: the table's scope is another).
    actual: float | None
    #: actual / target.
    attainment: float | None
    note: str | None


class KpiTable(BaseModel):
    """A table of KPIs by dimension (and period), with its totals and definitions.

    ``rows`` and ``totals`` are keyed by metric id (and dimension names); a ratio whose
    denominator is zero is null. ``channels`` and ``segments`` are the filters applied
    (empty: all); ``cost_sliced`` is false when a segment filter hid cost, ROI and ROAS.
    ``not_sliced`` names, per metric, the asked dimensions or filters its data does not
    have (its row values are null, never a wrong split). With ``compare``, rows and totals
    also hold ``<metric>_compare`` (the value over [compare_start, compare_end]) and
    ``<metric>_change`` (relative change). ``trust`` is each metric's data trust score
    (0-100, the lowest of its tables'; null: no data to judge).
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
    compare: str | None = None
    compare_start: datetime.date | None = None
    compare_end: datetime.date | None = None
    not_sliced: dict[str, list[str]] = {}
    trust: dict[str, float | None] = {}
    #: Objectives set on these metrics (see services.kpi_targets), with their attainment.
    targets: list[KpiTarget] = []


class DimensionInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    name: str


class MetricCatalogue(BaseModel):
    """The registry: every metric, the ids the KPI engine computes, the dimensions."""

    model_config = ConfigDict(frozen=True)

    metrics: list[MetricInfo]
    kpis: list[str]
    dimensions: list[DimensionInfo]


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
