"""What validation hands to the loader: a typed, canonical table, plus how to parse."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pyarrow as pa

DateOrder = Literal["auto", "dmy", "mdy"]
DecimalMark = Literal["auto", ",", "."]


@dataclass(frozen=True)
class ParseOptions:
    """How ambiguous text is read. ``auto`` decides from the whole file, never row by row;
    a file whose evidence contradicts itself, or that gives none where it matters, is an
    error that names the option to set."""

    timezone: str = "Europe/Paris"
    reporting_currency: str = "EUR"
    date_order: DateOrder = "auto"
    decimal: DecimalMark = "auto"

    def __post_init__(self) -> None:
        if self.date_order not in ("auto", "dmy", "mdy"):
            raise ValueError(f"date_order must be auto, dmy or mdy, not {self.date_order!r}")
        if self.decimal not in ("auto", ",", "."):
            raise ValueError(f"decimal must be auto, ',' or '.', not {self.decimal!r}")


@dataclass(frozen=True)
class TypedTable:
    """A validated file in canonical form.

    ``data`` has every declared column of the table (in declaration order, typed as
    :func:`pilotage.data.schema.arrow_schema`, null where the file did not have it), then the
    file's extra columns as strings under their normalised header names. When the table has
    money columns, ``currency`` is filled on every row (from the column, a sign in the
    amount, or the reporting currency). ``lines`` gives each row's line in the file.
    """

    source: str
    table: str
    data: pa.Table
    lines: pa.Array
    warnings: tuple[str, ...] = ()
