"""Read the files the CLV models take without a workspace: a customer summary (one row per
customer or per distinct pattern) or transactions (customer id, date, amount).

Summary columns: ``frequency``, ``recency``, ``T``, optionally ``monetary_value`` (required
for the Gamma-Gamma spend model), ``weight`` (customers sharing the row, default 1) and
``customer_id`` (else customers are numbered by row). For ``sbg`` the columns are ``T``
(periods observed) and ``churned`` (true/false). Transactions: ``customer_id``, ``date`` and
``amount``. Column names match case-insensitively; every bad cell is reported with its line,
column and fix, and nothing is half-read.

Every row of a summary is kept: two customers with the same history are two identical rows
(the generic readers drop exact repeats, so each row is keyed on its line here), and a
``customer_id`` given twice is refused.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from pilotage.core.clv.summary import DataKind, Summary, summary
from pilotage.data.readers.files import read_file
from pilotage.data.readers.raw import RawTable
from pilotage.data.schema import Column, TableSpec, normalise_header
from pilotage.data.typed import ParseOptions
from pilotage.data.validation.coerce import coerce
from pilotage.errors import InputError, RowError, UsageError

#: The column added to a summary's records, holding their line: the key that keeps them all.
ROW = "pilotage_row"
SUMMARY = TableSpec(
    "clv_summary",
    "Customer summary for the CLV models",
    (
        Column("frequency", "float", required=True),
        Column("recency", "float", required=True),
        Column("t", "float", required=True),
        Column("monetary_value", "float"),
        Column("weight", "float"),
        Column("customer_id", "string"),
        Column(ROW, "int", required=True),
    ),
    key=(ROW,),
)
DURATIONS = TableSpec(
    "clv_durations",
    "Subscription durations for the shifted-beta-geometric model",
    (
        Column("t", "float", required=True),
        Column("churned", "bool", required=True),
        Column("weight", "float"),
        Column("customer_id", "string"),
        Column(ROW, "int", required=True),
    ),
    key=(ROW,),
)
TRANSACTIONS = TableSpec(
    "clv_transactions",
    "Transactions: customer id, date, amount",
    (
        Column("customer_id", "string", required=True),
        Column("date", "date", required=True),
        Column("amount", "float", required=True),
    ),
    key=(),
)


def _numbers(data: pa.Table, name: str) -> npt.NDArray[np.float64] | None:
    if name not in data.column_names:
        return None
    column = data.column(name)
    if column.null_count == len(column):
        return None
    return np.asarray(column.to_numpy(zero_copy_only=False), dtype=np.float64)


def _every_row(raw: RawTable) -> RawTable:
    if any(normalise_header(h) == ROW for h in raw.columns):
        raise UsageError(
            f"{raw.source}: the column name {ROW!r} is reserved", fix="rename that column"
        )
    lines = pc.cast(raw.lines, pa.string())
    return RawTable(raw.source, raw.data.append_column(ROW, lines), raw.lines)


def _customer_ids(data: pa.Table, lines: npt.NDArray[np.int64], source: str) -> list[str]:
    """The file's customer ids (refused when blank or repeated), else row numbers."""
    if "customer_id" not in data.column_names or data.column("customer_id").null_count == len(
        lines
    ):
        return [str(i + 1) for i in range(len(lines))]
    ids = data.column("customer_id").to_pylist()
    errors: list[RowError] = []
    first: dict[str, int] = {}
    for line, value in zip(lines.tolist(), ids, strict=True):
        if value is None:
            errors.append(
                RowError(line, "customer_id", None, "blank customer_id", "give every row an id")
            )
        elif value in first:
            errors.append(
                RowError(
                    line,
                    "customer_id",
                    value,
                    f"customer_id repeated (first on line {first[value]})",
                    "one row per customer: merge the two rows",
                )
            )
        else:
            first[value] = line
        if len(errors) >= 50:
            break
    if errors:
        raise InputError(source, errors)
    return [str(v) for v in ids]


def read_customers(
    file: Path, kind: DataKind, options: ParseOptions | None = None
) -> tuple[list[str], Summary]:
    """(customer ids, summary) of the file's rows, checked as the model of ``kind`` needs
    them."""
    raw = _every_row(read_file(file))
    spec = DURATIONS if kind == "durations" else SUMMARY
    typed = coerce(raw, spec, options or ParseOptions())
    lines = np.asarray(typed.lines.to_numpy(zero_copy_only=False), dtype=np.int64)
    data = typed.data
    ids = _customer_ids(data, lines, raw.source)
    if kind == "durations":
        churned = np.asarray(data.column("churned").to_numpy(zero_copy_only=False), dtype=bool)
        periods = _numbers(data, "t")
        assert periods is not None
        return ids, summary(
            churned.astype(np.float64),
            np.zeros(len(periods)),
            periods,
            weight=_numbers(data, "weight"),
            kind=kind,
            source=raw.source,
            lines=lines,
        )
    frequency, recency, age = (_numbers(data, n) for n in ("frequency", "recency", "t"))
    assert frequency is not None and recency is not None and age is not None
    return ids, summary(
        frequency,
        recency,
        age,
        weight=_numbers(data, "weight"),
        monetary=_numbers(data, "monetary_value"),
        kind=kind,
        source=raw.source,
        lines=lines,
    )


def read_summary(file: Path, kind: DataKind, options: ParseOptions | None = None) -> Summary:
    """The file's rows, checked as the model of ``kind`` needs them."""
    return read_customers(file, kind, options)[1]


def read_transactions(
    file: Path, options: ParseOptions | None = None
) -> tuple[npt.NDArray[np.str_], npt.NDArray[np.datetime64], npt.NDArray[np.float64]]:
    """(customer ids, days, amounts) of a transactions file."""
    raw = read_file(file)
    data = coerce(raw, TRANSACTIONS, options or ParseOptions()).data
    ids = np.asarray(data.column("customer_id").to_pylist(), dtype=str)
    days = np.asarray(data.column("date").to_numpy(zero_copy_only=False), dtype="datetime64[D]")
    amounts = np.asarray(data.column("amount").to_numpy(zero_copy_only=False), dtype=np.float64)
    return ids, days, amounts
