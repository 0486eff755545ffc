"""Dates and timestamps as people write them: ISO 8601, day-first with '-' or '.', and
slash dates whose day/month order is decided once per file.

Like numbers, reading is two steps: :func:`split_date_text` takes every value apart, then
:func:`resolve_dates` builds calendar dates or UTC instants once the slash order is known.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from pilotage.data.validation.numbers import BoolArray, mask
from pilotage.data.validation.timezones import local_to_utc

Order = Literal["dmy", "mdy"]
IntArray = npt.NDArray[np.int64]

_TIME = (
    r"(?:(?:[T ]|\s+)(?P<H>[0-9]{1,2}):(?P<M>[0-9]{2})"
    r"(?::(?P<S>[0-9]{2})(?:[.,](?P<f>[0-9]{1,9}))?)?"
    r"\s*(?P<ampm>[AaPp][Mm])?"
    r"\s*(?P<tz>[Zz]|UTC|GMT|[-+][0-9]{2}(?::?[0-9]{2})?)?)?"
)
_YEAR_FIRST = (
    rf"^(?P<y>[0-9]{{4}})(?P<s1>[-/])(?P<a>[0-9]{{1,2}})(?P<s2>[-/])(?P<b>[0-9]{{1,2}}){_TIME}$"
)
_YEAR_LAST = (
    rf"^(?P<a>[0-9]{{1,2}})(?P<s1>[-/.])(?P<b>[0-9]{{1,2}})(?P<s2>[-/.])(?P<y>[0-9]{{4}}){_TIME}$"
)
_PARTS = ("y", "s1", "a", "s2", "b", "H", "M", "S", "f", "ampm", "tz")
_FIXED = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2})?)?$"
#: Where each part sits in a fixed-width ISO value (codepoint offsets, end excluded).
_FIXED_SLICES = {
    "y": (0, 4),
    "s1": (4, 5),
    "a": (5, 7),
    "s2": (7, 8),
    "b": (8, 10),
    "H": (11, 13),
    "M": (14, 16),
    "S": (17, 19),
}
_TZ_PARTS = r"^(?P<sign>[-+])(?P<hh>[0-9]{2}):?(?P<mm>[0-9]{2})?$"
_SHORT_YEAR = r"^[0-9]{1,2}[-/.][0-9]{1,2}[-/.][0-9]{2}(?:$|[ T])"
_NUMBER = r"^[-+]?[0-9]+(?:[.,][0-9]+)?$"

_US_PER_DAY = 86_400_000_000
_FIRST_DAY = np.datetime64("1990-01-01", "D")
_LAST_DAY = np.datetime64("2100-12-31", "D")


def _ints(values: pa.Array) -> IntArray:
    filled = pc.fill_null(pc.if_else(pc.equal(values, ""), "0", values), "0")
    return np.asarray(pc.cast(filled, pa.int64()).to_numpy(zero_copy_only=False), np.int64)


@dataclass(frozen=True)
class DateText:
    """One column of date text taken apart; arrays are one per row, 0 where absent."""

    year: IntArray
    #: For year-first dates: month then day. For year-last dates: as written.
    first: IntArray
    second: IntArray
    year_first: BoolArray
    #: Year-last dates written with '/', whose order is decided per file.
    slash: BoolArray
    hour: IntArray
    minute: IntArray
    second_of_minute: IntArray
    microsecond: IntArray
    #: Offset east of UTC in minutes, where the value carries a zone.
    offset_minutes: IntArray
    aware: BoolArray
    present: BoolArray
    #: Not a date at all; split further so the message can say why.
    unreadable: BoolArray
    short_year: BoolArray
    number: BoolArray
    bad_zone: BoolArray


def _text_parts(values: pa.Array) -> tuple[dict[str, pa.Array], BoolArray, BoolArray]:
    """Each named part as text ("" where absent), and which rows read year-first and
    year-last. Fixed-width ISO values are cut by position; only the others go through the
    (much slower) capturing regular expressions."""
    present = ~mask(pc.is_null(values))
    fixed = mask(pc.match_substring_regex(values, _FIXED))
    hard = present & ~fixed
    rows = np.flatnonzero(hard)
    subset = values.take(pa.array(rows, pa.int64()))
    head = pc.extract_regex(subset, _YEAR_FIRST)
    tail = pc.extract_regex(subset, _YEAR_LAST)
    head_ok = mask(pc.is_valid(head))
    use_head = pa.array(head_ok)
    hard_mask, fixed_mask = pa.array(hard), pa.array(fixed)
    none = pa.scalar(None, pa.string())
    parts: dict[str, pa.Array] = {}
    for name in _PARTS:
        if name in _FIXED_SLICES:
            start, stop = _FIXED_SLICES[name]
            base = pc.if_else(fixed_mask, pc.utf8_slice_codeunits(values, start, stop), none)
        else:
            base = pa.nulls(len(values), pa.string())
        chosen = pc.if_else(use_head, pc.struct_field(head, name), pc.struct_field(tail, name))
        parts[name] = pc.fill_null(pc.replace_with_mask(base, hard_mask, chosen), "")
    year_first, year_last = fixed.copy(), np.zeros(len(values), dtype=np.bool_)
    year_first[rows] = head_ok
    year_last[rows] = ~head_ok & mask(pc.is_valid(tail))
    return parts, year_first, year_last


def split_date_text(values: pa.Array) -> DateText:
    present = ~mask(pc.is_null(values))
    parts, year_first, year_last = _text_parts(values)

    same_sep = mask(pc.equal(parts["s1"], parts["s2"]))
    matched = (year_first | year_last) & same_sep
    hour = _ints(parts["H"])
    ampm = pc.utf8_lower(parts["ampm"])
    pm, am = mask(pc.equal(ampm, "pm")), mask(pc.equal(ampm, "am"))
    twelve_hour = pm | am
    hour_ok = ~twelve_hour | ((hour >= 1) & (hour <= 12))
    hour = np.where(am & (hour == 12), 0, hour)
    hour = np.where(pm & (hour < 12), hour + 12, hour)

    tz = parts["tz"]
    tz_parts = pc.extract_regex(tz, _TZ_PARTS)
    sign = np.where(mask(pc.equal(pc.struct_field(tz_parts, "sign"), "-")), -1, 1)
    tz_hours = _ints(pc.fill_null(pc.struct_field(tz_parts, "hh"), ""))
    tz_minutes = _ints(pc.fill_null(pc.struct_field(tz_parts, "mm"), ""))
    aware = matched & mask(pc.not_equal(tz, ""))
    bad_zone = aware & ((tz_hours > 14) | (tz_minutes > 59))

    fraction = pc.utf8_rpad(pc.utf8_slice_codeunits(parts["f"], 0, 6), 6, "0")
    unreadable = present & ~matched
    return DateText(
        year=_ints(parts["y"]),
        first=_ints(parts["a"]),
        second=_ints(parts["b"]),
        year_first=year_first & matched,
        slash=year_last & matched & mask(pc.equal(parts["s1"], "/")),
        hour=hour,
        minute=_ints(parts["M"]),
        second_of_minute=_ints(parts["S"]),
        microsecond=_ints(fraction),
        offset_minutes=sign * (tz_hours * 60 + tz_minutes),
        aware=aware,
        present=present,
        unreadable=unreadable | (matched & ~hour_ok),
        short_year=unreadable & mask(pc.match_substring_regex(values, _SHORT_YEAR)),
        number=unreadable & mask(pc.match_substring_regex(values, _NUMBER)),
        bad_zone=bad_zone,
    )


@dataclass(frozen=True)
class OrderEvidence:
    """Slash dates that can only be day-first, only month-first, or either."""

    dmy: BoolArray
    mdy: BoolArray
    ambiguous: BoolArray


def order_evidence(text: DateText) -> OrderEvidence:
    first_big, second_big = text.first > 12, text.second > 12
    return OrderEvidence(
        dmy=text.slash & first_big & ~second_big,
        mdy=text.slash & second_big & ~first_big,
        # 05/05/2026 reads the same either way, so it leaves nothing open.
        ambiguous=text.slash & ~first_big & ~second_big & (text.first != text.second),
    )


@dataclass(frozen=True)
class ResolvedDates:
    #: Days since 1970-01-01 (the calendar date as written), and UTC microseconds.
    days: IntArray
    instants: IntArray
    impossible: BoolArray
    implausible: BoolArray


def resolve_dates(text: DateText, order: Order, tz: ZoneInfo | None) -> ResolvedDates:
    """Calendar dates, and UTC instants when ``tz`` is given (naive times are wall-clock
    times in ``tz``; values with an offset or Z keep their own)."""
    month_first = text.year_first | (text.slash & (order == "mdy"))
    month = np.where(month_first, text.first, text.second)
    day = np.where(month_first, text.second, text.first)
    valid = text.present & ~text.unreadable & ~text.bad_zone
    in_range = (month >= 1) & (month <= 12) & (day >= 1) & (text.year >= 1)
    safe_month = np.where(in_range, month, 1)
    months = (np.where(in_range, text.year, 1970) - 1970) * 12 + (safe_month - 1)
    month_start = months.astype("datetime64[M]").astype("datetime64[D]")
    month_length = (months + 1).astype("datetime64[M]").astype("datetime64[D]") - month_start
    in_range &= day <= month_length.astype(np.int64)
    dates = month_start + np.where(in_range, day - 1, 0)
    clock_ok = (text.hour <= 23) & (text.minute <= 59) & (text.second_of_minute <= 59)
    impossible = valid & ~(in_range & clock_ok)
    implausible = valid & ~impossible & ((dates < _FIRST_DAY) | (dates > _LAST_DAY))
    days = dates.astype(np.int64)
    instants = np.zeros_like(days)
    if tz is not None:
        local = (
            days * _US_PER_DAY
            + ((text.hour * 60 + text.minute) * 60 + text.second_of_minute) * 1_000_000
            + text.microsecond
        )
        usable = valid & ~impossible & ~implausible
        naive = usable & ~text.aware
        instants = np.where(text.aware, local - text.offset_minutes * 60_000_000, local)
        instants[naive] = local_to_utc(local[naive], tz)
    return ResolvedDates(days, instants, impossible, implausible)
