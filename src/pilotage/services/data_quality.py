"""The data-quality view (``/api/v1/views/data-quality`` and its export): the checks of the
audit (:mod:`pilotage.services.audit`, the one place they are computed) as counts with
their definitions."""

from __future__ import annotations

import datetime

from pydantic import BaseModel, ConfigDict

from pilotage.core.metrics.registry import METRICS
from pilotage.core.quality.checks import DATED_TABLES, Lang
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.services.audit import AuditCheck, DataAuditResult, audit
from pilotage.services.results import MetricInfo

__all__ = ["DATED_TABLES", "Check", "QualityView", "quality_checks", "quality_view"]


class Check(BaseModel):
    model_config = ConfigDict(frozen=True)

    metric: MetricInfo
    table: str
    count: int


class QualityView(BaseModel):
    model_config = ConfigDict(frozen=True)

    today: datetime.date
    checks: list[Check]


def quality_checks(
    store: AnalyticsStore, settings: WorkspaceSettings, today: datetime.date, lang: Lang = "en"
) -> QualityView:
    return quality_view(audit(store, settings, today, lang), lang)


def quality_view(result: DataAuditResult, lang: Lang = "en") -> QualityView:
    """The audit's checks that could run, each with the definition of what it counts."""
    return QualityView(
        today=result.today,
        checks=[
            Check(metric=_definition(c, lang), table=c.table, count=c.count)
            for c in result.checks
            if c.applicable
        ],
    )


_FORMULAS = {"dq_stale_table": "max(0, days from the latest date to today - freshness limit)"}


def _definition(check: AuditCheck, lang: Lang) -> MetricInfo:
    metric = METRICS.get(check.id)
    if metric is not None:
        return MetricInfo.of(metric, lang)
    return MetricInfo(
        id=check.id,
        name=check.title,
        unit="count",
        kind="additive",
        definition=check.explanation,
        formula=_FORMULAS.get(check.id, f"count({check.table} rows flagged by {check.id})"),
        numerator=None,
        denominator=None,
        tables=[check.table],
    )
