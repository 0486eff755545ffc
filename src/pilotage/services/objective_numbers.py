"""The numbers objectives are judged on, from the KPI engine: each metric's complete months
of history within the objective's scope, its value from the start to the data's last day,
and its final value once the data covers the deadline.

One monthly query per scope serves every objective on it: an additive metric's total over
whole months is the sum of its months, and the month holding the data's last day is cut
there by the query's window. Only a window that starts or ends inside a month (and isn't
cut by the last data day) needs a query of its own.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Mapping, Sequence

from pydantic import BaseModel, ConfigDict

from pilotage.core.kpis.periods import add_months
from pilotage.core.metrics.registry import METRICS
from pilotage.core.planning.metrics import aggregation_of
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.services.kpis import kpi_table

#: Months of history a forecast reads at most: three years keep seasons, drop old regimes.
HISTORY_MONTHS = 36
#: (metric_id, scope as sorted (dimension, values) pairs, start, deadline): hashable, so
#: that the server can cache a batch.
Ask = tuple[str, tuple[tuple[str, tuple[str, ...]], ...], datetime.date, datetime.date]


class MonthValue(BaseModel):
    model_config = ConfigDict(frozen=True)

    month: datetime.date
    value: float | None


class ObjectiveNumbers(BaseModel):
    model_config = ConfigDict(frozen=True)

    #: Complete months of data, oldest first (the forecast's history).
    history: list[MonthValue]
    #: Scope dimensions the metric's data cannot be cut by (its values are then null).
    not_sliced: list[str]
    #: A total from the start to ``as_of``; a level over ``as_of``'s last complete month.
    to_date: float | None
    #: Once the data covers the deadline: the total over the objective, or the level over
    #: the deadline's month.
    final: float | None
    #: The first day of data of the metric's tables (None: no data yet).
    data_from: datetime.date | None = None


def ask(
    metric_id: str,
    scope: Mapping[str, Sequence[str]],
    start: datetime.date,
    deadline: datetime.date,
) -> Ask:
    frozen = tuple(sorted((k, tuple(sorted(v))) for k, v in scope.items()))
    return (metric_id, frozen, start, deadline)


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def last_complete_month(as_of: datetime.date) -> datetime.date:
    """First day of the last month fully inside the data (ending on or before ``as_of``)."""
    return month_start(as_of) if as_of == month_end(as_of) else add_months(month_start(as_of), -1)


def data_from(first_days: Mapping[str, str | None], metric_id: str) -> datetime.date | None:
    """The first day every dated table of the metric has data (``first_days``: table -> its
    first day, ISO; None when it is empty or has no dates, like campaigns). None when no
    table of the metric has a dated row."""
    firsts = [f for t in METRICS[metric_id].tables if (f := first_days.get(t)) is not None]
    return max(datetime.date.fromisoformat(f) for f in firsts) if firsts else None


def first_full_month(first: datetime.date) -> datetime.date:
    """The first month that starts on or after ``first``."""
    return month_start(first) if first.day == 1 else add_months(month_start(first), 1)


def objectives_numbers(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    asks: Sequence[Ask],
    as_of: datetime.date | None,
) -> list[ObjectiveNumbers]:
    """The numbers of each ask as of ``as_of`` (the data's last day; None: no data)."""
    empty = ObjectiveNumbers(history=[], not_sliced=[], to_date=None, final=None)
    if as_of is None:
        return [empty for _ in asks]
    first_days = {s.table: s.min_date for s in store.summaries()}
    starts = {m: data_from(first_days, m) for m in {a[0] for a in asks}}
    out: dict[int, ObjectiveNumbers] = {}
    for scope in dict.fromkeys(a[1] for a in asks):
        indexes = [i for i, a in enumerate(asks) if a[1] == scope and starts[a[0]] is not None]
        out |= {i: empty for i, a in enumerate(asks) if a[1] == scope and starts[a[0]] is None}
        if indexes:
            out |= _scope_numbers(store, settings, asks, indexes, starts, as_of)
    return [out[i] for i in range(len(asks))]


def _scope_numbers(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    asks: Sequence[Ask],
    indexes: list[int],
    starts: Mapping[str, datetime.date | None],
    as_of: datetime.date,
) -> dict[int, ObjectiveNumbers]:
    firsts = {m: first_full_month(d) for m, d in starts.items() if d is not None}
    filters = {k: list(v) for k, v in asks[indexes[0]][1]}
    metrics = list(dict.fromkeys(asks[i][0] for i in indexes))
    last_month = last_complete_month(as_of)
    oldest = add_months(last_month, 1 - HISTORY_MONTHS)
    begin = min([oldest, *(month_start(asks[i][2]) for i in indexes)])
    begin = max(begin, min(firsts[m] for m in metrics))
    table = kpi_table(
        store,
        settings,
        metrics=metrics,
        period="month",
        start=begin,
        end=as_of,
        filters=filters,
    )
    months = {datetime.date.fromisoformat(f"{row['period']}-01"): row for row in table.rows}

    def over(metric: str, a: datetime.date, b: datetime.date) -> float | None:
        """``metric`` over [a, b]: from the months when the window is made of them (any
        number of months for an additive metric, a single month for another)."""
        if b < a:
            return 0.0
        additive = aggregation_of(METRICS[metric]) == "total"
        whole = (
            a.day == 1
            and (b == month_end(b) or b == as_of)
            and month_start(a) >= begin
            and (additive or month_start(a) == month_start(b))
        )
        if whole:
            values = [r[metric] for m, r in months.items() if a <= m <= b]
            return None if any(v is None for v in values) else float(sum(values))
        exact = kpi_table(store, settings, metrics=[metric], start=a, end=b, filters=filters)
        return None if exact.not_sliced.get(metric) else exact.totals.get(metric)

    out = {}
    for i in indexes:
        metric, _, start, deadline = asks[i]
        first = firsts[metric]
        history = [
            MonthValue(month=m, value=r[metric])
            for m, r in months.items()
            if max(first, oldest) <= m <= last_month
        ]
        total = aggregation_of(METRICS[metric]) == "total"
        final = None
        if as_of >= deadline:
            final = over(metric, start if total else month_start(deadline), deadline)
        latest = history[-1].value if history else None
        out[i] = ObjectiveNumbers(
            history=history,
            not_sliced=table.not_sliced.get(metric, []),
            to_date=over(metric, start, min(as_of, deadline)) if total else latest,
            final=final,
            data_from=starts[metric],
        )
    return out
