"""Numbers inside planning readouts, in French (1 234,5) or English (1,234.5)."""

from __future__ import annotations

import math
from typing import Literal

Lang = Literal["fr", "en"]
_NBSP = "\u202f"


def amount(value: float | None, unit: str, lang: Lang, currency: str = "EUR") -> str:
    """A metric's value by its unit: money and counts without decimals below a million,
    shares as percentages, ratios and scores with two significant decimals."""
    if value is None or not math.isfinite(value):
        return "–"
    if unit == "percent":
        return _number(100 * value, 1, lang) + ("\u00a0%" if lang == "fr" else "%")
    if unit in ("ratio", "score", "months", "days"):
        return _number(value, 2, lang)
    text = _number(value, 0 if abs(value) >= 100 else 1, lang)
    if unit == "currency":
        return f"{text}\u00a0{currency}" if lang == "fr" else f"{currency} {text}"
    return text


def share(value: float, lang: Lang) -> str:
    """A probability: 37 % / 37%; under 1 % and over 99 % keep one decimal."""
    decimals = 1 if value < 0.01 or value > 0.99 else 0
    return _number(100 * value, decimals, lang) + ("\u00a0%" if lang == "fr" else "%")


def _number(value: float, decimals: int, lang: Lang) -> str:
    text = f"{value:,.{decimals}f}"
    if lang == "fr":
        text = text.replace(",", _NBSP).replace(".", ",")
    return text
