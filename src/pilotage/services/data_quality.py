"""Data-quality checks for the data page: each check is a count with a metric definition."""

from __future__ import annotations

import datetime

import ibis.expr.types as ir
from pydantic import BaseModel, ConfigDict

from pilotage.core.kpis.periods import local_date
from pilotage.core.metrics.registry import METRICS
from pilotage.data.schema import TABLES
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.services.kpis import Lang
from pilotage.services.results import MetricInfo
from pilotage.services.tables import StoredTables, as_int

#: Tables checked for rows dated after today.
DATED_TABLES = ("spend", "people", "touchpoints", "orders", "opportunities", "conversions")


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
    tables = StoredTables(store)
    spend, campaigns = tables["spend"], tables["campaigns"]
    touches, orders = tables["touchpoints"], tables["orders"]
    counted: list[tuple[str, str, ir.Table]] = [
        ("dq_spend_unknown_campaign", "spend", spend.anti_join(campaigns, "campaign_id")),
        ("dq_unassigned_touches", "touchpoints", touches.filter(touches.channel == "unassigned")),
        (
            "dq_orders_without_buyer",
            "orders",
            orders.filter(orders.person_id.isnull() & orders.account_id.isnull()),
        ),
    ]
    for name in DATED_TABLES:
        table, column = tables[name], TABLES[name].time_column
        assert column is not None
        day = table[column] if column == "date" else local_date(table[column], settings.timezone)
        counted.append(("dq_future_rows", name, table.filter(day > today)))
    checks = [
        Check(
            metric=MetricInfo.of(METRICS[metric_id], lang),
            table=table_name,
            count=as_int(tables.rows(expr.aggregate(n=expr.count()))[0]["n"]),
        )
        for metric_id, table_name, expr in counted
    ]
    return QualityView(today=today, checks=checks)
