"""Spend pacing: month-to-date spend of each channel's budgeted campaigns against their
budgets spread evenly over their flights (``campaigns.budget``, ``start_date``,
``end_date``), and the pacing alerts of the channels off plan."""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict

from pilotage.core.monitoring.pacing import Flight, Pacing, pace, pacing_kind
from pilotage.core.monitoring.settings import MonitorSettings
from pilotage.core.monitoring.severity import CRITICAL_CHANGE
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.services.alerts_types import Candidate, ChannelPacing, PacingView
from pilotage.services.reports import last_data_day
from pilotage.services.tables import StoredTables, as_float


def pacing_view(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    as_of: datetime.date | None,
    rules: MonitorSettings,
) -> PacingView:
    """Each channel's pacing in the month of ``as_of`` (the last day with data)."""
    if as_of is None:
        return PacingView(
            month_start=None,
            as_of=None,
            currency=settings.reporting_currency,
            channels=[],
            undated_campaigns=0,
        )
    month_start = as_of.replace(day=1)
    month_days = calendar.monthrange(as_of.year, as_of.month)[1]
    month_end = month_start + datetime.timedelta(days=month_days - 1)
    tables = StoredTables(store, settings.engine)
    campaigns = tables["campaigns"]
    budgeted = campaigns.filter(campaigns.budget.notnull() & (campaigns.budget > 0))
    rows = tables.rows(
        budgeted.select("campaign_id", "channel", "budget", "start_date", "end_date")
    )
    flights: dict[str, list[tuple[str, Flight]]] = defaultdict(list)
    undated = 0
    for row in rows:
        start, end = row["start_date"], row["end_date"]
        if not isinstance(start, datetime.date) or not isinstance(end, datetime.date):
            undated += 1
            continue
        if end < start:
            undated += 1
            continue
        flight = Flight(as_float(row["budget"]), start, end)
        if flight.planned(month_start, month_end) > 0:
            flights[str(row["channel"])].append((str(row["campaign_id"]), flight))
    spent = _spent(tables, [c for f in flights.values() for c, _ in f], month_start, as_of)
    channels = []
    for channel, flown in sorted(flights.items()):
        p = pace(
            planned_to_date=sum(f.planned(month_start, as_of) for _, f in flown),
            spent_to_date=sum(spent.get(c, 0.0) for c, _ in flown),
            planned_period=sum(f.planned(month_start, month_end) for _, f in flown),
            elapsed_days=(as_of - month_start).days + 1,
            period_days=month_days,
        )
        kind = pacing_kind(p, rules.pacing_tolerance, rules.pacing_min_share * p.planned_period)
        channels.append(_row(channel, len(flown), p, kind or "on_plan"))
    return PacingView(
        month_start=month_start,
        as_of=as_of,
        currency=settings.reporting_currency,
        channels=channels,
        undated_campaigns=undated,
    )


def _spent(
    tables: StoredTables, campaign_ids: list[str], first: datetime.date, last: datetime.date
) -> dict[str, float]:
    if not campaign_ids:
        return {}
    spend = tables["spend"]
    kept = spend.filter(
        spend.campaign_id.isin(campaign_ids) & (spend.date >= first) & (spend.date <= last)
    )
    summed = kept.group_by("campaign_id").aggregate(cost=kept.cost.sum())
    return {str(r["campaign_id"]): as_float(r["cost"]) for r in tables.rows(summed)}


def _row(channel: str, campaigns: int, p: Pacing, status: str) -> ChannelPacing:
    return ChannelPacing(
        channel=channel,
        campaigns=campaigns,
        planned_to_date=p.planned_to_date,
        spent_to_date=p.spent_to_date,
        planned_month=p.planned_period,
        projected=p.projected,
        ratio=p.ratio,
        status=status,
    )


def pacing_candidates(view: PacingView) -> list[Candidate]:
    """One alert per channel over or under its plan to date."""
    if view.month_start is None or view.as_of is None:
        return []
    out = []
    for c in view.channels:
        if c.status not in ("overspend", "underspend"):
            continue
        change = None if c.ratio is None else c.ratio - 1.0
        gap = c.projected - c.planned_month
        big = change is None or abs(change) >= CRITICAL_CHANGE / 2
        out.append(
            Candidate(
                rule="pacing",
                kind="overspend" if c.status == "overspend" else "underspend",
                metric_id="cost",
                dimension="channel",
                slice_value=c.channel,
                direction="up" if c.status == "overspend" else "down",
                since=view.month_start,
                last_period=view.as_of,
                expected=c.planned_to_date,
                observed=c.spent_to_date,
                change_abs=c.spent_to_date - c.planned_to_date,
                change_rel=change,
                score=None,
                severity="critical" if big and c.status == "overspend" else "warning",
                details={
                    "period": "month",
                    "planned_month": c.planned_month,
                    "projected": c.projected,
                    "gap": gap,
                    "campaigns": c.campaigns,
                },
            )
        )
    return out


def month_pacing(store: AnalyticsStore, settings: WorkspaceSettings) -> PacingView:
    """Pacing of the month of the last day with data, with the default tolerances."""
    return pacing_view(store, settings, last_data_day(store), MonitorSettings())
