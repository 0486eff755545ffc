"""Result objects of monitoring: a candidate change found by a run, its likely cause and the
budget move it suggests, a stored alert, and a run's summary."""

from __future__ import annotations

import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from pilotage.core.governance.vocabulary import (
    AlertKind,
    AlertRule,
    AlertState,
    Direction,
    Severity,
)


class SliceShare(BaseModel):
    """One slice's part in a change: its metric before and after (per week) and the change
    of the whole it accounts for (``share`` of it)."""

    model_config = ConfigDict(frozen=True)

    value: str
    before: float | None
    after: float | None
    effect: float
    share: float | None


class Cause(BaseModel):
    """The slice that explains most of a change, compared over two windows of local days."""

    model_config = ConfigDict(frozen=True)

    dimension: str
    value: str
    share: float | None
    effect: float | None
    before_start: datetime.date
    before_end: datetime.date
    after_start: datetime.date
    after_end: datetime.date
    #: The largest slices of the same dimension, the cause first.
    slices: list[SliceShare]


class Move(BaseModel):
    """A suggested reallocation: move ``amount`` per month from one channel to another.
    ``basis`` says where it comes from: "mix_model" (the saved mix model's proposal;
    ``from_roi``/``to_roi`` are then the marginal returns per euro at the optimum) or
    "roi" (the channels' ROI over the last 13 weeks, from the KPI engine)."""

    model_config = ConfigDict(frozen=True)

    basis: str
    from_channel: str
    to_channel: str
    amount: float
    currency: str
    from_roi: float | None
    to_roi: float | None


class Candidate(BaseModel):
    """A change found by a run, before it is matched with the stored alerts."""

    model_config = ConfigDict(frozen=True)

    rule: AlertRule
    kind: AlertKind
    metric_id: str
    dimension: str | None
    slice_value: str | None
    direction: Direction
    since: datetime.date
    last_period: datetime.date
    expected: float | None
    observed: float | None
    change_abs: float | None
    change_rel: float | None
    score: float | None
    severity: Severity
    details: dict[str, Any] = {}
    cause: Cause | None = None
    suggestion: Move | None = None

    @property
    def key(self) -> str:
        """What identifies the same change in a later run (with ``since`` close enough).
        Anomalies of a slice group several metrics: the key names the slice, not one."""
        metric = "*" if self.rule == "anomaly" else self.metric_id
        return "|".join(
            (self.rule, metric, self.dimension or "", self.slice_value or "", self.direction)
        )


class AlertInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    rule: AlertRule
    kind: AlertKind
    metric_id: str
    metric_name: str
    unit: str
    dimension: str | None
    slice_value: str | None
    direction: Direction
    since: datetime.date
    last_period: datetime.date
    expected: float | None
    observed: float | None
    change_abs: float | None
    change_rel: float | None
    score: float | None
    severity: Severity
    cause: Cause | None
    suggestion: Move | None
    details: dict[str, Any]
    state: AlertState
    first_seen_at: datetime.datetime
    last_seen_at: datetime.datetime
    times_seen: int
    acknowledged_at: datetime.datetime | None
    acknowledged_by: str | None
    resolved_at: datetime.datetime | None
    resolved_by: str | None
    note: str | None
    #: Plain-language summary (what moved, by how much, since when, why, what to do).
    summary: str


class AlertList(BaseModel):
    model_config = ConfigDict(frozen=True)

    alerts: list[AlertInfo]
    currency: str


class SkippedSeries(BaseModel):
    model_config = ConfigDict(frozen=True)

    metric_id: str
    dimension: str | None
    slice_value: str | None
    reason: str


class Coverage(BaseModel):
    """What a run looked at: complete weeks [start, end], series scored, series skipped
    (and why: too short, intermittent, too few events, maturing cohorts...)."""

    model_config = ConfigDict(frozen=True)

    start: datetime.date | None
    end: datetime.date | None
    scored: int
    skipped: list[SkippedSeries]
    method: str


class ChannelPacing(BaseModel):
    model_config = ConfigDict(frozen=True)

    channel: str
    campaigns: int
    planned_to_date: float
    spent_to_date: float
    planned_month: float
    projected: float
    ratio: float | None
    status: str


class PacingView(BaseModel):
    """Month-to-date spend of budgeted campaigns against their prorated budgets."""

    model_config = ConfigDict(frozen=True)

    month_start: datetime.date | None
    as_of: datetime.date | None
    currency: str
    channels: list[ChannelPacing]
    #: Campaigns with a budget but no start or end date: they can't be prorated.
    undated_campaigns: int


class DeliveryInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    alert_id: int
    url: str
    event: str
    status: str
    attempts: int
    created_at: datetime.datetime
    last_attempt_at: datetime.datetime | None
    delivered_at: datetime.datetime | None
    http_status: int | None
    error: str | None


class DeliveryReport(BaseModel):
    """What a delivery pass did; ``message`` says what is missing when some failed."""

    model_config = ConfigDict(frozen=True)

    delivered: int
    failed: int
    pending: int
    deliveries: list[DeliveryInfo]
    message: str | None


class AlertRun(BaseModel):
    model_config = ConfigDict(frozen=True)

    as_of: datetime.date | None
    opened: list[AlertInfo]
    updated: list[AlertInfo]
    resolved: list[AlertInfo]
    coverage: Coverage
    pacing: PacingView
    delivery: DeliveryReport | None = None
