"""The analytics store: one DuckDB file per workspace.

Every load is one DuckDB transaction: new columns, deleted and inserted rows commit
together or not at all, so a crash or a kill leaves the previous state intact (DuckDB's
write-ahead log drops an uncommitted transaction on reopen).
DuckDB allows one writing process per file; a second writer gets WorkspaceLockedError.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from pilotage.data.schema import TABLES, TableSpec
from pilotage.errors import WorkspaceError, WorkspaceLockedError

#: Bookkeeping columns on every canonical table.
KEY_COLUMN = "_key"
HASH_COLUMN = "_row_hash"
_SEP = "chr(31)"
_NULL = "chr(0)"

_DUCK_TYPES: dict[str, str] = {
    "string": "VARCHAR",
    "int": "BIGINT",
    "float": "DOUBLE",
    "money": "DOUBLE",
    "date": "DATE",
    "timestamp": "TIMESTAMPTZ",
    "bool": "BOOLEAN",
}


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def original_column(money_column: str) -> str:
    """The amount in its own currency; the canonical column holds it in reporting currency."""
    return f"{money_column}_original"


@dataclass(frozen=True)
class UpsertCounts:
    inserted: int
    updated: int
    unchanged: int


@dataclass(frozen=True)
class TableSummary:
    table: str
    rows: int
    min_date: str | None
    max_date: str | None


class AnalyticsStore:
    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path) -> None:
        self.con = con
        self.path = path

    @classmethod
    def open(cls, path: Path, *, read_only: bool = False) -> AnalyticsStore:
        if read_only and not path.exists():
            raise WorkspaceError(
                f"{path} does not exist yet: nothing has been loaded",
                fix="load data with 'pilotage load' or build the demo with 'pilotage demo'",
            )
        try:
            con = duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            text = str(exc)
            if "lock" in text.lower():
                pid = re.search(r"PID (\d+)", text)
                who = f" (process {pid.group(1)})" if pid else ""
                raise WorkspaceLockedError(
                    f"{path} is open for writing by another Pilotage process{who}",
                    fix="stop that process (for example 'pilotage serve'), or send the file "
                    "through the running server: POST /api/v1/tables/{table}/imports",
                ) from exc
            raise WorkspaceError(f"cannot open {path}: {text}") from exc
        except duckdb.ConnectionException as exc:
            # Same process, other mode (e.g. a read-only CLI call inside a running server).
            raise WorkspaceLockedError(
                f"{path} is already open in this process by another part of Pilotage",
                fix="use the running server's API instead of opening the workspace again",
            ) from exc
        # Stored timestamps are UTC; casting them to text (row hashes) must not depend on
        # the machine's zone.
        con.execute("SET TimeZone = 'UTC'")
        return cls(con, path)

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> AnalyticsStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema ----------------------------------------------------------------------------

    def table_exists(self, name: str) -> bool:
        row = self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]
        ).fetchone()
        return bool(row and row[0])

    def columns(self, name: str) -> list[str]:
        rows = self.con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
            "ORDER BY ordinal_position",
            [name],
        ).fetchall()
        return [r[0] for r in rows]

    def _ensure_table(self, spec: TableSpec, incoming: list[str]) -> None:
        """Create the table if needed and add a text column for each new extra column
        (``incoming`` in the order the load holds them)."""
        declared = [f"{quote(c.name)} {_DUCK_TYPES[c.type]}" for c in spec.columns]
        declared += [f"{quote(original_column(m))} DOUBLE" for m in spec.money_columns]
        declared += [f"{KEY_COLUMN} VARCHAR", f"{HASH_COLUMN} VARCHAR"]
        self.con.execute(f"CREATE TABLE IF NOT EXISTS {quote(spec.name)} ({', '.join(declared)})")
        existing = set(self.columns(spec.name))
        for name in incoming:
            if name not in existing:
                self.con.execute(f"ALTER TABLE {quote(spec.name)} ADD COLUMN {quote(name)} VARCHAR")

    # -- writing ---------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    def upsert(self, spec: TableSpec, data: pa.Table) -> UpsertCounts:
        """Insert new rows, replace changed ones, count unchanged ones.

        ``data`` holds the declared columns (money in reporting currency), the
        ``<money>_original`` columns, and extra columns as strings. Keys and row hashes are
        computed here so that every load path (files, uploads, demo) shares one rule.
        """
        with self.transaction():
            self.con.register("_incoming_arrow", data)
            try:
                self.stage(spec, "_incoming_arrow", list(data.column_names))
            finally:
                self.con.unregister("_incoming_arrow")
            return self.merge_staged(spec, list(data.column_names))

    def stage(self, spec: TableSpec, relation: str, columns: list[str]) -> None:
        """Copy ``relation`` (the load's canonical columns, ``<money>_original`` and extras,
        named ``columns``) into the temporary table ``_incoming`` with each row's key and
        hash. Call inside :meth:`transaction`; every load path shares this one rule."""
        self.con.execute(
            f"CREATE OR REPLACE TEMP TABLE _incoming AS SELECT "
            f"{', '.join(quote(c) for c in columns)}, "
            f"{key_sql(spec)} AS {KEY_COLUMN}, "
            f"{row_hash_sql(columns)} AS {HASH_COLUMN} "
            f"FROM {relation}"
        )

    def merge_staged(self, spec: TableSpec, columns: list[str]) -> UpsertCounts:
        """Upsert ``_incoming`` (see :meth:`stage`) into the table, inside the caller's
        transaction, and drop it."""
        self._ensure_table(spec, columns)
        counts = self._count_changes(spec.name)
        target = quote(spec.name)
        self.con.execute(
            f"DELETE FROM {target} WHERE {KEY_COLUMN} IN (SELECT i.{KEY_COLUMN} FROM "
            f"_incoming i JOIN {target} t USING ({KEY_COLUMN}) "
            f"WHERE t.{HASH_COLUMN} <> i.{HASH_COLUMN})"
        )
        self.con.execute(
            f"INSERT INTO {target} BY NAME SELECT i.* FROM _incoming i "
            f"ANTI JOIN {target} t USING ({KEY_COLUMN})"
        )
        self.con.execute("DROP TABLE _incoming")
        return counts

    def upsert_unique(
        self, spec: TableSpec, relation: str, columns: list[str], *, expected_rows: int
    ) -> UpsertCounts | None:
        """Upsert ``relation`` (as :meth:`stage`) inside the caller's transaction, or return
        None when two of its rows share a key or it does not hold ``expected_rows`` rows (the
        caller then rolls back). Into an empty table the rows go straight in, unstaged."""
        target = quote(spec.name)
        if self.table_exists(spec.name):
            row = self.con.execute(f"SELECT count(*) FROM (FROM {target} LIMIT 1)").fetchone()
            empty = row is not None and row[0] == 0
        else:
            empty = True
        if not empty:
            self.stage(spec, relation, columns)
            if not self._unique("_incoming", expected_rows):
                return None
            return self.merge_staged(spec, columns)
        self._ensure_table(spec, columns)
        self.con.execute(
            f"INSERT INTO {target} BY NAME SELECT {', '.join(quote(c) for c in columns)}, "
            f"{key_sql(spec)} AS {KEY_COLUMN}, {row_hash_sql(columns)} AS {HASH_COLUMN} "
            f"FROM {relation}"
        )
        if not self._unique(target, expected_rows):
            return None
        return UpsertCounts(expected_rows, 0, 0)

    def _unique(self, table: str, expected_rows: int) -> bool:
        row = self.con.execute(f"SELECT count(*), count(DISTINCT {KEY_COLUMN}) FROM {table}")
        counts = row.fetchone()
        return counts is not None and counts[0] == counts[1] == expected_rows

    def _count_changes(self, table: str) -> UpsertCounts:
        row = self.con.execute(
            f"""SELECT count(*) FILTER (WHERE t.{KEY_COLUMN} IS NULL),
                   count(*) FILTER (WHERE t.{HASH_COLUMN} <> i.{HASH_COLUMN}),
                   count(*) FILTER (WHERE t.{HASH_COLUMN} = i.{HASH_COLUMN})
                FROM _incoming i LEFT JOIN {quote(table)} t USING ({KEY_COLUMN})"""
        ).fetchone()
        assert row is not None
        return UpsertCounts(int(row[0]), int(row[1]), int(row[2]))

    # -- reading ---------------------------------------------------------------------------

    def summaries(self) -> list[TableSummary]:
        out = []
        for spec in TABLES.values():
            if not self.table_exists(spec.name):
                out.append(TableSummary(spec.name, 0, None, None))
                continue
            time = spec.time_column
            if time is None:
                row = self.con.execute(f"SELECT count(*) FROM {quote(spec.name)}").fetchone()
                assert row is not None
                out.append(TableSummary(spec.name, int(row[0]), None, None))
                continue
            col = quote(time)
            # Dates are reported as calendar days in UTC: stable whatever the reader's zone.
            row = self.con.execute(
                f"SELECT count(*), min({col})::DATE::VARCHAR, max({col})::DATE::VARCHAR "
                f"FROM {quote(spec.name)}"
            ).fetchone()
            assert row is not None
            out.append(TableSummary(spec.name, int(row[0]), row[1], row[2]))
        return out


def key_sql(spec: TableSpec) -> str:
    """SQL for a row's upsert key: the key columns, or the id, or the canonical row hash."""
    if spec.key:
        parts = ", ".join(f"coalesce(CAST({quote(k)} AS VARCHAR), '')" for k in spec.key)
        return f"concat_ws({_SEP}, {parts})"
    canonical = _hash_sql([c.name for c in spec.columns if c.name != spec.id_column])
    row_hash = f"'h:' || {canonical}"
    if spec.id_column is None:
        return row_hash
    idc = quote(spec.id_column)
    return f"CASE WHEN {idc} IS NOT NULL THEN 'id:' || {idc} ELSE {row_hash} END"


def _canonical_text(columns: list[str]) -> str:
    # Null is written as chr(0) so that (NULL, 'a') and ('a', NULL) differ.
    parts = ", ".join(f"coalesce(CAST({quote(c)} AS VARCHAR), {_NULL})" for c in sorted(columns))
    return f"concat_ws({_SEP}, {parts})"


def _hash_sql(columns: list[str]) -> str:
    """Identity of a row that has no id: SHA-256, so that distinct rows never merge."""
    return f"sha256({_canonical_text(columns)})"


def row_hash_sql(columns: list[str]) -> str:
    """Change detection only (same key, other values?): MD5 is enough and twice as fast."""
    return f"md5({_canonical_text(columns)})"
