"""Typed int, float and money columns of one file, with one decimal mark for the file."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from pilotage.data.schema import Column, TableSpec, arrow_type
from pilotage.data.typed import ParseOptions
from pilotage.data.validation.evidence import (
    ColumnSightings,
    Reading,
    decide,
    first_sighting,
)
from pilotage.data.validation.numbers import (
    FloatArray,
    Mark,
    NumberText,
    mark_evidence,
    mask,
    parse_digits,
    split_number_text,
)
from pilotage.data.validation.problems import Problems

NUMBER_TYPES = ("int", "float", "money")
#: Whole numbers above this lose digits as float64, the form numbers are parsed in.
_LARGEST_EXACT_INT = 2.0**53
_NUMBER_FIX = "write it like 1234.56, 1 234,56 or 1,234.56 (a currency sign is allowed)"
_MARK_FIX = "pass --decimal , or --decimal ."


def read_number_columns(
    text: Mapping[str, pa.Array],
    spec: TableSpec,
    headers: Mapping[str, str],
    options: ParseOptions,
    problems: Problems,
) -> tuple[dict[str, pa.Array], dict[str, pa.Array]]:
    """Typed arrays of the file's number columns, and for money columns the currency code
    written in each amount (null where none)."""
    columns = [c for c in spec.columns if c.type in NUMBER_TYPES and c.name in text]
    split = {c.name: split_number_text(text[c.name]) for c in columns}
    for column in columns:
        _report_shapes(column, split[column.name], headers[column.name], text, problems)
    decimal = _decide_mark(split, headers, text, options, problems)
    if decimal is None:
        return {}, {}
    typed: dict[str, pa.Array] = {}
    for column in columns:
        values, bad = parse_digits(split[column.name], decimal)
        header, raw = headers[column.name], text[column.name]
        name = "comma" if decimal == "," else "point"
        example = "1 234,56" if decimal == "," else "1,234.56"
        problems.cells(
            bad,
            header,
            raw,
            f"{column.name} does not read as a number with a decimal {name}, the mark the "
            "rest of the file uses",
            f"write it like {example}",
        )
        usable = ~np.isnan(values)
        _check_bounds(column, values, usable, header, raw, problems)
        typed[column.name] = _to_arrow(column, values, usable)
    money = {c.name: split[c.name].currency for c in columns if c.type == "money"}
    return typed, money


def _report_shapes(
    column: Column,
    number: NumberText,
    header: str,
    text: Mapping[str, pa.Array],
    problems: Problems,
) -> None:
    raw = text[column.name]
    name = column.name
    problems.cells(number.malformed, header, raw, f"{name} must be a number", _NUMBER_FIX)
    problems.cells(
        number.percent,
        header,
        raw,
        f"{name} must be a number, not a percentage",
        "write the number without %, e.g. 0.125 for 12.5%",
    )
    problems.cells(
        number.unknown_currency,
        header,
        raw,
        f"{name} has an unknown currency code",
        "use an ISO 4217 code such as EUR, USD or GBP, or a sign such as €, $ or £",
    )
    problems.cells(
        number.two_currencies,
        header,
        raw,
        f"{name} names two different currencies",
        "keep a single currency sign or code",
    )
    if column.type != "money":
        problems.cells(
            mask(pc.is_valid(number.currency)),
            header,
            raw,
            f"{name} is not an amount of money, so it cannot carry a currency",
            "remove the currency sign or code",
        )


def _decide_mark(
    split: Mapping[str, NumberText],
    headers: Mapping[str, str],
    text: Mapping[str, pa.Array],
    options: ParseOptions,
    problems: Problems,
) -> Mark | None:
    if options.decimal != "auto":
        return options.decimal
    comma: list[ColumnSightings] = []
    point: list[ColumnSightings] = []
    ambiguous: list[ColumnSightings] = []
    for name, number in split.items():
        evidence = mark_evidence(number.body)
        comma.append(ColumnSightings(headers[name], text[name], evidence.comma))
        point.append(ColumnSightings(headers[name], text[name], evidence.point))
        ambiguous.append(ColumnSightings(headers[name], text[name], evidence.ambiguous))
    lines = problems.lines
    decision = decide(
        Reading[Mark](".", "a decimal point", first_sighting(point, lines)),
        Reading[Mark](",", "a decimal comma", first_sighting(comma, lines)),
        first_sighting(ambiguous, lines),
        what="the decimal mark",
        fix=_MARK_FIX,
    )
    if isinstance(decision, str):
        return decision
    problems.add(decision)
    return None


def _check_bounds(
    column: Column,
    values: FloatArray,
    usable: npt.NDArray[np.bool_],
    header: str,
    raw: pa.Array,
    problems: Problems,
) -> None:
    name = column.name
    checked = np.where(usable, values, 0.0)
    if column.type == "int":
        fraction = usable & (
            (checked != np.floor(checked)) | (np.abs(checked) >= _LARGEST_EXACT_INT)
        )
        problems.cells(
            fraction, header, raw, f"{name} must be a whole number", "remove the decimals"
        )
        usable &= ~fraction
    if column.nonnegative:
        problems.cells(
            usable & (checked < 0),
            header,
            raw,
            f"{name} must be zero or more",
            "correct the value (a minus sign or parentheses make it negative)",
        )
    low, high = column.minimum, column.maximum
    if low is None and high is None:
        return
    outside = usable & (
        (checked < (-np.inf if low is None else low))
        | (checked > (np.inf if high is None else high))
    )
    if low is not None and high is not None:
        rule = f"{name} must be between {low:g} and {high:g}"
    elif low is not None:
        rule = f"{name} must be at least {low:g}"
    else:
        rule = f"{name} must be at most {high:g}"
    problems.cells(outside, header, raw, rule, "correct the value")


def _to_arrow(column: Column, values: FloatArray, usable: npt.NDArray[np.bool_]) -> pa.Array:
    kind = arrow_type(column.type)
    if column.type == "int":
        return pa.array(np.where(usable, values, 0).astype(np.int64), kind, mask=~usable)
    return pa.array(values, kind, mask=~usable)
