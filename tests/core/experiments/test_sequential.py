"""Confidence sequences: the formula pinned, wider than the fixed interval, and valid under
daily peeking where the fixed-horizon test is not."""

from __future__ import annotations

import math

import numpy as np
import pytest

from pilotage.core.experiments.effects import Effect
from pilotage.core.experiments.sequential import (
    always_valid_p,
    half_width,
    rho_squared,
    sequence,
)


def test_half_width_by_hand() -> None:
    # alpha 0.05, tuning 5000: rho^2 = (-2 ln .05 + ln(-2 ln .05 + 1)) / 5000 = 0.00158723.
    rho2 = rho_squared(0.05, 5000)
    assert round(rho2, 8) == round((5.9914645 + math.log(6.9914645)) / 5000, 8)
    n, sigma2 = 2000.0, 0.695  # sigma^2 = N var(lift) of 200/1000 vs 250/1000
    expected = math.sqrt(
        sigma2 * 2 * (n * rho2 + 1) / (n**2 * rho2) * math.log(math.sqrt(n * rho2 + 1) / 0.05)
    )
    assert half_width(sigma2, n, 0.05, rho2) == pytest.approx(expected)
    assert round(rho2, 8) == 0.00158723
    assert round(half_width(sigma2, n, 0.05, rho2), 5) == 0.05823


def test_always_valid_p_matches_the_sequence() -> None:
    eff = Effect(0.05, 0.0003475, None, 2000)
    out = sequence(eff, 0.05, "two-sided", 5000)
    assert out.low is not None and out.high is not None
    assert out.high - out.low > 2 * 1.959964 * math.sqrt(0.0003475)  # wider than fixed
    rho2 = rho_squared(0.05, 5000)
    at_p = sequence(Effect(0.05, 0.0003475, None, 2000), out.p_value, "two-sided", 5000)
    # At alpha = p (same rho) the sequence just touches zero.
    width = half_width(0.0003475 * 2000, 2000, out.p_value, rho2)
    assert width == pytest.approx(0.05)
    assert at_p.lift == 0.05
    assert (out.p_value < 0.05) == (out.low > 0)


def test_peeking_every_day_keeps_the_error_rate() -> None:
    """A/A tests looked at 30 times: the fixed 95 % interval excludes 0 at some look far more
    often than 5 %; the confidence sequence does not."""
    rng = np.random.default_rng(7)
    runs, looks, per_look = 300, 30, 200
    fixed_false, seq_false = 0, 0
    for _ in range(runs):
        a = rng.random((looks, per_look)) < 0.1
        b = rng.random((looks, per_look)) < 0.1
        ca, cb = np.cumsum(a.sum(1)), np.cumsum(b.sum(1))
        n = per_look * np.arange(1, looks + 1)
        pa, pb = ca / n, cb / n
        var = pa * (1 - pa) / n + pb * (1 - pb) / n
        z = np.abs(pb - pa) / np.sqrt(np.maximum(var, 1e-12))
        fixed_false += bool(np.any(z > 1.959964))
        rho2 = rho_squared(0.05, 5000)
        crossed = [
            always_valid_p(float(pb[i] - pa[i]), float(var[i] * 2 * n[i]), 2.0 * n[i], rho2) < 0.05
            for i in range(looks)
        ]
        seq_false += any(crossed)
    assert fixed_false / runs > 0.15
    assert seq_false / runs <= 0.05
