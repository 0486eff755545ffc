"""The shape every file reader and adapter produces before validation."""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa


@dataclass(frozen=True)
class RawTable:
    """A file's records as text, before any type is decided.

    ``data`` holds one string (or null) column per header, in file order, with the header
    exactly as written in the file. ``lines`` is an int64 array, one per record: the 1-based
    line of the file where the record starts (records may span lines when a quoted field
    holds a newline), so every error can name its line.
    """

    source: str
    data: pa.Table
    lines: pa.Array

    def __post_init__(self) -> None:
        if len(self.lines) != self.data.num_rows:
            raise ValueError("RawTable: one line number per record is required")

    @property
    def num_rows(self) -> int:
        return int(self.data.num_rows)

    @property
    def columns(self) -> list[str]:
        return list(self.data.column_names)
