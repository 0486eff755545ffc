"""A million-row CSV goes through read_file and coerce (speed is measured, not asserted)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pilotage.data.readers.files import read_file
from pilotage.data.schema import TABLES
from pilotage.data.typed import ParseOptions
from pilotage.data.validation import coerce

ROWS = 1_000_000


@pytest.mark.slow
def test_million_rows(tmp_path: Path) -> None:
    path = tmp_path / "spend.csv"
    header = (
        "date;channel;campaign_id;cost;currency;campaign_name;ad_group;impressions;clicks;reach\n"
    )
    with path.open("w", encoding="utf-8") as out:
        out.write(header)
        out.writelines(
            f"{1 + i % 28:02d}/03/2026;email;c{i % 97};{i % 1000},{i % 100:02d} €;EUR;"
            f"Campagne {i % 97};g{i};{i % 5000};{i % 50};{i % 700}\n"
            for i in range(ROWS)
        )
    typed = coerce(read_file(path), TABLES["spend"], ParseOptions())
    assert typed.data.num_rows == ROWS
    assert typed.lines[-1].as_py() == ROWS + 1
    assert typed.data.column("cost")[ROWS - 1].as_py() == 999.99
