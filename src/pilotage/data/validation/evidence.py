"""Deciding a reading for the whole file (decimal mark, day/month order) from what its
values show: one reading wins only when no value contradicts it and, if some values are
open to both readings, at least one value settles it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from pilotage.errors import RowError

Choice = TypeVar("Choice", bound=str)


@dataclass(frozen=True)
class Sighting:
    """The earliest value in the file that shows one reading."""

    line: int
    header: str
    value: str | None


@dataclass(frozen=True)
class ColumnSightings:
    header: str
    raw: pa.Array
    rows: npt.NDArray[np.bool_]


def first_sighting(
    columns: Sequence[ColumnSightings], lines: npt.NDArray[np.int64]
) -> Sighting | None:
    best: Sighting | None = None
    for column in columns:
        hits = np.flatnonzero(column.rows)
        if hits.size == 0:
            continue
        row = int(hits[0])
        if best is None or int(lines[row]) < best.line:
            best = Sighting(int(lines[row]), column.header, column.raw[row].as_py())
    return best


@dataclass(frozen=True)
class Reading(Generic[Choice]):
    """One way to read the file, with the earliest value that can only be read that way."""

    choice: Choice
    label: str
    seen: Sighting | None


def decide(
    first: Reading[Choice],
    second: Reading[Choice],
    open_value: Sighting | None,
    *,
    what: str,
    fix: str,
) -> Choice | RowError:
    """The reading the file's values agree on, or the RowError that explains why none does.
    With no evidence and nothing open, ``first`` is returned (it changes no value)."""
    a, b = first.seen, second.seen
    if a is not None and b is not None:
        (early, seen_early), (late, seen_late) = sorted(
            [(first, a), (second, b)], key=lambda pair: pair[1].line
        )
        return RowError(
            seen_late.line,
            seen_late.header,
            seen_late.value,
            f"{what} is not consistent: line {seen_early.line} ({seen_early.value!r} in "
            f"'{seen_early.header}') reads as {early.label}, this line reads as {late.label}",
            f"write the whole file one way, then {fix}",
        )
    if b is not None:
        return second.choice
    if a is None and open_value is not None:
        return RowError(
            open_value.line,
            open_value.header,
            open_value.value,
            f"{what} cannot be decided: {open_value.value!r} reads two ways and no value in "
            "the file settles it",
            fix,
        )
    return first.choice
