"""Literal event logs for the journey expressions, run on an in-memory DuckDB."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pytest

from pilotage.data.schema import TABLES, arrow_schema

#: Day 0 of every literal log (UTC).
T0 = datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC)


def at(days: float) -> datetime.datetime:
    """T0 plus ``days`` (fractions allowed)."""
    return T0 + datetime.timedelta(days=days)


class Tables:
    """Canonical tables from literal rows (unlisted tables empty); reads as TableSource."""

    def __init__(self, **rows: list[dict[str, object]]) -> None:
        self._tables: dict[str, ir.Table] = {}
        for name, spec in TABLES.items():
            schema = arrow_schema(spec)
            given = rows.get(name, [])
            data = pa.Table.from_pylist(
                [{c: r.get(c) for c in schema.names} for r in given], schema=schema
            )
            self._tables[name] = ibis.memtable(data)

    def __getitem__(self, name: str) -> ir.Table:
        return self._tables[name]


Run = Callable[[ir.Table], list[dict[str, object]]]


@pytest.fixture(scope="module")
def run() -> Iterator[Run]:
    """Execute an expression on a fresh in-memory DuckDB (time zone UTC), rows as dicts."""
    con = ibis.duckdb.connect()
    con.raw_sql("SET TimeZone = 'UTC'")

    def execute(expr: ir.Table) -> list[dict[str, object]]:
        rows: list[dict[str, object]] = con.to_pyarrow(expr).to_pylist()
        return rows

    yield execute
    con.disconnect()


def touch(
    person: str | None, days: float, touch_type: str = "visit", **kw: object
) -> dict[str, object]:
    return {
        "person_id": person,
        "touched_at": at(days),
        "touch_type": touch_type,
        "channel": kw.pop("channel", "organic_search"),
        **kw,
    }


def conversion(person: str | None, days: float, kind: str, **kw: object) -> dict[str, object]:
    return {"person_id": person, "converted_at": at(days), "conversion_type": kind, **kw}


def product(person: str | None, days: float, event: str, **kw: object) -> dict[str, object]:
    return {"person_id": person, "occurred_at": at(days), "event": event, **kw}


class Logs:
    """The helpers above, for test modules (which cannot import conftest)."""

    Tables = Tables
    at = staticmethod(at)
    touch = staticmethod(touch)
    conversion = staticmethod(conversion)
    product = staticmethod(product)


@pytest.fixture(scope="session")
def logs() -> type[Logs]:
    return Logs
