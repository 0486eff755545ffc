"""Collects every broken rule of a file, so validation can report them all at once."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from pilotage.errors import InputError, RowError


class Problems:
    """Errors found so far, and which rows have at least one (so later checks that compare
    rows, such as duplicate keys, can leave them out)."""

    def __init__(self, lines: npt.NDArray[np.int64]) -> None:
        self.lines = lines
        self.errors: list[RowError] = []
        self.bad_rows = np.zeros(len(lines), dtype=np.bool_)

    def add(self, error: RowError) -> None:
        self.errors.append(error)

    def cells(
        self,
        failed: npt.NDArray[np.bool_],
        header: str | None,
        raw: pa.Array | None,
        rule: str,
        fix: str,
    ) -> None:
        """One error per row where ``failed`` is set, quoting the row's raw text."""
        rows = np.flatnonzero(failed)
        if rows.size == 0:
            return
        self.bad_rows[rows] = True
        if raw is None:
            values: list[str | None] = [None] * rows.size
        else:
            values = raw.take(pa.array(rows)).to_pylist()
        self.errors.extend(
            RowError(int(self.lines[row]), header, value, rule, fix)
            for row, value in zip(rows, values, strict=True)
        )

    def raise_if_any(self, source: str) -> None:
        if self.errors:
            ordered = sorted(self.errors, key=lambda e: -1 if e.line is None else e.line)
            raise InputError(source, ordered)
