"""Value rewriters shared by the adapters: tool text -> canonical text.

Each raises ValueError with the rule the value broke; :meth:`Frame.convert` turns that into a
row error naming the line and column.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

_PLAIN = re.compile(r"-?\d+(\.\d+)?")
_ENGLISH = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d+)?")
_MDY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
#: Tools print these for "no value" in metric columns (Google Ads UI: "--", " --").
_NO_VALUE = {"--", "-", "n/a", "—"}


def decimal_text(value: Decimal) -> str:
    """A Decimal as plain text without exponent or trailing zeros: 12.34567, 12, 0."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def plain_number(value: str) -> str | None:
    """A number as API exports print it (``1234.5``, ``3.0``); '--' is no value."""
    text = value.strip()
    if text.lower() in _NO_VALUE:
        return None
    if not _PLAIN.fullmatch(text):
        raise ValueError("not a plain number (digits and an optional '.' decimal part)")
    return decimal_text(Decimal(text))


def english_number(value: str) -> str | None:
    """A number as English-language UIs print it: ``1,234.56``, ``1234.56``, ``--``."""
    text = value.strip()
    if _ENGLISH.fullmatch(text):
        text = text.replace(",", "")
    return plain_number(text)


def micros(value: str) -> str | None:
    """Google Ads ``*_micros`` (millionths of the account currency) -> currency units."""
    text = value.strip()
    if not re.fullmatch(r"-?\d+", text):
        raise ValueError("micros must be a whole number (millionths of the currency)")
    return decimal_text(Decimal(text).scaleb(-6))


def iso_date(value: str) -> str:
    """An ISO date (``2026-11-24``, or the date part of an ISO timestamp)."""
    text = value.strip()
    try:
        return date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        raise ValueError("not an ISO date (YYYY-MM-DD)") from None


def mdy_date(value: str) -> str:
    """A month-first US date (``11/24/2026``) or an ISO date."""
    text = value.strip()
    match = _MDY.fullmatch(text)
    if match is None:
        return iso_date(text)
    month, day, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        raise ValueError("not a month/day/year date") from None


def iso_timestamp(value: str) -> str:
    """An ISO timestamp, rewritten with a ``+HH:MM`` offset (``+0000`` and ``Z`` accepted).

    A timestamp without offset stays without one: the export printed local time, and
    validation reads it in the workspace time zone.
    """
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError("not an ISO timestamp (YYYY-MM-DDTHH:MM:SS with an offset)") from None
    if len(text) == 10:
        return parsed.date().isoformat()
    return parsed.isoformat()


def epoch_micros(value: str) -> str:
    """Microseconds since 1970-01-01 UTC (GA4 ``event_timestamp``) -> ISO 8601 in Z."""
    text = value.strip()
    if not re.fullmatch(r"\d+", text):
        raise ValueError("not a count of microseconds since 1970-01-01 UTC")
    moment = _EPOCH + timedelta(microseconds=int(text))
    return moment.isoformat(timespec="microseconds").replace("+00:00", "Z")


def boolean(value: str) -> str:
    """true/false as the CRMs print them (true/false, 1/0, yes/no)."""
    text = value.strip().lower()
    if text in ("true", "1", "yes"):
        return "true"
    if text in ("false", "0", "no"):
        return "false"
    raise ValueError("not a true/false value")


def json_list(value: str) -> list[object]:
    """A nested list value, which the file reader hands over as JSON text."""
    try:
        parsed = json.loads(value)
    except json.JSONDecodeError:
        raise ValueError("not valid JSON") from None
    if not isinstance(parsed, list):
        raise ValueError("not a JSON list")
    return parsed


def json_object(value: str) -> dict[str, object]:
    try:
        parsed = json.loads(value)
    except json.JSONDecodeError:
        raise ValueError("not valid JSON") from None
    if not isinstance(parsed, dict):
        raise ValueError("not a JSON object")
    return parsed


def snake(value: str) -> str:
    """'Trade Show' -> 'trade_show', 'Seminar / Conference' -> 'seminar_conference'."""
    return "_".join(re.sub(r"[^0-9a-z]+", " ", value.lower()).split())
