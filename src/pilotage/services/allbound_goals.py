"""Progress of a target list's shared goals: each period's actuals for the list's accounts,
against the targets (definitions in :mod:`pilotage.core.allbound.goals`).

Pipeline and opportunities are the KPI engine's ``pipeline_created`` and
``opportunities_created`` filtered to the list's accounts; meetings and the two coverages
are counted here, the engine having no touch type nor account coverage.
"""

from __future__ import annotations

import datetime

from pydantic import BaseModel, ConfigDict

from pilotage.core.allbound.activity import open_during, period_touches
from pilotage.core.allbound.goals import (
    GOAL_DEFINITIONS,
    GOAL_NAMES,
    GOAL_UNITS,
    GoalMetric,
    GoalStatus,
    progress,
)
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.services.allbound_lists import GoalSpec
from pilotage.services.allbound_scores import end_of_day, start_of_day
from pilotage.services.kpis import Lang, kpi_table
from pilotage.services.tables import StoredTables, as_float, as_int

#: The KPI engine's metric behind each goal it computes.
KPI_OF: dict[GoalMetric, str] = {
    "pipeline": "pipeline_created",
    "opportunities": "opportunities_created",
}


class GoalProgress(BaseModel):
    """A goal on ``as_of``: ``actual`` against ``target`` (``attainment`` = their ratio),
    ``elapsed`` share of the period, ``expected`` actual by now, and ``status``."""

    model_config = ConfigDict(frozen=True)

    metric: GoalMetric
    name: str
    unit: str
    definition: str
    kpi: str | None
    period: str
    start: datetime.date
    end: datetime.date
    target: float
    actual: float
    attainment: float
    elapsed: float
    expected: float
    status: GoalStatus


class GoalActuals(BaseModel):
    """Every goal metric's actual for some accounts over [start, end] (local days)."""

    model_config = ConfigDict(frozen=True)

    start: datetime.date
    end: datetime.date
    accounts: int
    values: dict[GoalMetric, float]


def goal_actuals(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    members: tuple[str, ...],
    start: datetime.date,
    end: datetime.date,
) -> GoalActuals:
    """Pipeline, opportunities, meetings and coverages of ``members`` over the period."""
    values: dict[GoalMetric, float] = {
        "pipeline": 0.0,
        "opportunities": 0.0,
        "meetings": 0.0,
        "engaged_coverage": 0.0,
        "opportunity_coverage": 0.0,
    }
    if members:
        kpis = kpi_table(
            store,
            settings,
            metrics=list(KPI_OF.values()),
            start=start,
            end=end,
            filters={"account": members},
        )
        for goal, metric in KPI_OF.items():
            values[goal] = as_float(kpis.totals.get(metric))
        tables = StoredTables(store, settings.engine)
        since, until = start_of_day(start, settings.timezone), end_of_day(end, settings.timezone)
        read = {"touchpoints": tables["touchpoints"], "people": tables["people"]}
        touched = tables.rows(period_touches(read, members, since, until))
        values["meetings"] = float(sum(as_int(r["meetings"]) for r in touched))
        values["engaged_coverage"] = sum(1 for r in touched if as_int(r["touches"])) / len(members)
        opened = tables.rows(open_during(tables["opportunities"], members, since, until))
        values["opportunity_coverage"] = len(opened) / len(members)
    return GoalActuals(start=start, end=end, accounts=len(members), values=values)


def goals_progress(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    members: tuple[str, ...],
    goals: tuple[GoalSpec, ...],
    as_of: datetime.date,
    lang: Lang = "en",
) -> list[GoalProgress]:
    """Each goal's progress on ``as_of``, its actual counted up to that day (nothing
    before the period starts); one read of the actuals per distinct span."""
    index = 1 if lang == "fr" else 0
    actuals: dict[tuple[datetime.date, datetime.date], GoalActuals] = {}
    out = []
    for g in goals:
        span = (g.start, min(g.end, as_of))
        if as_of < g.start:
            actual = 0.0
        else:
            if span not in actuals:
                actuals[span] = goal_actuals(store, settings, members, *span)
            actual = actuals[span].values[g.metric]
        done = progress(g.metric, g.target, actual, g.start, g.end, as_of)
        out.append(
            GoalProgress(
                metric=g.metric,
                name=GOAL_NAMES[g.metric][index],
                unit=GOAL_UNITS[g.metric],
                definition=GOAL_DEFINITIONS[g.metric][index],
                kpi=KPI_OF.get(g.metric),
                period=g.period,
                start=g.start,
                end=g.end,
                target=g.target,
                actual=done.actual,
                attainment=done.attainment,
                elapsed=done.elapsed,
                expected=done.expected,
                status=done.status,
            )
        )
    return out
