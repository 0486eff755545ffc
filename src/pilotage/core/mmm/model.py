"""The Bayesian mix model in numpyro, sampled with NUTS.

Importing this module sets JAX to the CPU and 64-bit floats (nothing else in Pilotage
imports JAX, so the package itself stays free of that side effect).

Scaled KPI (mean 1) per week t:
    y_t ~ Normal(intercept + baseline_t . gamma + sum_c beta_c sat_c(adstock_c(x_c))_t, sigma)
with ``beta_c = roas_c * spend_c / (y_scale * sum_t sat_c(...)_t)``: the channel's ROAS is the
sampled parameter (log-normal from the marketer's 90 % range), the coefficient follows.
Chains run vectorised in one process, so the same data and seed give the same draws.
"""

from __future__ import annotations

import numpyro

numpyro.set_platform("cpu")
numpyro.enable_x64()

from typing import Any  # noqa: E402

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
import numpyro.distributions as dist  # noqa: E402
from numpyro.diagnostics import effective_sample_size, split_gelman_rubin  # noqa: E402
from numpyro.infer import MCMC, NUTS, init_to_median  # noqa: E402

from pilotage.core.mmm.design import Design, WeeklyData, build_design  # noqa: E402
from pilotage.core.mmm.diagnostics import verdict  # noqa: E402
from pilotage.core.mmm.posterior import DRAW_KEYS, FittedModel  # noqa: E402
from pilotage.core.mmm.spec import ModelSpec  # noqa: E402

RECENT_WEEKS = 13  # the optimizer's "current allocation": mean weekly spend of the last quarter


def _kernel(kind: str, a: Any, b: Any, max_lag: int) -> Any:
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


def _saturate(kind: str, x: Any, a: Any, b: Any) -> Any:
    if kind == "hill":
        xs = jnp.power(jnp.maximum(x, 1e-12), b)
        return xs / (xs + jnp.power(a, b))
    e = jnp.exp(-a * jnp.maximum(x, 0.0))
    return (1.0 - e) / (1.0 + e)


def _model(d: dict[str, Any], spec: ModelSpec, y: Any = None) -> None:
    lagged, base, train = d["lagged"], d["baseline"], d["train"]
    c = lagged.shape[2]
    max_lag = spec.max_lag
    with numpyro.plate("channel", c):
        roas = numpyro.sample("roas", dist.LogNormal(d["roas_mu"], d["roas_sigma"]))
        if spec.adstock == "geometric":
            ad_a = numpyro.sample("ad_a", dist.Beta(1.5, 2.5))
            ad_b = jnp.zeros(c)
        elif spec.adstock == "delayed":
            ad_a = numpyro.sample("ad_a", dist.Beta(2.0, 2.0))
            ad_b = numpyro.sample("peak", dist.Beta(1.5, 3.0)) * (max_lag - 1)
        else:
            ad_a = numpyro.sample("ad_a", dist.LogNormal(0.0, 0.5))
            ad_b = numpyro.sample("ad_b", dist.LogNormal(jnp.log(0.3), 0.5))
        if spec.saturation == "hill":
            sat_a = numpyro.sample("sat_a", dist.LogNormal(0.0, 0.6))
            sat_b = numpyro.sample("sat_b", dist.LogNormal(0.0, 0.3))
        else:
            sat_a = numpyro.sample("sat_a", dist.LogNormal(jnp.log(1.5), 0.6))
            sat_b = jnp.ones(c)
    w = _kernel(spec.adstock, ad_a, ad_b, max_lag)
    ad = jnp.einsum("lc,lnc->nc", w, lagged)
    sat = _saturate(spec.saturation, ad, sat_a, sat_b)
    beta = (
        roas * d["spend_total"] / (d["y_scale"] * jnp.maximum((sat * train[:, None]).sum(0), 1e-9))
    )
    intercept = numpyro.sample("intercept", dist.Normal(0.7, 0.5))
    gamma = numpyro.sample("baseline", dist.Normal(0.0, d["gamma_sd"]).to_event(1))
    sigma = numpyro.sample("sigma", dist.HalfNormal(0.3))
    mu = intercept + base @ gamma + sat @ beta
    numpyro.deterministic("beta", beta)
    numpyro.deterministic("ad_b_", ad_b)
    numpyro.deterministic("sat_b_", sat_b)
    with numpyro.handlers.mask(mask=train > 0):
        numpyro.sample("y", dist.Normal(mu, sigma), obs=y)
    if d["lift_idx"].shape[0]:
        numpyro.sample("lift", dist.Normal(roas[d["lift_idx"]], d["lift_se"]), obs=d["lift_roas"])


def _inputs(design: Design, spec: ModelSpec) -> dict[str, Any]:
    p = design.baseline.shape[1]
    gamma_sd = np.full(p, 0.3)
    gamma_sd[: design.n_trend] = 0.5
    idx = {ch: i for i, ch in enumerate(spec.channels)}
    return {
        "lagged": jnp.asarray(design.lagged),
        "baseline": jnp.asarray(design.baseline),
        "train": jnp.asarray(design.train),
        "spend_total": jnp.asarray(design.spend_total),
        "y_scale": design.y_scale,
        "gamma_sd": jnp.asarray(gamma_sd),
        "roas_mu": jnp.asarray([spec.prior(ch).mu for ch in spec.channels]),
        "roas_sigma": jnp.asarray([spec.prior(ch).sigma for ch in spec.channels]),
        "lift_idx": jnp.asarray([idx[x.channel] for x in spec.calibration], dtype=jnp.int32),
        "lift_roas": jnp.asarray([x.roas for x in spec.calibration]),
        "lift_se": jnp.asarray([x.std_error for x in spec.calibration]),
    }


def fit(data: WeeklyData, spec: ModelSpec, train_weeks: int | None = None) -> FittedModel:
    """Sample the posterior with NUTS; ``train_weeks`` keeps later weeks out of the fit."""
    design = build_design(data, spec, train_weeks)
    mcmc = MCMC(
        NUTS(
            _model,
            target_accept_prob=spec.target_accept,
            init_strategy=init_to_median(num_samples=15),
            max_tree_depth=spec.max_tree_depth,
            dense_mass=True,
        ),
        num_warmup=spec.warmup,
        num_samples=spec.draws,
        num_chains=spec.chains,
        chain_method="vectorized",
        progress_bar=False,
    )
    mcmc.run(
        jax.random.PRNGKey(spec.seed),
        _inputs(design, spec),
        spec,
        y=jnp.asarray(design.y),
        extra_fields=("diverging",),
    )
    grouped = {k: np.asarray(v) for k, v in mcmc.get_samples(group_by_chain=True).items()}
    sampled = [
        k
        for k in (
            "roas",
            "ad_a",
            "peak",
            "ad_b",
            "sat_a",
            "sat_b",
            "intercept",
            "baseline",
            "sigma",
        )
        if k in grouped
    ]
    rhat = max(float(np.nanmax(split_gelman_rubin(grouped[k]))) for k in sampled)
    ess = min(float(np.nanmin(effective_sample_size(grouped[k]))) for k in sampled)
    if spec.chains == 1:  # split R-hat on one chain still compares its two halves
        rhat = max(rhat, 1.0)
    divergences = int(np.asarray(mcmc.get_extra_fields()["diverging"]).sum())
    flat = {k: v.reshape((-1, *v.shape[2:])) for k, v in grouped.items()}
    draws = {
        "roas": flat["roas"],
        "beta": flat["beta"],
        "ad_a": flat["ad_a"],
        "ad_b": flat["ad_b_"],
        "sat_a": flat["sat_a"],
        "sat_b": flat["sat_b_"],
        "baseline": flat["baseline"],
        "intercept": flat["intercept"],
        "sigma": flat["sigma"],
    }
    assert set(draws) == set(DRAW_KEYS)
    n_train = int(design.train.sum())
    recent = data.spend[max(0, n_train - RECENT_WEEKS) : n_train].mean(axis=0)
    return FittedModel(
        channels=spec.channels,
        kpi=spec.kpi,
        adstock=spec.adstock,
        saturation=spec.saturation,
        max_lag=spec.max_lag,
        y_scale=design.y_scale,
        spend_scale=design.spend_scale,
        draws={k: np.asarray(v, dtype=np.float64) for k, v in draws.items()},
        diagnostics=verdict(rhat, ess, divergences, spec.draws * spec.chains),
        seed=spec.seed,
        recent_weekly_spend=np.asarray(recent, dtype=np.float64),
    )
