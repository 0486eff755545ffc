"""Credited facts materialised once per version of the data, then sliced many times.

Crediting outcomes to touches (a join over the lookback window and window functions) is
most of a KPI query's cost; the credited rows do not depend on the dimensions, filters or
window asked, only on the data, the model and the lookback. So each credited fact is
computed once per data version and kept in memory as Arrow (least recently used first
out); every query then groups those rows, which takes milliseconds. The data version is
read from the store file and its write-ahead log: any load changes it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Mapping
from dataclasses import replace
from pathlib import Path

import ibis
import pyarrow as pa

from pilotage.core.kpis.facts.base import Fact, FactBuilder, FactContext
from pilotage.core.kpis.measures import FACTS
from pilotage.services.tables import StoredTables

#: Facts worth keeping: the credited ones (the others are plain scans of one table).
CACHED = frozenset(
    {
        "orders",
        "customers",
        "conversions",
        "funnel",
        "opportunities_created",
        "opportunities_closed",
    }
)
#: Facts kept at most (each is one Arrow table of credited rows).
CAPACITY = 24

_facts: OrderedDict[Hashable, pa.Table] = OrderedDict()
_lock = threading.Lock()


def data_version(path: Path) -> Hashable | None:
    """What changes whenever the store file is written (None: not a file, don't cache)."""
    try:
        main = path.stat()
    except OSError:
        return None
    wal = path.with_name(path.name + ".wal")
    log = wal.stat() if wal.exists() else None
    return (
        str(path.resolve()),
        main.st_mtime_ns,
        main.st_size,
        log.st_mtime_ns if log else None,
        log.st_size if log else None,
    )


def cached_builders(tables: StoredTables) -> Mapping[str, FactBuilder]:
    """The fact builders, with the credited facts of this store materialised once."""
    if tables.backend.name != "duckdb":
        return FACTS
    version = data_version(tables.store.path)
    if version is None:
        return FACTS
    return {name: _cached(tables, version, name, b) for name, b in FACTS.items()}


def _cached(
    tables: StoredTables, version: Hashable, name: str, builder: FactBuilder
) -> FactBuilder:
    if name not in CACHED:
        return builder

    def build(ctx: FactContext) -> Fact:
        fact = builder(ctx)
        key = (
            version,
            name,
            ctx.zone,
            ctx.model,
            ctx.lookback_days,
            ctx.half_life_days,
            ctx.as_of,
        )
        with _lock:
            rows = _facts.get(key)
            if rows is not None:
                _facts.move_to_end(key)
        if rows is None:
            rows = tables.backend.to_pyarrow(fact.table)
            with _lock:
                _facts[key] = rows
                while len(_facts) > CAPACITY:
                    _facts.popitem(last=False)
        return replace(fact, table=ibis.memtable(rows))

    return build


def clear() -> None:
    with _lock:
        _facts.clear()
