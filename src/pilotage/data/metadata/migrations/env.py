"""Alembic entry point: runs the migrations on the connection handed over by ``migrate.py``.

There is no alembic.ini and no offline (SQL script) mode: the store is always migrated
through :meth:`MetadataStore.upgrade`, inside one transaction it owns.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, text

from pilotage.data.metadata.models import Base
from pilotage.errors import ConfigError

# Any constant works; it only has to be the same for every process migrating this database.
_POSTGRES_MIGRATION_LOCK = 0x50494C4F


def run() -> None:
    connection = context.config.attributes.get("connection")
    if not isinstance(connection, Connection) or context.is_offline_mode():
        raise ConfigError(
            "the metadata-store migrations need a live connection",
            fix="run them through MetadataStore.upgrade() or `pilotage` commands, not alembic",
        )
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite can't ALTER most things; batch mode rebuilds the table instead.
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            # Two processes starting at once would both try to create the tables.
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": _POSTGRES_MIGRATION_LOCK}
            )
        context.run_migrations()


run()
