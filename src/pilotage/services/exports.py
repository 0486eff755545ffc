"""Table views as plain rows and columns, ready to be written as CSV or XLSX.

One function per view turns its result object into :class:`TableExport` tables, the main
one first (the page's first table: the only one a CSV holds); the writers in
``interfaces/reports/spreadsheets.py`` escape and encode them. Cells keep raw numbers (ratios as
fractions, amounts unrounded) so that spreadsheets can compute; totals are left to them.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pilotage.services.accounts_view import AccountsView
from pilotage.services.attribution_view import AttributionView
from pilotage.services.budget_view import BudgetView
from pilotage.services.channels_view import ChannelsView
from pilotage.services.data_quality import QualityView
from pilotage.services.marketing_view import JourneyView
from pilotage.services.overview import Overview
from pilotage.services.planning_view import ExperimentsView
from pilotage.services.results import KpiTable, MetricInfo, TablesResult

ExportView = Literal["kpis", "tables"]
ExportFormat = Literal["csv", "xlsx"]


@dataclass(frozen=True)
class TableExport:
    """Rows keyed by column id; ``headers`` are the column titles people read."""

    name: str
    columns: tuple[str, ...]
    headers: tuple[str, ...]
    rows: tuple[dict[str, Any], ...]


def kpi_export(result: KpiTable, name: str = "kpis") -> TableExport:
    """The KPI table by channel or campaign (and period), metric names as headers."""
    return _metric_table(name, tuple(result.dimensions), result.metrics, result.rows)


def tables_export(result: TablesResult) -> TableExport:
    """Rows, first and last date of every canonical table."""
    columns = ("table", "rows", "min_date", "max_date")
    return TableExport(
        name="tables",
        columns=columns,
        headers=columns,
        rows=tuple(t.model_dump() for t in result.tables),
    )


def _metric_table(
    name: str,
    keys: tuple[str, ...],
    metrics: Sequence[MetricInfo],
    rows: Sequence[dict[str, Any]],
) -> TableExport:
    """``keys`` (text columns, titled by their id) then one column per metric, titled by
    its name in the view's language."""
    return TableExport(
        name=name,
        columns=(*keys, *(m.id for m in metrics)),
        headers=(*keys, *(m.name for m in metrics)),
        rows=tuple(rows),
    )


def overview_export(view: Overview) -> tuple[TableExport, ...]:
    """The channel table, then the KPI tiles against the previous period and the trend."""
    tile_columns = ("metric", "value", "previous", "change", "relative_change")
    tiles = TableExport(
        name="kpis",
        columns=tile_columns,
        headers=tile_columns,
        rows=tuple(
            {
                "metric": t.metric.name,
                "value": t.value,
                "previous": t.previous,
                "change": t.change.absolute,
                "relative_change": t.change.relative,
            }
            for t in view.tiles
        ),
    )
    trend_columns = ("period", "cost", "revenue")
    trend = TableExport(
        name="trend",
        columns=trend_columns,
        headers=trend_columns,
        rows=tuple(p.model_dump() for p in view.trend),
    )
    return kpi_export(view.channels, name="channels"), tiles, trend


def channels_export(view: ChannelsView) -> tuple[TableExport, ...]:
    """By channel, or by campaign of the drilled channel."""
    keys = ("channel", "campaign_id", "campaign_name") if view.drill_channel else ("channel",)
    rows = [
        {
            "channel": r.channel,
            "campaign_id": r.campaign_id,
            "campaign_name": r.campaign_name,
            **r.values,
        }
        for r in view.rows
    ]
    return (_metric_table("channels", keys, view.metrics, rows),)


def attribution_export(view: AttributionView) -> tuple[TableExport, ...]:
    rows = [r.model_dump() for r in view.rows]
    return (_metric_table("attribution", ("channel",), view.metrics, rows),)


def journey_export(view: JourneyView) -> tuple[TableExport, ...]:
    """One row per stage: people who reached it, conversion from the stage before."""
    rows = [
        {"stage": s.metric.name, "people": s.people, view.conversion.id: s.conversion_from_previous}
        for s in view.stages
    ]
    return (_metric_table("journey", ("stage", "people"), [view.conversion], rows),)


def accounts_export(view: AccountsView) -> tuple[TableExport, ...]:
    keys = ("account_id", "name", "segment", "tier", "sales_owner", "marketing_owner")
    rows = [
        {k: getattr(a, k) for k in keys}
        | dict(zip((m.id for m in view.metrics), (a.open_pipeline, a.won_amount), strict=True))
        for a in view.accounts
    ]
    return (_metric_table("accounts", keys, view.metrics, rows),)


def budget_export(view: BudgetView) -> tuple[TableExport, ...]:
    """Spend against budget by channel, then spend by channel and month (one row each)."""
    rows = [
        {"channel": c.channel}
        | dict(zip((m.id for m in view.metrics), (c.cost, c.budget, c.budget_used), strict=True))
        for c in view.channels
    ]
    monthly_columns = ("channel", "month", "cost")
    monthly = TableExport(
        name="monthly",
        columns=monthly_columns,
        headers=monthly_columns,
        rows=tuple(m.model_dump() for m in view.monthly),
    )
    return _metric_table("budget", ("channel",), view.metrics, rows), monthly


def experiments_export(view: ExperimentsView) -> tuple[TableExport, ...]:
    columns = ("experiment_id", "variant", "units", "first_exposure", "last_exposure")
    rows = tuple(
        v.model_dump()
        | {
            "first_exposure": _moment(v.first_exposure),
            "last_exposure": _moment(v.last_exposure),
        }
        for v in view.variants
    )
    return (TableExport(name="experiments", columns=columns, headers=columns, rows=rows),)


def quality_export(view: QualityView) -> tuple[TableExport, ...]:
    columns = ("check", "table", "count")
    rows = tuple({"check": c.metric.name, "table": c.table, "count": c.count} for c in view.checks)
    return (TableExport(name="data-quality", columns=columns, headers=columns, rows=rows),)


def _moment(value: datetime.datetime | None) -> str | None:
    return value.isoformat(sep=" ") if value else None
