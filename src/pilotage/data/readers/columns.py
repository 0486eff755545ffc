"""Assemble a RawTable from a header and string columns, checking the header on the way."""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa
import pyarrow.compute as pc

from pilotage.data.readers.problems import file_error
from pilotage.data.readers.raw import RawTable
from pilotage.data.schema import normalise_header
from pilotage.errors import InputError, RowError


def blank_to_null(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Empty strings become nulls, so 'missing' has one spelling downstream."""
    return pc.if_else(pc.equal(values, ""), pa.scalar(None, pa.string()), values)


def raw_table(
    source: str,
    header: Sequence[str],
    columns: Sequence[pa.Array | pa.ChunkedArray],
    lines: Sequence[int] | pa.Array,
    *,
    header_line: int | None = 1,
) -> RawTable:
    """A RawTable, or an InputError for unnamed or duplicate headers.

    A column without a name and without any value (the trailing separator Excel leaves) is
    left out, since it holds nothing; an unnamed column with values is an error.
    """
    kept_names: list[str] = []
    kept_columns: list[pa.Array | pa.ChunkedArray] = []
    errors: list[RowError] = []
    seen: dict[str, str] = {}
    for position, (name, values) in enumerate(zip(header, columns, strict=True), start=1):
        key = normalise_header(name)
        if not key:
            if values.null_count == len(values):
                continue
            errors.append(
                RowError(
                    header_line,
                    None,
                    name,
                    f"column {position} has no name but holds values",
                    f"give column {position} a name in the header",
                )
            )
            continue
        if key in seen:
            errors.append(
                RowError(
                    header_line,
                    name,
                    name,
                    f"columns '{seen[key]}' and '{name}' are the same name once case and "
                    "spaces are ignored",
                    "rename or remove one of the two columns",
                )
            )
            continue
        seen[key] = name
        kept_names.append(name)
        kept_columns.append(values)
    if errors:
        raise InputError(source, errors)
    if not kept_names:
        raise file_error(source, "the header has no column names", "add a header line")
    table = pa.table(dict(zip(kept_names, kept_columns, strict=True)))
    return RawTable(source, table, pa.array(lines, pa.int64()))
