"""The sampled parameters of the mix model, their priors and their unconstrained form.

NUTS moves in an unconstrained space: a parameter in (0, 1) is ``sigmoid(u)``, a positive
one ``exp(u)``. ``log_prior`` is the prior density of ``u`` (the Jacobian included), written
once for NumPy and JAX (``xp`` is the array module), so the sampler and the tests share it.

Per channel (c): ``log_roas`` (normal from the marketer's 90 % range), two adstock and up
to two saturation parameters (below); one ``log_sigma`` (noise of the scaled KPI, mean 1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

from pilotage.core.mmm.transforms import AdstockKind, SaturationKind

Support = Literal["unit", "positive"]
SIGMA_PRIOR_SD = 0.3  # half-normal scale of the noise on the scaled KPI (mean 1)


@dataclass(frozen=True)
class Param:
    """A per-channel parameter: ``unit`` has a Beta(a, b) prior on ``sigmoid(u)`` (times
    ``scale``); ``positive`` a log-normal prior (``a`` mean and ``b`` sd of ``u = log x``)."""

    name: str
    support: Support
    a: float
    b: float
    scale: float = 1.0
    meaning: str = ""


def adstock_params(kind: AdstockKind, max_lag: int) -> tuple[Param, ...]:
    if kind == "geometric":
        return (Param("decay", "unit", 1.5, 2.5, meaning="share of the effect kept each week"),)
    if kind == "delayed":
        return (
            Param("decay", "unit", 2.0, 2.0, meaning="concentration around the peak"),
            Param("peak", "unit", 1.5, 3.0, float(max_lag - 1), "weeks to the peak effect"),
        )
    return (
        Param("shape", "positive", 0.0, 0.5, meaning="Weibull shape (> 1 delays the peak)"),
        Param("scale", "positive", math.log(0.3), 0.5, meaning="Weibull scale (x max_lag)"),
    )


def saturation_params(kind: SaturationKind) -> tuple[Param, ...]:
    if kind == "hill":
        return (
            Param("half_saturation", "positive", 0.0, 0.6, meaning="x mean weekly spend"),
            # near 1 (Meridian fixes it there): 90 % between 0.78 and 1.28; a free S-shape
            # makes the ROAS hinge on how the curve is extrapolated to no spend
            Param("slope", "positive", 0.0, 0.15, meaning="Hill exponent"),
        )
    return (Param("lam", "positive", math.log(1.5), 0.6, meaning="per mean weekly spend"),)


def constrain(p: Param, u: Any, xp: Any) -> Any:
    if p.support == "unit":
        return p.scale / (1.0 + xp.exp(-u))
    return xp.exp(u)


def unconstrain(p: Param, x: Any, xp: Any) -> Any:
    if p.support == "unit":
        v = x / p.scale
        return xp.log(v) - xp.log1p(-v)
    return xp.log(x)


def prior_median(p: Param) -> float:
    """A central unconstrained value to start the chains from."""
    if p.support == "unit":
        mode = (p.a - 1.0) / (p.a + p.b - 2.0) if p.a > 1 and p.b > 1 else 0.5
        return math.log(mode) - math.log1p(-mode)
    return p.a


def log_prior(p: Param, u: Any, xp: Any) -> Any:
    """Log density of the unconstrained ``u`` (elementwise)."""
    if p.support == "unit":
        log_x = -xp.logaddexp(0.0, -u)  # log sigmoid(u)
        log_1mx = -xp.logaddexp(0.0, u)
        log_beta = math.lgamma(p.a) + math.lgamma(p.b) - math.lgamma(p.a + p.b)
        return p.a * log_x + p.b * log_1mx - log_beta
    return normal_logpdf(u, p.a, p.b, xp)


def normal_logpdf(x: Any, mu: Any, sd: Any, xp: Any) -> Any:
    return -0.5 * ((x - mu) / sd) ** 2 - xp.log(sd) - 0.5 * math.log(2.0 * math.pi)


def log_sigma_prior(u: Any, xp: Any) -> Any:
    """Half-normal prior on ``sigma = exp(u)``, with the Jacobian ``sigma``."""
    sigma = xp.exp(u)
    return math.log(2.0) + normal_logpdf(sigma, 0.0, SIGMA_PRIOR_SD, xp) + u
