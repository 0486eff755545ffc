"""Migrations of the metadata store, one file per revision (Alembic skips this file)."""
