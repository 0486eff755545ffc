"""The stored tables as Ibis expressions, for every service that reads the analytics store."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from pilotage.data.schema import TABLES, arrow_schema
from pilotage.data.store import AnalyticsStore


class StoredTables:
    """Ibis tables of one store; a table never loaded reads as empty with its canonical
    columns, so every page works on a fresh workspace."""

    def __init__(self, store: AnalyticsStore) -> None:
        self.store = store
        self.backend = ibis.duckdb.from_connection(store.con)

    def __getitem__(self, name: str) -> ir.Table:
        if self.store.table_exists(name):
            return self.backend.table(name)
        return ibis.memtable(arrow_schema(TABLES[name]).empty_table())

    def rows(self, expr: ir.Table) -> list[dict[str, object]]:
        result: list[dict[str, object]] = self.backend.to_pyarrow(expr).to_pylist()
        return result


def as_float(value: object) -> float:
    """A summed value from the engine as a float (an empty sum is null: zero)."""
    return float(value) if isinstance(value, int | float) else 0.0


def as_int(value: object) -> int:
    return int(value) if isinstance(value, int | float) else 0
