"""A RawTable checked against a table's spec and turned into a TypedTable, or an
InputError listing every problem; never a partial table."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pilotage.data.readers.raw import RawTable
from pilotage.data.schema import Column, TableSpec, arrow_type
from pilotage.data.typed import ParseOptions, TypedTable
from pilotage.data.validation.booleans import ACCEPTED, parse_booleans
from pilotage.data.validation.date_columns import read_date_columns
from pilotage.data.validation.duplicates import find_duplicates
from pilotage.data.validation.headers import HeaderMatch, match_headers
from pilotage.data.validation.money import CURRENCY, read_currency_column, row_currency
from pilotage.data.validation.number_columns import read_number_columns
from pilotage.data.validation.numbers import mask
from pilotage.data.validation.problems import Problems


def coerce(raw: RawTable, spec: TableSpec, options: ParseOptions) -> TypedTable:
    """Validate ``raw`` as table ``spec``: every declared column typed, extras kept as text.

    Values are trimmed; blank values are missing. Raises InputError(file=raw.source) with
    one RowError per broken rule when anything is wrong.
    """
    lines = np.asarray(raw.lines.to_numpy(zero_copy_only=False), dtype=np.int64)
    problems = Problems(lines)
    match = match_headers(raw.columns, spec, problems)
    text = {name: _clean(raw.data.column(header)) for name, header in match.declared.items()}
    headers = match.declared
    _check_filled(spec, text, headers, problems)

    typed: dict[str, pa.Array] = {}
    numbers, amounts = read_number_columns(text, spec, headers, options, problems)
    typed.update(numbers)
    typed.update(read_date_columns(text, spec, headers, options, problems))
    for column in spec.columns:
        if column.name in text and column.type in ("string", "bool"):
            typed[column.name] = _read_text_column(column, text, headers, problems)
    if CURRENCY in text:
        typed[CURRENCY] = read_currency_column(text[CURRENCY], headers[CURRENCY], problems)
    if spec.money_columns:
        typed[CURRENCY] = row_currency(
            typed.get(CURRENCY),
            amounts,
            headers,
            text,
            options.reporting_currency,
            raw.num_rows,
            problems,
        )
    problems.raise_if_any(raw.source)

    table = _assemble(raw, spec, match, typed)
    duplicates = find_duplicates(
        table,
        spec.key,
        spec.id_column,
        ~problems.bad_rows,
        lines,
        lambda name, row: _raw_cell(raw, match, name, row),
    )
    for error in duplicates.errors:
        problems.add(error)
    problems.raise_if_any(raw.source)
    keep = pa.array(duplicates.keep)
    return TypedTable(
        source=raw.source,
        table=spec.name,
        data=table.filter(keep),
        lines=pc.filter(raw.lines, keep),
        warnings=() if duplicates.warning is None else (duplicates.warning,),
    )


def _clean(values: pa.ChunkedArray) -> pa.Array:
    """Trimmed text, blank as null, in one chunk."""
    text = values.combine_chunks()
    if not pc.any(pc.match_substring_regex(text, r"^\s|\s$")).as_py():
        return text
    trimmed = pc.utf8_trim_whitespace(text)
    return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)


def _check_filled(
    spec: TableSpec, text: dict[str, pa.Array], headers: dict[str, str], problems: Problems
) -> None:
    for name in spec.required:
        if name in text:
            problems.cells(
                mask(pc.is_null(text[name])),
                headers[name],
                None,
                f"{name} is required but empty",
                f"fill in {name} on this row",
            )
    for group in spec.one_of:
        present = [name for name in group if name in text]
        if not present:
            continue
        empty = np.ones(len(problems.lines), dtype=np.bool_)
        for name in present:
            empty &= mask(pc.is_null(text[name]))
        problems.cells(
            empty,
            None,
            None,
            f"one of {', '.join(present)} must be filled",
            f"fill in {' or '.join(present)} on this row",
        )


def _read_text_column(
    column: Column, text: dict[str, pa.Array], headers: dict[str, str], problems: Problems
) -> pa.Array:
    values, header = text[column.name], headers[column.name]
    if column.type == "bool":
        booleans, bad = parse_booleans(values)
        problems.cells(bad, header, values, f"{column.name} must be yes or no", f"use {ACCEPTED}")
        return booleans
    if column.choices is None:
        return values
    lowered = pc.utf8_lower(values)
    allowed = mask(pc.is_in(lowered, value_set=pa.array(column.choices, pa.string())))
    problems.cells(
        mask(pc.is_valid(values)) & ~allowed,
        header,
        values,
        f"{column.name} must be one of {', '.join(column.choices)}",
        f"use one of: {', '.join(column.choices)}",
    )
    return lowered


def _assemble(
    raw: RawTable, spec: TableSpec, match: HeaderMatch, typed: dict[str, pa.Array]
) -> pa.Table:
    """Declared columns in declaration order (null where the file lacks them), then the
    extras as text under their normalised names."""
    rows = raw.num_rows
    arrays: dict[str, pa.Array | pa.ChunkedArray] = {}
    for column in spec.columns:
        kind = arrow_type(column.type)
        arrays[column.name] = typed.get(column.name, pa.nulls(rows, kind))
    for name, header in match.extras.items():
        arrays[name] = raw.data.column(header)
    return pa.table(arrays)


def _raw_cell(raw: RawTable, match: HeaderMatch, name: str, row: int) -> tuple[str, str | None]:
    header = match.declared.get(name) or match.extras.get(name) or name
    if header not in raw.columns:
        return header, None
    value = raw.data.column(header)[row].as_py()
    return header, None if value is None else str(value)
