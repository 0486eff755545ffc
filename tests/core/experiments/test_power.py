"""Planning against Evan Miller's sample-size formula and its inverses."""

from __future__ import annotations

import pytest

from pilotage.core.experiments.power import (
    PlanSpec,
    days_for,
    exact_units,
    mde_for,
    power_of,
    units_per_variant,
)
from pilotage.errors import UsageError


def test_evan_millers_default_example() -> None:
    # Baseline 20 %, MDE 5 points absolute, alpha 0.05 two-sided, power 0.8: the formula
    # gives 1030.21928 per variant (Evan Miller's calculator shows 1,030); we plan 1031.
    spec = PlanSpec(0.20)
    assert round(exact_units(spec, 0.05), 5) == 1030.21928
    assert units_per_variant(spec, 0.05) == 1031


def test_relative_mde_and_other_references() -> None:
    # 10 % relative of 20 % = 2 points: 6347.2 -> 6348; 10 % baseline, 2 points: 3622.62 -> 3623.
    assert units_per_variant(PlanSpec(0.20), 0.10, relative=True) == 6348
    assert round(exact_units(PlanSpec(0.10), 0.02), 2) == 3622.62
    # Means: n = 2 sd^2 (z.975 + z.8)^2 / d^2 = 2 * 7.84887 * 100 / 4 = 392.44 -> 393.
    assert units_per_variant(PlanSpec(50.0, sd=10.0), 2.0) == 393


def test_mde_and_power_invert_the_sample_size() -> None:
    spec = PlanSpec(0.20)
    assert mde_for(spec, exact_units(spec, 0.05)) == pytest.approx(0.05, abs=1e-9)
    assert power_of(spec, 0.05, exact_units(spec, 0.05)) == pytest.approx(0.8, abs=1e-9)
    assert power_of(spec, 0.05, 100) < 0.2


def test_duration_counts_every_variant() -> None:
    assert days_for(1031, 2, 100) == 21  # 2062 units at 100 a day
    assert days_for(1000, 2, 100) == 20


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: PlanSpec(1.2), "baseline rate"),
        (lambda: PlanSpec(0.2, power=0.3), "power"),
        (lambda: units_per_variant(PlanSpec(0.9), 0.2), "leaves 0-1"),
        (lambda: units_per_variant(PlanSpec(0.2), 0.0), "MDE"),
        (lambda: days_for(100, 2, -5), "daily units"),
    ],
)
def test_bad_plans(call, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        call()
