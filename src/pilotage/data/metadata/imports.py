"""The imports log: one row per file loaded (or refused) into the workspace."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pilotage.data.metadata.audit import check_page, record_audit
from pilotage.data.metadata.clock import ensure_utc, now_of
from pilotage.data.metadata.models import IMPORT_STATUSES, ImportRecord, ImportStatus
from pilotage.errors import UsageError


def record_import(
    session: Session,
    *,
    actor: str,
    table_name: str,
    file_name: str,
    sha256: str,
    status: ImportStatus,
    started_at: datetime,
    rows_in_file: int,
    inserted: int = 0,
    updated: int = 0,
    unchanged: int = 0,
    source_adapter: str | None = None,
    message: str | None = None,
) -> ImportRecord:
    """Log a finished import (finished now) and audit it as ``table.load``."""
    if status not in IMPORT_STATUSES:
        raise UsageError(
            f"unknown import status {status!r}", fix=f"use one of {', '.join(IMPORT_STATUSES)}"
        )
    counts = {
        "rows_in_file": rows_in_file,
        "inserted": inserted,
        "updated": updated,
        "unchanged": unchanged,
    }
    negative = [name for name, value in counts.items() if value < 0]
    if negative:
        raise UsageError(f"import counts cannot be negative: {', '.join(negative)}")
    record = ImportRecord(
        table_name=table_name,
        file_name=file_name,
        sha256=sha256,
        source_adapter=source_adapter,
        status=status,
        started_at=ensure_utc(started_at),
        finished_at=now_of(session),
        actor=actor,
        message=message,
        **counts,
    )
    session.add(record)
    session.flush()
    record_audit(
        session,
        actor,
        "table.load",
        table_name,
        {"import_id": record.id, "file": file_name, "sha256": sha256, "status": status, **counts},
    )
    return record


def list_imports(
    session: Session,
    *,
    table_name: str | None = None,
    sha256: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[ImportRecord]:
    """Logged imports, newest first, optionally only for one table or one file content."""
    check_page(limit, offset)
    query = select(ImportRecord)
    if table_name is not None:
        query = query.where(ImportRecord.table_name == table_name)
    if sha256 is not None:
        query = query.where(ImportRecord.sha256 == sha256)
    query = query.order_by(ImportRecord.started_at.desc(), ImportRecord.id.desc())
    return list(session.scalars(query.limit(limit).offset(offset)))
