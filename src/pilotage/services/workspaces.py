"""Workspace use cases: create one, open its stores."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pilotage.data.metadata.imports import list_imports
from pilotage.data.metadata.store import MetadataStore
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.data.workspace import Workspace, create_workspace_folder, open_workspace
from pilotage.services.results import ImportInfo, ImportsResult, TableInfo, TablesResult


def init_workspace(
    root: Path,
    *,
    reporting_currency: str = "EUR",
    timezone: str = "Europe/Paris",
    name: str | None = None,
) -> Workspace:
    """Create (or complete) a workspace: settings, analytics file, migrated metadata store."""
    settings = WorkspaceSettings(
        name=name or root.name or "Pilotage workspace",
        reporting_currency=reporting_currency,
        timezone=timezone,
    )
    workspace = create_workspace_folder(root, settings)
    AnalyticsStore.open(workspace.analytics_path).close()
    with MetadataStore.open(workspace.metadata_url) as metadata:
        metadata.upgrade()
    return workspace


@contextmanager
def analytics(workspace: Workspace, *, write: bool = False) -> Iterator[AnalyticsStore]:
    store = AnalyticsStore.open(workspace.analytics_path, read_only=not write)
    try:
        yield store
    finally:
        store.close()


@contextmanager
def metadata(workspace: Workspace) -> Iterator[MetadataStore]:
    store = MetadataStore.open(workspace.metadata_url)
    try:
        store.upgrade()
        yield store
    finally:
        store.close()


def table_summaries(store: AnalyticsStore) -> TablesResult:
    return TablesResult(
        tables=[
            TableInfo(table=s.table, rows=s.rows, min_date=s.min_date, max_date=s.max_date)
            for s in store.summaries()
        ]
    )


def table_summaries_of(store: AnalyticsStore, settings: WorkspaceSettings) -> TablesResult:
    """:func:`table_summaries` with the signature of the server's cached services."""
    return table_summaries(store)


def recent_imports(meta: MetadataStore, limit: int = 50) -> ImportsResult:
    with meta.reading() as session:
        records = list_imports(session, limit=limit)
        return ImportsResult(
            imports=[
                ImportInfo(
                    id=r.id,
                    table=r.table_name,
                    file_name=r.file_name,
                    status=r.status,
                    source_adapter=r.source_adapter,
                    rows_in_file=r.rows_in_file,
                    inserted=r.inserted,
                    updated=r.updated,
                    unchanged=r.unchanged,
                    actor=r.actor,
                    started_at=r.started_at,
                    finished_at=r.finished_at,
                    message=r.message,
                )
                for r in records
            ]
        )


__all__ = [
    "analytics",
    "init_workspace",
    "metadata",
    "open_workspace",
    "recent_imports",
    "table_summaries",
    "table_summaries_of",
]
