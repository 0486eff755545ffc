"""Marketing-sourced vs influenced pipeline at account level, as the KPI engine defines it.

Nothing is recomputed here: the amounts are the KPI engine's metrics (``kpi_table``), and
the per-opportunity flags behind the counts are the engine's own opportunity rows
(:mod:`pilotage.core.kpis.facts.pipeline`), with the workspace's lookback window.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict

from pilotage.core.kpis.facts.base import FactContext
from pilotage.core.kpis.facts.pipeline import credited_opportunities
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.services.kpis import kpi_table
from pilotage.services.results import MetricInfo
from pilotage.services.tables import StoredTables, as_float

Sourcing = Literal["field", "first_touch", "pre_sales", "influenced"]
#: Sourcing definition -> (KPI engine metric, flag column of the engine's opportunity rows).
DEFINITIONS: dict[Sourcing, tuple[str, str]] = {
    "field": ("pipeline_sourced_field", "field_sourced"),
    "first_touch": ("pipeline_sourced_first_touch", "first_touch_sourced"),
    "pre_sales": ("pipeline_sourced_pre_sales", "pre_sales_sourced"),
    "influenced": ("pipeline_influenced", "influenced"),
}
SOURCING_METRICS = (
    "pipeline_created",
    "opportunities_created",
    *(metric for metric, _ in DEFINITIONS.values()),
    "sourced_definition_gap",
)


@dataclass(frozen=True)
class DealFlags:
    """One opportunity's sourcing under each definition (the KPI engine's flags)."""

    field: bool
    first_touch: bool
    pre_sales: bool
    influenced: bool


class SourcedPipeline(BaseModel):
    """Pipeline created that ``definition`` calls marketing-sourced (or influenced):
    ``amount`` (the KPI engine's ``metric``), ``deals`` (opportunities) and ``share`` of
    all pipeline created (null when none)."""

    model_config = ConfigDict(frozen=True)

    definition: Sourcing
    metric: str
    amount: float
    deals: int
    share: float | None


class SourcingSummary(BaseModel):
    """Marketing-sourced (three definitions side by side) and influenced pipeline of all
    opportunities created, with the metric definitions; ``definition_gap`` is the largest
    minus the smallest sourced amount."""

    model_config = ConfigDict(frozen=True)

    currency: str
    lookback_days: int
    pipeline_created: float
    opportunities_created: float
    definitions: list[SourcedPipeline]
    definition_gap: float | None
    metrics: list[MetricInfo]


def deal_sourcing(store: AnalyticsStore, settings: WorkspaceSettings) -> dict[str, DealFlags]:
    """Opportunity id -> its sourcing flags, from the KPI engine's opportunity rows."""
    tables = StoredTables(store)
    ctx = FactContext(
        tables, settings.timezone, dialect=tables.dialect, lookback_days=settings.lookback_days
    )
    rows = credited_opportunities(ctx)
    flags = {column: rows[column].fill_null(False).any() for _, column in DEFINITIONS.values()}
    per_deal = rows.group_by("outcome_id").aggregate(**flags)
    return {
        str(r["outcome_id"]): DealFlags(
            field=bool(r["field_sourced"]),
            first_touch=bool(r["first_touch_sourced"]),
            pre_sales=bool(r["pre_sales_sourced"]),
            influenced=bool(r["influenced"]),
        )
        for r in tables.rows(per_deal)
    }


def account_sourcing(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    flags: dict[str, DealFlags] | None = None,
) -> SourcingSummary:
    """Sourced and influenced pipeline (the KPI engine's totals over all the data) and how
    many opportunities each definition counts."""
    table = kpi_table(store, settings, metrics=list(SOURCING_METRICS))
    totals = table.totals
    created = as_float(totals.get("pipeline_created"))
    flags = deal_sourcing(store, settings) if flags is None else flags
    definitions = [
        SourcedPipeline(
            definition=name,
            metric=metric,
            amount=as_float(totals.get(metric)),
            deals=sum(1 for f in flags.values() if getattr(f, name)),
            share=as_float(totals.get(metric)) / created if created else None,
        )
        for name, (metric, _) in DEFINITIONS.items()
    ]
    gap = totals.get("sourced_definition_gap")
    return SourcingSummary(
        currency=table.currency,
        lookback_days=table.lookback_days,
        pipeline_created=created,
        opportunities_created=as_float(totals.get("opportunities_created")),
        definitions=definitions,
        definition_gap=None if gap is None else float(gap),
        metrics=table.metrics,
    )
