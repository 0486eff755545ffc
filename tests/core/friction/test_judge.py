"""The modified z-score (Iglewicz-Hoaglin) and the judgement of drop-offs and delays against
their own history and their peers."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pilotage.core.friction.judge import ALL, Observation, judge
from pilotage.core.friction.robust import modified_z


def month(i: int) -> datetime.date:
    return datetime.date(2025 + (i // 12), i % 12 + 1, 1)


def test_modified_z_uses_the_mad_then_the_mean_absolute_deviation() -> None:
    # Median 3, MAD 1: M(100) = 0.6745 x 97.
    assert modified_z(100, [1, 2, 3, 4, 100]) == pytest.approx(0.6745 * 97)
    # More than half equal: MAD 0, MeanAD = 4/5 = 0.8.
    assert modified_z(7, [3, 3, 3, 3, 7]) == pytest.approx(4 / (1.253314 * 0.8))
    assert modified_z(5, [3, 3, 3]) is None  # no spread at all
    assert modified_z(5, [1, 2]) is None  # too few


def series(step: str, slice_: str, rates: list[float], n: float = 1000) -> list[Observation]:
    return [Observation(step, slice_, month(i), n, n * r, 10.0) for i, r in enumerate(rates)]


HISTORY = [0.50, 0.52, 0.49, 0.51, 0.50, 0.48]


def test_a_jump_against_its_own_history_is_abnormal_and_costs_its_excess() -> None:
    obs = series("mql→sql", ALL, [*HISTORY, 0.70])
    last = judge(obs)[-1]
    assert last.abnormal_drop and last.history_z is not None and last.history_z > 3.5
    assert last.baseline == pytest.approx(0.50)
    assert last.excess_dropped == pytest.approx(1000 * (0.70 - 0.50))
    assert not any(j.abnormal_drop for j in judge(obs)[:-1])


def test_an_improvement_is_never_friction() -> None:
    last = judge(series("mql→sql", ALL, [*HISTORY, 0.10]))[-1]
    assert not last.abnormal_drop and last.excess_dropped == 0.0


def test_peers_compare_changes_so_a_season_is_not_friction() -> None:
    # Every page worsens by about 10 points in the last month: no page stands out.
    noise = [0.004, -0.003, 0.002, -0.001, 0.003, 0.0]
    pages = [series("landing_page", f"/p{k}", [r + 0.05 * k for r in HISTORY]) for k in range(6)]
    season = [o for s in pages for o in s]
    season += [
        Observation("landing_page", f"/p{k}", month(6), 1000, 1000 * (0.6 + 0.05 * k + noise[k]))
        for k in range(6)
    ]
    last = [j for j in judge(season) if j.observation.period == month(6)]
    assert all(j.peer_z is not None and j.peer_z < 3.5 for j in last)
    assert all(j.history_z is not None and j.history_z > 3.5 for j in last)
    # One page worsens alone by 10 points while its peers stay: it stands out among peers.
    alone = [o for s in pages for o in s]
    alone += [
        Observation("landing_page", f"/p{k}", month(6), 1000, 1000 * (0.5 + 0.05 * k + noise[k]))
        for k in range(1, 6)
    ]
    alone.append(Observation("landing_page", "/p0", month(6), 1000, 600))
    (p0,) = [
        j for j in judge(alone) if j.observation.slice == "/p0" and j.observation.period == month(6)
    ]
    assert p0.peer_z is not None and p0.peer_z > 3.5 and p0.abnormal_drop


def test_small_groups_are_not_judged_and_delays_are_flagged_by_a_day_or_more() -> None:
    obs = series("sql→opportunity", ALL, [*HISTORY, 0.5])
    obs.append(Observation("sql→opportunity", ALL, month(7), 10, 9))
    judged = judge(obs, min_entrants=30)
    assert len(judged) == 7
    slow = [
        Observation("sql→opportunity", ALL, month(i), 1000, 500, d)
        for i, d in enumerate([5.0, 5.2, 4.9, 5.1, 5.0, 4.8, 9.0])
    ]
    assert judge(slow)[-1].abnormal_delay
    tiny = [
        Observation("x", ALL, month(i), 1000, 500, d)
        for i, d in enumerate([0.01, 0.011, 0.009, 0.01, 0.012, 0.01, 0.05])
    ]
    assert not judge(tiny)[-1].abnormal_delay  # far off in z, but minutes, not a day


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="positive"):
        judge([], threshold=0)


@given(st.lists(st.floats(0.0, 1.0), min_size=1, max_size=20), st.floats(0.0, 1.0))
def test_excess_is_never_negative_nor_more_than_the_drop_offs(
    history: list[float], last: float
) -> None:
    obs = [*series("s", ALL, history), Observation("s", ALL, month(len(history)), 100, 100 * last)]
    for j in judge(obs):
        assert 0.0 <= j.excess_dropped <= j.observation.dropped + 1e-9
