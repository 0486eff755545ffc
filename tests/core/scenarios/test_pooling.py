"""Partial pooling of return per euro by program type: a published reference for the
random-effects step, hand-computed numbers, and the shrinkage invariants."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pilotage.core.scenarios.pooling import (
    DEFAULT_CV2,
    ProgramRecord,
    dersimonian_laird,
    pool_programs,
)

#: BCG vaccine trials (Colditz et al. 1994; metafor's dat.bcg): tpos, tneg, cpos, cneg.
BCG = (
    (4, 119, 11, 128),
    (6, 300, 29, 274),
    (3, 228, 11, 209),
    (62, 13536, 248, 12619),
    (33, 5036, 47, 5761),
    (180, 1361, 372, 1079),
    (8, 2537, 10, 619),
    (505, 87886, 499, 87892),
    (29, 7470, 45, 7232),
    (17, 1699, 65, 1600),
    (186, 50448, 141, 27197),
    (5, 2493, 3, 2338),
    (27, 16886, 29, 17825),
)


def test_dersimonian_laird_matches_metafor_on_the_bcg_trials() -> None:
    # metafor: rma(measure="RR", ai=tpos, bi=tneg, ci=cpos, di=cneg, data=dat.bcg,
    # method="DL") -> tau^2 = 0.3088, estimate = -0.7141, se = 0.1787
    tp, tn, cp, cn = np.array(BCG, dtype=float).T
    y = np.log((tp / (tp + tn)) / (cp / (cp + cn)))
    v = 1 / tp - 1 / (tp + tn) + 1 / cp - 1 / (cp + cn)
    pooled = dersimonian_laird(y, v)
    assert pooled.tau2 == pytest.approx(0.3088, abs=5e-5)
    assert pooled.mu == pytest.approx(-0.7141, abs=5e-5)
    assert math.sqrt(pooled.mu_var) == pytest.approx(0.1787, abs=5e-5)


def rec(key: str, program: str, cost: float, value: float) -> ProgramRecord:
    return ProgramRecord(key, key, program, cost, value)


def test_two_types_by_hand() -> None:
    # A: returns 1 and 3 on 1 each (ratio 2, CV^2 0.5 with the n/(n-1) correction);
    # B: 1 and 1 (ratio 1, CV^2 0). Pooled CV^2 0.25; s^2 = log(1 + 0.25 / 2) = 0.117783.
    # DL: Q = 2.03957, tau^2 = 0.122443; mu = log(2) / 2; var(mu) = 0.120113;
    # B_j = 0.117783 / 0.240227 = 0.490300; A's log mean 0.523222 -> 1.68746 per euro.
    pool = pool_programs(
        [rec("a1", "A", 1, 1), rec("a2", "A", 1, 3), rec("b1", "B", 1, 1), rec("b2", "B", 1, 1)]
    )
    assert pool.cv2 == pytest.approx(0.25)
    assert pool.pooling.tau2 == pytest.approx(0.122443, abs=1e-6)
    assert pool.pooling.mu == pytest.approx(math.log(2) / 2)
    assert pool.pooling.mu_var == pytest.approx(0.120113, abs=1e-6)
    a = pool.type_estimate("A")
    assert a is not None
    assert a.ratio == 2.0
    assert a.own_weight == pytest.approx(1 - 0.490300, abs=1e-6)
    assert a.pooled_ratio == pytest.approx(1.68746, abs=1e-5)
    assert a.log_var == pytest.approx(0.088909, abs=1e-6)
    b = pool.type_estimate("B")
    assert b is not None and b.pooled_ratio == pytest.approx(1.18522, abs=1e-5)


def _history(n_small: int) -> list[ProgramRecord]:
    """Three types of ten programs around 1, 2 and 4 per euro, and a type 'rare' with
    ``n_small`` programs at 12 per euro."""
    rng = np.random.default_rng(3)
    out = []
    for program, ratio in (("x", 1.0), ("y", 2.0), ("z", 4.0)):
        for k in range(10):
            cost = float(rng.uniform(5_000, 20_000))
            out.append(rec(f"{program}{k}", program, cost, cost * ratio * rng.lognormal(0, 0.3)))
    out += [rec(f"r{k}", "rare", 10_000.0, 120_000.0 * (1 + 0.1 * k)) for k in range(n_small)]
    return out


def test_a_type_with_few_programs_is_pulled_toward_the_mean_of_all_types() -> None:
    few = pool_programs(_history(1)).type_estimate("rare")
    many = pool_programs(_history(12)).type_estimate("rare")
    assert few is not None and many is not None
    pool = pool_programs(_history(1))
    mu = pool.pooling.mu
    # shrunk toward mu, never past it
    assert mu < few.log_mean < math.log(few.ratio)
    # more history, more weight on its own data, less pull
    assert few.own_weight < many.own_weight
    assert abs(math.log(many.ratio) - many.log_mean) < abs(math.log(few.ratio) - few.log_mean)


def test_a_type_without_history_draws_on_all_programs() -> None:
    pool = pool_programs(_history(3))
    assert pool.type_estimate("podcast") is None
    draws = pool.draws("podcast", 10_000.0, n=40_000, seed=1)
    # log return per euro ~ N(mu, tau^2 + var(mu)) plus the program's own luck
    spread = pool.pooling.tau2 + pool.pooling.mu_var + math.log1p(pool.cv2)
    assert np.median(np.log(draws / 10_000.0)) == pytest.approx(
        pool.pooling.mu - math.log1p(pool.cv2) / 2, abs=0.05
    )
    assert np.var(np.log(draws / 10_000.0)) == pytest.approx(spread, rel=0.05)


def test_units_average_the_programs_luck() -> None:
    pool = pool_programs(_history(3))
    one = pool.draws("x", 30_000.0, units=1, n=20_000, seed=2)
    six = pool.draws("x", 30_000.0, units=6, n=20_000, seed=2)
    assert np.std(six) < np.std(one)
    assert np.mean(six) == pytest.approx(np.mean(one), rel=0.05)


def test_the_spread_is_assumed_when_no_type_has_two_programs() -> None:
    pool = pool_programs([rec("a", "A", 100, 200), rec("b", "B", 100, 50)])
    assert not pool.cv2_measured and pool.cv2 == DEFAULT_CV2


def test_a_type_that_returned_nothing_is_floored_not_impossible() -> None:
    pool = pool_programs([rec("a", "A", 100, 200), rec("b", "B", 100, 0), rec("c", "B", 50, 0)])
    b = pool.type_estimate("B")
    assert b is not None and b.ratio == 0.0 and 0 < b.pooled_ratio < 200 / 100


def test_programs_without_cost_are_left_out_and_nothing_to_pool_is_refused() -> None:
    pool = pool_programs([rec("a", "A", 100, 200), rec("free", "content", 0, 900)])
    assert pool.programs == 1 and pool.type_estimate("content") is None
    with pytest.raises(ValueError, match="no past program has a cost"):
        pool_programs([rec("free", "content", 0, 900)])
    with pytest.raises(ValueError, match="no past program has a measured return"):
        pool_programs([rec("a", "A", 100, 0)])
    with pytest.raises(ValueError, match="units"):
        pool.draws("A", 10.0, units=0)


history = st.lists(
    st.tuples(
        st.sampled_from(["events", "webinars", "seo", "abm"]),
        st.floats(100, 1e5),
        st.floats(0, 1e6),
    ),
    min_size=1,
    max_size=30,
)


@settings(max_examples=100, deadline=None)
@given(history)
def test_pooled_estimates_lie_between_their_own_data_and_the_mean(
    rows: list[tuple[str, float, float]],
) -> None:
    records = [rec(str(k), p, c, v) for k, (p, c, v) in enumerate(rows)]
    if not sum(v for _, _, v in rows) / sum(c for _, c, _ in rows) > 0:
        with pytest.raises(ValueError, match="no past program has a measured return"):
            pool_programs(records)
        return
    pool = pool_programs(records)
    mu = pool.pooling.mu
    for t in pool.types:
        own = math.log(max(t.ratio, 0.01 * pool.overall_ratio))
        lo, hi = sorted((own, mu))
        assert lo - 1e-9 <= t.log_mean <= hi + 1e-9
        assert 0.0 <= t.own_weight <= 1.0
        assert t.log_var > 0
    # the order of the records does not matter
    again = pool_programs(
        [rec(str(k), p, c, v) for k, (p, c, v) in reversed(list(enumerate(rows)))]
    )
    assert [t.log_mean for t in again.types] == pytest.approx([t.log_mean for t in pool.types])
