"""KPI use cases: any metrics of the registry, sliced by any dimensions and period, with a
comparison window; computed once here for the CLI, the API, the pages and the reports."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Literal, get_args
from zoneinfo import ZoneInfo

from pilotage.core.kpis.assemble import FactResult, all_periods, evaluate, label, merge
from pilotage.core.kpis.credit import CREDIT_MODELS, CreditModel
from pilotage.core.kpis.engine import (
    DIMENSION_NAMES,
    DIMENSIONS,
    FactPlan,
    KpiQuery,
    data_bounds_needed,
    plan,
    shifted,
)
from pilotage.core.kpis.facts.base import FactContext
from pilotage.core.kpis.measures import MEASURE_FACT
from pilotage.core.kpis.periods import Period, add_months, period_spans
from pilotage.core.kpis.window import Window
from pilotage.core.metrics.registry import METRICS, Metric
from pilotage.core.quality.trust import metric_trust
from pilotage.data.schema import TABLES
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.errors import UsageError
from pilotage.services.audit import table_trust_scores
from pilotage.services.fact_cache import cached_builders
from pilotage.services.results import DimensionInfo, KpiTable, MetricCatalogue, MetricInfo
from pilotage.services.tables import StoredTables

By = Literal["channel", "campaign"]
Lang = Literal["en", "fr"]
Compare = Literal["previous", "last_year"]
COMPARES: tuple[Compare, ...] = get_args(Compare)
CHANNEL_KPIS = ("cost", "revenue", "roi", "roas")
#: The reports add the revenue ROI and ROAS rest on (revenue includes unattributed orders).
REPORT_KPIS = (*CHANNEL_KPIS, "attributed_revenue")
#: Metrics the engine computes (all their parts are measures of a fact), in registry order.
KPI_METRICS: tuple[str, ...] = tuple(
    m.id for m in METRICS.values() if m.parts and all(p in MEASURE_FACT for p in m.parts)
)
#: Tables whose latest date ends an open window ("to date" measures and retention).
_DATED = ("spend", "orders", "touchpoints", "subscriptions", "opportunities", "people")


def check_window(start: datetime.date | None, end: datetime.date | None) -> Window:
    try:
        return Window(start, end)
    except ValueError as exc:
        raise UsageError(str(exc), fix="give a start date on or before the end date") from exc


def metric_catalogue(lang: Lang = "en") -> MetricCatalogue:
    index = 1 if lang == "fr" else 0
    return MetricCatalogue(
        metrics=[MetricInfo.of(m, lang) for m in METRICS.values()],
        kpis=list(KPI_METRICS),
        dimensions=[DimensionInfo(id=d, name=DIMENSION_NAMES[d][index]) for d in DIMENSIONS],
    )


def kpi_table(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    *,
    metrics: Sequence[str],
    by: Sequence[str] = (),
    period: Period | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    compare: Compare | None = None,
    model: CreditModel = "last",
    filters: Mapping[str, Sequence[str]] | None = None,
    lang: Lang = "en",
    today: datetime.date | None = None,
) -> KpiTable:
    """``metrics`` by ``by`` (and ``period``) within [start, end] (local days).

    ``filters`` keeps rows whose dimension (or ``account``) is one of the values; a metric
    whose data has no such dimension (cost has no segment) is null rather than unfiltered.
    ``compare`` adds ``<metric>_compare`` and ``<metric>_change`` (relative) to rows and
    totals: the previous period (or window) or the same period last year. With ``today``
    each metric carries the trust score of its data (the audit's, as of that day).
    """
    chosen = _metrics(metrics)
    by = _dimensions(by)
    if model not in CREDIT_MODELS:
        raise UsageError(f"unknown attribution model {model!r}", fix=_one_of(CREDIT_MODELS))
    if compare is not None and compare not in COMPARES:
        raise UsageError(f"unknown comparison {compare!r}", fix=_one_of(COMPARES))
    window = check_window(start, end)
    kept = {k: tuple(sorted(set(v))) for k, v in (filters or {}).items()}
    for key in kept:
        if key not in (*DIMENSIONS, "account"):
            raise UsageError(f"cannot filter on {key!r}", fix=_one_of(DIMENSIONS))
    measures = tuple(dict.fromkeys(p for m in chosen for p in m.parts))
    tables = StoredTables(store, settings.engine)
    query = KpiQuery(measures, tuple(by), period, window, kept)
    # "To date" measures (LTV, customer months) run to the window's end, else the data's.
    as_of = window.end
    if data_bounds_needed(query) or window.end is None:
        first, last = _data_bounds(tables, settings)
        as_of = window.end or last
        if data_bounds_needed(query):
            window = Window(window.start or first, window.end or last)
            query = KpiQuery(measures, tuple(by), period, window, kept)
    ctx = FactContext(
        tables,
        settings.timezone,
        dialect=tables.dialect,
        model=model,
        lookback_days=settings.lookback_days,
        as_of=as_of,
    )
    rows, totals, fact_dims, _ = _run(tables, ctx, query, chosen)
    compare_window: Window | None = None
    if compare is not None:
        compare_window = _compare_window(window, None, compare)
        past_totals, past_parts = _totals_over(tables, ctx, query, chosen, compare_window)
        # A slice with no data then reads zero (or null where its data can't be sliced).
        empty = evaluate(chosen, {m: None if v is None else 0.0 for m, v in past_parts.items()})
        totals = _compared(totals, past_totals, chosen)
        rows_window = _compare_window(window, period, compare)
        past_rows, *_ = _run(
            tables,
            replace(ctx, as_of=rows_window.end),
            replace(query, window=rows_window),
            chosen,
        )
        periods = _period_map(window, rows_window, period, compare) if period else {}
        rows = _with_comparison(rows, past_rows, empty, chosen, periods)
    return KpiTable(
        metrics=[MetricInfo.of(m, lang) for m in chosen],
        dimensions=list(by) + (["period"] if period else []),
        period=period,
        currency=settings.reporting_currency,
        attribution=model,
        lookback_days=settings.lookback_days,
        start=window.start,
        end=window.end,
        rows=[_labelled(key, values, by, period) for key, values in _ordered(rows, chosen)],
        totals=totals,
        channels=sorted(kept.get("channel", ())),
        segments=sorted(kept.get("segment", ())),
        cost_sliced="cost" not in _not_sliced(chosen, list(kept), fact_dims),
        compare=compare,
        compare_start=compare_window.start if compare_window else None,
        compare_end=compare_window.end if compare_window else None,
        not_sliced=_not_sliced(chosen, [*by, *kept], fact_dims),
        trust=_trust(store, settings, chosen, today) if today is not None else {},
    )


def _trust(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    chosen: Sequence[Metric],
    today: datetime.date,
) -> dict[str, float | None]:
    scores = table_trust_scores(store, settings, today)
    return {m.id: metric_trust(m.tables, scores) for m in chosen}


Row = dict[str, float | None]
Rows = dict[tuple[object, ...], Row]


def _run(
    tables: StoredTables, ctx: FactContext, query: KpiQuery, chosen: Sequence[Metric]
) -> tuple[Rows, Row, dict[str, frozenset[str]], Row]:
    """Rows (key -> metric values), totals, the dimensions of each fact used, and the
    totals' measures."""
    plans = plan(ctx, query, cached_builders(tables))
    results = [_execute(tables, p) for p in plans]
    keys = list(query.by) + (["period_start"] if query.period else [])
    periods = all_periods(query.window.start, query.window.end, query.period)
    parts_rows, parts_totals = merge(results, keys, periods)
    rows = {key: evaluate(chosen, parts) for key, parts in parts_rows.items()}
    totals = evaluate(chosen, parts_totals)
    return rows, totals, {p.fact: p.dims for p in plans}, parts_totals


def _execute(tables: StoredTables, fact_plan: FactPlan) -> FactResult:
    rows = tables.rows(fact_plan.rows) if fact_plan.rows is not None else None
    total = tables.rows(fact_plan.total)[0] if fact_plan.total is not None else None
    return FactResult(fact_plan.measures, rows, total, fact_plan.applicable)


def _metrics(ids: Sequence[str]) -> list[Metric]:
    if not ids:
        raise UsageError("no metric asked", fix="name metrics with --metrics, e.g. cost,revenue")
    chosen = []
    for metric_id in dict.fromkeys(ids):
        if metric_id not in KPI_METRICS:
            hint = "it is not a KPI of the engine" if metric_id in METRICS else "unknown"
            raise UsageError(
                f"metric {metric_id!r}: {hint}",
                fix="list the KPIs with `pilotage metrics`; e.g. " + ", ".join(KPI_METRICS[:8]),
            )
        chosen.append(METRICS[metric_id])
    return chosen


def _dimensions(by: Sequence[str]) -> list[str]:
    dims = [d.strip() for d in by if d.strip()]
    for dim in dims:
        if dim not in DIMENSIONS:
            raise UsageError(f"cannot slice by {dim!r}", fix=_one_of(DIMENSIONS))
    if len(set(dims)) != len(dims):
        raise UsageError("a dimension is repeated in --by", fix="name each dimension once")
    return dims


def _one_of(values: Sequence[str]) -> str:
    return "use one of: " + ", ".join(values)


def _not_sliced(
    chosen: Sequence[Metric], asked: Sequence[str], fact_dims: Mapping[str, frozenset[str]]
) -> dict[str, list[str]]:
    """Metric -> the asked dimensions or filters its data cannot be sliced by."""
    out: dict[str, list[str]] = {}
    for metric in chosen:
        missing = {
            d for part in metric.parts for d in asked if d not in fact_dims[MEASURE_FACT[part]]
        }
        if missing:
            out[metric.id] = sorted(missing)
    return out


def _data_bounds(
    tables: StoredTables, settings: WorkspaceSettings
) -> tuple[datetime.date | None, datetime.date | None]:
    """First and last local day with data in the dated tables. The extreme instants are
    found in the engine and turned into local days here: converting every row's time zone
    costs seconds on millions of rows, and the local day is monotone in the instant."""
    zone = ZoneInfo(settings.timezone)
    days: list[datetime.date] = []
    for name in _DATED:
        if not tables.exists(name):
            continue
        t = tables[name]
        column = TABLES[name].time_column
        assert column is not None
        rec = tables.rows(t.aggregate(lo=t[column].min(), hi=t[column].max()))[0]
        for value in (rec["lo"], rec["hi"]):
            if isinstance(value, datetime.datetime):
                days.append(value.astimezone(zone).date())
            elif isinstance(value, datetime.date):
                days.append(value)
    return (min(days), max(days)) if days else (None, None)


def _totals_over(
    tables: StoredTables,
    ctx: FactContext,
    query: KpiQuery,
    chosen: Sequence[Metric],
    window: Window,
) -> tuple[Row, Row]:
    """Totals (metric values and measures) of ``query`` over another window."""
    _, totals, _, parts = _run(
        tables,
        replace(ctx, as_of=window.end),
        replace(query, by=(), period=None, window=window),
        chosen,
    )
    return totals, parts


def _compare_window(window: Window, period: Period | None, compare: Compare) -> Window:
    """The window compared with: a year back, one period back (rows by period), or the
    window of the same length just before."""
    if window.start is None or window.end is None:
        raise UsageError(
            "a comparison needs a closed window", fix="give --from and --to with --compare"
        )
    if compare == "last_year":
        return shifted(window, years=1)
    if period in ("month", "quarter", "year"):
        months = {"month": 1, "quarter": 3, "year": 12}[period]
        return Window(add_months(window.start, -months), add_months(window.end, -months))
    if period in ("day", "week"):
        return shifted(window, days=1 if period == "day" else 7)
    return shifted(window, days=(window.end - window.start).days + 1)


def _period_map(
    window: Window, past: Window, period: Period | None, compare: Compare
) -> dict[object, object]:
    """Past period start -> the current period start it is compared with: the same rank
    in the window for ``previous``, the same period a year later for ``last_year``."""
    past_keys = all_periods(past.start, past.end, period)
    if compare == "previous":
        return dict(zip(past_keys, all_periods(window.start, window.end, period), strict=False))
    assert period is not None
    moved: dict[object, object] = {}
    for key in past_keys:
        later = add_months(key, 12)
        moved[key] = period_spans(later, later, period)[0][0]
    return moved


def _with_comparison(
    rows: Rows, past_rows: Rows, empty: Row, chosen: Sequence[Metric], periods: dict[object, object]
) -> Rows:
    """Each row with its comparison values; with a period, the period start (last key) is
    mapped to the current one."""
    moved: Rows = {}
    for key, values in past_rows.items():
        if periods:
            key = (*key[:-1], periods.get(key[-1]))
        moved[key] = values
    return {key: _compared(values, moved.get(key, empty), chosen) for key, values in rows.items()}


def _compared(current: Row, past: Mapping[str, float | None], chosen: Sequence[Metric]) -> Row:
    out = dict(current)
    for metric in chosen:
        now, before = current.get(metric.id), past.get(metric.id)
        out[f"{metric.id}_compare"] = before
        change = None
        if now is not None and before is not None and before != 0:
            change = (now - before) / abs(before)
        out[f"{metric.id}_change"] = change
    return out


def _ordered(rows: Rows, chosen: Sequence[Metric]) -> list[tuple[tuple[object, ...], Row]]:
    """Periods in time order, then the biggest first on the first metric."""
    first = chosen[0].id

    def order(item: tuple[tuple[object, ...], Row]) -> tuple[str, float, str]:
        key, values = item
        dates = [str(v) for v in key if isinstance(v, datetime.date)]
        value = values.get(first)
        return (dates[-1] if dates else "", -(value or 0.0), str(key))

    return sorted(rows.items(), key=order)


def _labelled(
    key: tuple[object, ...], values: Row, by: Sequence[str], period: Period | None
) -> dict[str, object]:
    names = list(by) + (["period_start"] if period else [])
    out: dict[str, object] = {}
    for name, value in zip(names, key, strict=True):
        out["period" if name == "period_start" else name] = label(name, value, period)
    return out | values


def channel_kpis(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    *,
    by: By = "channel",
    period: Period | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    lang: Lang = "en",
    channels: Sequence[str] = (),
    segments: Sequence[str] = (),
    countries: Sequence[str] | None = None,
    account_ids: Sequence[str] | None = None,
    metrics: Sequence[str] = CHANNEL_KPIS,
    today: datetime.date | None = None,
    model: CreditModel = "last",
) -> KpiTable:
    """Cost, revenue, ROI and ROAS (or ``metrics``) by channel or by channel and campaign.

    ``channels`` and ``segments`` filter; ``countries`` and ``account_ids`` are a user's
    restriction (None: unrestricted). Spend has no segment, country or account, so under
    those cost, ROI and ROAS are null and ``cost_sliced`` is false.
    """
    if by not in ("channel", "campaign"):
        raise UsageError(f"cannot group by {by!r}", fix="use --by channel or --by campaign")
    filters: dict[str, Sequence[str]] = {}
    if channels:
        filters["channel"] = channels
    if segments:
        filters["segment"] = segments
    if countries is not None:
        filters["country"] = countries
    if account_ids is not None:
        filters["account"] = account_ids
    return kpi_table(
        store,
        settings,
        metrics=metrics,
        by=("channel",) if by == "channel" else ("channel", "campaign"),
        period=period,
        start=start,
        end=end,
        filters=filters,
        lang=lang,
        today=today,
        model=model,
    )
