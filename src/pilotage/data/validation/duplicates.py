"""Rows of one file that share a key: exact repeats are dropped, conflicting ones refused."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from pilotage.errors import RowError

#: How many dropped repeats the warning lists by line before summarising.
_LISTED = 10


@dataclass(frozen=True)
class DuplicateReport:
    keep: npt.NDArray[np.bool_]
    errors: list[RowError]
    warning: str | None


def find_duplicates(
    table: pa.Table,
    key: Sequence[str],
    id_column: str | None,
    usable: npt.NDArray[np.bool_],
    lines: npt.NDArray[np.int64],
    raw_text: Callable[[str, int], tuple[str, str | None]],
) -> DuplicateReport:
    """Compare rows that share a key (``key``, else a filled ``id_column``, else the whole
    row). Only ``usable`` rows take part. ``raw_text(column, row)`` gives the header as
    written and the raw value, for the error message."""
    keep = np.ones(table.num_rows, dtype=np.bool_)
    candidates = _rows_sharing_a_key(table, key, id_column, usable)
    if candidates.size == 0:
        return DuplicateReport(keep, [], None)
    key_columns = _key_columns(table, key, id_column)
    records = table.take(pa.array(candidates)).to_pylist()
    first_seen: dict[tuple[Any, ...], tuple[int, dict[str, Any]]] = {}
    errors: list[RowError] = []
    repeats: list[tuple[int, int]] = []
    for row, record in zip(candidates.tolist(), records, strict=True):
        keyed = bool(key) or (bool(key_columns) and record[key_columns[0]] is not None)
        columns = key_columns if keyed else []
        identity = (keyed, *(record[c] for c in columns or record))
        if identity not in first_seen:
            first_seen[identity] = (row, record)
            continue
        earlier, earlier_record = first_seen[identity]
        different = [c for c in record if record[c] != earlier_record[c]]
        if not different:
            keep[row] = False
            repeats.append((int(lines[row]), int(lines[earlier])))
            continue
        header, value = raw_text(different[0], row)
        described = ", ".join(f"{c}={_show(record[c])}" for c in columns)
        errors.append(
            RowError(
                int(lines[row]),
                header,
                value,
                f"same key ({described}) as line {int(lines[earlier])} but a different "
                f"{different[0]}",
                "keep one row per key: remove or merge one of the two rows",
            )
        )
    return DuplicateReport(keep, errors, _warning(repeats))


def _key_columns(table: pa.Table, key: Sequence[str], id_column: str | None) -> list[str]:
    if key:
        return list(key)
    if id_column is not None and id_column in table.column_names:
        return [id_column]
    return []


def _rows_sharing_a_key(
    table: pa.Table, key: Sequence[str], id_column: str | None, usable: npt.NDArray[np.bool_]
) -> npt.NDArray[np.int64]:
    """Indices (in file order) of usable rows whose key, or whole row, occurs more than once."""
    rows = np.flatnonzero(usable)
    if rows.size < 2:
        return rows[:0]
    subset = table.take(pa.array(rows))
    columns = _key_columns(table, key, id_column)
    if columns and not key:
        # Rows without an id are keyed on the whole row, so a blank id never matches.
        filled = ~np.asarray(pc.is_null(subset.column(columns[0])).to_numpy(zero_copy_only=False))
        frame = subset.to_pandas()
        by_id = frame[filled].duplicated(subset=columns, keep=False)
        by_row = frame[~filled].duplicated(keep=False)
        shared = np.zeros(rows.size, dtype=np.bool_)
        shared[np.flatnonzero(filled)[by_id.to_numpy()]] = True
        shared[np.flatnonzero(~filled)[by_row.to_numpy()]] = True
    else:
        frame = subset.select(columns or subset.column_names).to_pandas()
        shared = frame.duplicated(keep=False).to_numpy()
    return rows[shared]


def _show(value: Any) -> str:
    return "(empty)" if value is None else str(value)


def _warning(repeats: list[tuple[int, int]]) -> str | None:
    if not repeats:
        return None
    listed = ", ".join(f"line {row} (same as line {first})" for row, first in repeats[:_LISTED])
    more = f" and {len(repeats) - _LISTED} more" if len(repeats) > _LISTED else ""
    return f"{len(repeats)} row(s) repeated an earlier row exactly and were dropped: {listed}{more}"
