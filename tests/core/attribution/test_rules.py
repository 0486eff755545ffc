"""Rule-based models on small paths whose credits are computed by hand."""

from __future__ import annotations

import pytest

from pilotage.core.attribution.options import ModelOptions, PositionWeights
from pilotage.core.attribution.paths import LEAD, OPPORTUNITY, WON, PathCounts
from pilotage.core.attribution.registry import model
from pilotage.core.attribution.run import attribute
from pilotage.errors import UsageError

# a>b>c (2 conversions, ages 14, 7, 0 days), c>direct (1; ages 7, 0), b (1; age 3),
# direct alone (1, value 7): unattributed.
PATHS = PathCounts.build(
    [["a", "b", "c"], ["c", "direct"], ["b"], ["direct"]],
    conversions=[2, 1, 1, 1],
    value=[20, 10, 5, 7],
    ages=[[14, 7, 0], [7, 0], [3], [0]],
)


def credits(name: str, paths: PathCounts = PATHS, **options: object) -> dict[str, float]:
    done = attribute(paths, model(name), ModelOptions(**options))  # type: ignore[arg-type]
    return {
        c: round(float(v), 12)
        for c, v in zip(done.credits.channels, done.credits.conversions, strict=True)
    }


def expect(**by_channel: float) -> dict[str, float]:
    return {c: round(by_channel.get(c, 0.0), 12) for c in PATHS.channels}


def test_one_touch_models():
    assert credits("first") == expect(a=2, c=1, b=1)
    assert credits("last") == expect(c=2, direct=1, b=1)
    assert credits("last_non_direct") == expect(c=3, b=1)


def test_linear_and_position():
    assert credits("linear") == expect(a=2 / 3, b=2 / 3 + 1, c=2 / 3 + 1 / 2, direct=1 / 2)
    # 3 touches: 40/20/40; 2 touches: 50/50; 1 touch: 100%.
    assert credits("position") == expect(a=0.8, b=0.4 + 1, c=0.8 + 0.5, direct=0.5)


def test_time_decay_halves_every_half_life():
    # a>b>c: weights 1/4, 1/2, 1 over 7/4; c>direct: 1/2, 1 over 3/2.
    assert credits("time_decay") == expect(a=2 / 7, b=4 / 7 + 1, c=8 / 7 + 1 / 3, direct=2 / 3)


def test_value_follows_the_same_fractions_and_direct_only_is_unattributed():
    done = attribute(PATHS, model("linear"), ModelOptions())
    got = dict(zip(done.credits.channels, done.credits.value, strict=True))
    assert got["a"] == pytest.approx(20 / 3) and got["direct"] == pytest.approx(5.0)
    assert (done.total_conversions, done.total_value) == (4.0, 35.0)
    assert (done.unattributed_conversions, done.unattributed_value) == (1.0, 7.0)


def test_time_decay_without_ages_is_refused():
    plain = PathCounts.build([["a"]], [1])
    with pytest.raises(UsageError, match="touch_ages"):
        attribute(plain, model("time_decay"), ModelOptions())


# x > y[lead] > z > w[opp] > v[won] > u, and x[lead] > y (no opportunity yet).
TAGGED = PathCounts.build(
    [["x", "y", "z", "w", "v", "u"], ["x", "y"]],
    conversions=[1, 1],
    stages=[[0, LEAD, 0, OPPORTUNITY, WON, 0], [LEAD, 0]],
)


def test_milestone_models():
    def got(name: str, **options: object) -> dict[str, float]:
        return credits(name, TAGGED, **options)

    def want(**by_channel: float) -> dict[str, float]:
        return {c: round(by_channel.get(c, 0.0), 12) for c in TAGGED.channels}

    assert got("u_shaped") == want(x=0.5 + 1, y=0.5)
    # Second path: first and lead on x (0.6), y is the rest (0.1), opp missing -> / 0.7.
    assert got("w_shaped") == want(
        x=0.3 + 6 / 7, y=0.3 + 1 / 7, w=0.3, z=0.1 / 3, v=0.1 / 3, u=0.1 / 3
    )
    # Second path: x 0.45, y 0.1, opp and won missing -> / 0.55.
    assert got("full_path") == want(
        x=0.225 + 9 / 11, y=0.225 + 2 / 11, w=0.225, v=0.225, z=0.05, u=0.05
    )
    custom = PositionWeights.parse("first=1,last=1")
    assert got("custom", weights=custom) == want(x=0.5 + 0.5, u=0.5, y=0.5)


def test_milestone_models_refuse_untagged_paths_and_warn_on_gaps():
    with pytest.raises(UsageError, match=r"\[lead\]"):
        attribute(PATHS, model("u_shaped"), ModelOptions())
    done = attribute(TAGGED, model("w_shaped"), ModelOptions())
    assert any("no touch tagged [opp]" in w for w in done.warnings)


def test_weights_are_validated():
    with pytest.raises(UsageError, match="first, last or rest"):
        PositionWeights(lead=1)
    with pytest.raises(UsageError, match="role=number"):
        PositionWeights.parse("middle=1")
