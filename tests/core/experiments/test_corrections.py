"""Holm and Benjamini-Hochberg on the worked example of Benjamini & Hochberg (1995, sec. 4:
15 p-values; BH at q = 0.05 rejects 4 hypotheses, Bonferroni-type procedures 3)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pilotage.core.experiments.corrections import adjust, benjamini_hochberg, holm

PAPER = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240]
PAPER += [0.4262, 0.5719, 0.6528, 0.7590, 1.000]


def test_benjamini_hochberg_worked_example() -> None:
    adjusted = benjamini_hochberg(PAPER)
    # p_(i) m / i, then the running minimum from the largest: 0.0095 * 15 / 4 = 0.035625.
    assert [round(p, 5) for p in adjusted[:9]] == [
        0.0015,
        0.003,
        0.0095,
        0.03562,
        0.0603,
        0.06386,
        0.06386,
        0.0645,
        0.0765,
    ]
    assert sum(p < 0.05 for p in adjusted) == 4


def test_holm_worked_example() -> None:
    adjusted = holm(PAPER)
    assert [round(p, 5) for p in adjusted[:5]] == [0.0015, 0.0056, 0.0247, 0.114, 0.2211]
    assert sum(p < 0.05 for p in adjusted) == 3


def test_order_of_the_input_is_kept() -> None:
    shuffled = [PAPER[3], PAPER[0], PAPER[14]]
    assert holm(shuffled) == [PAPER[3] * 2, PAPER[0] * 3, 1.0]
    assert adjust(shuffled, "none") == shuffled


@given(st.lists(st.floats(0, 1), min_size=1, max_size=20))
def test_adjusted_p_values_are_valid_and_never_smaller(p: list[float]) -> None:
    for method in (holm, benjamini_hochberg):
        out = method(p)
        assert all(0 <= a <= 1 for a in out)
        assert all(a >= raw - 1e-15 for a, raw in zip(out, p, strict=True))
    assert all(b <= h + 1e-15 for b, h in zip(benjamini_hochberg(p), holm(p), strict=True))
