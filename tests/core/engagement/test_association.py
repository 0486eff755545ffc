"""Lift, its Katz interval, Fisher's exact p-value and the Benjamini-Hochberg q-values."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pilotage.core.engagement.association import Table2x2, associations, fisher_p, relative_risk


def test_katz_interval_of_a_relative_risk() -> None:
    # 15/100 exposed vs 5/100 unexposed: RR 3, SE(log RR) = sqrt(1/15 - 1/100 + 1/5 - 1/100).
    lift, low, high = relative_risk(Table2x2(100, 15, 100, 5))  # type: ignore[misc]
    se = math.sqrt(1 / 15 - 1 / 100 + 1 / 5 - 1 / 100)
    assert lift == pytest.approx(3.0)
    assert low == pytest.approx(3 * math.exp(-1.959964 * se), rel=1e-6)
    assert (round(low, 4), round(high, 4)) == (1.1334, 7.941)


def test_fisher_exact_reproduces_the_tea_tasting_p_value() -> None:
    # Fisher (1935): 3 of 4 cups right each way, two-sided p = 34/70.
    assert fisher_p(Table2x2(4, 3, 4, 1)) == pytest.approx(34 / 70)


def test_a_zero_cell_uses_haldane_and_an_empty_group_has_no_lift() -> None:
    lift, low, high = relative_risk(Table2x2(10, 0, 10, 5))  # type: ignore[misc]
    assert lift == pytest.approx((0.5 / 11) / (5.5 / 11))
    assert low < lift < high
    assert relative_risk(Table2x2(0, 0, 10, 5)) is None


def test_q_values_are_benjamini_hochberg_and_significance_needs_the_interval() -> None:
    strong = Table2x2(200, 100, 200, 20)
    null = Table2x2(200, 40, 200, 40)
    found = associations([strong, null])
    assert found[0].significant and not found[1].significant
    assert found[1].q_value >= found[1].p_value
    assert found[0].rate_with == 0.5 and found[0].rate_without == 0.1


def test_bad_tables_are_refused() -> None:
    with pytest.raises(ValueError, match="more units reached"):
        Table2x2(5, 6, 10, 1)
    with pytest.raises(ValueError, match=">= 0"):
        Table2x2(-1, 0, 10, 1)
    with pytest.raises(ValueError, match="alpha"):
        associations([Table2x2(5, 1, 5, 1)], alpha=1.5)


@given(
    n1=st.integers(1, 500),
    n0=st.integers(1, 500),
    data=st.data(),
)
def test_lift_sides_with_the_rates(n1: int, n0: int, data: st.DataObject) -> None:
    a = data.draw(st.integers(1, n1))
    c = data.draw(st.integers(1, n0))
    if a == n1 or c == n0:
        return  # a full cell triggers the Haldane correction, which moves the rates
    lift, low, high = relative_risk(Table2x2(n1, a, n0, c))  # type: ignore[misc]
    assert low <= lift <= high
    assert (lift > 1) == (a / n1 > c / n0) or math.isclose(a / n1, c / n0)
