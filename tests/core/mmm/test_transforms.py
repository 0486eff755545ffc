"""Transforms: pinned values, edges (decay 0 and 1, zero spend, lag 0), invariants."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pilotage.core.mmm.baseline import fourier_basis, trend_basis
from pilotage.core.mmm.transforms import (
    adstock,
    delayed_weights,
    geometric_weights,
    hill,
    hill_derivative,
    kernel,
    kernels,
    logistic,
    weibull_weights,
)


def test_geometric_adstock_of_an_impulse():
    impulse = np.array([1.0, 0.0, 0.0, 0.0, 0.0])
    out = adstock(impulse, geometric_weights(0.5, 4, normalise=False))
    np.testing.assert_allclose(out, [1.0, 0.5, 0.25, 0.125, 0.0])
    normalised = adstock(impulse, geometric_weights(0.5, 4))
    np.testing.assert_allclose(normalised, np.array([8, 4, 2, 1, 0]) / 15.0)


def test_decay_edges_and_lag_zero():
    np.testing.assert_allclose(geometric_weights(0.0, 4), [1.0, 0.0, 0.0, 0.0])
    np.testing.assert_allclose(geometric_weights(1.0, 4), [0.25] * 4)
    np.testing.assert_allclose(geometric_weights(0.7, 1), [1.0])
    x = np.array([3.0, 0.0, 5.0])
    np.testing.assert_allclose(adstock(x, geometric_weights(0.0, 3)), x)
    np.testing.assert_allclose(adstock(np.zeros(6), geometric_weights(0.5, 3)), np.zeros(6))


def test_delayed_peaks_at_its_lag_and_weibull_is_normalised():
    w = delayed_weights(0.5, 2, 6)
    assert int(np.argmax(w)) == 2
    assert w.sum() == pytest.approx(1.0)
    wb = weibull_weights(2.0, 0.4, 8)
    assert wb.sum() == pytest.approx(1.0)
    assert 0 < int(np.argmax(wb)) < 7
    raw = weibull_weights(1.0, 1.0, 4, normalise=False)  # exponential pdf at lag midpoints
    np.testing.assert_allclose(raw, np.exp(-(np.arange(4) + 0.5) / 4), rtol=1e-12)


def test_hill_and_logistic_pinned():
    assert hill(np.array([7_000.0]), 7_000.0, 1.3)[0] == pytest.approx(0.5)
    assert hill(np.array([0.0]), 5.0, 2.0)[0] == 0.0
    assert hill(np.array([2.0]), 1.0, 2.0)[0] == pytest.approx(0.8)
    assert logistic(np.array([0.0]), 3.0)[0] == 0.0
    assert logistic(np.array([np.log(3.0)]), 1.0)[0] == pytest.approx(0.5)
    x, h = 1.3, 1e-6
    numeric = (hill(np.array([x + h]), 1.0, 1.7) - hill(np.array([x - h]), 1.0, 1.7)) / (2 * h)
    assert hill_derivative(np.array([x]), 1.0, 1.7)[0] == pytest.approx(numeric[0], rel=1e-6)


def test_bad_parameters_say_what_is_allowed():
    with pytest.raises(ValueError, match=r"in \[0, 1\]"):
        geometric_weights(1.5, 4)
    with pytest.raises(ValueError, match="max_lag"):
        geometric_weights(0.5, 0)
    with pytest.raises(ValueError, match="allowed"):
        kernel("nope", 0.5, 0.0, 4)  # type: ignore[arg-type]


def test_two_dimensional_adstock_matches_per_channel():
    rng = np.random.default_rng(1)
    x = rng.uniform(0, 10, (12, 3))
    w = np.column_stack([geometric_weights(d, 5) for d in (0.1, 0.5, 0.9)])
    out = adstock(x, w)
    for c in range(3):
        np.testing.assert_allclose(out[:, c], adstock(x[:, c], w[:, c]))


def test_baseline_shapes():
    assert fourier_basis(np.linspace(0, 1, 10), 3).shape == (10, 6)
    assert fourier_basis(np.linspace(0, 1, 10), 0).shape == (10, 0)
    t = trend_basis(11, 2)
    assert t.shape == (11, 3)
    assert t[0, 0] == 0.0 and t[-1, 0] == 1.0


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.floats(0, 1e6), min_size=1, max_size=30),
    st.floats(0.0, 1.0),
    st.integers(1, 8),
)
def test_normalised_adstock_preserves_mass(spend, decay, max_lag):
    x = np.array(spend + [0.0] * max_lag)  # room for the carry-over to land
    assert adstock(x, geometric_weights(decay, max_lag)).sum() == pytest.approx(
        x.sum(), rel=1e-9, abs=1e-6
    )


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.floats(0, 1e5), min_size=2, max_size=20),
    st.floats(0.1, 1e4),
    st.floats(0.3, 4.0),
)
def test_saturation_is_monotone_in_unit_interval(xs, k, s):
    x = np.sort(np.array(xs))
    for y in (hill(x, k, s), logistic(x, 1.0 / k)):
        assert np.all(np.diff(y) >= -1e-12)
        assert np.all((y >= 0) & (y <= 1))  # < 1 in exact arithmetic


@pytest.mark.parametrize(
    ("kind", "a", "b"),
    [
        ("geometric", [0.0, 0.4, 1.0], [0, 0, 0]),
        ("delayed", [0.3, 0.9, 1.0], [0.0, 2.5, 7.0]),
        ("weibull", [0.5, 1.0, 3.0], [0.1, 0.3, 2.0]),
    ],
)
def test_vectorised_kernels_match_one_at_a_time(kind, a, b):
    a2, b2 = np.array([a, a[::-1]]), np.array([b, b[::-1]])
    out = kernels(kind, a2, b2, 8)
    assert out.shape == (2, 8, 3)
    for s in range(2):
        for c in range(3):
            np.testing.assert_allclose(out[s, :, c], kernel(kind, a2[s, c], b2[s, c], 8))


def test_lag_zero_only_keeps_spend_as_it_is():
    x = np.array([[1.0, 5.0], [0.0, 2.0], [4.0, 0.0]])
    for kind, a, b in (("geometric", 0.6, 0.0), ("delayed", 0.5, 0.0), ("weibull", 2.0, 0.5)):
        w = kernel(kind, a, b, 1)  # type: ignore[arg-type]
        np.testing.assert_allclose(w, [1.0])
        np.testing.assert_allclose(adstock(x, w), x)


def test_delayed_with_full_concentration_and_peak_zero_is_no_carry_over():
    np.testing.assert_allclose(delayed_weights(1e-9, 0.0, 5), [1, 0, 0, 0, 0], atol=1e-9)
    np.testing.assert_allclose(delayed_weights(1.0, 3.0, 5), [0.2] * 5)  # decay 1: flat
