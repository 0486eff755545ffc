"""Turn a metadata-store URL into a configured SQLAlchemy engine.

SQLite is the default (a file in the workspace); PostgreSQL is reached through psycopg 3.
Every failure to parse or reach the database becomes a :class:`ConfigError` that names the
URL with its password masked.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from pilotage.errors import ConfigError

SQLITE_BUSY_TIMEOUT_MS = 30_000
POSTGRES_CONNECT_TIMEOUT_S = 5

_URL_FORMS = "sqlite:///path/to/metadata.db or postgresql://user:password@host:5432/database"
_PASSWORD_IN_URL = re.compile(r"(://[^:/@]*:)[^@]*@")


#: Execution option marking a read-only transaction (see MetadataStore.reading).
READ_ONLY_OPTION = "pilotage_read_only"


def mask_url(url: str | URL) -> str:
    """The URL as it may be shown to a user: the password replaced by ``***``."""
    if isinstance(url, URL):
        return url.render_as_string(hide_password=True)
    # Masked as written rather than re-rendered, so the user recognises their own URL.
    return _PASSWORD_IN_URL.sub(r"\1***@", url)


def open_engine(url: str) -> Engine:
    """A configured engine for ``url``, checked by opening one connection."""
    return _build_engine(parse_url(url), mask_url(url))


def parse_url(url: str) -> URL:
    """Parse and normalise a metadata-store URL, or raise ConfigError saying what is allowed."""
    try:
        parsed = make_url(url.strip())
    except (ArgumentError, ValueError) as exc:
        raise ConfigError(
            f"metadata store URL {mask_url(url)!r} is not a valid database URL ({exc})",
            fix=f"use {_URL_FORMS}",
        ) from exc
    if parsed.drivername in ("sqlite", "sqlite+pysqlite"):
        return _check_sqlite(parsed, mask_url(url))
    # "postgres://" is what many hosting platforms hand out; SQLAlchemy only knows
    # "postgresql", and psycopg 3 is the driver installed with Pilotage.
    if parsed.drivername in ("postgresql", "postgres", "postgresql+psycopg"):
        return parsed.set(drivername="postgresql+psycopg")
    raise _unsupported(parsed, mask_url(url))


def _unsupported(url: URL, shown: str) -> ConfigError:
    return ConfigError(
        f"metadata store URL {shown!r} uses {url.drivername!r}, which is not supported",
        fix=f"use {_URL_FORMS} (PostgreSQL is reached through psycopg 3)",
    )


def _check_sqlite(url: URL, shown: str) -> URL:
    if not url.database or url.database == ":memory:":
        raise ConfigError(
            f"metadata store URL {shown!r} names no file",
            fix="give a file path, e.g. sqlite:///workspace/metadata.db "
            "(an in-memory database would vanish with its first connection)",
        )
    folder = Path(url.database).expanduser().parent
    if not folder.is_dir():
        raise ConfigError(
            f"metadata store URL {shown!r}: folder {str(folder)!r} does not exist",
            fix=f"create the folder {str(folder)!r} or point the URL at an existing one",
        )
    return url


def _build_engine(url: URL, shown: str) -> Engine:
    if url.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        _configure_sqlite(engine)
    else:
        engine = create_engine(
            url,
            pool_pre_ping=True,
            connect_args={"connect_timeout": POSTGRES_CONNECT_TIMEOUT_S},
        )
    try:
        with engine.connect():
            pass
    except DBAPIError as exc:
        engine.dispose()
        raise ConfigError(
            f"cannot open the metadata store at {shown!r}: {_reason(exc, url)}",
            fix="check that the database server is running and that the URL's host, port, "
            "user, password and database name are right (create the database first)"
            if url.get_backend_name() == "postgresql"
            else "check that the file is a SQLite database and that its folder is writable",
        ) from exc
    return engine


def _reason(exc: DBAPIError, url: URL) -> str:
    text = str(exc.orig).strip() or type(exc.orig).__name__
    if url.password:
        # Drivers may echo connection parameters back; the password must not reach a log.
        text = text.replace(str(url.password), "***")
    return text.splitlines()[0]


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # The sqlite3 module's own transaction handling skips BEGIN before DDL and SAVEPOINT;
        # turning it off and emitting BEGIN ourselves (below) makes both transactional.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            # WAL lets readers proceed while one process writes; foreign keys are off in
            # SQLite unless asked for on each connection.
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA synchronous=NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # IMMEDIATE takes the write lock up front: a deferred transaction that reads and
        # then writes fails at once with SQLITE_BUSY when another writer got in between,
        # whereas waiting for the lock honours the busy timeout. Read-only transactions
        # (MetadataStore.reading) stay deferred, so readers never queue behind each other.
        read_only = connection.get_execution_options().get(READ_ONLY_OPTION, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")
