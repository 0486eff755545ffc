"""Table views as plain rows and columns, ready to be written as CSV or XLSX.

One function per view turns its result object into a :class:`TableExport`; the writers in
``interfaces/reports/spreadsheets.py`` escape and encode it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, get_args

from pilotage.services.results import KpiTable, TablesResult

ExportView = Literal["kpis", "tables"]
EXPORT_VIEWS: tuple[ExportView, ...] = get_args(ExportView)
ExportFormat = Literal["csv", "xlsx"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = get_args(ExportFormat)


@dataclass(frozen=True)
class TableExport:
    """Rows keyed by column id; ``headers`` are the column titles people read."""

    name: str
    columns: tuple[str, ...]
    headers: tuple[str, ...]
    rows: tuple[dict[str, Any], ...]


def kpi_export(result: KpiTable) -> TableExport:
    """The KPI table by channel or campaign (and period), metric names as headers."""
    metric_ids = tuple(m.id for m in result.metrics)
    names = tuple(m.name for m in result.metrics)
    return TableExport(
        name="kpis",
        columns=(*result.dimensions, *metric_ids),
        headers=(*result.dimensions, *names),
        rows=tuple(result.rows),
    )


def tables_export(result: TablesResult) -> TableExport:
    """Rows, first and last date of every canonical table."""
    columns = ("table", "rows", "min_date", "max_date")
    return TableExport(
        name="tables",
        columns=columns,
        headers=columns,
        rows=tuple(t.model_dump() for t in result.tables),
    )
