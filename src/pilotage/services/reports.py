"""Committee packs (weekly, monthly, quarterly): every number a report shows, computed here.

The packs call :func:`channel_kpis` once per period (the report period, the five before it
for the trend, and the same period last year), then compare them. Templates only format.
"""

from __future__ import annotations

import datetime
import hashlib
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select

from pilotage.core.kpis.credit import UNATTRIBUTED
from pilotage.data.metadata.models import Decision, Initiative
from pilotage.data.metadata.store import MetadataStore
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.services.governance_agenda_types import Agenda
from pilotage.services.kpis import REPORT_KPIS, Lang, channel_kpis
from pilotage.services.report_periods import ReportKind, ReportPeriod, latest_complete
from pilotage.services.results import KpiTable, MetricInfo, TableInfo
from pilotage.services.workspaces import table_summaries

#: Periods drawn in the trend chart, the report period included.
TREND_PERIODS = 6
#: Above this share of unattributed revenue, the pack asks for better tracking.
UNATTRIBUTED_ALERT = 0.25
#: The tables the KPIs are computed from; their coverage is printed in the pack.
KPI_TABLES = ("spend", "touchpoints", "orders")

Values = dict[str, float | None]
ActionCode = Literal["review_budget", "no_revenue", "improve_tracking", "scale_best"]


class Change(BaseModel):
    model_config = ConfigDict(frozen=True)

    absolute: float | None
    relative: float | None


class ChannelLine(BaseModel):
    """One channel's KPIs in the period, the previous period and a year before."""

    model_config = ConfigDict(frozen=True)

    channel: str
    current: Values
    previous: Values
    year_ago: Values
    vs_previous: dict[str, Change]
    vs_year_ago: dict[str, Change]


class TrendPoint(BaseModel):
    model_config = ConfigDict(frozen=True)

    period: str
    cost: float
    revenue: float
    roi: float | None


class Action(BaseModel):
    """A decision the numbers call for; the wording module turns it into a sentence."""

    model_config = ConfigDict(frozen=True)

    code: ActionCode
    channel: str | None
    value: float | None


class OpenItem(BaseModel):
    """An initiative not yet evaluated, or a decision taken during the period."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["initiative", "decision"]
    title: str
    status: str
    owner: str
    date: datetime.date


class ReportData(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: ReportKind
    period: str
    start: datetime.date
    end: datetime.date
    previous_period: str
    year_ago_period: str
    company: str
    currency: str
    lookback_days: int
    metrics: list[MetricInfo]
    total: ChannelLine
    channels: list[ChannelLine]
    trend: list[TrendPoint]
    best_channel: str | None
    worst_channel: str | None
    biggest_mover: str | None
    unattributed_share: float | None
    spending_without_revenue: list[str]
    actions: list[Action]
    open_items: list[OpenItem]
    coverage: list[TableInfo]
    #: The meeting's agenda built from the data (with the metadata store only).
    agenda: Agenda | None = None

    def fingerprint(self) -> str:
        """A hash of every number and fact in the pack: same inputs, same hash."""
        return hashlib.sha256(self.model_dump_json().encode("utf-8")).hexdigest()


def last_data_day(store: AnalyticsStore) -> datetime.date | None:
    days = [s.max_date for s in store.summaries() if s.table in KPI_TABLES and s.max_date]
    return datetime.date.fromisoformat(max(days)) if days else None


def default_period(store: AnalyticsStore, kind: ReportKind, today: datetime.date) -> ReportPeriod:
    """The latest complete period with data: what a pack without --period is about."""
    return latest_complete(kind, today, last_data_day(store))


def build_report(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    period: ReportPeriod,
    lang: Lang,
    meta: MetadataStore | None = None,
) -> ReportData:
    """All the numbers of one pack, from the analytics store (and the metadata store)."""
    periods = [period.shifted(i - TREND_PERIODS + 1) for i in range(TREND_PERIODS)]
    tables = [_kpis(store, settings, p, lang) for p in periods]
    current, previous = tables[-1], tables[-2]
    year_ago = _kpis(store, settings, period.year_before(), lang)
    names = [str(r["channel"]) for r in current.rows]
    names += [str(r["channel"]) for r in previous.rows if str(r["channel"]) not in names]
    lines = [
        _line(name, _row(current, name), _row(previous, name), _row(year_ago, name))
        for name in names
    ]
    total = _line("total", current.totals, previous.totals, year_ago.totals)
    paid = [line for line in lines if (line.current["cost"] or 0.0) > 0]
    best, worst = _best_and_worst(paid)
    silent = [line.channel for line in paid if not line.current["revenue"]]
    share = unattributed_share(current)
    return ReportData(
        kind=period.kind,
        period=period.label,
        start=period.start,
        end=period.end,
        previous_period=periods[-2].label,
        year_ago_period=period.year_before().label,
        company=settings.name,
        currency=settings.reporting_currency,
        lookback_days=settings.lookback_days,
        metrics=current.metrics,
        total=total,
        channels=lines,
        trend=[_point(p.label, t) for p, t in zip(periods, tables, strict=True)],
        best_channel=best.channel if best else None,
        worst_channel=worst.channel if worst else None,
        biggest_mover=_biggest_mover(lines),
        unattributed_share=share,
        spending_without_revenue=silent,
        actions=_actions(paid, best, share),
        open_items=open_items(meta, period, settings.timezone) if meta is not None else [],
        coverage=[s for s in table_summaries(store).tables if s.table in KPI_TABLES],
        agenda=_agenda(store, meta, settings, period, lang) if meta is not None else None,
    )


def _agenda(
    store: AnalyticsStore,
    meta: MetadataStore,
    settings: WorkspaceSettings,
    period: ReportPeriod,
    lang: Lang,
) -> Agenda:
    """The agenda as of the day after the period, so that a pack's numbers (and its
    fingerprint) do not change with the day it is written."""
    # Imported here: the agenda reads services (objectives, alerts) that import this module.
    from pilotage.services.governance_agenda import build_agenda

    return build_agenda(
        store,
        meta,
        settings,
        period,
        today=period.end + datetime.timedelta(days=1),
        workspace_root=store.path.parent,
        lang=lang,
    )


def _kpis(
    store: AnalyticsStore, settings: WorkspaceSettings, period: ReportPeriod, lang: Lang
) -> KpiTable:
    return channel_kpis(
        store, settings, start=period.start, end=period.end, lang=lang, metrics=REPORT_KPIS
    )


def _row(table: KpiTable, channel: str) -> Values:
    for row in table.rows:
        if row["channel"] == channel:
            return {m: row.get(m) for m in REPORT_KPIS}
    return {"cost": 0.0, "revenue": 0.0, "roi": None, "roas": None, "attributed_revenue": 0.0}


def change(current: float | None, base: float | None) -> Change:
    """Absolute and relative change; relative is null when the base is zero or missing."""
    if current is None or base is None:
        return Change(absolute=None, relative=None)
    relative = (current - base) / abs(base) if base else None
    return Change(absolute=current - base, relative=relative)


def _line(channel: str, current: Values, previous: Values, year_ago: Values) -> ChannelLine:
    return ChannelLine(
        channel=channel,
        current=dict(current),
        previous=dict(previous),
        year_ago=dict(year_ago),
        vs_previous={m: change(current.get(m), previous.get(m)) for m in REPORT_KPIS},
        vs_year_ago={m: change(current.get(m), year_ago.get(m)) for m in REPORT_KPIS},
    )


def _point(label: str, table: KpiTable) -> TrendPoint:
    return TrendPoint(
        period=label,
        cost=float(table.totals["cost"] or 0.0),
        revenue=float(table.totals["revenue"] or 0.0),
        roi=table.totals["roi"],
    )


def unattributed_share(table: KpiTable) -> float | None:
    """Share of revenue with no touch in the lookback window; None without revenue."""
    revenue = float(table.totals["revenue"] or 0.0)
    if revenue <= 0:
        return None
    lost = sum(float(r["revenue"]) for r in table.rows if r["channel"] == UNATTRIBUTED)
    return lost / revenue


def _biggest_mover(lines: list[ChannelLine]) -> str | None:
    """The channel whose attributed revenue moved most (in currency) since the last period."""
    moves = [
        (abs(line.vs_previous["revenue"].absolute or 0.0), line.channel)
        for line in lines
        if line.channel != UNATTRIBUTED
    ]
    moves = [m for m in moves if m[0] > 0]
    return max(moves)[1] if moves else None


def _best_and_worst(
    paid: list[ChannelLine],
) -> tuple[ChannelLine | None, ChannelLine | None]:
    """Highest ROI among channels with revenue; lowest ROI (then biggest cost) among payers."""

    def roi(line: ChannelLine) -> float:
        return line.current["roi"] or 0.0

    earning = [line for line in paid if line.current["revenue"]]
    best = max(earning, key=roi) if earning else None
    others = [line for line in paid if line is not best]
    worst = min(others, key=lambda line: (roi(line), -(line.current["cost"] or 0.0)), default=None)
    return best, worst


def _actions(
    paid: list[ChannelLine], best: ChannelLine | None, share: float | None
) -> list[Action]:
    actions: list[Action] = []
    for line in paid:
        roi = line.current["roi"]
        if not line.current["revenue"]:
            actions.append(
                Action(code="no_revenue", channel=line.channel, value=line.current["cost"])
            )
        elif roi is not None and roi < 0:
            actions.append(Action(code="review_budget", channel=line.channel, value=roi))
    if share is not None and share > UNATTRIBUTED_ALERT:
        actions.append(Action(code="improve_tracking", channel=None, value=share))
    best_roi = best.current["roi"] if best else None
    if best and len(paid) > 1 and best_roi is not None and best_roi > 0:
        actions.append(Action(code="scale_best", channel=best.channel, value=best_roi))
    return actions


def open_items(meta: MetadataStore, period: ReportPeriod, zone: str) -> list[OpenItem]:
    """Initiatives not yet evaluated, and the decisions taken during the period (local days)."""
    local = ZoneInfo(zone)
    first = datetime.datetime.combine(period.start, datetime.time(), tzinfo=local)
    after = datetime.datetime.combine(
        period.end + datetime.timedelta(days=1), datetime.time(), tzinfo=local
    )
    with meta.reading() as session:
        initiatives = session.scalars(
            select(Initiative)
            .where(Initiative.status != "evaluated")
            .order_by(Initiative.created_at, Initiative.id)
        ).all()
        decisions = session.scalars(
            select(Decision)
            .where(Decision.decided_at >= first, Decision.decided_at < after)
            .order_by(Decision.decided_at, Decision.id)
        ).all()
        items = [
            OpenItem(
                kind="initiative",
                title=i.name,
                status=i.status,
                owner=i.owner,
                date=i.created_at.date(),
            )
            for i in initiatives
        ]
        items += [
            OpenItem(
                kind="decision",
                title=d.title,
                status=d.committee,
                owner=d.decided_by,
                date=d.decided_at.date(),
            )
            for d in decisions
        ]
    return items
