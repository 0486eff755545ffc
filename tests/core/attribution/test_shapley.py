"""Shapley variants against values computed by hand."""

from __future__ import annotations

from itertools import permutations

import numpy as np
import pytest

from pilotage.core.attribution.options import ModelOptions
from pilotage.core.attribution.paths import PathCounts
from pilotage.core.attribution.shapley import (
    MAX_EXACT_CHANNELS,
    shapley,
    shapley_ordered,
    shapley_simplified,
    shapley_values,
)
from pilotage.errors import UsageError

# Channel sets {a}: 1 conversion of 10 journeys, {b}: 2 of 10, {a,b}: 3 + 4 of 20.
PATHS = PathCounts.build(
    [["a"], ["b"], ["a", "b"], ["b", "a", "b"]],
    conversions=[1, 2, 3, 4],
    value=[10, 20, 30, 40],
    nulls=[9, 8, 7, 6],
)


def test_exact_shapley_of_the_conversion_rate_game():
    # cr(a) = 0.1, cr(b) = 0.2, cr(ab) = 0.35: phi_a = 0.1 + 0.175, phi_b = 0.2 + 0.175.
    got = shapley(PATHS, ModelOptions())
    assert got.conversions.tolist() == pytest.approx([10 * 0.275 / 0.65, 10 * 0.375 / 0.65])
    # value per journey: a 1, b 2, ab 3.5 -> phi 2.75, 3.75 of 100.
    assert got.value.tolist() == pytest.approx([100 * 2.75 / 6.5, 100 * 3.75 / 6.5])


def test_simplified_and_ordered():
    # Each set's conversions split equally: a = 1 + 7/2, b = 2 + 7/2.
    simple = shapley_simplified(PATHS, ModelOptions())
    assert simple.conversions.tolist() == pytest.approx([4.5, 5.5])
    ordered = shapley_ordered(PATHS, ModelOptions())
    assert ordered.conversions.tolist() == pytest.approx([4.5, 5.5])
    # a first on {a} and a>b (1 + 1.5), second on b>a>b (2); b first on {b}, b>a>b (2 + 2).
    assert ordered.by_position is not None
    assert ordered.by_position.ravel().tolist() == pytest.approx([2.5, 2.0, 4.0, 1.5])


def test_shapley_differs_from_linear_on_asymmetric_input():
    linear_a = 1 + 3 / 2 + 4 / 3
    assert shapley_simplified(PATHS, ModelOptions()).conversions[0] != pytest.approx(linear_a)


def test_exact_values_match_permutations_on_a_three_player_game():
    rng = np.random.default_rng(3)
    game = np.concatenate([[0.0], rng.random(7)])  # any game, not additive
    expected = np.zeros(3)
    for order in permutations(range(3)):
        coalition = 0
        for player in order:
            expected[player] += game[coalition | 1 << player] - game[coalition]
            coalition |= 1 << player
    assert shapley_values(game, 3).tolist() == pytest.approx((expected / 6).tolist())


def test_guards():
    with pytest.raises(UsageError, match="non-converting"):
        shapley(PathCounts.build([["a"]], [1]), ModelOptions())
    many = PathCounts.build(
        [[f"c{i}"] for i in range(MAX_EXACT_CHANNELS + 1)], [1] * 21, nulls=[1] * 21
    )
    with pytest.raises(UsageError, match="coalitions"):
        shapley(many, ModelOptions())
