"""Durations written by people ("30d", "12h", "2w", "90m", "45s") as whole seconds."""

from __future__ import annotations

import re

from pilotage.errors import UsageError

_UNITS = {"s": 1, "m": 60, "h": 3_600, "d": 86_400, "w": 604_800}
_PATTERN = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*")
#: Longest duration accepted (ten years): far beyond any journey, small enough for int64
#: microsecond arithmetic on every engine.
MAX_SECONDS = 10 * 366 * 86_400


def parse_duration(text: str, name: str = "duration") -> int:
    """Seconds of ``text`` (a number and a unit: s, m, h, d, w), refused when unreadable,
    zero or longer than ten years."""
    found = _PATTERN.fullmatch(text.lower())
    if found is None:
        raise UsageError(
            f"{name} {text!r} is not a duration",
            fix="write a number and a unit: 45s, 30m, 12h, 7d or 2w",
        )
    seconds = round(float(found.group(1)) * _UNITS[found.group(2)])
    check_seconds(seconds, name)
    return seconds


def check_seconds(seconds: int, name: str) -> None:
    if not 0 < seconds <= MAX_SECONDS:
        raise UsageError(
            f"{name} of {seconds} s is out of range",
            fix="give a duration above zero and at most ten years (3660d)",
        )


def format_duration(seconds: float) -> str:
    """The largest whole unit that divides ``seconds`` ("30d", "2w", "90s"), else the
    unit that reads best with one decimal ("1.1m", "5.2h", "3.4d")."""
    whole = round(seconds)
    if whole == seconds and whole > 0:
        for unit in ("w", "d", "h", "m", "s"):
            if whole % _UNITS[unit] == 0:
                return f"{whole // _UNITS[unit]}{unit}"
    size = abs(seconds)
    if size < 90:
        return f"{seconds:.0f}s"
    if size < 90 * 60:
        return f"{seconds / 60:.1f}m"
    if size < 36 * 3_600:
        return f"{seconds / 3_600:.1f}h"
    return f"{seconds / 86_400:.1f}d"
