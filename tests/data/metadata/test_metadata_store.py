from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pilotage.data.metadata import migrate
from pilotage.data.metadata.models import ApiToken, Base, User
from pilotage.data.metadata.store import MetadataStore
from pilotage.data.metadata.users import create_user
from pilotage.errors import ConfigError

if TYPE_CHECKING:
    # Test modules are imported without sys.path changes (importlib mode): type-only.
    from conftest import FakeClock

TABLES = {
    "users",
    "api_tokens",
    "audit_log",
    "login_attempts",
    "imports",
    "initiatives",
    "objectives",
    "decisions",
    "web_sessions",
    "experiment_links",
    "experiment_results",
}


def test_upgrade_is_idempotent_and_reaches_head(database_url: str) -> None:
    with MetadataStore.open(database_url) as store:
        assert store.current_revision() is None
        store.upgrade()
        store.upgrade()
        assert store.current_revision() == migrate.head_revision() == "0006"
        assert set(inspect(store.engine).get_table_names()) >= TABLES


def test_migrations_match_the_models(store: MetadataStore) -> None:
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_downgrade_to_base_then_upgrade_again(store: MetadataStore) -> None:
    with store.engine.begin() as connection:
        migrate.downgrade(connection, "base")
    assert store.current_revision() is None
    assert not TABLES & set(inspect(store.engine).get_table_names())
    store.upgrade()
    assert store.current_revision() == "0006"


def test_connection_settings(store: MetadataStore, backend: str) -> None:
    with store.engine.connect() as connection:
        if backend == "sqlite":
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000
        else:
            assert store.engine.url.drivername == "postgresql+psycopg"
            assert connection.exec_driver_sql("SELECT 1").scalar() == 1


def test_foreign_keys_are_enforced(store: MetadataStore, clock: FakeClock) -> None:
    orphan = ApiToken(
        user_id=999, scope="read", token_hash="0" * 64, prefix="plt_abcd", created_at=clock()
    )
    with pytest.raises(IntegrityError), store.session() as session:
        session.add(orphan)


def test_check_constraints_are_enforced(store: MetadataStore, clock: FakeClock) -> None:
    for bad in ({"role": "boss"}, {"email": "Upper@Example.com"}, {"language": "de"}):
        fields = {"email": "a@example.com", "role": "viewer", "language": "fr", **bad}
        user = User(password_hash="x", is_active=True, created_at=clock(), **fields)
        with pytest.raises(IntegrityError), store.session() as session:
            session.add(user)


def test_datetimes_read_back_as_aware_utc(
    store: MetadataStore, backend: str, clock: FakeClock
) -> None:
    clock.current = datetime(2026, 7, 14, 22, 15, 30, 123456, tzinfo=timezone(timedelta(hours=2)))
    with store.session() as session:
        create_user(session, "a@example.com", "viewer", "long enough password")
    with store.session() as session:
        if backend == "postgresql":
            # The server would hand timestamps back in the session's zone.
            session.execute(text("SET TIME ZONE 'America/New_York'"))
        created = session.scalars(select(User.created_at)).one()
    assert created == datetime(2026, 7, 14, 20, 15, 30, 123456, tzinfo=UTC)
    assert created.tzinfo is UTC


def test_session_rolls_back_on_error(store: MetadataStore) -> None:
    with pytest.raises(RuntimeError), store.session() as session:
        create_user(session, "a@example.com", "viewer", "long enough password")
        raise RuntimeError("boom")
    with store.session() as session:
        assert session.scalars(select(User)).all() == []


def test_session_commits_on_success(store: MetadataStore) -> None:
    with store.session() as session:
        create_user(session, "a@example.com", "viewer", "long enough password")
    with store.session() as other:
        assert _emails(other) == ["a@example.com"]


def _emails(session: Session) -> list[str]:
    return list(session.scalars(select(User.email)))


def _bad_urls(backend: str, tmp_path: Path) -> list[str]:
    if backend == "sqlite":
        return [
            f"sqlite:///{tmp_path / 'no-such-folder' / 'metadata.db'}",
            "sqlite://",
            "sqlite:///:memory:",
            "mysql://user:s3cret@localhost/pilotage",
            "not a url at all",
        ]
    return [
        "postgresql://postgres:s3cret@127.0.0.1:1/pilotage",
        "postgresql://postgres:s3cret@127.0.0.1:5432/pilotage_no_such_database",
        "postgresql://postgres:s3cret@127.0.0.1:notaport/pilotage",
        "postgresql+asyncpg://postgres:s3cret@127.0.0.1/pilotage",
    ]


def test_bad_url_raises_config_error_naming_it_without_password(
    backend: str, tmp_path: Path
) -> None:

    for url in _bad_urls(backend, tmp_path):
        with pytest.raises(ConfigError) as caught:
            MetadataStore.open(url)
        message = str(caught.value)
        assert "s3cret" not in message, url
        assert url.replace(":s3cret@", ":***@") in message, message
        assert caught.value.fix, url


def test_url_is_shown_masked_and_postgres_urls_use_psycopg(database_url: str, backend: str) -> None:
    if backend == "postgresql":
        database_url = database_url.replace("postgresql://postgres@", "postgres://postgres:pw@")
    with MetadataStore.open(database_url) as store:
        assert "pw" not in store.url
        assert store.dialect == backend
        if backend == "postgresql":
            assert store.url.startswith("postgresql+psycopg://postgres:***@")
