from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pytest

from pilotage.data.readers.files import read_file
from pilotage.data.readers.raw import RawTable

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "adapters"


@pytest.fixture
def make_raw() -> Callable[..., RawTable]:
    """A RawTable as the CSV reader gives it: header on line 1, one record per line."""

    def build(records: list[dict[str, str | None]], source: str = "export.csv") -> RawTable:
        names = list(records[0])
        data = pa.table({n: pa.array([r.get(n) for r in records], pa.string()) for n in names})
        lines = pa.array(range(2, 2 + len(records)), pa.int64())
        return RawTable(source, data, lines)

    return build


@pytest.fixture
def fixture_raw() -> Callable[..., RawTable]:
    """Read a fixture exactly as `pilotage load` does, title lines included."""

    def read(name: str) -> RawTable:
        return read_file(FIXTURES / name)

    return read
