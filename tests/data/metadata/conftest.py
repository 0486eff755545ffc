"""Database fixtures: every metadata-store test runs on SQLite and on PostgreSQL.

PostgreSQL tests use one fresh database per test session (per xdist worker), created
through the maintenance database and dropped at the end; each test starts from an empty
schema. An unreachable server fails those tests unless PILOTAGE_SKIP_POSTGRES=1.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from pilotage.data.metadata.engine import mask_url
from pilotage.data.metadata.store import MetadataStore

MAINTENANCE_URL = os.environ.get(
    "PILOTAGE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


class FakeClock:
    """A clock that only moves when told to."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 3, 2, 9, 30, tzinfo=UTC))


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """URL of a fresh PostgreSQL database for this test session."""
    try:
        admin = psycopg.connect(MAINTENANCE_URL, autocommit=True, connect_timeout=5)
    except psycopg.Error as exc:
        pytest.fail(
            f"PostgreSQL is unreachable at {mask_url(MAINTENANCE_URL)}: {exc}\n"
            "Start the server (or point PILOTAGE_TEST_POSTGRES_URL at one), "
            "or set PILOTAGE_SKIP_POSTGRES=1 to skip the PostgreSQL tests.",
            pytrace=False,
        )
    name = f"pilotage_test_{uuid.uuid4().hex[:12]}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(MAINTENANCE_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(MAINTENANCE_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    backend: str = request.param
    if backend == "postgresql" and os.environ.get("PILOTAGE_SKIP_POSTGRES") == "1":
        pytest.skip("PostgreSQL tests skipped: PILOTAGE_SKIP_POSTGRES=1")
    return backend


@pytest.fixture
def database_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """URL of an empty database of the backend under test."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'metadata.db'}"
    url: str = request.getfixturevalue("postgres_database")
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("DROP SCHEMA public CASCADE")
        connection.execute("CREATE SCHEMA public")
    return url


@pytest.fixture
def store(database_url: str, clock: FakeClock) -> Iterator[MetadataStore]:
    """A migrated store whose clock is ``clock``."""
    with MetadataStore.open(database_url, now=clock) as opened:
        opened.upgrade()
        yield opened
