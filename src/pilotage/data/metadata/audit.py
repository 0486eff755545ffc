"""The audit log: who changed what, and when, written in the same transaction as the change."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pilotage.data.metadata.clock import now_of
from pilotage.data.metadata.models import AuditEntry
from pilotage.errors import UsageError

SYSTEM_ACTOR = "system"


def cli_actor(os_user: str) -> str:
    """The actor name for a change made from the command line by ``os_user``."""
    return f"cli:{os_user}"


def record_audit(
    session: Session,
    actor: str,
    action: str,
    target: str | None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add one audit row to the session's transaction. ``details`` must hold no secret."""
    if not actor.strip():
        raise UsageError(
            "an audit entry needs an actor", fix="pass an email, 'system' or 'cli:<user>'"
        )
    entry = AuditEntry(
        at=now_of(session), actor=actor, action=action, target=target, details=details
    )
    session.add(entry)
    session.flush()
    return entry


def list_audit(session: Session, limit: int = 100, offset: int = 0) -> list[AuditEntry]:
    """Audit rows, newest first."""
    check_page(limit, offset)
    query = (
        select(AuditEntry)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return list(session.scalars(query))


def check_page(limit: int, offset: int) -> None:
    if limit < 1 or offset < 0:
        raise UsageError(
            f"cannot list with limit={limit} and offset={offset}",
            fix="use a limit of at least 1 and an offset of at least 0",
        )
