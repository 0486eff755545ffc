"""Which slice explains a change, and how serious a change is."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pilotage.core.metrics.registry import METRICS
from pilotage.core.monitoring.decompose import decompose
from pilotage.core.monitoring.severity import is_bad, polarity, severity


def test_an_additive_change_splits_exactly_by_slice() -> None:
    before = {"organic_social": {"touches": 450.0}, "email": {"touches": 300.0}}
    after = {"organic_social": {"touches": 300.0}, "email": {"touches": 310.0}}
    effects = decompose(METRICS["touches"], before, after)
    assert [e.value for e in effects] == ["organic_social", "email"]
    top = effects[0]
    assert top.effect == pytest.approx(-150.0)
    assert top.share == pytest.approx(-150.0 / -140.0)
    assert sum(e.effect for e in effects) == pytest.approx(-140.0)


def test_a_ratio_change_names_the_slice_whose_cost_rose() -> None:
    """CPA = cost / purchases. Search's cost doubles for the same purchases; social steady.
    Total CPA: 3000/30 = 100 -> 5000/30 = 166.7. Had search stayed: (5000-4000+2000)/30."""
    m = METRICS["cpa"]
    before = {
        "paid_search": {"cost": 2000.0, "conversions_purchase": 20.0},
        "paid_social": {"cost": 1000.0, "conversions_purchase": 10.0},
    }
    after = {
        "paid_search": {"cost": 4000.0, "conversions_purchase": 20.0},
        "paid_social": {"cost": 1000.0, "conversions_purchase": 10.0},
    }
    effects = decompose(m, before, after)
    assert effects[0].value == "paid_search"
    assert effects[0].effect == pytest.approx(5000 / 30 - 3000 / 30)
    assert effects[0].share == pytest.approx(1.0)
    assert effects[0].before == pytest.approx(100.0) and effects[0].after == pytest.approx(200.0)
    assert effects[1].effect == pytest.approx(0.0)


def test_a_slice_seen_in_one_window_only_counts_as_zero_in_the_other() -> None:
    effects = decompose(METRICS["leads"], {"a": {"leads": 10.0}}, {"b": {"leads": 4.0}})
    by = {e.value: e for e in effects}
    assert by["a"].effect == pytest.approx(-10.0) and by["b"].effect == pytest.approx(4.0)
    assert by["a"].after == 0.0


@given(
    st.dictionaries(
        st.sampled_from(["a", "b", "c", "d"]),
        st.tuples(st.floats(0, 1e5), st.floats(0, 1e5)),
        min_size=1,
    )
)
def test_additive_effects_sum_to_the_change(values: dict[str, tuple[float, float]]) -> None:
    before = {k: {"leads": b} for k, (b, _) in values.items()}
    after = {k: {"leads": a} for k, (_, a) in values.items()}
    effects = decompose(METRICS["leads"], before, after)
    change = sum(a for _, a in values.values()) - sum(b for b, _ in values.values())
    assert sum(e.effect for e in effects) == pytest.approx(change, abs=1e-6)


def test_polarity() -> None:
    assert polarity("revenue") == "higher"
    assert polarity("cpa_lead") == "lower" and polarity("cpl") == "lower"
    assert polarity("cost") == "neutral"
    # More revenue nobody can explain is worse, not better.
    assert polarity("revenue", "unattributed") == "lower"


@pytest.mark.parametrize(
    ("metric", "direction", "change", "expected"),
    [
        ("leads", "down", -0.3, "warning"),
        ("leads", "down", -0.6, "critical"),
        ("leads", "up", 0.6, "info"),
        ("cpa", "up", 0.25, "warning"),
        ("cpa", "down", -0.5, "info"),
        ("cost", "up", 0.3, "info"),
        ("cost", "up", 0.7, "warning"),
    ],
)
def test_severity(metric: str, direction: str, change: float, expected: str) -> None:
    assert severity(direction, change, polarity(metric)) == expected  # type: ignore[arg-type]


def test_is_bad() -> None:
    assert is_bad("down", "higher") is True
    assert is_bad("down", "lower") is False
    assert is_bad("up", "neutral") is None
