"""Currency codes (ISO 4217) and the signs and prefixes that stand for them in amounts."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

#: Active ISO 4217 currency and fund codes (2025), without precious metals, test and
#: "no currency" codes, which never price marketing spend or revenue.
# fmt: off
ISO_4217 = frozenset((
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD",
    "CAD", "CDF", "CHE", "CHF", "CHW", "CLF", "CLP", "CNY", "COP", "COU", "CRC", "CUP", "CVE",
    "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL",
    "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR",
    "IQD", "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD",
    "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK",
    "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD", "NGN", "NIO",
    "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON",
    "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD",
    "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD",
    "TZS", "UAH", "UGX", "USD", "USN", "UYI", "UYU", "UYW", "UZS", "VED", "VES", "VND", "VUV",
    "WST", "XAF", "XCD", "XCG", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWG",
))
# fmt: on

#: Signs and prefixes written next to amounts. A bare '$' is read as US dollars.
SIGNS: dict[str, str] = {
    "€": "EUR",
    "$": "USD",
    "£": "GBP",
    "¥": "JPY",
    "₹": "INR",
    "₩": "KRW",
    "₽": "RUB",
    "₺": "TRY",
    "₪": "ILS",
    "US$": "USD",
    "C$": "CAD",
    "CA$": "CAD",
    "A$": "AUD",
    "AU$": "AUD",
    "NZ$": "NZD",
    "HK$": "HKD",
    "S$": "SGD",
    "R$": "BRL",
    "MX$": "MXN",
}

#: Regular expression (RE2) for a currency token next to a number: a sign, a prefixed
#: dollar or three letters. Whether the letters are a real code is checked afterwards.
TOKEN_PATTERN = r"[€$£¥₹₩₽₺₪]|[A-Za-z]{1,2}\$|[A-Za-z]{3}"

_LOOKUP_KEYS = pa.array([*SIGNS, *sorted(ISO_4217)], pa.string())
_LOOKUP_CODES = pa.array([*SIGNS.values(), *sorted(ISO_4217)], pa.string())


def token_codes(tokens: pa.Array) -> pa.Array:
    """The ISO code for each token (upper-cased first); null where the token is empty or
    is not a known sign or code."""
    index = pc.index_in(pc.utf8_upper(tokens), value_set=_LOOKUP_KEYS)
    return pc.take(_LOOKUP_CODES, index)
