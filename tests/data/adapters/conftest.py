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
def fixture_raw(tmp_path: Path) -> Callable[..., RawTable]:
    """Read a fixture with read_file; ``title_lines`` drops the report-description lines
    Google Ads and LinkedIn write above the header, which read_file does not skip yet."""

    def read(name: str, title_lines: int = 0) -> RawTable:
        path = FIXTURES / name
        if title_lines:
            lines = path.read_bytes().splitlines(keepends=True)
            path = tmp_path / name
            path.write_bytes(b"".join(lines[title_lines:]))
        return read_file(path)

    return read
