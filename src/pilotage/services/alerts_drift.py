"""CPA drift by channel: the cost per conversion of the last weeks against the weeks before,
tested for chance (conversions are counts), from the KPI engine's cost and conversions."""

from __future__ import annotations

import datetime

from pilotage.core.metrics.registry import METRICS
from pilotage.core.monitoring.drift import cpa_drift
from pilotage.core.monitoring.settings import MonitorSettings
from pilotage.core.monitoring.severity import CRITICAL_CHANGE
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.errors import UsageError
from pilotage.services.alerts_types import Candidate
from pilotage.services.kpis import KPI_METRICS, kpi_table


def check_cpa_metric(metric_id: str) -> tuple[str, str]:
    """The (cost, conversions) measures of a cost-per metric, or a UsageError."""
    metric = METRICS.get(metric_id)
    if (
        metric is None
        or metric_id not in KPI_METRICS
        or metric.kind != "ratio"
        or len(metric.num) != 1
        or len(metric.den) != 1
        or metric.num[0][0] != "cost"
    ):
        choices = [m for m in KPI_METRICS if m.startswith("cpa") or m == "cpl"]
        raise UsageError(
            f"{metric_id!r} is not a cost per conversion the drift check can test",
            fix="use one of: " + ", ".join(choices),
        )
    return metric.num[0][0], metric.den[0][0]


def drift_candidates(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    last_week_end: datetime.date,
    rules: MonitorSettings,
) -> list[Candidate]:
    """Channels whose CPA (each metric of ``rules.cpa_metrics``) rose by ``drift_min_change``
    or more with |z| >= ``drift_z`` over the last ``drift_recent_weeks`` complete weeks."""
    recent_start = last_week_end - datetime.timedelta(weeks=rules.drift_recent_weeks, days=-1)
    base_start = recent_start - datetime.timedelta(weeks=rules.drift_baseline_weeks)
    base_end = recent_start - datetime.timedelta(days=1)
    out = []
    for metric_id in rules.cpa_metrics:
        cost, conversions = check_cpa_metric(metric_id)
        windows = [
            kpi_table(store, settings, metrics=[cost, conversions], by=["channel"], start=a, end=b)
            for a, b in ((base_start, base_end), (recent_start, last_week_end))
        ]
        base, recent = ({str(r["channel"]): r for r in t.rows} for t in windows)
        for channel in sorted(set(base) & set(recent)):
            b, r = base[channel], recent[channel]
            drift = cpa_drift(
                _num(b.get(cost)),
                _num(b.get(conversions)),
                _num(r.get(cost)),
                _num(r.get(conversions)),
            )
            if drift is None or drift.change < rules.drift_min_change or drift.z < rules.drift_z:
                continue
            out.append(
                Candidate(
                    rule="cpa_drift",
                    kind="drift",
                    metric_id=metric_id,
                    dimension="channel",
                    slice_value=channel,
                    direction="up",
                    since=recent_start,
                    last_period=last_week_end - datetime.timedelta(days=6),
                    expected=drift.baseline,
                    observed=drift.recent,
                    change_abs=drift.recent - drift.baseline,
                    change_rel=drift.change,
                    score=drift.z,
                    severity="critical" if drift.change >= CRITICAL_CHANGE else "warning",
                    details={
                        "period": "week",
                        "baseline_start": base_start.isoformat(),
                        "baseline_end": base_end.isoformat(),
                        "recent_conversions": _num(r.get(conversions)),
                        "baseline_conversions": _num(b.get(conversions)),
                    },
                )
            )
    return out


def _num(value: object) -> float:
    return float(value) if isinstance(value, int | float) else 0.0
