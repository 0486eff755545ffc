"""The migrations build exactly the schema the models declare, on SQLite and on PostgreSQL."""

from __future__ import annotations

import importlib
import pkgutil

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

import pilotage.data.metadata
from pilotage.data.metadata.models import Base
from pilotage.data.metadata.store import MetadataStore


def _import_every_model_module() -> None:
    # Models may live in several modules of the package; each registers on Base.metadata.
    for module in pkgutil.iter_modules(pilotage.data.metadata.__path__):
        importlib.import_module(f"pilotage.data.metadata.{module.name}")


def test_migrations_match_the_models(store: MetadataStore) -> None:
    _import_every_model_module()
    store.upgrade()
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        drift = compare_metadata(context, Base.metadata)
    assert drift == [], f"models and migrations disagree: {drift}"
