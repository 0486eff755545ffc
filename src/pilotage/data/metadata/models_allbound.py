"""Allbound tables of the metadata store: target account lists owned jointly by sales and
marketing, their members, their shared goals per period, and the versions of the account
engagement score's weights."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pilotage.core.allbound.goals import GOAL_METRICS
from pilotage.data.metadata.models import Base, one_of


class TargetList(Base):
    """A named list of target accounts; a sales owner and a marketing owner answer for it
    together (names or emails, as the CRM's ``sales_owner``/``marketing_owner``)."""

    __tablename__ = "target_lists"
    # A deleted list's id is never given to another (links and the audit log name it).
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    sales_owner: Mapped[str] = mapped_column(String(320))
    marketing_owner: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(320))
    updated_at: Mapped[datetime]

    members: Mapped[list[TargetListMember]] = relationship(
        back_populates="target_list", cascade="all, delete-orphan", passive_deletes=True
    )
    goals: Mapped[list[TargetListGoal]] = relationship(
        back_populates="target_list", cascade="all, delete-orphan", passive_deletes=True
    )


class TargetListMember(Base):
    """One account of a list (``account_id`` of the analytics store's ``accounts`` table,
    checked when it is added)."""

    __tablename__ = "target_list_members"

    list_id: Mapped[int] = mapped_column(
        ForeignKey("target_lists.id", ondelete="CASCADE"), primary_key=True
    )
    account_id: Mapped[str] = mapped_column(String(200), primary_key=True, index=True)
    added_at: Mapped[datetime]
    added_by: Mapped[str] = mapped_column(String(320))

    target_list: Mapped[TargetList] = relationship(back_populates="members")


class TargetListGoal(Base):
    """A shared goal of a list for one period: ``metric`` (see
    :mod:`pilotage.core.allbound.goals`) must reach ``target`` between the inclusive local
    days ``period_start`` and ``period_end`` (``period`` is its label, e.g. 2026-Q4)."""

    __tablename__ = "target_list_goals"
    __table_args__ = (
        CheckConstraint(one_of("metric", GOAL_METRICS), name="metric"),
        CheckConstraint("period_start <= period_end", name="period_order"),
        UniqueConstraint("list_id", "metric", "period"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    list_id: Mapped[int] = mapped_column(
        ForeignKey("target_lists.id", ondelete="CASCADE"), index=True
    )
    metric: Mapped[str] = mapped_column(String(30))
    period: Mapped[str] = mapped_column(String(20))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    target: Mapped[float] = mapped_column(Float)
    set_at: Mapped[datetime]
    set_by: Mapped[str] = mapped_column(String(320))

    target_list: Mapped[TargetList] = relationship(back_populates="goals")


class EngagementScoring(Base):
    """One version of the engagement score's settings: points per component, the half-life
    of the recency decay and the window of activity read. The newest version is in force;
    older ones stay as the history of who changed what."""

    __tablename__ = "engagement_scorings"
    __table_args__ = (
        CheckConstraint("half_life_days > 0", name="half_life_positive"),
        CheckConstraint("window_days > 0", name="window_positive"),
        Index("ix_engagement_scorings_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # component id -> points per activity (see pilotage.core.allbound.scoring).
    weights: Mapped[dict[str, Any]]
    half_life_days: Mapped[float] = mapped_column(Float)
    window_days: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(320))
