"""The baseline's coefficients integrated out, and drawn back afterwards (pure NumPy).

Given the media part ``m`` (n,) and the noise ``sigma``, the scaled KPI is linear in the
baseline coefficients: ``y = X g + m + e`` with ``X = [1, baseline]``, ``g ~ N(g0, S)``
(``S`` diagonal) and ``e ~ N(0, sigma^2)`` on the fitted weeks. So ``y - m - X g0`` is
normal with covariance ``sigma^2 I + X S X'``; its density needs only the Cholesky factor of
the (p, p) matrix ``A = S^-1 + X'X / sigma^2`` (Woodbury), and ``g`` given everything else is
``N(g0 + A^-1 X' r / sigma^2, A^-1)``. NUTS then samples the media parameters alone, and
each draw gets its baseline coefficients from that exact conditional distribution.
"""

from __future__ import annotations

import math

import numpy as np

from pilotage.core.mmm.design import INTERCEPT_PRIOR, Design
from pilotage.core.mmm.transforms import F64


def regressors(design: Design) -> tuple[F64, F64, F64]:
    """``X`` (n, 1 + p) with the intercept first, prior means ``g0`` and sds (1 + p,)."""
    n, p = design.baseline.shape
    x = np.column_stack([np.ones(n), design.baseline])
    g0 = np.zeros(1 + p)
    g0[0] = INTERCEPT_PRIOR[0]
    sd = np.concatenate([[INTERCEPT_PRIOR[1]], design.baseline_sd])
    return np.asarray(x, dtype=np.float64), g0, np.asarray(sd, dtype=np.float64)


def log_marginal(design: Design, media: F64, sigma: float) -> float:
    """Log density of the fitted weeks' KPI given the media part, the baseline integrated
    out (the reference the JAX version in ``density.py`` is tested against)."""
    x, g0, sd = regressors(design)
    keep = design.train > 0
    r = (design.y - media - x @ g0)[keep]
    xk = x[keep]
    cov = sigma**2 * np.eye(int(keep.sum())) + (xk * sd**2) @ xk.T
    _, logdet = np.linalg.slogdet(cov)
    quad = float(r @ np.linalg.solve(cov, r))
    return -0.5 * (quad + float(logdet) + len(r) * math.log(2 * math.pi))


def baseline_draws(design: Design, media: F64, sigma: F64, rng: np.random.Generator) -> F64:
    """(S, 1 + p) coefficients from their normal distribution given each draw's media part
    ``media`` (S, n) and noise ``sigma`` (S,): intercept first, then the baseline columns."""
    x, g0, sd = regressors(design)
    keep = design.train > 0
    xk = x[keep]
    gram = xk.T @ xk  # (q, q)
    r = (design.y[None, keep] - media[:, keep]) - (xk @ g0)[None, :]  # (S, n_fit)
    s2 = sigma[:, None, None] ** 2
    a = np.diag(1.0 / sd**2)[None] + gram[None] / s2  # (S, q, q)
    chol = np.linalg.cholesky(a)
    rhs = (r @ xk) / sigma[:, None] ** 2  # (S, q)
    mean = np.linalg.solve(a, rhs[..., None])[..., 0]
    z = rng.standard_normal(mean.shape)
    # chol chol' = A, so solving chol' e = z gives e with covariance A^-1.
    noise = np.linalg.solve(np.swapaxes(chol, 1, 2), z[..., None])[..., 0]
    return np.asarray(g0[None, :] + mean + noise, dtype=np.float64)
