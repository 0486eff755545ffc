"""Alerts: a monitoring run (anomalies in every KPI series, spend pacing, CPA drift), each
change explained (likely cause, suggested move), stored once across runs, and the team's
acknowledgements and resolutions.

A change found again (same rule, slice and direction, starting within
``same_change_weeks`` of a stored one) updates that alert; a stored open alert a run no
longer finds is resolved by the run ("no longer detected"). New alerts are queued for every
webhook (see :mod:`pilotage.services.webhooks`).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pilotage.core.governance.vocabulary import ALERT_RULES, ALERT_STATES, SEVERITIES
from pilotage.core.metrics.registry import METRICS
from pilotage.core.monitoring.settings import MonitorSettings
from pilotage.data.metadata.audit import record_audit
from pilotage.data.metadata.clock import now_of
from pilotage.data.metadata.models_governance import Alert
from pilotage.data.metadata.store import MetadataStore
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.errors import NotFoundError, UsageError
from pilotage.services.alerts_cause import likely_cause
from pilotage.services.alerts_detect import METHOD, anomaly_candidates, complete_weeks
from pilotage.services.alerts_drift import drift_candidates
from pilotage.services.alerts_pacing import pacing_candidates, pacing_view
from pilotage.services.alerts_realloc import channel_returns, suggest
from pilotage.services.alerts_types import (
    AlertInfo,
    AlertList,
    AlertRun,
    Candidate,
    Cause,
    Coverage,
    Move,
    PacingView,
)
from pilotage.services.alerts_wording import summary
from pilotage.services.reports import last_data_day
from pilotage.services.webhooks import queue

SYSTEM_RESOLVER = "pilotage (no longer detected)"
_SEVERITY_ORDER = {"critical": 0, "warning": 1, "info": 2}


def detect_changes(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    *,
    today: datetime.date,
    rules: MonitorSettings | None = None,
    proposal: Sequence[Move] = (),
) -> tuple[list[Candidate], Coverage, PacingView]:
    """Every rule over the data up to the last complete week (pacing: the last day),
    each change with its likely cause and suggested move."""
    rules = rules or MonitorSettings()
    last = last_data_day(store)
    if last is not None and last >= today:
        last = today - datetime.timedelta(days=1)
    pacing = pacing_view(store, settings, last, rules)
    if last is None:
        return [], Coverage(start=None, end=None, scored=0, skipped=[], method=METHOD), pacing
    weeks = complete_weeks(last, rules.history_weeks)
    found, scored, skipped = anomaly_candidates(store, settings, weeks, rules)
    found += drift_candidates(store, settings, weeks.end, rules)
    found += pacing_candidates(pacing)
    returns = channel_returns(store, settings, weeks.end)
    explained = []
    for c in found:
        cause = likely_cause(store, settings, c) if c.rule == "anomaly" else _own(c)
        c = c.model_copy(update={"cause": cause})
        move = suggest(c, returns, proposal, settings.reporting_currency)
        explained.append(c.model_copy(update={"suggestion": move}))
    coverage = Coverage(
        start=weeks.start, end=weeks.end, scored=scored, skipped=skipped, method=METHOD
    )
    return explained, coverage, pacing


def _own(c: Candidate) -> Cause | None:
    """Pacing and drift are about one channel: it is the cause."""
    if c.dimension is None or c.slice_value is None:
        return None
    return Cause(
        dimension=c.dimension,
        value=c.slice_value,
        share=1.0,
        effect=c.change_abs,
        before_start=c.since,
        before_end=c.since,
        after_start=c.since,
        after_end=c.last_period,
        slices=[],
    )


def run_alerts(
    store: AnalyticsStore,
    meta: MetadataStore,
    settings: WorkspaceSettings,
    *,
    today: datetime.date,
    rules: MonitorSettings | None = None,
    proposal: Sequence[Move] = (),
    webhook_urls: Sequence[str] = (),
    lang: str = "en",
) -> AlertRun:
    """Detect, then store (see :func:`store_changes`)."""
    rules = rules or MonitorSettings()
    found, coverage, pacing = detect_changes(
        store, settings, today=today, rules=rules, proposal=proposal
    )
    return store_changes(
        meta,
        found,
        coverage,
        pacing,
        rules=rules,
        currency=settings.reporting_currency,
        webhook_urls=webhook_urls,
        lang=lang,
    )


def store_changes(
    meta: MetadataStore,
    found: Sequence[Candidate],
    coverage: Coverage,
    pacing: PacingView,
    *,
    rules: MonitorSettings,
    currency: str,
    webhook_urls: Sequence[str] = (),
    lang: str = "en",
) -> AlertRun:
    """New changes open alerts (queued for the webhooks), known ones are updated (a
    resolved one stays resolved: it is not raised twice), stored open ones no longer found
    are resolved; all in one transaction."""
    tolerance = datetime.timedelta(weeks=rules.same_change_weeks)
    opened: list[Alert] = []
    updated: list[Alert] = []
    with meta.session() as session:
        when = now_of(session)
        live = list(session.scalars(select(Alert).where(Alert.state != "resolved")))
        matched: set[int] = set()
        for c in found:
            known = _match(session, c, tolerance)
            if known is None:
                alert = Alert(key=c.key, state="open", first_seen_at=when, times_seen=1)
                _fill(alert, c, when)
                session.add(alert)
                opened.append(alert)
            else:
                matched.add(known.id)
                if known.state != "resolved":
                    known.times_seen += 1
                    _fill(known, c, when, keep_since=True)
                    updated.append(known)
        session.flush()
        resolved = []
        for alert in live:
            if alert.id not in matched:
                alert.state, alert.resolved_at = "resolved", when
                alert.resolved_by = SYSTEM_RESOLVER
                resolved.append(alert)
        payloads = [{"event": "alert.opened", "alert": _payload(a, currency)} for a in opened]
        queue(session, opened, payloads, webhook_urls)
        if opened or resolved:
            record_audit(
                session,
                "system",
                "alerts.run",
                None,
                {"opened": len(opened), "updated": len(updated), "resolved": len(resolved)},
            )
        session.flush()
        return AlertRun(
            as_of=pacing.as_of,
            opened=[info(a, lang, currency) for a in opened],
            updated=[info(a, lang, currency) for a in updated],
            resolved=[info(a, lang, currency) for a in resolved],
            coverage=coverage,
            pacing=pacing,
        )


def _match(session: Session, c: Candidate, tolerance: datetime.timedelta) -> Alert | None:
    """The stored alert of the same change, preferring one still open."""
    rows = session.scalars(select(Alert).where(Alert.key == c.key).order_by(Alert.id.desc()))
    close = [a for a in rows if abs(a.since - c.since) <= tolerance]
    close.sort(key=lambda a: a.state == "resolved")
    return close[0] if close else None


def _fill(alert: Alert, c: Candidate, when: datetime.datetime, keep_since: bool = False) -> None:
    alert.rule, alert.kind, alert.metric_id = c.rule, c.kind, c.metric_id
    alert.dimension, alert.slice_value, alert.direction = c.dimension, c.slice_value, c.direction
    if not keep_since:
        alert.since = c.since
    alert.last_period = c.last_period
    alert.expected, alert.observed = c.expected, c.observed
    alert.change_abs, alert.change_rel, alert.score = c.change_abs, c.change_rel, c.score
    alert.severity = c.severity
    alert.cause = c.cause.model_dump(mode="json") if c.cause else None
    alert.suggestion = c.suggestion.model_dump(mode="json") if c.suggestion else None
    alert.details = c.details
    alert.last_seen_at = when


def _candidate(alert: Alert) -> Candidate:
    return Candidate(
        rule=alert.rule,  # type: ignore[arg-type]
        kind=alert.kind,  # type: ignore[arg-type]
        metric_id=alert.metric_id,
        dimension=alert.dimension,
        slice_value=alert.slice_value,
        direction=alert.direction,  # type: ignore[arg-type]
        since=alert.since,
        last_period=alert.last_period,
        expected=alert.expected,
        observed=alert.observed,
        change_abs=alert.change_abs,
        change_rel=alert.change_rel,
        score=alert.score,
        severity=alert.severity,  # type: ignore[arg-type]
        details=dict(alert.details or {}),
        cause=Cause.model_validate(alert.cause) if alert.cause else None,
        suggestion=Move.model_validate(alert.suggestion) if alert.suggestion else None,
    )


def info(alert: Alert, lang: str, currency: str) -> AlertInfo:
    c = _candidate(alert)
    metric = METRICS.get(alert.metric_id)
    return AlertInfo(
        id=alert.id,
        rule=c.rule,
        kind=c.kind,
        metric_id=c.metric_id,
        metric_name=metric.name(lang) if metric else c.metric_id,
        unit=metric.unit if metric else "",
        dimension=c.dimension,
        slice_value=c.slice_value,
        direction=c.direction,
        since=c.since,
        last_period=c.last_period,
        expected=c.expected,
        observed=c.observed,
        change_abs=c.change_abs,
        change_rel=c.change_rel,
        score=c.score,
        severity=c.severity,
        cause=c.cause,
        suggestion=c.suggestion,
        details=c.details,
        state=alert.state,  # type: ignore[arg-type]
        first_seen_at=alert.first_seen_at,
        last_seen_at=alert.last_seen_at,
        times_seen=alert.times_seen,
        acknowledged_at=alert.acknowledged_at,
        acknowledged_by=alert.acknowledged_by,
        resolved_at=alert.resolved_at,
        resolved_by=alert.resolved_by,
        note=alert.note,
        summary=summary(c, lang, currency),
    )


def _payload(alert: Alert, currency: str) -> dict[str, Any]:
    return {
        **info(alert, "en", currency).model_dump(mode="json"),
        "summary_fr": summary(_candidate(alert), "fr", currency),
    }


def list_alerts(
    meta: MetadataStore,
    *,
    currency: str,
    state: str | None = None,
    severity: str | None = None,
    rule: str | None = None,
    lang: str = "en",
) -> AlertList:
    """Alerts, the most serious and most recent first (``state`` "active": not resolved)."""
    _check("state", state, (*ALERT_STATES, "active"))
    _check("severity", severity, SEVERITIES)
    _check("rule", rule, ALERT_RULES)
    with meta.reading() as session:
        query = select(Alert)
        if state == "active":
            query = query.where(Alert.state != "resolved")
        elif state is not None:
            query = query.where(Alert.state == state)
        if severity is not None:
            query = query.where(Alert.severity == severity)
        if rule is not None:
            query = query.where(Alert.rule == rule)
        rows = sorted(
            session.scalars(query),
            key=lambda a: (a.state == "resolved", _SEVERITY_ORDER[a.severity], -a.id),
        )
        return AlertList(alerts=[info(a, lang, currency) for a in rows], currency=currency)


def _check(name: str, value: str | None, allowed: Sequence[str]) -> None:
    if value is not None and value not in allowed:
        raise UsageError(f"unknown {name} {value!r}", fix="use one of: " + ", ".join(allowed))


def get_alert(meta: MetadataStore, alert_id: int, *, currency: str, lang: str = "en") -> AlertInfo:
    with meta.reading() as session:
        return info(_alert(session, alert_id), lang, currency)


def _alert(session: Session, alert_id: int) -> Alert:
    alert = session.get(Alert, alert_id)
    if alert is None:
        raise NotFoundError(f"no alert {alert_id}", fix="list them with `pilotage alerts list`")
    return alert


def acknowledge(
    meta: MetadataStore,
    alert_id: int,
    actor: str,
    *,
    currency: str,
    note: str | None = None,
    lang: str = "en",
) -> AlertInfo:
    """Someone has seen it and owns it; a resolved alert can't be acknowledged."""
    with meta.session() as session:
        alert = _alert(session, alert_id)
        if alert.state == "resolved":
            raise UsageError(
                f"alert {alert_id} is resolved", fix="reopen it first (`pilotage alerts reopen`)"
            )
        alert.state = "acknowledged"
        alert.acknowledged_at, alert.acknowledged_by = now_of(session), actor
        if note:
            alert.note = note
        record_audit(session, actor, "alert.acknowledge", str(alert_id))
        session.flush()
        return info(alert, lang, currency)


def resolve(
    meta: MetadataStore,
    alert_id: int,
    actor: str,
    *,
    currency: str,
    note: str | None = None,
    lang: str = "en",
) -> AlertInfo:
    with meta.session() as session:
        alert = _alert(session, alert_id)
        alert.state = "resolved"
        alert.resolved_at, alert.resolved_by = now_of(session), actor
        if note:
            alert.note = note
        record_audit(session, actor, "alert.resolve", str(alert_id))
        session.flush()
        return info(alert, lang, currency)


def reopen(
    meta: MetadataStore, alert_id: int, actor: str, *, currency: str, lang: str = "en"
) -> AlertInfo:
    with meta.session() as session:
        alert = _alert(session, alert_id)
        alert.state = "open"
        alert.resolved_at = alert.resolved_by = None
        record_audit(session, actor, "alert.reopen", str(alert_id))
        session.flush()
        return info(alert, lang, currency)
