"""Invariants every model keeps, on random path counts (hypothesis)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pilotage.core.attribution.options import ModelOptions
from pilotage.core.attribution.paths import PathCounts
from pilotage.core.attribution.registry import ALL_MODELS, model
from pilotage.core.attribution.run import attribute

Row = tuple[list[str], float, float, float, list[float]]
#: Milestone models need tagged touches: covered by hand in test_rules.
MODELS = [m for m in ALL_MODELS if m not in ("u_shaped", "w_shaped", "full_path")]

count = st.floats(0, 20, allow_nan=False).map(lambda x: round(x, 2))


@st.composite
def rows(draw: st.DrawFn) -> list[Row]:
    out = []
    for _ in range(draw(st.integers(1, 6))):
        path = draw(st.lists(st.sampled_from(["a", "b", "c", "direct"]), max_size=4))
        ages = sorted(draw(st.lists(count, min_size=len(path), max_size=len(path))), reverse=True)
        conversions = draw(count)
        value = draw(count) if conversions > 0 else 0.0
        out.append((path, conversions, value, draw(count) + 0.5, ages))
    return out


def build(data: list[Row], scale: float = 1.0) -> PathCounts:
    return PathCounts.build(
        [r[0] for r in data],
        [r[1] * scale for r in data],
        [r[2] * scale for r in data],
        [r[3] * scale for r in data],
        ages=[r[4] for r in data],
    )


def run_all(paths: PathCounts) -> dict[str, dict[str, tuple[float, float]]]:
    out = {}
    for name in MODELS:
        done = attribute(paths, model(name), ModelOptions())
        c = done.credits
        total_c, total_v = done.total_conversions, done.total_value
        assert c.conversions.sum() == pytest.approx(total_c, rel=1e-9, abs=1e-9)
        assert c.value.sum() == pytest.approx(total_v, rel=1e-9, abs=1e-9)
        assert np.all(c.conversions >= 0)
        got = zip(c.channels, c.conversions, c.value, strict=True)
        out[name] = {ch: (float(x), float(v)) for ch, x, v in got}
    return out


def same(a: dict, b: dict, factor: float = 1.0) -> None:
    for name in a:
        for ch in set(a[name]) | set(b[name]):
            x, v = a[name].get(ch, (0.0, 0.0))
            y, w = b[name].get(ch, (0.0, 0.0))
            assert y == pytest.approx(x * factor, rel=1e-9, abs=1e-9), (name, ch)
            assert w == pytest.approx(v * factor, rel=1e-9, abs=1e-9), (name, ch)


@settings(max_examples=25, deadline=None)
@given(rows(), st.randoms(use_true_random=False))
def test_totals_row_order_split_and_scale(data, random):
    base = run_all(build(data))
    shuffled = list(data)
    random.shuffle(shuffled)
    same(base, run_all(build(shuffled)))
    path, conv, value, nulls, ages = data[0]
    halves = [(path, conv / 2, value / 2, nulls / 2, ages)] * 2
    same(base, run_all(build(halves + data[1:])))
    same(base, run_all(build(data, scale=3.0)), factor=3.0)
