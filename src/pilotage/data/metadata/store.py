"""The metadata store: users, tokens, logs, objectives, initiatives and decisions.

SQLite in WAL mode by default, PostgreSQL by URL. Nothing connects until
:meth:`MetadataStore.open` is called.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from pilotage.data.metadata import migrate
from pilotage.data.metadata.clock import Clock, utc_now
from pilotage.data.metadata.engine import READ_ONLY_OPTION, mask_url, open_engine


class MetadataStore:
    """A connection pool to one metadata database, with its migrations and clock."""

    def __init__(self, engine: Engine, *, now: Clock = utc_now) -> None:
        self.engine = engine
        self.now = now
        self._sessions = sessionmaker(
            engine,
            # Objects returned by the repositories stay readable after their session ends.
            expire_on_commit=False,
            info={"now": now},
        )
        self._readers = sessionmaker(
            engine.execution_options(**{READ_ONLY_OPTION: True}),
            expire_on_commit=False,
            info={"now": now},
        )

    @classmethod
    def open(cls, url: str, *, now: Clock = utc_now) -> MetadataStore:
        """Connect to ``url`` (``sqlite:///file`` or ``postgresql://...``).

        Raises ConfigError, naming the URL with its password masked, when the URL is
        malformed or the database can't be reached. Does not migrate: call :meth:`upgrade`.
        """
        return cls(open_engine(url), now=now)

    @property
    def url(self) -> str:
        """The database URL with its password masked, safe to print."""
        return mask_url(self.engine.url)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def upgrade(self) -> None:
        """Bring the schema to the latest migration; does nothing when already there."""
        with self.engine.begin() as connection:
            migrate.upgrade(connection)

    def current_revision(self) -> str | None:
        """The migration the database is at, or None when it was never migrated."""
        with self.engine.connect() as connection:
            return migrate.current_revision(connection)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on error."""
        with self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads only (every request's sign-in check): on SQLite it does not
        take the write lock, so concurrent requests read side by side."""
        with self._readers() as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> MetadataStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
