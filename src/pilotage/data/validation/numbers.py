"""Numbers as people write them: decimal comma or point, thousands separators, currency
signs, minus signs and accounting parentheses.

Reading happens in two steps so that the decimal mark is decided once per file: first
:func:`split_number_text` takes each value apart (sign, currency, digits), then
:func:`parse_digits` reads the digits once the mark is known. Everything is vectorised
with pyarrow; only failing values are looked at one by one, by the caller.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from pilotage.data.validation.currency import TOKEN_PATTERN, token_codes

Mark = Literal[",", "."]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]

_SPACES = "[\u00a0\u202f\u2009\u2007]"
_SHAPE = (
    r"^(?P<lead>[-+])?\s*(?P<open>\()?\s*"
    rf"(?P<pre>{TOKEN_PATTERN})?\s*(?P<sign>[-+])?\s*"
    r"(?P<body>[.,]?[0-9](?:[0-9 .,']*[0-9])?)(?P<exp>[eE][-+]?[0-9]+)?\s*"
    rf"(?P<post>{TOKEN_PATTERN})?\s*(?P<close>\))?$"
)
_PLAIN = r"^[0-9]+(?:[.,][0-9]+)?$"
#: One mark, 1-3 digits before (not a lone 0) and exactly 3 after: 1,500 or 1.500.
_AMBIGUOUS = r"^[1-9][0-9]{0,2}[.,][0-9]{3}$"


def mask(values: pa.Array | pa.ChunkedArray) -> BoolArray:
    """A pyarrow boolean result as a numpy mask, null counting as False."""
    filled = pc.fill_null(values, False)
    if isinstance(filled, pa.ChunkedArray):
        filled = filled.combine_chunks()
    return np.asarray(filled.to_numpy(zero_copy_only=False), dtype=np.bool_)


@dataclass(frozen=True)
class NumberText:
    """One column of number text taken apart; arrays are one per row."""

    #: Digits, marks, spaces and apostrophes only; "" where the value is not a number.
    body: pa.Array
    exponent: pa.Array
    negative: BoolArray
    #: ISO code from a sign or code written in the value; null when none.
    currency: pa.Array
    present: BoolArray
    malformed: BoolArray
    percent: BoolArray
    unknown_currency: BoolArray
    two_currencies: BoolArray


def split_number_text(values: pa.Array) -> NumberText:
    """Take each value apart. Plain values (digits and at most one mark, the bulk of most
    files) skip the slow capturing regular expression."""
    present = ~mask(pc.is_null(values))
    plain = mask(pc.match_substring_regex(values, _PLAIN))
    hard = present & ~plain
    rows = np.flatnonzero(hard)
    part = _split_hard(values.take(pa.array(rows, pa.int64())))
    chosen = pa.array(hard)

    def spread_text(plain_values: pa.Array | str, hard_values: pa.Array) -> pa.Array:
        base = pc.if_else(pa.array(plain), plain_values, pa.scalar(None, pa.string()))
        return pc.replace_with_mask(base, chosen, hard_values)

    def spread_flags(hard_flags: BoolArray) -> BoolArray:
        flags = np.zeros(len(values), dtype=np.bool_)
        flags[rows] = hard_flags
        return flags

    return NumberText(
        body=pc.fill_null(spread_text(values, part.body), ""),
        exponent=pc.fill_null(spread_text("", part.exponent), ""),
        negative=spread_flags(part.negative),
        currency=spread_text(pa.scalar(None, pa.string()), part.currency),
        present=present,
        malformed=spread_flags(part.malformed),
        percent=spread_flags(part.percent),
        unknown_currency=spread_flags(part.unknown_currency),
        two_currencies=spread_flags(part.two_currencies),
    )


def _split_hard(values: pa.Array) -> NumberText:
    text = pc.replace_substring_regex(values, _SPACES, " ")
    text = pc.replace_substring(text, "\u2212", "-")
    parts = pc.extract_regex(text, _SHAPE)
    present = ~mask(pc.is_null(values))
    matched = present & mask(pc.is_valid(parts))

    def part(name: str) -> pa.Array:
        return pc.fill_null(pc.struct_field(parts, name), "")

    lead, sign, pre, post = part("lead"), part("sign"), part("pre"), part("post")
    has_open = mask(pc.equal(part("open"), "("))
    has_close = mask(pc.equal(part("close"), ")"))
    minus_count = (
        mask(pc.equal(lead, "-")).astype(np.int8)
        + mask(pc.equal(sign, "-")).astype(np.int8)
        + has_open.astype(np.int8)
    )
    two_signs = mask(pc.not_equal(lead, "")) & mask(pc.not_equal(sign, ""))
    signs_ok = (has_open == has_close) & (minus_count <= 1) & ~two_signs
    pre_code, post_code = token_codes(pre), token_codes(post)
    unknown = matched & (
        (mask(pc.not_equal(pre, "")) & mask(pc.is_null(pre_code)))
        | (mask(pc.not_equal(post, "")) & mask(pc.is_null(post_code)))
    )
    two = matched & mask(pc.not_equal(pre_code, post_code))
    good = matched & signs_ok & ~unknown & ~two
    malformed = present & ~good & ~unknown & ~two
    percent = malformed & mask(pc.match_substring(values, "%"))
    keep = pa.array(good)
    return NumberText(
        body=pc.if_else(keep, part("body"), ""),
        exponent=pc.if_else(keep, part("exp"), ""),
        negative=good & (minus_count == 1),
        currency=pc.if_else(keep, pc.coalesce(pre_code, post_code), pa.scalar(None, pa.string())),
        present=present,
        malformed=malformed & ~percent,
        percent=percent,
        unknown_currency=unknown,
        two_currencies=two,
    )


@dataclass(frozen=True)
class MarkEvidence:
    """Rows whose digits say which decimal mark the file uses, or leave it open."""

    comma: BoolArray
    point: BoolArray
    ambiguous: BoolArray


def _evidence_pattern(mark: Mark) -> str:
    """Bodies that can only be read with ``mark`` as the decimal mark."""
    m = re.escape(mark)
    o = re.escape("." if mark == "," else ",")
    return "|".join(
        (
            # One mark not followed by exactly three digits: 12,5 or 0,75.
            rf"^[^.,]*{m}(?:[0-9]{{0,2}}|[0-9]{{4,}})$",
            # One mark after something that cannot start a thousands group: 0,750 1234,567.
            rf"^(?:0[0-9]{{0,2}}|[0-9]{{4,}}|[^.,]*[ '][^.,]*)?{m}[0-9]{{3}}$",
            # The other mark twice: it groups thousands (1.234.567).
            rf"^[^{m}]*{o}[^{m}]*{o}[^{m}]*$",
            # Both marks: the last one written is the decimal mark.
            rf"{o}.*{m}[^{o}]*$",
        )
    )


_COMMA_EVIDENCE = _evidence_pattern(",")
_POINT_EVIDENCE = _evidence_pattern(".")


def mark_evidence(body: pa.Array) -> MarkEvidence:
    return MarkEvidence(
        comma=mask(pc.match_substring_regex(body, _COMMA_EVIDENCE)),
        point=mask(pc.match_substring_regex(body, _POINT_EVIDENCE)),
        ambiguous=mask(pc.match_substring_regex(body, _AMBIGUOUS)),
    )


def _valid_pattern(mark: Mark) -> str:
    decimal = re.escape(mark)
    group = re.escape("." if mark == "," else ",")
    grouped = "|".join(f"[0-9]{{1,3}}(?:{sep}[0-9]{{3}})+" for sep in (group, " ", "'"))
    return rf"^(?:(?:[0-9]+|{grouped})(?:{decimal}[0-9]+)?|{decimal}[0-9]+)$"


def parse_digits(text: NumberText, mark: Mark) -> tuple[FloatArray, BoolArray]:
    """Values (NaN where absent or bad) and the rows whose digits do not fit ``mark``."""
    fits = mask(pc.match_substring_regex(text.body, _valid_pattern(mark)))
    bad = text.present & ~fits & ~text.malformed & ~text.percent
    bad &= ~text.unknown_currency & ~text.two_currencies
    plain = text.body
    # Plain substring replacement is several times faster than a regex replacement.
    for group in (" ", "'", "." if mark == "," else ","):
        plain = pc.replace_substring(plain, group, "")
    if mark == ",":
        plain = pc.replace_substring(plain, ",", ".")
    if pc.any(pc.not_equal(text.exponent, "")).as_py():
        plain = pc.binary_join_element_wise(plain, text.exponent, "")
    plain = pc.if_else(pa.array(fits), plain, pa.scalar(None, pa.string()))
    numbers = np.asarray(
        pc.cast(plain, pa.float64()).to_numpy(zero_copy_only=False), dtype=np.float64
    )
    numbers = np.where(text.negative, -numbers, numbers)
    return numbers, bad
