"""Budget optimizer invariants on a hand-made posterior (no sampling needed)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pilotage.core.mmm.optimizer import Move, optimize_for_roi, optimize_total
from pilotage.core.mmm.posterior import Diagnostics, FittedModel

CHANNELS = ("display", "paid_search", "video")


def posterior(channels: tuple[str, ...] = CHANNELS, seed: int = 0) -> FittedModel:
    rng = np.random.default_rng(seed)
    s, c = 200, len(channels)
    beta = np.array([0.3, 1.2, 0.6])[:c] * np.exp(rng.normal(0, 0.1, (s, c)))
    return FittedModel(
        channels=channels,
        kpi="revenue",
        adstock="geometric",
        saturation="hill",
        max_lag=4,
        y_scale=100_000.0,
        spend_scale=np.array([10_000.0, 20_000.0, 8_000.0])[:c],
        draws={
            "roas": np.ones((s, c)),
            "beta": beta,
            "ad_a": np.full((s, c), 0.3),
            "ad_b": np.zeros((s, c)),
            "sat_a": np.full((s, c), 1.0),
            "sat_b": np.full((s, c), 1.0),
            "baseline": np.zeros((s, 1)),
            "intercept": np.full(s, 0.5),
            "sigma": np.full(s, 0.05),
        },
        diagnostics=Diagnostics(1.0, 500.0, 0, "good"),
        seed=0,
        recent_weekly_spend=np.array([12_000.0, 15_000.0, 6_000.0])[:c],
    )


def test_budget_is_exact_and_never_worse_than_current():
    m = posterior()
    current_total = float(m.recent_weekly_spend.sum() * 13)
    a = optimize_total(m, current_total, weeks=13)
    assert round(float(a.optimal.sum()), 2) == round(current_total, 2)
    assert a.expected >= a.current_expected - 1e-6
    assert a.moves, "a better split should come with moves"
    assert a.moves[0].text("en").startswith("move ")
    assert "80 % interval" in a.moves[0].text("en")
    assert "intervalle à 80 %" in a.moves[0].text("fr")
    assert a.expected_low <= a.expected <= a.expected_high
    # At an interior optimum the marginal returns are equal.
    inside = a.optimal > 1.0
    assert np.ptp(a.mroas[inside]) < 0.05 * a.mroas[inside].mean()


def test_bounds_hold_by_name_whatever_the_order():
    m = posterior()
    bounds = {"video": (50_000.0, 60_000.0), "display": (0.0, 10_000.0)}
    a = optimize_total(m, 300_000.0, bounds=bounds)
    got = dict(zip(a.channels, a.optimal, strict=True))
    assert 50_000 <= got["video"] <= 60_000
    assert got["display"] <= 10_000
    reordered = optimize_total(m, 300_000.0, bounds=dict(reversed(list(bounds.items()))))
    np.testing.assert_allclose(reordered.optimal, a.optimal)


def test_bad_budgets_explain_themselves():
    m = posterior()
    with pytest.raises(ValueError, match="unknown channels"):
        optimize_total(m, 1000.0, bounds={"tv": (0.0, 1.0)})
    with pytest.raises(ValueError, match="bounds allow"):
        optimize_total(m, 1000.0, bounds=dict.fromkeys(CHANNELS, (0.0, 100.0)))
    with pytest.raises(ValueError, match="> 0"):
        optimize_total(m, -5.0)


@settings(max_examples=15, deadline=None)
@given(st.floats(10_000, 1_000_000), st.floats(1.05, 3.0))
def test_more_budget_never_lowers_the_outcome(total, factor):
    m = posterior()
    small = optimize_total(m, round(total, 2))
    large = optimize_total(m, round(total * factor, 2))
    assert round(float(small.optimal.sum()), 2) == round(total, 2)
    assert large.expected >= small.expected - 1e-6 * small.expected


def test_target_roi_finds_a_budget_that_reaches_it():
    m = posterior()
    a = optimize_for_roi(m, 1.0)
    assert (a.expected - a.total) / a.total >= 1.0 - 1e-3
    bigger = optimize_total(m, a.total * 1.5)
    assert (bigger.expected - bigger.total) / bigger.total < 1.0


def permuted(m: FittedModel, order: list[int]) -> FittedModel:
    """The same posterior with its channels (the data's columns) in another order."""
    return FittedModel(
        channels=tuple(m.channels[k] for k in order),
        kpi=m.kpi,
        adstock=m.adstock,
        saturation=m.saturation,
        max_lag=m.max_lag,
        y_scale=m.y_scale,
        spend_scale=m.spend_scale[order],
        draws={
            k: (v[:, order] if v.ndim == 2 and v.shape[1] == len(order) else v)
            for k, v in m.draws.items()
        },
        diagnostics=m.diagnostics,
        seed=m.seed,
        recent_weekly_spend=m.recent_weekly_spend[order],
    )


bounds_strategy = st.dictionaries(
    st.sampled_from(CHANNELS),
    st.tuples(st.floats(0, 60_000), st.floats(0, 200_000)).map(lambda b: (b[0], b[0] + b[1])),
    max_size=3,
)


@settings(max_examples=25, deadline=None)
@given(
    total=st.floats(50_000, 600_000).map(lambda x: round(x, 2)),
    bounds=bounds_strategy,
    order=st.permutations([0, 1, 2]),
)
def test_budget_sums_exactly_and_bounds_hold_by_name_whatever_the_column_order(
    total: float, bounds: dict[str, tuple[float, float]], order: list[int]
) -> None:
    m = posterior()
    lo = sum(b[0] for b in bounds.values())
    hi = sum(bounds.get(c, (0.0, total))[1] for c in CHANNELS)
    if lo > total or hi < total:
        with pytest.raises(ValueError, match="bounds allow"):
            optimize_total(m, total, bounds=bounds)
        return
    a = optimize_total(m, total, bounds=bounds)
    b = optimize_total(permuted(m, order), total, bounds=bounds)
    for alloc in (a, b):
        assert round(float(alloc.optimal.sum()) * 100) == round(total * 100)  # to the cent
        got = dict(zip(alloc.channels, alloc.optimal, strict=True))
        for name, (low, high) in bounds.items():
            assert low - 0.005 <= got[name] <= high + 0.005
    by_name_a = dict(zip(a.channels, a.optimal, strict=True))
    by_name_b = dict(zip(b.channels, b.optimal, strict=True))
    for name in CHANNELS:
        assert by_name_b[name] == pytest.approx(by_name_a[name], rel=1e-3, abs=total * 1e-3)
    assert b.expected == pytest.approx(a.expected, rel=1e-6)


def test_moves_list_additions_and_cuts_when_the_total_changes() -> None:
    m = posterior()
    current = float(m.recent_weekly_spend.sum() * 13)
    more = optimize_total(m, round(current * 1.5, 2))
    assert any(mv.source is None and mv.text("en").startswith("add ") for mv in more.moves)
    assert sum(mv.amount for mv in more.moves if mv.source is None) == pytest.approx(
        current * 0.5, abs=5.0
    )
    less = optimize_total(m, round(current * 0.5, 2))
    assert any(mv.target is None and mv.text("fr").startswith("retirer ") for mv in less.moves)


def test_move_wording_in_both_languages() -> None:
    move = Move("display", "paid_search", 20_000.0, 46_000.0, 12_500.0, 81_000.0)
    assert move.text("en") == (
        "move 20 k€ from display to paid search: +46 k€ expected revenue, "
        "80 % interval +12 k€ to +81 k€"
    )
    assert move.text("fr") == (
        "déplacer 20 k€ de display vers paid search : +46 k€ de revenu attendu, "
        "intervalle à 80 % +12 k€ à +81 k€"
    )
    small = Move(None, "video", 7_600.0, -1_500.0, -2_000.0, 900.0)
    assert small.text("fr") == (
        "ajouter 7,6 k€ à video : −1,5 k€ de revenu attendu, intervalle à 80 % −2,0 k€ à +900 €"
    )
    counts = Move("video", None, 5_000.0, 1_234.0, 1_000.0, 1_500.0, kpi="conversions")
    assert counts.text("en") == (
        "cut 5.0 k€ from video: +1,234 expected conversions, 80 % interval +1,000 to +1,500"
    )
