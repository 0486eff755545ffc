"""Alembic environment of the metadata store, driven by :mod:`pilotage.data.metadata.migrate`."""
