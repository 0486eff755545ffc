"""The metadata store: users, API tokens, audit and imports logs, objectives, initiatives
and decisions, in SQLite (WAL) or PostgreSQL, migrated by Alembic.

Start with :meth:`pilotage.data.metadata.store.MetadataStore.open`; the repositories
(``users``, ``tokens``, ``audit``, ``imports``) take the session it hands out.
"""
