"""Anomalies in every KPI's weekly series, total and by channel, from the KPI engine.

Which series are scored, and why the others are not, is part of the answer (``Coverage``):
cohort metrics whose recent weeks are still maturing, series too short, too sparse, with too
few events a week to tell a change from noise, or of a flighted channel (its spend is on and
off, which pacing judges against the plan). Stocks (MRR, customers at start) are left to
their flows (new customers, churn, retention rates).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from pilotage.core.governance.vocabulary import Direction
from pilotage.core.kpis.measures import MEASURE_FACT
from pilotage.core.kpis.periods import period_label
from pilotage.core.metrics.registry import METRICS, Metric
from pilotage.core.monitoring.anomaly import Finding, detect, screen
from pilotage.core.monitoring.settings import MonitorSettings
from pilotage.core.monitoring.severity import polarity, severity
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.services.alerts_types import Candidate, SkippedSeries
from pilotage.services.kpis import KPI_METRICS, kpi_table
from pilotage.services.results import KpiTable

#: Measures of "to date" cohorts: their latest periods have not had time to mature.
MATURING = frozenset(
    m for m in MEASURE_FACT if m.startswith("cohort_") or m in ("customer_months",)
)
#: The events behind each fact: a series is scored when they are numerous enough.
FACT_EVENTS: dict[str, tuple[str, ...]] = {
    "sessions": ("touches",),
    "orders": ("orders",),
    "customers": ("new_customers",),
    "conversions": ("conversions",),
    "funnel": ("leads",),
    "opportunities_created": ("opportunities_created",),
    "opportunities_closed": ("won_deals", "lost_deals"),
    "retention": ("customers_start",),
    "surveys": ("nps_responses", "csat_responses", "ces_responses"),
}
#: Above this share of a total from flighted channels, the total is not scored.
FLIGHTED_SHARE = 0.2
METHOD = (
    "complete weeks, log scale when positive; baseline = quadratic trend + yearly Fourier "
    "seasonality (4 pairs, with 78+ weeks of history); lasting level shifts by a step search "
    "(robust t-statistic, the jump visible in the weeks around it); spikes and dips in the "
    "last weeks by robust residual z-scores; isolated outliers left out of the fits"
)


@dataclass(frozen=True)
class Weeks:
    """Complete ISO weeks [start (a Monday), end (a Sunday)] and their first days."""

    start: datetime.date
    end: datetime.date

    @property
    def mondays(self) -> list[datetime.date]:
        count = (self.end - self.start).days // 7 + 1
        return [self.start + datetime.timedelta(weeks=k) for k in range(count)]


def complete_weeks(last_day: datetime.date, history_weeks: int) -> Weeks:
    """The ``history_weeks`` complete weeks ending on the last Sunday on or before
    ``last_day``: a week still running would read as a dip."""
    end = last_day - datetime.timedelta(days=(last_day.weekday() + 1) % 7)
    return Weeks(end - datetime.timedelta(weeks=history_weeks) + datetime.timedelta(days=1), end)


def monitored_metrics() -> tuple[list[str], list[SkippedSeries]]:
    kept, skipped = [], []
    for metric_id in KPI_METRICS:
        metric = METRICS[metric_id]
        why = None
        if any(p in MATURING for p in metric.parts):
            why = "cohort to date: its recent weeks are still maturing"
        elif metric.kind == "stock":
            why = "a stock: its flows (new customers, churn, retention rates) are scored"
        if why is None:
            kept.append(metric_id)
        else:
            skipped.append(
                SkippedSeries(metric_id=metric_id, dimension=None, slice_value=None, reason=why)
            )
    return kept, skipped


def event_measures(metric: Metric) -> tuple[str, ...]:
    """The counts whose weekly volume decides whether ``metric`` can be scored."""
    if metric.kind == "ratio":
        below = tuple(m for m, _ in metric.den)
        if all(METRICS[m].unit == "count" for m in below):
            return below
    if metric.unit == "count" and metric.kind in ("additive", "distinct"):
        return (metric.id,)
    return FACT_EVENTS.get(MEASURE_FACT[metric.parts[0]], ())


def anomaly_candidates(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    weeks: Weeks,
    rules: MonitorSettings,
) -> tuple[list[Candidate], int, list[SkippedSeries]]:
    """Changes in every monitored KPI's weekly series (total and by channel), the number
    of series scored, and the series skipped with the reason."""
    metric_ids, skipped = monitored_metrics()
    needed = sorted(set(metric_ids) | {e for m in metric_ids for e in event_measures(METRICS[m])})
    total = kpi_table(
        store, settings, metrics=needed, period="week", start=weeks.start, end=weeks.end
    )
    by_channel = kpi_table(
        store,
        settings,
        metrics=needed,
        by=["channel"],
        period="week",
        start=weeks.start,
        end=weeks.end,
    )
    grid = _Grid(weeks)
    channels = grid.by_channel(by_channel)
    flighted = {c for c, v in channels.items() if _flighted(v.get("cost"), rules)}
    series: list[tuple[str | None, dict[str, np.ndarray]]] = [(None, grid.total(total))]
    series += list(channels.items())
    found: list[Candidate] = []
    scored = 0
    for channel, values in series:
        for metric_id in metric_ids:
            if channel is not None and metric_id in by_channel.not_sliced:
                continue
            y = values.get(metric_id)
            if y is None or not np.isfinite(y).any() or not np.nan_to_num(y).any():
                continue
            metric = METRICS[metric_id]
            if channel is None:
                why = _mixes_flights(metric, channels, flighted)
            elif channel in flighted:
                why = "flighted channel (spend on and off): pacing watches it against the plan"
            else:
                why = None
            why = why or _reason_to_skip(metric, y, values, rules)
            if why is not None:
                skipped.append(
                    SkippedSeries(
                        metric_id=metric_id,
                        dimension=_dim(channel),
                        slice_value=channel,
                        reason=why,
                    )
                )
                continue
            scored += 1
            candidate = _candidate(metric_id, channel, y, weeks, rules)
            if candidate is not None:
                found.append(candidate)
    return group(found, rules), scored, skipped


def _dim(channel: str | None) -> str | None:
    return None if channel is None else "channel"


class _Grid:
    """Turns a weekly KPI table into one array per metric (weeks in order; NaN where a
    ratio has no value, 0 where an additive metric has no row)."""

    def __init__(self, weeks: Weeks) -> None:
        self.index = {period_label(m, "week"): i for i, m in enumerate(weeks.mondays)}

    def _empty(self, table: KpiTable) -> dict[str, np.ndarray]:
        n = len(self.index)
        out = {}
        for info in table.metrics:
            additive = METRICS[info.id].kind in ("additive", "distinct")
            out[info.id] = np.zeros(n) if additive else np.full(n, np.nan)
        return out

    def _fill(self, target: dict[str, np.ndarray], row: dict[str, object]) -> None:
        week = self.index.get(str(row["period"]))
        if week is None:
            return
        for metric_id, values in target.items():
            value = row.get(metric_id)
            if isinstance(value, int | float):
                values[week] = float(value)

    def total(self, table: KpiTable) -> dict[str, np.ndarray]:
        out = self._empty(table)
        for row in table.rows:
            self._fill(out, row)
        return out

    def by_channel(self, table: KpiTable) -> dict[str, dict[str, np.ndarray]]:
        out: dict[str, dict[str, np.ndarray]] = {}
        for row in table.rows:
            channel = str(row["channel"])
            if channel not in out:
                out[channel] = self._empty(table)
            self._fill(out[channel], row)
        return dict(sorted(out.items()))


def _flighted(cost: np.ndarray | None, rules: MonitorSettings) -> bool:
    if cost is None or not np.nan_to_num(cost).any():
        return False
    return screen(cost, rules.detector).skipped == "intermittent"


def _mixes_flights(
    metric: Metric, channels: dict[str, dict[str, np.ndarray]], flighted: set[str]
) -> str | None:
    """A total a fifth or more of which comes from flighted channels moves with their
    flights: it is scored channel by channel instead."""
    if not flighted:
        return None
    for part in metric.parts:
        if METRICS[part].kind not in ("additive", "distinct"):
            continue
        amounts = {c: float(np.nansum(v[part])) for c, v in channels.items() if part in v}
        whole = sum(amounts.values())
        share = sum(a for c, a in amounts.items() if c in flighted) / whole if whole else 0.0
        if share >= FLIGHTED_SHARE:
            return (
                f"a fifth or more of its {part} comes from flighted channels: scored "
                "channel by channel"
            )
    return None


def _reason_to_skip(
    metric: Metric, y: np.ndarray, values: dict[str, np.ndarray], rules: MonitorSettings
) -> str | None:
    events = event_measures(metric)
    if events:
        volume = sum(np.nan_to_num(values[e]) for e in events)
        recent = np.asarray(volume)[-26:]
        if float(np.median(recent)) < rules.min_weekly_events:
            return f"fewer than {rules.min_weekly_events:g} events a week: too noisy to score"
    return screen(y, rules.detector).skipped


def _candidate(
    metric_id: str,
    channel: str | None,
    y: np.ndarray,
    weeks: Weeks,
    rules: MonitorSettings,
) -> Candidate | None:
    finding = detect(y, rules.detector)
    if finding is None:
        return None
    since = weeks.mondays[screen(y, rules.detector).offset + finding.start]
    if finding.kind == "shift" and since < weeks.end - datetime.timedelta(
        weeks=rules.lookback_weeks
    ):
        return None
    return _from_finding(metric_id, channel, finding, since, weeks)


def _from_finding(
    metric_id: str,
    channel: str | None,
    finding: Finding,
    since: datetime.date,
    weeks: Weeks,
) -> Candidate:
    moved = finding.observed - finding.expected
    direction: Direction = "up" if moved > 0 else "down"
    side = polarity(metric_id, channel)
    return Candidate(
        rule="anomaly",
        kind=finding.kind,
        metric_id=metric_id,
        dimension=_dim(channel),
        slice_value=channel,
        direction=direction,
        since=since,
        last_period=weeks.mondays[-1],
        expected=finding.expected,
        observed=finding.observed,
        change_abs=moved,
        change_rel=finding.change,
        score=finding.z,
        severity=severity(direction, finding.change, side),
        details={
            "period": "week",
            "scale": finding.scale,
            "seasonal": finding.seasonal,
            "weeks": finding.weeks,
            "related": [],
        },
    )


def group(found: Sequence[Candidate], rules: MonitorSettings) -> list[Candidate]:
    """One candidate per event: a channel's change already seen in the total (same metric,
    direction and start, give or take ``same_change_weeks``) is left to the total's cause;
    then the metrics of one slice moving the same way within ``group_weeks`` are one
    candidate, led by the strongest (the others listed as related)."""
    tolerance = datetime.timedelta(weeks=rules.same_change_weeks)
    totals = [c for c in found if c.dimension is None]
    kept = [
        c
        for c in found
        if c.dimension is None
        or not any(
            t.metric_id == c.metric_id
            and t.direction == c.direction
            and abs(t.since - c.since) <= tolerance
            for t in totals
        )
    ]
    near = datetime.timedelta(weeks=rules.group_weeks)
    groups: list[list[Candidate]] = []
    for c in sorted(kept, key=lambda c: -abs(c.score or 0.0)):
        for g in groups:
            lead = g[0]
            if (lead.dimension, lead.slice_value, lead.direction) == (
                c.dimension,
                c.slice_value,
                c.direction,
            ) and abs(lead.since - c.since) <= near:
                g.append(c)
                break
        else:
            groups.append([c])
    out = []
    for g in groups:
        lead, others = g[0], g[1:]
        related = [
            {"metric_id": o.metric_id, "change_rel": o.change_rel, "since": o.since.isoformat()}
            for o in others
        ]
        out.append(lead.model_copy(update={"details": {**lead.details, "related": related}}))
    return sorted(out, key=lambda c: (c.dimension or "", c.slice_value or "", c.since))
