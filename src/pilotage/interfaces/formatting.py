"""Numbers as people read them: French (1 234,56 €) or English (€1,234.56)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

Lang = Literal["fr", "en"]
LANGS: tuple[Lang, ...] = ("fr", "en")
_NBSP = "\u202f"  # narrow no-break space: the French thousands separator
_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "CHF": "CHF"}


def check_lang(value: str | None) -> Lang:
    return "en" if value == "en" else "fr"


def number(value: float | None, lang: Lang, decimals: int = 0) -> str:
    """Rounded half away from zero, as finance reads figures (Python's own is half to even)."""
    if value is None:
        return "–"
    rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{rounded:,.{decimals}f}"
    if lang == "fr":
        text = text.replace(",", _NBSP).replace(".", ",")
    return text


def money(value: float | None, currency: str, lang: Lang, decimals: int = 0) -> str:
    if value is None:
        return "–"
    symbol = _SYMBOLS.get(currency, currency)
    body = number(abs(value), lang, decimals)
    sign = "-" if value < 0 else ""
    if lang == "fr":
        return f"{sign}{body}\u00a0{symbol}"
    return f"{sign}{symbol}{body}" if len(symbol) == 1 else f"{sign}{symbol} {body}"


def percent(value: float | None, lang: Lang, decimals: int = 0) -> str:
    if value is None:
        return "–"
    body = number(value * 100, lang, decimals)
    return f"{body}\u00a0%" if lang == "fr" else f"{body}%"


def ratio(value: float | None, lang: Lang) -> str:
    """A multiple such as ROAS: 3,2× / 3.2×."""
    if value is None:
        return "–"
    return f"{number(value, lang, 2)}×"


def metric_value(value: float | None, unit: str, currency: str, lang: Lang, metric_id: str) -> str:
    """Format one metric's value by its unit; ROI reads as a percentage, ROAS as a multiple."""
    if unit == "currency":
        return money(value, currency, lang)
    if metric_id == "roi" or unit == "percent":
        return percent(value, lang)
    if unit == "ratio":
        return ratio(value, lang)
    return number(value, lang)
