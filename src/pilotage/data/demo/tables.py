"""Build canonical arrow tables from numpy columns.

Each demo module hands :func:`build_table` a mapping of column name to values; missing
declared columns become nulls, and the result has exactly ``arrow_schema(spec)`` followed by
the given extra string columns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from pilotage.data.demo.config import I64, NO_TIME
from pilotage.data.schema import TABLES, arrow_schema

Values: TypeAlias = "pa.Array | npt.NDArray[Any] | Sequence[object]"


def labels(codes: I64, names: Sequence[str]) -> pa.Array:
    """Strings from category codes (int64, -1 = null) and their names."""
    mask = codes < 0
    indices = pa.array(np.where(mask, 0, codes).astype(np.int32), mask=mask)
    return pa.DictionaryArray.from_arrays(indices, pa.array(list(names), pa.string())).cast(
        pa.string()
    )


def ids(prefix: str, numbers: I64, width: int = 6) -> pa.Array:
    """Identifiers such as ``T000123`` from non-negative integers (-1 = null)."""
    mask = numbers < 0
    text = pc.utf8_lpad(pc.cast(pa.array(np.maximum(numbers, 0)), pa.string()), width, "0")
    joined = pc.binary_join_element_wise(prefix, text, "")
    return pc.if_else(pa.array(mask), pa.nulls(len(numbers), pa.string()), joined)


def timestamps(us: I64) -> pa.Array:
    """UTC timestamps from int64 microseconds since epoch (NO_TIME = null)."""
    return pa.array(us, type=pa.timestamp("us", tz="UTC"), mask=us == NO_TIME)


def _column(values: Values, dtype: pa.DataType, n: int) -> pa.Array:
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if isinstance(values, pa.Array):
        arr = values
    elif isinstance(values, np.ndarray) and values.dtype.kind == "f":
        arr = pa.array(values, mask=np.isnan(values))
    elif isinstance(values, np.ndarray) and values.dtype.kind in "iub":
        if pa.types.is_timestamp(dtype):
            return timestamps(values.astype(np.int64))
        arr = pa.array(values)
    else:
        arr = pa.array(list(values), type=dtype)
    if len(arr) != n:
        raise ValueError(f"column has {len(arr)} rows, expected {n}")
    return arr if arr.type == dtype else arr.cast(dtype)


def build_table(
    name: str, columns: Mapping[str, Values], extras: Mapping[str, Values] | None = None
) -> pa.Table:
    """The canonical table ``name``; every declared column present (null when not given)."""
    schema = arrow_schema(TABLES[name])
    unknown = set(columns) - set(schema.names)
    if unknown:
        raise ValueError(f"table {name}: undeclared columns {sorted(unknown)}")
    n = len(next(iter(columns.values())))
    arrays = [
        _column(columns[f.name], f.type, n) if f.name in columns else pa.nulls(n, f.type)
        for f in schema
    ]
    fields = list(schema)
    for extra, values in (extras or {}).items():
        arrays.append(_column(values, pa.string(), n))
        fields.append(pa.field(extra, pa.string()))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def date_column(day_nums: I64) -> pa.Array:
    return pa.array(day_nums.astype(np.int32), type=pa.date32())
