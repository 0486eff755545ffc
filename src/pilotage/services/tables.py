"""The stored tables as Ibis expressions, for every service that reads the analytics store."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
import pyarrow as pa
from ibis.backends import BaseBackend

from pilotage.core.kpis.periods import Dialect
from pilotage.data.engines import EngineSettings, connect
from pilotage.data.schema import TABLES, arrow_schema
from pilotage.data.store import AnalyticsStore


class StoredTables:
    """Ibis tables of one store; a table never loaded reads as empty with its canonical
    columns, so every page works on a fresh workspace.

    With ``engine`` (a workspace's ``[engine]``) other than DuckDB, the tables are read
    from that engine instead, and ``dialect`` names its SQL for the KPI expressions."""

    def __init__(self, store: AnalyticsStore, engine: EngineSettings | None = None) -> None:
        self.store = store
        self.engine = engine or EngineSettings()
        self.dialect: Dialect = self.engine.dialect
        self.backend: BaseBackend
        self._names: frozenset[str] | None = None
        if self.engine.backend == "duckdb":
            self.backend = ibis.duckdb.from_connection(store.con)
        else:
            self.backend = connect(self.engine)
            self._names = frozenset(self.backend.list_tables(database=self._database))

    @property
    def _database(self) -> str | None:
        return self.engine.database or None

    def exists(self, name: str) -> bool:
        """True when the table has been loaded (into the engine's database)."""
        if self._names is None:
            return self.store.table_exists(name)
        return name in self._names

    def __getitem__(self, name: str) -> ir.Table:
        if self.exists(name):
            return self.backend.table(name, database=self._database)
        return ibis.memtable(arrow_schema(TABLES[name]).empty_table())

    def rows(self, expr: ir.Table) -> list[dict[str, object]]:
        data = self.backend.to_pyarrow(expr)
        if self._names is not None:
            data = _utc(data)
        result: list[dict[str, object]] = data.to_pylist()
        return result


def _utc(data: pa.Table) -> pa.Table:
    """Spark returns timestamps without a zone; its session zone is UTC, so they are UTC."""
    fields = [
        pa.field(f.name, pa.timestamp(f.type.unit, "UTC"))
        if pa.types.is_timestamp(f.type) and f.type.tz is None
        else f
        for f in data.schema
    ]
    return data.cast(pa.schema(fields))


def as_float(value: object) -> float:
    """A summed value from the engine as a float (an empty sum is null: zero)."""
    return float(value) if isinstance(value, int | float) else 0.0


def as_int(value: object) -> int:
    return int(value) if isinstance(value, int | float) else 0
