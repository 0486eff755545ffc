"""The mix model's log posterior in JAX, over the unconstrained media parameters.

Scaled KPI (mean 1) per fitted week t:
    y_t ~ Normal(intercept + baseline_t . gamma + sum_c beta_c sat_c(adstock_c(x_c))_t, sigma)
with ``beta_c = roas_c * spend_c / (y_scale * sum_t sat_c(...)_t)``: the channel's ROAS over
the fitted weeks is the sampled parameter (log-normal from the marketer's 90 % range), the
coefficient follows. ``intercept`` and ``gamma`` are integrated out exactly (``linear.py``).
An experiment lift adds ``lift_roas_k ~ Normal(model ROAS over its weeks, lift_se_k)``.

Only this module and ``model.py`` import JAX; ``model.py`` sets JAX up before importing it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from pilotage.core.mmm.design import Design
from pilotage.core.mmm.linear import regressors
from pilotage.core.mmm.parameters import (
    Param,
    adstock_params,
    constrain,
    log_prior,
    log_sigma_prior,
    normal_logpdf,
    saturation_params,
)
from pilotage.core.mmm.spec import ModelSpec

Params = dict[str, Any]  # parameter name -> unconstrained array ((c,) or ())


def kernel(kind: str, a: Any, b: Any, max_lag: int) -> Any:
    """(L, c) normalised kernels; the same formulas as transforms.kernel."""
    lags = jnp.arange(max_lag, dtype=jnp.float64)[:, None]
    if kind == "geometric":
        w = jnp.power(a[None, :], lags)
    elif kind == "delayed":
        w = jnp.power(a[None, :], (lags - b[None, :]) ** 2)
    else:
        x = (lags + 0.5) / max_lag / b[None, :]
        w = (a[None, :] / b[None, :]) * jnp.power(x, a[None, :] - 1.0) * jnp.exp(-(x ** a[None, :]))
    return w / w.sum(axis=0, keepdims=True)


def saturate(kind: str, x: Any, a: Any, b: Any) -> Any:
    """Hill ``x^b / (x^b + a^b)``, written ``sigmoid(b log(x / a))`` (fewer exponentials,
    no overflow), or logistic ``(1 - e^(-a x)) / (1 + e^(-a x))``."""
    if kind == "hill":
        return jax.nn.sigmoid(b * (jnp.log(jnp.maximum(x, 1e-300)) - jnp.log(a)))
    e = jnp.exp(-a * jnp.maximum(x, 0.0))
    return (1.0 - e) / (1.0 + e)


def channel_params(spec: ModelSpec) -> tuple[tuple[Param, ...], tuple[Param, ...]]:
    return adstock_params(spec.adstock, spec.max_lag), saturation_params(spec.saturation)


def _pair(params: tuple[Param, ...], z: Params, default: float, c: int) -> tuple[Any, Any]:
    """The two transform parameters (a, b), ``default`` where the transform has one."""
    values = [constrain(p, z[p.name], jnp) for p in params]
    if len(values) == 1:
        values.append(jnp.full(c, default))
    return values[0], values[1]


def media_and_beta(design: Design, spec: ModelSpec, z: Params) -> tuple[Any, Any, Any]:
    """(n, c) saturated adstocked spend, (c,) beta and (c,) ROAS of the parameters ``z``."""
    ad_p, sat_p = channel_params(spec)
    c = design.lagged.shape[2]
    ad_a, ad_b = _pair(ad_p, z, 0.0, c)
    sat_a, sat_b = _pair(sat_p, z, 1.0, c)
    w = kernel(spec.adstock, ad_a, ad_b, spec.max_lag)
    sat = saturate(spec.saturation, jnp.einsum("lc,lnc->nc", w, design.lagged), sat_a, sat_b)
    roas = jnp.exp(z["log_roas"])
    fitted = jnp.maximum((sat * design.train[:, None]).sum(axis=0), 1e-12)
    beta = roas * design.spend_total / (design.y_scale * fitted)
    return sat, beta, roas


def _rotation(design: Design) -> tuple[Any, Any, Any]:
    """Eigen-decomposition that turns the integrated baseline into elementwise algebra.

    With ``S = diag(sd^2)`` and ``H = sd X'X sd = Q diag(lam) Q'`` (fitted weeks only), the
    KPI's covariance ``sigma^2 I + X S X'`` has log determinant
    ``n log sigma^2 + sum log(1 + lam / sigma^2)`` and, for ``v = Q' sd X' r``, quadratic form
    ``r'r / sigma^2 - sum v^2 / (sigma^2 (sigma^2 + lam))`` (Woodbury): no Cholesky factor
    per step. Returns ``M = Q' sd X'`` (q, n) with holdout columns zeroed, ``lam`` and the
    prior mean's part of the KPI ``X g0`` (n,)."""
    x, g0, sd = regressors(design)
    xt = x * design.train[:, None]
    lam, q = np.linalg.eigh(sd[:, None] * (xt.T @ xt) * sd[None, :])
    m = q.T @ (sd[:, None] * xt.T)
    return jnp.asarray(m), jnp.asarray(np.maximum(lam, 0.0)), jnp.asarray(x @ g0)


def potential(design: Design, spec: ModelSpec) -> Callable[[Params], Any]:
    """Jitted negative log posterior (up to a constant) of the unconstrained parameters."""
    rotate, lam, offset = _rotation(design)
    train = jnp.asarray(design.train)
    n_fit = float(design.train.sum())
    y = jnp.asarray(design.y)
    mu, sigma_roas = jnp.asarray(design.roas_mu), jnp.asarray(design.roas_sigma)
    ad_p, sat_p = channel_params(spec)
    lift_ch = jnp.asarray(design.lift_channel)
    lift_window = jnp.asarray(design.lift_window)
    lift_spend = jnp.asarray(design.lift_spend)

    def log_density(z: Params) -> Any:
        lp = jnp.sum(normal_logpdf(z["log_roas"], mu, sigma_roas, jnp))
        for p in (*ad_p, *sat_p):
            lp += jnp.sum(log_prior(p, z[p.name], jnp))
        lp += log_sigma_prior(z["log_sigma"], jnp)
        sat, beta, _ = media_and_beta(design, spec, z)
        sigma2 = jnp.exp(2.0 * z["log_sigma"])
        r = (y - sat @ beta - offset) * train
        v = rotate @ r
        quad = (r @ r - jnp.sum(v**2 / (sigma2 + lam))) / sigma2
        log_det = n_fit * jnp.log(sigma2) + jnp.sum(jnp.log1p(lam / sigma2))
        lp += -0.5 * (quad + log_det)
        if design.lift_roas.size:
            window_sat = jnp.sum(lift_window * sat[:, lift_ch].T, axis=1)
            modelled = beta[lift_ch] * design.y_scale * window_sat / lift_spend
            lp += jnp.sum(normal_logpdf(design.lift_roas, modelled, design.lift_se, jnp))
        return lp

    return jax.jit(lambda z: -log_density(z))
