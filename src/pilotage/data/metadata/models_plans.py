"""Planning tables beside ``initiatives`` and ``objectives``: who moved an initiative
through its lifecycle, and when."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pilotage.data.metadata.models import INITIATIVE_STATUSES, Base, one_of


class InitiativeTransition(Base):
    """One move of an initiative (creation included: ``from_status`` is then None); a plan
    or case changed after approval is logged as a move back to proposed."""

    __tablename__ = "initiative_transitions"
    __table_args__ = (
        CheckConstraint(one_of("to_status", INITIATIVE_STATUSES), name="to_status"),
        Index("ix_initiative_transitions_initiative_id_at", "initiative_id", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime]
    # An email, "system", or "cli:<os user>".
    by: Mapped[str] = mapped_column(String(320))
    note: Mapped[str | None] = mapped_column(Text)
