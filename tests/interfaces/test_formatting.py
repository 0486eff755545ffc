import pytest

from pilotage.interfaces.formatting import check_lang, metric_value, money, number, percent, ratio

NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.mark.parametrize(
    ("value", "lang", "decimals", "expected"),
    [
        (1234.56, "fr", 2, f"1{NNBSP}234,56"),
        (1234.56, "en", 2, "1,234.56"),
        (-1234567, "fr", 0, f"-1{NNBSP}234{NNBSP}567"),
        (None, "fr", 0, "–"),
    ],
)
def test_number(value, lang, decimals, expected):
    assert number(value, lang, decimals) == expected


@pytest.mark.parametrize(
    ("value", "currency", "lang", "expected"),
    [
        (1234.5, "EUR", "fr", f"1{NNBSP}235{NBSP}€"),
        (1234.5, "EUR", "en", "€1,235"),
        (-20, "EUR", "fr", f"-20{NBSP}€"),
        (99, "CHF", "en", "CHF 99"),
        (99, "CHF", "fr", f"99{NBSP}CHF"),
    ],
)
def test_money(value, currency, lang, expected):
    assert money(value, currency, lang) == expected


def test_percent_ratio_and_units():
    assert percent(0.125, "fr", 1) == f"12,5{NBSP}%"
    assert percent(0.125, "en", 1) == "12.5%"
    assert ratio(3.2, "fr") == "3,20×"
    assert metric_value(-0.41, "ratio", "EUR", "fr", "roi") == f"-41{NBSP}%"
    assert metric_value(0.59, "ratio", "EUR", "en", "roas") == "0.59×"
    assert metric_value(None, "currency", "EUR", "en", "cost") == "–"


@pytest.mark.parametrize(("raw", "lang"), [("en", "en"), ("fr", "fr"), (None, "fr"), ("de", "fr")])
def test_unknown_languages_fall_back_to_french(raw, lang):
    assert check_lang(raw) == lang
