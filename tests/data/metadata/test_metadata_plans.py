"""The planning tables on SQLite and PostgreSQL: the objectives' kinds and directions are
checked by the database, a deleted initiative takes its history with it, and migration 0004
goes down and up again without losing the tables before it."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import inspect, select
from sqlalchemy.exc import IntegrityError

from pilotage.data.metadata import migrate
from pilotage.data.metadata.models import Initiative, Objective
from pilotage.data.metadata.models_plans import InitiativeTransition
from pilotage.data.metadata.store import MetadataStore

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def objective(**changes: object) -> Objective:
    fields: dict[str, object] = {
        "name": "MQL",
        "metric_id": "mqls",
        "target": 10.0,
        "deadline": date(2026, 12, 31),
        "created_at": NOW,
        **changes,
    }
    return Objective(**fields)


def test_objectives_default_to_marketing_at_least(store: MetadataStore) -> None:
    with store.session() as session:
        session.add(objective())
    with store.reading() as session:
        row = session.scalars(select(Objective)).one()
        assert (row.kind, row.direction, row.start) == ("marketing", "at_least", None)


@pytest.mark.parametrize("changes", [{"kind": "personal"}, {"direction": "sideways"}])
def test_the_database_refuses_unknown_kinds_and_directions(
    store: MetadataStore, changes: dict[str, object]
) -> None:
    with pytest.raises(IntegrityError), store.session() as session:
        session.add(objective(**changes))


def test_a_deleted_initiative_takes_its_history(store: MetadataStore) -> None:
    with store.session() as session:
        row = Initiative(name="X", kind="event", owner="me", created_at=NOW)
        session.add(row)
        session.flush()
        session.add(
            InitiativeTransition(
                initiative_id=row.id, from_status=None, to_status="proposed", at=NOW, by="me"
            )
        )
    with store.session() as session:
        session.delete(session.scalars(select(Initiative)).one())
    with store.reading() as session:
        assert session.scalars(select(InitiativeTransition)).all() == []


def test_migration_0004_goes_down_and_up(store: MetadataStore) -> None:
    with store.session() as session:
        session.add(Initiative(name="X", kind="event", owner="me", created_at=NOW))
    with store.engine.begin() as connection:
        migrate.downgrade(connection, "0003")
    tables = inspect(store.engine).get_table_names()
    columns = {c["name"] for c in inspect(store.engine).get_columns("objectives")}
    assert "initiative_transitions" not in tables and "kind" not in columns
    store.upgrade()
    with store.reading() as session:
        assert session.scalars(select(Initiative.name)).all() == ["X"]
