"""Markov removal effects solved exactly, checked against chains solved by hand."""

from __future__ import annotations

import pytest

from pilotage.core.attribution.markov import markov
from pilotage.core.attribution.options import ModelOptions
from pilotage.core.attribution.paths import PathCounts, merge


def credits(paths: PathCounts, **options: object) -> dict[str, float]:
    got = markov(paths, ModelOptions(**options))  # type: ignore[arg-type]
    return {c: float(v) for c, v in zip(got.channels, got.conversions, strict=True)}


def test_issue_worked_example_order_1():
    paths = PathCounts.build(
        [list("ABABBA"), list("ABBAA"), list("AA")], [1, 1, 1], value=[10, 10, 10]
    )
    got = markov(paths, ModelOptions())
    assert got.conversions.tolist() == pytest.approx([2.0, 1.0], abs=1e-12)
    assert got.value.tolist() == pytest.approx([20.0, 10.0], abs=1e-12)


NULLS = PathCounts.build([["a"], ["a", "b"], ["b"]], conversions=[1, 1, 0], nulls=[1, 0, 2])


def test_with_null_paths():
    """Transitions (5 journeys):

        START -> a 3/5, b 2/5;  a -> conv 1/3, null 1/3, b 1/3;  b -> conv 1/3, null 2/3.

    p(b) = 1/3, p(a) = 1/3 + 1/3 * 1/3 = 4/9, p(START) = 3/5 * 4/9 + 2/5 * 1/3 = 2/5.
    Without a: 2/5 * 1/3 = 2/15, removal effect 2/3. Without b: 3/5 * 1/3 = 1/5, effect 1/2.
    Credits of 2 conversions: a = 2 * (2/3) / (7/6) = 8/7, b = 6/7.
    """
    assert credits(NULLS) == pytest.approx({"a": 8 / 7, "b": 6 / 7}, abs=1e-12)


def test_ignore_nulls():
    """START -> a 1; a -> conv 1/2, b 1/2; b -> conv 1. Effects: a 1, b 1/2."""
    assert credits(NULLS, ignore_nulls=True) == pytest.approx({"a": 4 / 3, "b": 2 / 3}, abs=1e-12)


def test_order_2_differs_from_order_1():
    """a>b converts, b>b and a do not.

    Order 1: START -> a 2/3, b 1/3; a -> b 1/2, null 1/2; b -> conv, b, null 1/3 each.
    p(b) = 1/2, p(a) = 1/4, p = 1/3; without a 1/6 (effect 1/2); without b 0 (effect 1).
    Order 2 (states are the last two channels): START -> (a) 2/3, (b) 1/3;
    (a) -> (a,b) 1/2, null 1/2; (a,b) -> conv; (b) -> (b,b) -> null. Removing either
    channel cuts the only converting route: effects 1 and 1, credits 1/2 each.
    """
    paths = PathCounts.build([["a", "b"], ["b", "b"], ["a"]], [1, 0, 0], nulls=[0, 1, 1])
    assert credits(paths) == pytest.approx({"a": 1 / 3, "b": 2 / 3}, abs=1e-12)
    assert credits(paths, order=2) == pytest.approx({"a": 0.5, "b": 0.5}, abs=1e-12)


def test_self_loops_do_not_change_first_order_effects():
    once = PathCounts.build([["a", "b"], ["b"]], [1, 1], nulls=[1, 2])
    looped = PathCounts.build([["a", "a", "b", "b"], ["b", "b"]], [1, 1], nulls=[1, 2])
    assert credits(once) == pytest.approx(credits(looped), abs=1e-12)


def test_value_uses_the_mean_value_after_each_last_state():
    # a converts worth 100, b worth 10: b's removal loses little expected value.
    paths = PathCounts.build([["a"], ["b"]], [1, 1], value=[100, 10], nulls=[1, 1])
    got = markov(paths, ModelOptions())
    assert got.conversions.tolist() == pytest.approx([1, 1])
    assert got.value.tolist() == pytest.approx([100, 10])


def test_order_4_runs_and_sums():
    paths = PathCounts.build([list("abcab"), list("ba"), list("cc")], [2, 1, 0.5], nulls=[1, 3, 2])
    for order in (1, 2, 3, 4):
        assert markov(paths, ModelOptions(order=order)).conversions.sum() == pytest.approx(3.5)


def test_merged_sources_equal_one_source():
    left = PathCounts.build([["a"], ["a", "b"]], [1, 0.5], nulls=[1, 0])
    right = PathCounts.build([["a", "b"], ["b"], ["c"]], [0.5, 0, 1], nulls=[0, 2, 1])
    whole = PathCounts.build([["a"], ["a", "b"], ["b"], ["c"]], [1, 1, 0, 1], nulls=[1, 0, 2, 1])
    assert credits(merge([left, right])) == pytest.approx(credits(whole), abs=1e-12)
