"""Bootstrap intervals: seedable, around the point credits, flags channels it cannot order."""

from __future__ import annotations

from pilotage.core.attribution.options import ModelOptions
from pilotage.core.attribution.paths import PathCounts
from pilotage.core.attribution.registry import model
from pilotage.core.attribution.run import attribute

PATHS = PathCounts.build(
    [["a"], ["b"], ["a", "b"], ["c"]],
    conversions=[40, 41, 30, 200],
    value=[400, 410, 300, 2000],
    nulls=[100, 100, 60, 300],
)


def test_same_seed_same_intervals_and_flags():
    one = attribute(PATHS, model("markov"), ModelOptions(), draws=200, seed=7)
    two = attribute(PATHS, model("markov"), ModelOptions(), draws=200, seed=7)
    assert one.intervals is not None and two.intervals is not None
    assert one.intervals.low.tolist() == two.intervals.low.tolist()
    assert one.intervals.high.tolist() == two.intervals.high.tolist()
    for lo, point, hi in zip(
        one.intervals.low, one.credits.conversions, one.intervals.high, strict=True
    ):
        assert lo <= point <= hi
    assert ("b", "a") in one.intervals.indistinguishable or (
        "a",
        "b",
    ) in one.intervals.indistinguishable
    assert not any("c" in pair for pair in one.intervals.indistinguishable)


def test_too_little_data_is_a_warning():
    small = PathCounts.build([["a"], ["b"]], [2, 1], nulls=[1, 1])
    done = attribute(small, model("linear"), ModelOptions(), draws=20, seed=1)
    assert any("only 3 attributable conversions" in w for w in done.warnings)
    assert any("rough intervals" in w for w in done.warnings)
