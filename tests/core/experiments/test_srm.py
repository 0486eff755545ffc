"""Sample-ratio mismatch against the planned shares (chi-square, scipy.stats.chisquare)."""

from __future__ import annotations

import pytest

from pilotage.core.experiments.srm import sample_ratio
from pilotage.errors import UsageError


def test_a_47_53_split_of_10000_is_a_mismatch() -> None:
    # chi2 = 2 * 300^2 / 5000 = 36, 1 df: p = 1.97318e-09 (scipy.stats.chisquare).
    out = sample_ratio([4700, 5300], None)
    assert out.chi2 == pytest.approx(36.0)
    assert f"{out.p_value:.5e}" == "1.97318e-09"
    assert not out.planned


def test_the_planned_split_is_used_not_an_assumed_50_50() -> None:
    planned = sample_ratio([3400, 6600], [0.34, 0.66])
    assert planned.p_value == pytest.approx(1.0) and planned.planned
    assert sample_ratio([3400, 6600], None).p_value < 1e-100


def test_three_variants_and_extreme_imbalance() -> None:
    assert sample_ratio([3400, 3300, 3300], [0.34, 0.33, 0.33]).p_value == pytest.approx(1.0)
    assert sample_ratio([9990, 10], [0.5, 0.5]).p_value < 1e-300 + 1e-300


@pytest.mark.parametrize(
    ("units", "shares", "message"),
    [
        ([100], None, "two variants"),
        ([1, 2], [0.5, 0.0], "planned shares"),
        ([0, 0], None, "no units"),
    ],
)
def test_bad_splits(units, shares, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        sample_ratio(units, shares)
