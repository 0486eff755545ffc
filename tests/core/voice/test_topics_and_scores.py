"""TF-IDF + NMF topics, and the intervals of NPS, CSAT (Wilson) and CES."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from pilotage.core.voice.scores import mean_interval, nps_interval, wilson_interval
from pilotage.core.voice.topics import nmf, term_matrix, topics


def test_tfidf_rows_have_unit_length_and_rare_terms_are_dropped() -> None:
    tm = term_matrix(["alpha beta", "alpha gamma", "delta"], frozenset(), min_docs=1)
    assert "alpha" not in tm.terms  # in 2 of 3 texts: more than half
    norms = np.sqrt(np.asarray(tm.matrix.multiply(tm.matrix).sum(axis=1)).ravel())
    assert np.allclose(norms, 1.0)


def test_nmf_separates_two_vocabularies() -> None:
    texts = ["invoice price discount renewal"] * 6 + ["crash slow timeout loading"] * 6
    found, error = topics(texts, frozenset(), 2, min_docs=2)
    groups = sorted(set(t.members) for t in found)
    assert groups == [set(range(6)), set(range(6, 12))]
    assert error < 1e-3
    by_size = {frozenset(t.terms[:4]) for t in found}
    assert frozenset({"invoice", "price", "discount", "renewal"}) in by_size


def test_nmf_is_deterministic_and_refuses_negative_input() -> None:
    x = np.abs(np.random.default_rng(0).normal(size=(20, 8)))
    w1, h1, e1 = nmf(x, 3)
    w2, _, e2 = nmf(x, 3)
    assert np.array_equal(w1, w2) and e1 == e2
    assert (w1 >= 0).all() and (h1 >= 0).all()
    with pytest.raises(ValueError, match="non-negative"):
        nmf(-x, 2)
    with pytest.raises(ValueError, match="k must be"):
        nmf(x, 9)


@settings(max_examples=25, deadline=None)
@given(hnp.arrays(np.float64, (12, 6), elements=st.floats(0, 5)))
def test_more_topics_never_fit_worse(x: np.ndarray) -> None:
    if not x.any():
        return
    assert nmf(x, 4)[2] <= nmf(x, 1)[2] + 0.05


def test_wilson_interval_reproduces_newcombe_1998() -> None:
    # Newcombe (1998), Statistics in Medicine 17, table I, method 3.
    cases = {
        (81, 263): (0.2553, 0.3662),
        (15, 148): (0.0624, 0.1605),
        (0, 20): (0.0, 0.1611),
        (1, 29): (0.0061, 0.1718),
    }
    for (x, n), expected in cases.items():
        low, high = wilson_interval(x, n)  # type: ignore[misc]
        assert (round(low, 4), round(high, 4)) == expected


def test_nps_interval_from_the_trinomial_variance() -> None:
    # 50 promoters, 20 detractors of 100: NPS 30, Var = (0.5 + 0.2 - 0.3^2) / 100.
    low, high = nps_interval(50, 20, 100)  # type: ignore[misc]
    half = 1.959964 * 100 * np.sqrt(0.0061)
    assert (low, high) == pytest.approx((30 - half, 30 + half), rel=1e-6)
    assert nps_interval(10, 0, 10) == (100.0, 100.0)
    assert nps_interval(0, 0, 0) is None
    with pytest.raises(ValueError, match="at most n"):
        nps_interval(8, 5, 10)


def test_ces_interval_uses_student_t() -> None:
    scores = np.array([4.0, 5.0, 6.0, 5.0])
    low, high = mean_interval(scores.sum(), (scores**2).sum(), 4)  # type: ignore[misc]
    half = 3.182446 * scores.std(ddof=1) / 2
    assert (low, high) == pytest.approx((5 - half, 5 + half), rel=1e-5)
    assert mean_interval(5.0, 25.0, 1) is None
