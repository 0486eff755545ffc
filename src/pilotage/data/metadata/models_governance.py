"""Governance tables of the metadata store: alerts and their webhook deliveries, the
committees with their members, who answers for which domain (RACI), the action items of the
decision log, and the answers of the strategy health check.

Decisions themselves stay in ``decisions`` (models.py): the committee packs read them there;
an action item points at the decision it carries out.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pilotage.core.governance.vocabulary import (
    ACTION_STATUSES,
    ALERT_KINDS,
    ALERT_RULES,
    ALERT_STATES,
    CADENCES,
    DELIVERY_STATUSES,
    DIRECTIONS,
    DOMAINS,
    MEMBER_ROLES,
    RACI_LEVELS,
    SEVERITIES,
)
from pilotage.data.metadata.models import Base, one_of


class Alert(Base):
    """Something moved: one row per change, kept across runs (``key`` + ``since`` find it
    again), with its state in the team's hands (open, acknowledged, resolved).

    ``since`` is the first local day of the change; ``last_period`` the first day of the
    last period the run looked at. ``expected`` is the baseline without the change and
    ``observed`` the value with it, in the metric's unit; ``change_rel`` is relative.
    ``cause`` holds the slice that explains most of the change, ``suggestion`` the proposed
    budget move, ``details`` the rest (related metrics, method, pacing figures).
    """

    __tablename__ = "alerts"
    __table_args__ = (
        CheckConstraint(one_of("rule", ALERT_RULES), name="rule"),
        CheckConstraint(one_of("kind", ALERT_KINDS), name="kind"),
        CheckConstraint(one_of("direction", DIRECTIONS), name="direction"),
        CheckConstraint(one_of("severity", SEVERITIES), name="severity"),
        CheckConstraint(one_of("state", ALERT_STATES), name="state"),
        Index("ix_alerts_key_state", "key", "state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: rule|metric group|dimension|value|direction: the same change seen by a later run.
    key: Mapped[str] = mapped_column(String(500))
    rule: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20))
    metric_id: Mapped[str] = mapped_column(String(100))
    dimension: Mapped[str | None] = mapped_column(String(50))
    slice_value: Mapped[str | None] = mapped_column(String(200))
    direction: Mapped[str] = mapped_column(String(4))
    since: Mapped[date] = mapped_column(Date)
    last_period: Mapped[date] = mapped_column(Date)
    expected: Mapped[float | None] = mapped_column(Float)
    observed: Mapped[float | None] = mapped_column(Float)
    change_abs: Mapped[float | None] = mapped_column(Float)
    change_rel: Mapped[float | None] = mapped_column(Float)
    score: Mapped[float | None] = mapped_column(Float)
    severity: Mapped[str] = mapped_column(String(10))
    cause: Mapped[dict[str, Any] | None]
    suggestion: Mapped[dict[str, Any] | None]
    details: Mapped[dict[str, Any] | None]
    state: Mapped[str] = mapped_column(String(15), server_default=text("'open'"))
    first_seen_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    times_seen: Mapped[int] = mapped_column(Integer, server_default=text("1"))
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by: Mapped[str | None] = mapped_column(String(320))
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[str | None] = mapped_column(String(320))
    note: Mapped[str | None] = mapped_column(Text)

    deliveries: Mapped[list[AlertDelivery]] = relationship(
        back_populates="alert", cascade="all, delete-orphan", passive_deletes=True
    )


class Webhook(Base):
    """A URL that receives every new alert as JSON (POST)."""

    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2000), unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, server_default=true())
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(320))


class AlertDelivery(Base):
    """One alert to one URL: pending until the receiver answers 2xx, failed (kept, to be
    sent again) when every attempt failed; ``error`` says what went wrong."""

    __tablename__ = "alert_deliveries"
    __table_args__ = (
        CheckConstraint(one_of("status", DELIVERY_STATUSES), name="status"),
        UniqueConstraint("alert_id", "url", "event"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    event: Mapped[str] = mapped_column(String(30))
    payload: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(10), index=True)
    attempts: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    created_at: Mapped[datetime]
    last_attempt_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    http_status: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)

    alert: Mapped[Alert] = relationship(back_populates="deliveries")


class Committee(Base):
    """A governance meeting and its rhythm: the weekly performance analysis, the monthly
    digital committee, the quarterly strategy review. ``name`` is what decisions record."""

    __tablename__ = "committees"
    __table_args__ = (CheckConstraint(one_of("cadence", CADENCES), name="cadence"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    cadence: Mapped[str] = mapped_column(String(10))
    purpose: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]

    members: Mapped[list[CommitteeMember]] = relationship(
        back_populates="committee", cascade="all, delete-orphan", passive_deletes=True
    )


class CommitteeMember(Base):
    __tablename__ = "committee_members"
    __table_args__ = (
        CheckConstraint(one_of("role", MEMBER_ROLES), name="role"),
        UniqueConstraint("committee_id", "name"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    committee_id: Mapped[int] = mapped_column(
        ForeignKey("committees.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(30))
    email: Mapped[str | None] = mapped_column(String(320))
    title: Mapped[str | None] = mapped_column(String(200))

    committee: Mapped[Committee] = relationship(back_populates="members")


class Responsibility(Base):
    """Who is responsible, accountable, consulted or informed for a domain (RACI)."""

    __tablename__ = "responsibilities"
    __table_args__ = (
        CheckConstraint(one_of("domain", DOMAINS), name="domain"),
        CheckConstraint(one_of("level", RACI_LEVELS), name="level"),
        UniqueConstraint("domain", "person"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    domain: Mapped[str] = mapped_column(String(30))
    person: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(12))
    updated_at: Mapped[datetime]


class ActionItem(Base):
    """Something to do, by someone, by a date: usually what a decision calls for."""

    __tablename__ = "action_items"
    __table_args__ = (
        CheckConstraint(one_of("status", ACTION_STATUSES), name="status"),
        Index("ix_action_items_status_due_date", "status", "due_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    decision_id: Mapped[int | None] = mapped_column(
        ForeignKey("decisions.id", ondelete="SET NULL"), index=True
    )
    committee_id: Mapped[int | None] = mapped_column(
        ForeignKey("committees.id", ondelete="SET NULL"), index=True
    )
    alert_id: Mapped[int | None] = mapped_column(
        ForeignKey("alerts.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    owner: Mapped[str] = mapped_column(String(200))
    due_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), server_default=text("'open'"))
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(320))
    closed_at: Mapped[datetime | None]


class HealthAnswer(Base):
    """An answer to one health-check question (0 to 4); the latest per question counts."""

    __tablename__ = "health_answers"
    __table_args__ = (
        CheckConstraint("score >= 0 AND score <= 4", name="score_range"),
        Index("ix_health_answers_question_answered_at", "question", "answered_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    question: Mapped[str] = mapped_column(String(50))
    score: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime]
    answered_by: Mapped[str] = mapped_column(String(320))
