"""coerce: numbers, the file's decimal mark, bounds and currencies."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pilotage.data.validation.numbers import parse_digits, split_number_text

if TYPE_CHECKING:
    from conftest import Validate


def costs(v: Validate, values: list[str | None], **options: str) -> list[float | None]:
    return v.load("spend", v.spend(cost=values), **options).data.column("cost").to_pylist()


def amounts(v: Validate, values: list[str | None]) -> list[float | None]:
    rows = len(values)
    columns: dict[str, list[str | None]] = {
        "order_id": [f"o{i}" for i in range(rows)],
        "ordered_at": ["2026-03-31"] * rows,
        "person_id": ["p"] * rows,
        "amount": values,
    }
    return v.load("orders", columns).data.column("amount").to_pylist()


def test_decimal_comma_styles(v: Validate) -> None:
    values = ["1 234,56", "1.234,56", "(12,5)", "-3", "1\u202f000", "0,75 €", "EUR 2", "−4"]
    assert amounts(v, values) == [1234.56, 1234.56, -12.5, -3, 1000, 0.75, 2, -4]


def test_decimal_point_styles(v: Validate) -> None:
    values = ["1,234.56", "1'234.5", "$ 7", "-€12.5", "(USD 3)", "1e3", "0.5"]
    assert amounts(v, values) == [1234.56, 1234.5, 7, -12.5, -3, 1000, 0.5]


def test_negative_cost_is_refused(v: Validate) -> None:
    error = v.one_problem("spend", v.spend(cost=["10", "(12,50)"]))
    assert (error.line, error.column, error.value) == (3, "cost", "(12,50)")
    assert error.rule == "cost must be zero or more"


def test_not_a_number(v: Validate) -> None:
    error = v.one_problem("spend", v.spend(cost=["10", "n/a"]))
    assert (error.line, error.column, error.value) == (3, "cost", "n/a")
    assert error.fix is not None and "1 234,56" in error.fix


def test_percent_is_refused(v: Validate) -> None:
    error = v.one_problem("spend", v.spend(cost=["10", "12%"]))
    assert (error.line, error.column) == (3, "cost") and "percentage" in error.rule


def test_int_refuses_fractions(v: Validate) -> None:
    error = v.one_problem("spend", v.spend(impressions=["3", "2.5"]))
    assert (error.line, error.column, error.rule) == (
        3,
        "impressions",
        "impressions must be a whole number",
    )


def test_bounds(v: Validate) -> None:
    base = {"answered_at": ["2026-03-31"] * 2, "survey_type": ["NPS", "csat"]}
    error = v.one_problem("surveys", {**base, "score": ["10", "11"]})
    assert (error.line, error.column, error.rule) == (3, "score", "score must be between 0 and 10")
    typed = v.load("surveys", {**base, "score": ["0", "9,5"]})
    assert typed.data.column("survey_type").to_pylist() == ["nps", "csat"]


def test_contradictory_decimal_marks(v: Validate) -> None:
    error = v.one_problem("spend", v.spend(cost=["12,5", "3", "1,234.50"]))
    assert error.line == 4 and error.column == "cost"
    assert "line 2" in error.rule and "--decimal" in (error.fix or "")


def test_ambiguous_numbers_need_an_option(v: Validate) -> None:
    error = v.one_problem("spend", v.spend(cost=["1,500", "2"]))
    assert (error.line, error.column, error.value) == (2, "cost", "1,500")
    assert error.fix == "pass --decimal , or --decimal ."
    assert costs(v, ["1,500", "2"], decimal=",") == [1.5, 2]
    assert costs(v, ["1,500", "2"], decimal=".") == [1500, 2]


def test_evidence_from_another_column_decides(v: Validate) -> None:
    typed = v.load("spend", v.spend(cost=["1,500", "2"], platform_conversions=["0,5", None]))
    assert typed.data.column("cost").to_pylist() == [1.5, 2]


def test_value_against_the_forced_mark(v: Validate) -> None:
    error = v.one_problem("spend", v.spend(cost=["1,5", "2.5"]), decimal=",")
    assert (error.line, error.value) == (3, "2.5") and "decimal comma" in error.rule


def test_currency_from_column_sign_or_default(v: Validate) -> None:
    typed = v.load("spend", v.spend(cost=["1", "€2", "3 USD"], currency=[" gbp", None, None]))
    assert typed.data.column("currency").to_pylist() == ["GBP", "EUR", "USD"]
    typed = v.load("spend", v.spend(), reporting_currency="CHF")
    assert typed.data.column("currency").to_pylist() == ["CHF", "CHF"]


def test_sign_contradicts_currency_column(v: Validate) -> None:
    error = v.one_problem("spend", v.spend(cost=["1", "$2"], currency=["USD", "EUR"]))
    assert (error.line, error.column, error.value) == (3, "cost", "$2")
    assert "currency" in error.rule and error.fix is not None


def test_two_currencies_on_a_row(v: Validate) -> None:
    error = v.one_problem(
        "spend", v.spend(cost=["€1", "$2"], platform_conversion_value=["€1", "€2"])
    )
    assert (error.line, error.column) == (3, "platform_conversion_value")
    error = v.one_problem("spend", v.spend(cost=["€1 USD", "2"]))
    assert error.line == 2 and "two different currencies" in error.rule


def test_invalid_currency_code(v: Validate) -> None:
    error = v.one_problem("spend", v.spend(currency=["EUR", "EURO"]))
    assert (error.line, error.column, error.value) == (3, "currency", "EURO")
    assert "ISO 4217" in (error.fix or "")
    error = v.one_problem("spend", v.spend(cost=["1", "2 ABC"]))
    assert (error.line, error.value) == (3, "2 ABC") and "unknown currency" in error.rule


def test_currency_on_a_count(v: Validate) -> None:
    error = v.one_problem("spend", v.spend(clicks=["3", "€4"]))
    assert (error.line, error.column) == (3, "clicks") and "cannot carry a currency" in error.rule


@st.composite
def formatted(draw: st.DrawFn) -> tuple[float, str, str]:
    """A number with 2 decimals, written in one of the supported styles."""
    cents = draw(st.integers(min_value=-(10**11), max_value=10**11))
    mark = draw(st.sampled_from([",", "."]))
    group = draw(st.sampled_from(["", " ", "\u00a0", "\u202f", "'", "." if mark == "," else ","]))
    whole, frac = divmod(abs(cents), 100)
    digits = f"{whole:,}".replace(",", group)
    body = f"{digits}{mark}{frac:02d}"
    sign = draw(st.sampled_from(["", "€", "$", "EUR", "USD", "£"]))
    body = draw(
        st.sampled_from([f"{sign}{body}", f"{body} {sign}".strip(), f"{sign} {body}".strip()])
    )
    if cents < 0:
        body = draw(st.sampled_from([f"-{body}", f"({body})"]))
    return cents / 100, body, mark


@settings(max_examples=300, deadline=None)
@given(formatted())
def test_any_supported_style_parses_back(case: tuple[float, str, str]) -> None:
    expected, text, mark = case
    split = split_number_text(pa.array([text]))
    values, bad = parse_digits(split, mark)  # type: ignore[arg-type]
    assert not bad[0] and not split.malformed[0], text
    assert values[0] == pytest.approx(expected, abs=1e-9), text
