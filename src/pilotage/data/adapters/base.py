"""What an adapter is, and the frame every adapter converts a RawTable with.

An adapter renames a tool's columns onto a canonical table and rewrites the values it takes
into canonical text (``.`` decimals, ISO dates and timestamps). Every column it does not
rename is kept under its original name, and every output row keeps the file line of the
record it came from, so validation can still point at the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pyarrow as pa

from pilotage.data.readers.raw import RawTable
from pilotage.data.schema import normalise_header
from pilotage.errors import InputError, RowError

Values = list[str | None]


@dataclass(frozen=True)
class Adapter:
    """One tool export mapped onto one canonical table."""

    source: str
    table: str
    description: str
    convert: Callable[[RawTable], RawTable]
    #: ParseOptions fields the export format fixes (e.g. ``{"decimal": "."}``).
    parse: dict[str, str] = field(default_factory=dict)
    read_sep: str | None = None


def header_key(name: str) -> str:
    """Loose header match: 'metrics.cost_micros', 'metrics_cost_micros' and
    'metrics.costMicros' are the same column, as are 'Impr.' and 'impr'."""
    return re.sub(r"[^0-9a-z]", "", name.lower())


class Frame:
    """A RawTable under conversion: loose column lookup, per-row errors, canonical output."""

    def __init__(self, raw: RawTable, label: str) -> None:
        self.raw = raw
        #: Names the export in messages, e.g. "Google Ads export".
        self.label = label
        self.lines: list[int] = [int(v) for v in raw.lines.to_pylist()]
        self.errors: list[RowError] = []
        self._renamed: set[str] = set()
        self._by_key: dict[str, str] = {}
        for name in raw.columns:
            self._by_key.setdefault(header_key(name), name)

    @property
    def num_rows(self) -> int:
        return self.raw.num_rows

    @property
    def header_line(self) -> int:
        """Where a missing column is reported: the line before the first record."""
        return max(1, self.lines[0] - 1) if self.lines else 1

    def find(self, *names: str) -> str | None:
        """The file's spelling of the first of ``names`` it has, or None."""
        for name in names:
            found = self._by_key.get(header_key(name))
            if found is not None:
                return found
        return None

    def require(self, *names: str, fix: str) -> str:
        found = self.find(*names)
        if found is None:
            raise self.missing(names, fix)
        return found

    def missing(self, names: Sequence[str], fix: str) -> InputError:
        wanted = " or ".join(f"'{n}'" for n in names)
        rule = f"{self.label} has no {wanted} column"
        return InputError(self.raw.source, [RowError(self.header_line, names[0], None, rule, fix)])

    def values(self, name: str | None) -> Values:
        """The column's text values, or all nulls when the file does not have it."""
        if name is None:
            return [None] * self.num_rows
        return [None if v is None else str(v) for v in self.raw.data.column(name).to_pylist()]

    def take(self, name: str | None) -> Values:
        """Values of a column that is renamed onto a canonical one (so not kept as an extra)."""
        if name is not None:
            self._renamed.add(name)
        return self.values(name)

    def error(
        self, row: int, column: str, value: str | None, rule: str, fix: str | None = None
    ) -> None:
        self.errors.append(RowError(self.lines[row], column, value, rule, fix))

    def convert(
        self, column: str | None, values: Values, func: Callable[[str], str | None], fix: str
    ) -> Values:
        """``func`` on every non-null value; a ValueError becomes a row error (its message is
        the rule), so every bad cell of the file is reported, not just the first."""
        out: Values = []
        for row, value in enumerate(values):
            if value is None:
                out.append(None)
                continue
            try:
                out.append(func(value))
            except ValueError as exc:
                self.error(row, column or "?", value, f"{self.label}: {exc}", fix)
                out.append(None)
        return out

    def check(self) -> None:
        if self.errors:
            raise InputError(self.raw.source, self.errors)

    def output(self, canonical: dict[str, Values], rows: Sequence[int] | None = None) -> RawTable:
        """Canonical columns first, then the file's columns not renamed onto them.

        ``canonical`` values are given for every input row; ``rows`` picks (and may repeat or
        drop) input rows, and their lines with them.
        """
        self.check()
        picked = list(range(self.num_rows)) if rows is None else list(rows)
        indices = pa.array(picked, pa.int64())
        names: list[str] = []
        columns: list[pa.Array] = []
        for name, values in canonical.items():
            names.append(name)
            columns.append(pa.array([values[i] for i in picked], pa.string()))
        taken = set(canonical)
        for name in self.raw.columns:
            if name in self._renamed:
                continue
            kept = name
            if normalise_header(name) in taken:
                # A tool column spelled like a canonical one it does not feed.
                kept = f"original {name}"
            names.append(kept)
            columns.append(self.raw.data.column(name).combine_chunks().take(indices))
        data = pa.Table.from_arrays(columns, names=names)
        return RawTable(self.raw.source, data, self.raw.lines.take(indices))


def select_rows(raw: RawTable, rows: Sequence[int]) -> RawTable:
    """The records at ``rows`` (dropped records take their lines with them)."""
    indices = pa.array(list(rows), pa.int64())
    return RawTable(raw.source, raw.data.take(indices), raw.lines.take(indices))
