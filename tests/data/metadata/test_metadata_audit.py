from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import func, select

from pilotage.data.metadata.audit import cli_actor, list_audit, record_audit
from pilotage.data.metadata.imports import list_imports, record_import
from pilotage.data.metadata.models import AuditEntry, User
from pilotage.data.metadata.store import MetadataStore
from pilotage.data.metadata.tokens import create_token, revoke_token
from pilotage.data.metadata.users import create_user, set_role
from pilotage.errors import UsageError

if TYPE_CHECKING:
    # Test modules are imported without sys.path changes (importlib mode): type-only.
    from conftest import FakeClock

PASSWORD = "correct horse battery"
SHA = "ab" * 32


def test_every_change_writes_an_audit_row(store: MetadataStore, clock: FakeClock) -> None:
    with store.session() as session:
        create_user(session, "ann@example.com", "viewer", PASSWORD, actor="cli:root")
        clock.advance(seconds=1)
        set_role(session, "ann@example.com", "marketing", actor="cli:root")
        clock.advance(seconds=1)
        token, _ = create_token(session, "ann@example.com", "read", actor="ann@example.com")
        clock.advance(seconds=1)
        revoke_token(session, token.id, actor="ann@example.com")
        clock.advance(seconds=1)
        record_import(
            session,
            actor="ann@example.com",
            table_name="spend",
            file_name="spend.csv",
            sha256=SHA,
            status="succeeded",
            started_at=clock() - timedelta(seconds=1),
            rows_in_file=3,
            inserted=3,
        )
    with store.session() as session:
        rows = list_audit(session)
    assert [(r.action, r.actor, r.target) for r in reversed(rows)] == [
        ("user.create", "cli:root", "ann@example.com"),
        ("user.set_role", "cli:root", "ann@example.com"),
        ("token.create", "ann@example.com", "ann@example.com"),
        ("token.revoke", "ann@example.com", "ann@example.com"),
        ("table.load", "ann@example.com", "spend"),
    ]
    assert [r.at for r in rows] == [clock() - timedelta(seconds=s) for s in range(5)]
    assert all(PASSWORD not in str(r.details) for r in rows)


def test_audit_row_is_rolled_back_with_its_change(store: MetadataStore) -> None:
    with pytest.raises(RuntimeError), store.session() as session:
        create_user(session, "ann@example.com", "viewer", PASSWORD)
        raise RuntimeError("the caller failed after the change")
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == 0
        assert session.scalar(select(func.count()).select_from(User)) == 0


def test_list_audit_pages_newest_first(store: MetadataStore, clock: FakeClock) -> None:
    with store.session() as session:
        for n in range(5):
            record_audit(session, cli_actor("bob"), "workspace.check", f"t{n}", {"n": n})
            clock.advance(minutes=1)
    with store.session() as session:
        page = list_audit(session, limit=2, offset=1)
        with pytest.raises(UsageError):
            list_audit(session, limit=0)
        with pytest.raises(UsageError):
            record_audit(session, " ", "workspace.check", None)
    assert [(e.target, e.actor, e.details) for e in page] == [
        ("t3", "cli:bob", {"n": 3}),
        ("t2", "cli:bob", {"n": 2}),
    ]


def test_imports_log(store: MetadataStore, clock: FakeClock) -> None:
    started = clock()
    clock.advance(seconds=2)
    with store.session() as session:
        for table, status in (("spend", "succeeded"), ("leads", "rejected"), ("spend", "failed")):
            record_import(
                session,
                actor="system",
                table_name=table,
                file_name=f"{table}.csv",
                sha256=SHA if table == "spend" else "cd" * 32,
                status=status,  # type: ignore[arg-type]
                started_at=started,
                rows_in_file=10,
                inserted=4,
                updated=3,
                unchanged=3,
                source_adapter="google_ads" if table == "spend" else None,
                message=None if status == "succeeded" else "see the errors",
            )
            started += timedelta(minutes=1)
    with store.session() as session:
        spend = list_imports(session, table_name="spend")
        by_content = list_imports(session, sha256="cd" * 32)
        everything = list_imports(session, limit=10)
    assert [r.status for r in spend] == ["failed", "succeeded"]
    assert spend[1].started_at == clock() - timedelta(seconds=2)
    assert spend[1].finished_at == clock()
    assert (spend[1].rows_in_file, spend[1].inserted, spend[1].updated, spend[1].unchanged) == (
        10,
        4,
        3,
        3,
    )
    assert spend[1].source_adapter == "google_ads"
    assert [r.table_name for r in by_content] == ["leads"]
    assert len(everything) == 3


@pytest.mark.parametrize(("status", "inserted"), [("done", 0), ("succeeded", -1)])
def test_bad_import_records_are_refused(
    store: MetadataStore, clock: FakeClock, status: str, inserted: int
) -> None:

    with pytest.raises(UsageError), store.session() as session:
        record_import(
            session,
            actor="system",
            table_name="spend",
            file_name="spend.csv",
            sha256=SHA,
            status=status,  # type: ignore[arg-type]
            started_at=clock(),
            rows_in_file=1,
            inserted=inserted,
        )
