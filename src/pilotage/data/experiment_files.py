"""Read an experiments file (unit rows or aggregate rows, data-model.md ``experiments``)
with the same validation as ``pilotage load experiments``, plus the rules an analysis
needs: an aggregate row never has more conversions than units. Nothing is half-read: every
bad cell is reported with its line, column and fix."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pilotage.data.readers.files import read_file
from pilotage.data.schema import get_table
from pilotage.data.typed import DecimalMark, ParseOptions, TypedTable
from pilotage.data.validation import coerce
from pilotage.errors import InputError, RowError

#: Column giving each row's line in the file (the default control is the first variant).
LINE = "_line"


def read_experiment_file(
    path: Path,
    *,
    sep: str | None = None,
    decimal: DecimalMark = "auto",
    timezone: str = "Europe/Paris",
) -> pa.Table:
    """The file's rows typed as the canonical ``experiments`` table, with their line numbers
    in :data:`LINE`. Raises InputError listing every problem."""
    raw = read_file(path, sep=sep)
    options = ParseOptions(timezone=timezone, decimal=decimal)
    typed = coerce(raw, get_table("experiments"), options)
    _check_counts(typed)
    return typed.data.append_column(LINE, pc.cast(typed.lines, pa.int64()))


def _check_counts(typed: TypedTable) -> None:
    data = typed.data
    lines = np.asarray(typed.lines.to_numpy(zero_copy_only=False), dtype=np.int64)
    aggregate = np.asarray(pc.is_null(data.column("unit_id")).to_numpy(zero_copy_only=False))
    units = data.column("units").to_numpy(zero_copy_only=False).astype(np.float64)
    conversions = data.column("conversions").to_numpy(zero_copy_only=False).astype(np.float64)
    errors = [
        RowError(
            int(lines[row]),
            "conversions",
            f"{conversions[row]:g}",
            f"more conversions than units ({units[row]:g})",
            "a conversion rate counts converting units: conversions <= units "
            "(several conversions per unit: give unit rows and use --metric count)",
        )
        for row in np.flatnonzero(aggregate & (np.nan_to_num(conversions) > np.nan_to_num(units)))
    ]
    if errors:
        raise InputError(typed.source, errors, message=f"{typed.source}: cannot analyse the file")
