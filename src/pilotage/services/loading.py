"""Loading use case: one file into one table, all or nothing, every attempt logged."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from pilotage.data.loader import ImportReport, file_sha256, load_file
from pilotage.data.metadata.imports import record_import
from pilotage.data.metadata.store import MetadataStore
from pilotage.data.store import AnalyticsStore
from pilotage.data.typed import DateOrder, DecimalMark
from pilotage.data.workspace import Workspace
from pilotage.errors import InputError, RowError


def load_table(
    workspace: Workspace,
    store: AnalyticsStore,
    meta: MetadataStore,
    table: str,
    path: Path,
    *,
    source: str | None = None,
    sep: str | None = None,
    date_order: DateOrder = "auto",
    decimal: DecimalMark = "auto",
    actor: str,
) -> ImportReport:
    """Load ``path`` into ``table``. A refused file is logged as rejected, then re-raised."""
    if not path.is_file():
        raise InputError(
            str(path),
            [RowError(None, None, None, "the file does not exist", "check the path")],
            message=f"{path}: cannot read the file; nothing was loaded",
        )
    started = datetime.now(UTC)
    try:
        report = load_file(
            store,
            workspace.settings,
            table,
            path,
            source=source,
            sep=sep,
            date_order=date_order,
            decimal=decimal,
        )
    except InputError as exc:
        with meta.session() as session:
            record_import(
                session,
                actor=actor,
                table_name=table,
                file_name=path.name,
                sha256=file_sha256(path),
                status="rejected",
                started_at=started,
                rows_in_file=0,
                source_adapter=source,
                message=str(exc)[:4000],
            )
        raise
    with meta.session() as session:
        record_import(
            session,
            actor=actor,
            table_name=report.table,
            file_name=report.file_name,
            sha256=report.sha256,
            status="succeeded",
            started_at=started,
            rows_in_file=report.rows_in_file,
            inserted=report.inserted,
            updated=report.updated,
            unchanged=report.unchanged,
            source_adapter=source,
            message="\n".join(report.warnings) or None,
        )
    return report
