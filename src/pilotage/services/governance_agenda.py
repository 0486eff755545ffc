"""The agenda of each cadence, built from the data: KPIs against objectives, alerts, spend
pacing, initiatives awaiting a decision, finished experiments, the reallocation proposal,
open action items, and (quarterly) the strategy health check.

weekly (performance analysis): objectives at risk, active alerts, pacing, actions due.
monthly (digital committee): objectives, warnings and critical alerts, initiatives awaiting
a decision, experiments finished in the month, the reallocation proposal, open actions.
quarterly (strategy review): objectives, critical alerts, health check, initiatives,
experiments of the quarter, the reallocation proposal, the quarter's decisions, actions.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from pilotage.core.governance.vocabulary import Cadence
from pilotage.core.monitoring.settings import MonitorSettings
from pilotage.data.metadata.store import MetadataStore
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.data.workspace import Workspace
from pilotage.services.alerts import list_alerts
from pilotage.services.alerts_pacing import pacing_view
from pilotage.services.alerts_realloc import (
    channel_returns,
    proposal_moves,
    roi_proposal,
)
from pilotage.services.alerts_types import Move
from pilotage.services.experiment_results import stored_lifts
from pilotage.services.governance import decision_log, list_actions
from pilotage.services.governance_agenda_types import (
    Agenda,
    AgendaItem,
    AgendaSection,
    SectionCode,
)
from pilotage.services.governance_health import health_check
from pilotage.services.initiatives import list_initiatives
from pilotage.services.objectives import objectives_status
from pilotage.services.planning_view import experiments_view
from pilotage.services.report_periods import ReportPeriod, latest_complete
from pilotage.services.reports import last_data_day

SECTIONS: dict[Cadence, tuple[SectionCode, ...]] = {
    "weekly": ("objectives", "alerts", "pacing", "actions"),
    "monthly": (
        "objectives",
        "alerts",
        "initiatives",
        "experiments",
        "reallocation",
        "actions",
    ),
    "quarterly": (
        "objectives",
        "alerts",
        "health",
        "initiatives",
        "experiments",
        "reallocation",
        "decisions",
        "actions",
    ),
}
#: Alert severities each cadence brings to the table.
ALERT_LEVELS: dict[Cadence, tuple[str, ...]] = {
    "weekly": ("critical", "warning", "info"),
    "monthly": ("critical", "warning"),
    "quarterly": ("critical",),
}


def agenda_period(store: AnalyticsStore, cadence: Cadence, today: datetime.date) -> ReportPeriod:
    """The period a meeting held ``today`` reviews: the latest complete one with data."""
    return latest_complete(cadence, today, last_data_day(store))


def build_agenda(
    store: AnalyticsStore,
    meta: MetadataStore,
    settings: WorkspaceSettings,
    period: ReportPeriod,
    *,
    today: datetime.date,
    workspace_root: Path | None = None,
    lang: str = "en",
) -> Agenda:
    """The agenda of ``period.kind``'s meeting about ``period``."""
    cadence: Cadence = period.kind
    builders = {
        "objectives": lambda: _objectives(store, meta, settings, cadence, today, lang),
        "alerts": lambda: _alerts(meta, settings, cadence, lang),
        "pacing": lambda: _pacing(store, settings, period),
        "initiatives": lambda: _initiatives(meta, today),
        "experiments": lambda: _experiments(store, meta, settings, period),
        "reallocation": lambda: _reallocation(store, settings, period, workspace_root),
        "health": lambda: _health(store, meta, settings, today, lang),
        "decisions": lambda: _decisions(meta, period, today),
        "actions": lambda: _actions(meta, cadence, today),
    }
    sections = [builders[code]() for code in SECTIONS[cadence]]
    return Agenda(
        cadence=cadence,
        period=period.label,
        start=period.start,
        end=period.end,
        today=today,
        sections=sections,
    )


def _objectives(
    store: AnalyticsStore,
    meta: MetadataStore,
    settings: WorkspaceSettings,
    cadence: Cadence,
    today: datetime.date,
    lang: str,
) -> AgendaSection:
    result = objectives_status(
        store, meta, settings, today=today, lang="fr" if lang == "fr" else "en"
    )
    items = [
        AgendaItem(
            title=o.name,
            detail=o.metric_name,
            actual=o.value_to_date,
            target=o.target,
            unit=o.unit,
            probability=o.probability,
            status=o.status,
            owner=o.owner,
            due=o.deadline,
            value=o.progress,
            ref=str(o.id) if o.id is not None else None,
        )
        for o in result.objectives
        if cadence != "weekly" or o.status in ("at_risk", "off_track")
    ]
    return AgendaSection(code="objectives", items=items)


def _alerts(
    meta: MetadataStore, settings: WorkspaceSettings, cadence: Cadence, lang: str
) -> AgendaSection:
    alerts = list_alerts(meta, currency=settings.reporting_currency, state="active", lang=lang)
    items = [
        AgendaItem(
            title=a.summary,
            status=a.severity,
            due=a.since,
            value=a.change_rel,
            ref=str(a.id),
        )
        for a in alerts.alerts
        if a.severity in ALERT_LEVELS[cadence]
    ]
    return AgendaSection(code="alerts", items=items)


def _pacing(
    store: AnalyticsStore, settings: WorkspaceSettings, period: ReportPeriod
) -> AgendaSection:
    last = last_data_day(store)
    as_of = period.end if last is None else min(period.end, last)
    view = pacing_view(store, settings, as_of, MonitorSettings())
    items = [
        AgendaItem(
            title=c.channel,
            actual=c.spent_to_date,
            target=c.planned_to_date,
            unit="currency",
            status=c.status,
            value=c.ratio,
        )
        for c in view.channels
    ]
    return AgendaSection(code="pacing", items=items)


def _initiatives(meta: MetadataStore, today: datetime.date) -> AgendaSection:
    """Proposed initiatives (to approve or not) and launched ones due for evaluation."""
    result = list_initiatives(meta, today=today)
    items = [
        AgendaItem(
            title=i.name,
            detail=None
            if i.launchable or i.status != "proposed"
            else "; ".join([*i.plan_missing, *i.case_missing]) or None,
            status="evaluation_due" if i.evaluation_due else i.status,
            owner=i.owner,
            due=i.evaluation_date,
            value=i.expected_roi,
            ref=str(i.id),
        )
        for i in result.initiatives
        if i.status == "proposed" or i.evaluation_due
    ]
    return AgendaSection(code="initiatives", items=items)


def _experiments(
    store: AnalyticsStore,
    meta: MetadataStore,
    settings: WorkspaceSettings,
    period: ReportPeriod,
) -> AgendaSection:
    """Experiments whose last exposure falls in the period, with their saved decision."""
    last: dict[str, datetime.date] = {}
    for v in experiments_view(store, settings).variants:
        if v.last_exposure is not None:
            day = v.last_exposure.date()
            last[v.experiment_id] = max(day, last.get(v.experiment_id, day))
    decided = {r.experiment_id: r.decision for r in stored_lifts(meta).results}
    items = [
        AgendaItem(
            title=experiment,
            status=decided.get(experiment, "not_analysed"),
            due=day,
            ref=experiment,
        )
        for experiment, day in sorted(last.items(), key=lambda x: x[1])
        if period.start <= day <= period.end
    ]
    return AgendaSection(code="experiments", items=items)


def _reallocation(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    period: ReportPeriod,
    workspace_root: Path | None,
) -> AgendaSection:
    moves: list[Move] = []
    if workspace_root is not None:
        moves = proposal_moves(Workspace(workspace_root, settings))
    note = "mix_model" if moves else "roi"
    if not moves:
        returns = channel_returns(store, settings, period.end)
        moves = roi_proposal(returns, settings.reporting_currency)
    items = [
        AgendaItem(
            title=f"{m.from_channel} → {m.to_channel}",
            detail=m.basis,
            value=m.amount,
        )
        for m in moves
    ]
    return AgendaSection(code="reallocation", items=items, note=note)


def _health(
    store: AnalyticsStore,
    meta: MetadataStore,
    settings: WorkspaceSettings,
    today: datetime.date,
    lang: str,
) -> AgendaSection:
    check = health_check(store, meta, settings, today=today, lang=lang)
    items = [AgendaItem(title=a.area, value=a.score) for a in check.areas]
    return AgendaSection(
        code="health",
        items=items,
        note=None if check.overall is None else f"{check.overall:.0f}/100",
    )


def _decisions(meta: MetadataStore, period: ReportPeriod, today: datetime.date) -> AgendaSection:
    log = decision_log(meta, today=today)
    items = [
        AgendaItem(
            title=d.title,
            detail=d.text or None,
            status=d.committee,
            owner=d.decided_by,
            due=d.decided_at.date(),
            ref=str(d.id),
        )
        for d in log.decisions
        if period.start <= d.decided_at.date() <= period.end
    ]
    return AgendaSection(code="decisions", items=items)


def _actions(meta: MetadataStore, cadence: Cadence, today: datetime.date) -> AgendaSection:
    horizon = today + datetime.timedelta(days=7)
    items = [
        AgendaItem(
            title=a.title,
            status="overdue" if a.overdue else a.status,
            owner=a.owner,
            due=a.due_date,
            ref=str(a.id),
        )
        for a in list_actions(meta, today=today, status="open").actions
        if cadence != "weekly" or a.due_date <= horizon
    ]
    return AgendaSection(code="actions", items=items)
