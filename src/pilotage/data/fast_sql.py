"""SQL that types one CSV column the way the Python validator would, for the values the
fast path accepts, and flags every value it does not accept.

The accepted subset is deliberately narrow: values that the validator reads in exactly one
way. A flagged value is not necessarily wrong; it only means the file goes through the
Python validator, which decides and explains. Each function returns (typed SQL, SQL that is
true where the value is outside the subset), given ``v``: the column's text, with empty
fields as NULL.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pilotage.data.fast_zones import FIRST_DAY, LAST_DAY
from pilotage.data.schema import Column
from pilotage.data.validation.booleans import FALSE_WORDS, TRUE_WORDS
from pilotage.data.validation.currency import ISO_4217

#: What RE2's \s matches; a declared value starting or ending with one of them makes the
#: validator trim the whole column, which the fast path does not do.
_BLANKS = ("' '", "chr(9)", "chr(10)", "chr(12)", "chr(13)")
_INT = "'-?[0-9]{1,15}'"
_FLOAT = "'-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?'"
#: A value that reads the same with either decimal mark (1.500), see validation/numbers.py.
_AMBIGUOUS = "'-?[1-9][0-9]{0,2}\\.[0-9]{3}([eE][-+]?[0-9]+)?'"
_DATE = "'[0-9]{4}-[0-9]{2}-[0-9]{2}'"
#: Hours, minutes, seconds and zone offsets that exist (the validator refuses the others).
_TIMESTAMP = (
    "'[0-9]{4}-[0-9]{2}-[0-9]{2}([T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,6})?)?"
    "(Z|[-+](0[0-9]|1[0-4])(:?[0-5][0-9])?)?)?'"
)
_FIRST = str(np.datetime64(FIRST_DAY, "D"))
_LAST = str(np.datetime64(LAST_DAY, "D"))
US_PER_HOUR = 3_600_000_000

SQL_TYPES: dict[str, str] = {
    "string": "VARCHAR",
    "int": "BIGINT",
    "float": "DOUBLE",
    "money": "DOUBLE",
    "date": "DATE",
    "timestamp": "TIMESTAMPTZ",
    "bool": "BOOLEAN",
}


def _words(values: tuple[str, ...] | frozenset[str]) -> str:
    return ", ".join("'" + w.replace("'", "''") + "'" for w in sorted(values))


_ISO = _words(ISO_4217)


@dataclass(frozen=True)
class Typed:
    sql: str
    bad: str


def blank_edges(v: str) -> str:
    """A first character that is a control character or a space (a little wider than \\s),
    or a last one in \\s."""
    last = " OR ".join(f"suffix({v}, {c})" for c in _BLANKS)
    return f"(ascii({v}) <= 32 OR {last})"


def text_column(column: Column, v: str) -> Typed:
    """string, string with choices, bool."""
    edges = blank_edges(v)
    ascii_only = f"(strlen({v}) = length({v}))"
    if column.type == "bool":
        words = _words(TRUE_WORDS + FALSE_WORDS)
        sql = (
            f"CASE WHEN lower({v}) IN ({_words(TRUE_WORDS)}) THEN true "
            f"WHEN lower({v}) IN ({_words(FALSE_WORDS)}) THEN false END"
        )
        return Typed(sql, f"({v} IS NOT NULL AND NOT ({ascii_only} AND lower({v}) IN ({words})))")
    if column.choices is not None:
        allowed = _words(column.choices)
        bad = f"({v} IS NOT NULL AND NOT ({ascii_only} AND lower({v}) IN ({allowed})))"
        return Typed(f"lower({v})", f"({bad} OR {edges})")
    return Typed(v, f"coalesce({edges}, false)")


def currency_column(v: str) -> Typed:
    """ISO codes only (signs such as € go through the validator)."""
    ok = f"(regexp_full_match({v}, '[A-Za-z]{{3}}') AND upper({v}) IN ({_ISO}))"
    return Typed(f"upper({v})", f"({v} IS NOT NULL AND NOT {ok})")


def number_column(column: Column, v: str) -> Typed:
    """int, float and money: plain digits, one decimal point, an exponent for floats."""
    if column.type == "int":
        sql = f"TRY_CAST({v} AS BIGINT)"
        shape = f"regexp_full_match({v}, {_INT})"
    else:
        sql = f"TRY_CAST({v} AS DOUBLE)"
        shape = f"(regexp_full_match({v}, {_FLOAT}) AND NOT isinf({sql}))"
    checks = [f"NOT {shape}", f"({sql} = 0 AND starts_with({v}, '-'))"]
    if column.nonnegative:
        checks.append(f"{sql} < 0")
    if column.minimum is not None:
        checks.append(f"{sql} < {column.minimum!r}")
    if column.maximum is not None:
        checks.append(f"{sql} > {column.maximum!r}")
    return Typed(sql, f"({v} IS NOT NULL AND ({' OR '.join(checks)}))")


def ambiguous_mark(v: str) -> str:
    """True where the value reads the same with a decimal point or a decimal comma."""
    return f"coalesce(contains({v}, '.') AND regexp_full_match({v}, {_AMBIGUOUS}), false)"


def point_mark(v: str) -> str:
    """True where the value can only be read with a decimal point (within the subset)."""
    return f"coalesce(contains({v}, '.') AND NOT {ambiguous_mark(v)}, false)"


def _in_range(v: str) -> str:
    """The written day is between 1990-01-01 and 2100-12-31 (ISO text sorts by date)."""
    return f"(substr({v}, 1, 10) BETWEEN '{_FIRST}' AND '{_LAST}')"


def date_column(v: str) -> Typed:
    sql = f"TRY_CAST({v} AS DATE)"
    ok = f"(regexp_full_match({v}, {_DATE}) AND {_in_range(v)} AND {sql} IS NOT NULL)"
    return Typed(sql, f"({v} IS NOT NULL AND NOT coalesce({ok}, false))")


def timestamp_column(v: str) -> Typed:
    """An instant as DuckDB reads it: UTC for a value with Z or an offset, the wall-clock
    time read as UTC for a value without (:func:`timestamp_instant` applies the zone)."""
    sql = f"TRY_CAST({v} AS TIMESTAMPTZ)"
    ok = f"(regexp_full_match({v}, {_TIMESTAMP}) AND {_in_range(v)} AND {sql} IS NOT NULL)"
    return Typed(sql, f"({v} IS NOT NULL AND NOT coalesce({ok}, false))")


def has_zone(v: str) -> str:
    """Within the subset: the value ends with Z or carries an offset after its time."""
    time = f"substr({v}, 11)"
    return f"(suffix({v}, 'Z') OR contains({time}, '+') OR contains({time}, '-'))"


def local_hour(instant: str) -> str:
    return f"(epoch_us({instant}) // {US_PER_HOUR})"


def timestamp_instant(instant: str, aware: str, hour_offset: str) -> str:
    """UTC timestamp: as read when the value has its own offset, else shifted by the
    workspace zone's offset for that local hour."""
    shifted = f"make_timestamp(epoch_us({instant}) - {hour_offset})::TIMESTAMPTZ"
    return f"CASE WHEN {aware} THEN {instant} ELSE {shifted} END"
