"""Parquet to a RawTable: every column as text, so validation treats all formats alike."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pilotage.data.readers.columns import blank_to_null, raw_table
from pilotage.data.readers.problems import file_error
from pilotage.data.readers.raw import RawTable


def parse_parquet(path: Path, source: str) -> RawTable:
    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        raise file_error(
            source, f"not a readable Parquet file ({exc})", "write the file again as Parquet"
        ) from exc
    if table.num_columns == 0:
        raise file_error(source, "the Parquet file has no columns", "write it with its columns")
    columns = [
        blank_to_null(_as_text(table.column(i), name, source))
        for i, name in enumerate(table.column_names)
    ]
    # Line numbers as if the file were a CSV with a header line: row index + 2.
    lines = pa.array(range(2, table.num_rows + 2), pa.int64())
    return raw_table(source, table.column_names, columns, lines)


def _as_text(values: pa.ChunkedArray, name: str, source: str) -> pa.ChunkedArray | pa.Array:
    kind = values.type
    if pa.types.is_dictionary(kind):
        values = values.cast(kind.value_type)
        kind = values.type
    if pa.types.is_nested(kind):
        return pa.array(
            [
                None if v is None else json.dumps(v, ensure_ascii=False, default=str)
                for v in values.to_pylist()
            ],
            pa.string(),
        )
    try:
        return pc.cast(values, pa.string())
    except pa.ArrowException as exc:
        raise file_error(
            source,
            f"column '{name}' of type {kind} cannot be read as text ({exc})",
            "store the column as text, a number, a date or a timestamp",
            column=name,
        ) from exc
