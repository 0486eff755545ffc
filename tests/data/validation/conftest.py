"""Builders shared by the validation tests, handed out as the ``v`` fixture (tests run in
importlib mode, so they cannot import a helper module)."""

from __future__ import annotations

import pyarrow as pa
import pytest

from pilotage.data.readers.raw import RawTable
from pilotage.data.schema import TABLES
from pilotage.data.typed import ParseOptions, TypedTable
from pilotage.data.validation import coerce
from pilotage.errors import InputError, RowError

Columns = dict[str, list[str | None]]


class Validate:
    """RawTables from literal columns, and what coerce makes of them."""

    @staticmethod
    def raw(columns: Columns, source: str = "test.csv") -> RawTable:
        """A RawTable as a CSV reader would give it: one record per line from line 2."""
        rows = len(next(iter(columns.values())))
        data = pa.table({k: pa.array(v, pa.string()) for k, v in columns.items()})
        return RawTable(source, data, pa.array(range(2, rows + 2), pa.int64()))

    def load(self, table: str, columns: Columns, **options: str) -> TypedTable:
        parse = ParseOptions(**options)  # type: ignore[arg-type]
        return coerce(self.raw(columns), TABLES[table], parse)

    def problems(self, table: str, columns: Columns, **options: str) -> list[RowError]:
        with pytest.raises(InputError) as exc:
            self.load(table, columns, **options)
        assert exc.value.file == "test.csv"
        return exc.value.errors

    def one_problem(self, table: str, columns: Columns, **options: str) -> RowError:
        errors = self.problems(table, columns, **options)
        assert len(errors) == 1, errors
        assert errors[0].fix
        return errors[0]

    @staticmethod
    def spend(**extra: list[str | None]) -> Columns:
        """A valid spend file with as many rows as the extra columns have (default 2)."""
        rows = len(next(iter(extra.values()))) if extra else 2
        base: Columns = {
            "date": [f"2026-03-{i + 1:02d}" for i in range(rows)],
            "channel": ["email"] * rows,
            "campaign_id": [f"c{i}" for i in range(rows)],
            "cost": ["10"] * rows,
        }
        base.update(extra)
        return base


@pytest.fixture
def v() -> Validate:
    return Validate()
