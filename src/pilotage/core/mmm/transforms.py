"""Media transforms as pure NumPy functions: adstock (carry-over) and saturation.

Shapes: a spend series is ``(n_weeks,)`` or ``(n_weeks, n_channels)``; a kernel is
``(max_lag,)`` with lag 0 first. Kernels are normalised to sum 1 by default, so a constant
weekly spend ``s`` adstocks to ``s`` once the kernel has filled: the saturation's
half-saturation point then reads in euros per week. The model (``model.py``) has the same
formulas written for JAX; ``tests/core/mmm`` pins both to the same numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, get_args

import numpy as np
from numpy.typing import NDArray

F64 = NDArray[np.float64]
AdstockKind = Literal["geometric", "delayed", "weibull"]
SaturationKind = Literal["hill", "logistic"]
ADSTOCKS: tuple[AdstockKind, ...] = get_args(AdstockKind)
SATURATIONS: tuple[SaturationKind, ...] = get_args(SaturationKind)


def _normalised(w: F64, normalise: bool) -> F64:
    total = float(w.sum())
    if not normalise or total <= 0.0:
        return w
    return np.asarray(w / total, dtype=np.float64)


def geometric_weights(decay: float, max_lag: int, *, normalise: bool = True) -> F64:
    """``decay ** lag`` for lag 0..max_lag-1; decay 0 keeps only the current week."""
    if not 0.0 <= decay <= 1.0:
        raise ValueError(f"geometric decay must be in [0, 1], got {decay}")
    if max_lag < 1:
        raise ValueError(f"max_lag must be at least 1 week, got {max_lag}")
    lags = np.arange(max_lag, dtype=np.float64)
    return _normalised(np.power(decay, lags), normalise)


def delayed_weights(decay: float, peak: float, max_lag: int, *, normalise: bool = True) -> F64:
    """``decay ** ((lag - peak) ** 2)``: the effect peaks ``peak`` weeks after the spend."""
    if not 0.0 < decay <= 1.0:
        raise ValueError(f"delayed decay must be in (0, 1], got {decay}")
    if not 0.0 <= peak <= max_lag - 1:
        raise ValueError(f"peak must be in [0, max_lag - 1] weeks, got {peak}")
    lags = np.arange(max_lag, dtype=np.float64)
    return _normalised(np.power(decay, (lags - peak) ** 2), normalise)


def weibull_weights(shape: float, scale: float, max_lag: int, *, normalise: bool = True) -> F64:
    """Weibull PDF kernel over lags (in units of ``max_lag``): shape > 1 delays the peak.

    Lags are evaluated at ``(lag + 0.5) / max_lag`` so lag 0 is finite for shape < 1.
    """
    if shape <= 0.0 or scale <= 0.0:
        raise ValueError(f"weibull shape and scale must be > 0, got {shape}, {scale}")
    if max_lag < 1:
        raise ValueError(f"max_lag must be at least 1 week, got {max_lag}")
    x = (np.arange(max_lag, dtype=np.float64) + 0.5) / max_lag / scale
    pdf = (shape / scale) * np.power(x, shape - 1.0) * np.exp(-np.power(x, shape))
    return _normalised(np.asarray(pdf, dtype=np.float64), normalise)


def adstock(spend: F64, weights: F64) -> F64:
    """Carry-over: ``out[t] = sum_l weights[l] * spend[t - l]`` (weeks before the data are 0).

    ``spend`` is ``(n,)`` or ``(n, c)``; ``weights`` is ``(max_lag,)`` or ``(max_lag, c)``.
    """
    x = np.asarray(spend, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    if x.ndim == 1:
        return np.asarray(np.convolve(x, w[:, 0] if w.ndim == 2 else w)[: len(x)])
    w2 = np.broadcast_to(w[:, None] if w.ndim == 1 else w, (w.shape[0], x.shape[1]))
    out = np.zeros_like(x)
    for lag in range(min(w2.shape[0], x.shape[0])):
        out[lag:] += w2[lag] * x[: x.shape[0] - lag]
    return out


def hill(x: F64, half_saturation: float | F64, slope: float | F64) -> F64:
    """``x^S / (x^S + K^S)`` in [0, 1): 0.5 at ``x = K``; zero spend gives 0."""
    xs = np.power(np.maximum(np.asarray(x, dtype=np.float64), 0.0), slope)
    return np.asarray(xs / (xs + np.power(half_saturation, slope)), dtype=np.float64)


def logistic(x: F64, lam: float | F64) -> F64:
    """``(1 - exp(-lam x)) / (1 + exp(-lam x))`` in [0, 1): concave, 0 at zero spend."""
    e = np.exp(-np.asarray(lam) * np.maximum(np.asarray(x, dtype=np.float64), 0.0))
    return np.asarray((1.0 - e) / (1.0 + e), dtype=np.float64)


def hill_derivative(x: F64, half_saturation: float | F64, slope: float | F64) -> F64:
    """d hill / dx, used for marginal returns."""
    x = np.maximum(np.asarray(x, dtype=np.float64), 1e-12)
    k_s = np.power(half_saturation, slope)
    xs = np.power(x, slope)
    return np.asarray(slope * k_s * xs / (x * (xs + k_s) ** 2), dtype=np.float64)


def logistic_derivative(x: F64, lam: float | F64) -> F64:
    e = np.exp(-np.asarray(lam) * np.maximum(np.asarray(x, dtype=np.float64), 0.0))
    return np.asarray(2.0 * lam * e / (1.0 + e) ** 2, dtype=np.float64)


#: Saturation by name: (curve, derivative). Parameters: hill (K, S), logistic (lam, unused).
SATURATION_FUNCTIONS: dict[SaturationKind, tuple[Callable[..., F64], Callable[..., F64]]] = {
    "hill": (hill, hill_derivative),
    "logistic": (
        lambda x, lam, _unused=None: logistic(x, lam),
        lambda x, lam, _unused=None: logistic_derivative(x, lam),
    ),
}


def kernels(kind: AdstockKind, a: F64, b: F64, max_lag: int) -> F64:
    """``(..., max_lag, c)`` normalised kernels for parameter arrays ``a``, ``b`` of shape
    ``(..., c)`` (one kernel per draw and channel); the same formulas as ``kernel``."""
    a = np.asarray(a, dtype=np.float64)[..., None, :]
    b = np.asarray(b, dtype=np.float64)[..., None, :]
    lags = np.arange(max_lag, dtype=np.float64)[:, None]
    if kind == "geometric":
        w = np.power(a, lags)
    elif kind == "delayed":
        w = np.power(a, (lags - b) ** 2)
    elif kind == "weibull":
        x = (lags + 0.5) / max_lag / b
        w = (a / b) * np.power(x, a - 1.0) * np.exp(-np.power(x, a))
    else:
        raise ValueError(f"unknown adstock {kind!r}; allowed: {', '.join(ADSTOCKS)}")
    return np.asarray(w / w.sum(axis=-2, keepdims=True), dtype=np.float64)


def kernel(kind: AdstockKind, a: float, b: float, max_lag: int) -> F64:
    """Normalised kernel by name: geometric (decay, -), delayed (decay, peak), weibull
    (shape, scale)."""
    if kind == "geometric":
        return geometric_weights(a, max_lag)
    if kind == "delayed":
        return delayed_weights(a, b, max_lag)
    if kind == "weibull":
        return weibull_weights(a, b, max_lag)
    raise ValueError(f"unknown adstock {kind!r}; allowed: {', '.join(ADSTOCKS)}")
