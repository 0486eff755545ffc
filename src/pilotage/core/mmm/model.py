"""Sample the mix model's posterior with NUTS and turn the draws into a FittedModel.

Importing this module sets JAX to the CPU, 64-bit floats and several host devices (before
JAX starts), so the chains run in parallel, one per device; nothing else in Pilotage imports
JAX, so the package stays free of that side effect until a model is fitted.

Speed (``benchmarks/mmm.py``): the sampler sees only the media parameters (the baseline's
coefficients are integrated out), its log density is one jitted function (no model tracing),
and the chains run side by side; the same data and seed give the same draws.
"""

from __future__ import annotations

import numpyro

HOST_DEVICES = 8  # at most this many chains run in parallel; more run one after another
numpyro.set_host_device_count(HOST_DEVICES)
numpyro.set_platform("cpu")
numpyro.enable_x64()

from typing import Any  # noqa: E402

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
from numpyro.diagnostics import effective_sample_size, split_gelman_rubin  # noqa: E402
from numpyro.infer import MCMC, NUTS  # noqa: E402

from pilotage.core.mmm.density import channel_params, media_and_beta, potential  # noqa: E402
from pilotage.core.mmm.design import Design, WeeklyData, build_design  # noqa: E402
from pilotage.core.mmm.diagnostics import verdict  # noqa: E402
from pilotage.core.mmm.linear import baseline_draws  # noqa: E402
from pilotage.core.mmm.parameters import constrain, prior_median  # noqa: E402
from pilotage.core.mmm.posterior import DRAW_KEYS, Diagnostics, FittedModel  # noqa: E402
from pilotage.core.mmm.spec import ModelSpec  # noqa: E402
from pilotage.core.mmm.transforms import F64  # noqa: E402

RECENT_WEEKS = 13  # the optimizer's "current allocation": mean weekly spend of the last quarter
INIT_JITTER = 0.5  # chains start this far apart (unconstrained units) around prior medians


def _initial(design: Design, spec: ModelSpec, rng: np.random.Generator) -> dict[str, Any]:
    """(chains, ...) starting points: prior medians, spread so chains start apart."""
    c, k = len(spec.channels), spec.chains
    ad_p, sat_p = channel_params(spec)

    def jitter(shape: tuple[int, ...]) -> F64:
        return rng.uniform(-INIT_JITTER, INIT_JITTER, shape)

    init: dict[str, F64] = {
        "log_roas": design.roas_mu[None, :] + jitter((k, c)) * design.roas_sigma[None, :],
        "log_sigma": np.log(0.1) + jitter((k,)),
    }
    for p in (*ad_p, *sat_p):
        init[p.name] = prior_median(p) + jitter((k, c))
    if k == 1:
        init = {name: v[0] for name, v in init.items()}
    return {name: jnp.asarray(v) for name, v in init.items()}


def _sample(design: Design, spec: ModelSpec) -> tuple[dict[str, F64], int]:
    """Unconstrained draws grouped by chain (chains, draws, ...) and the divergence count."""
    parallel = spec.chains <= jax.local_device_count()
    mcmc = MCMC(
        NUTS(
            potential_fn=potential(design, spec),
            target_accept_prob=spec.target_accept,
            max_tree_depth=spec.max_tree_depth,
            dense_mass=True,
        ),
        num_warmup=spec.warmup,
        num_samples=spec.draws,
        num_chains=spec.chains,
        chain_method="parallel" if parallel else "sequential",
        progress_bar=False,
    )
    rng = np.random.default_rng(spec.seed)
    mcmc.run(
        jax.random.PRNGKey(spec.seed),
        init_params=_initial(design, spec, rng),
        extra_fields=("diverging",),
    )
    grouped = {k: np.asarray(v, dtype=np.float64) for k, v in mcmc.get_samples(True).items()}
    divergences = int(np.asarray(mcmc.get_extra_fields()["diverging"]).sum())
    return grouped, divergences


def _constrained(spec: ModelSpec, grouped: dict[str, F64]) -> dict[str, F64]:
    """Draws on their natural scale, still grouped by chain, for the diagnostics."""
    ad_p, sat_p = channel_params(spec)
    out = {"roas": np.exp(grouped["log_roas"]), "sigma": np.exp(grouped["log_sigma"])}
    for p in (*ad_p, *sat_p):
        out[p.name] = np.asarray(constrain(p, grouped[p.name], np), dtype=np.float64)
    return out


def _convergence(spec: ModelSpec, natural: dict[str, F64], divergences: int) -> Diagnostics:
    rhat = max(float(np.nanmax(split_gelman_rubin(v))) for v in natural.values())
    if spec.chains == 1:  # split R-hat on one chain only compares its two halves
        rhat = max(rhat, 1.0)
    ess = min(float(np.nanmin(effective_sample_size(v))) for v in natural.values())
    return verdict(rhat, ess, divergences, spec.draws * spec.chains)


def fit(data: WeeklyData, spec: ModelSpec, train_weeks: int | None = None) -> FittedModel:
    """Sample the posterior with NUTS; ``train_weeks`` keeps later weeks out of the fit."""
    design = build_design(data, spec, train_weeks)
    grouped, divergences = _sample(design, spec)
    natural = _constrained(spec, grouped)
    flat_u = {k: v.reshape((-1, *v.shape[2:])) for k, v in grouped.items()}
    flat = {k: v.reshape((-1, *v.shape[2:])) for k, v in natural.items()}
    sat, beta = _media(design, spec, flat_u)
    media = np.einsum("snc,sc->sn", sat, beta)
    rng = np.random.default_rng([spec.seed, 1])
    coefficients = baseline_draws(design, media, flat["sigma"], rng)
    ad_p, sat_p = channel_params(spec)
    s, c = beta.shape
    draws = {
        "roas": flat["roas"],
        "beta": beta,
        "ad_a": flat[ad_p[0].name],
        "ad_b": flat[ad_p[1].name] if len(ad_p) > 1 else np.zeros((s, c)),
        "sat_a": flat[sat_p[0].name],
        "sat_b": flat[sat_p[1].name] if len(sat_p) > 1 else np.ones((s, c)),
        "baseline": coefficients[:, 1:],
        "intercept": coefficients[:, 0],
        "sigma": flat["sigma"],
    }
    assert set(draws) == set(DRAW_KEYS)
    n_fit = int(design.train.sum())
    recent = data.spend[max(0, n_fit - RECENT_WEEKS) : n_fit].mean(axis=0)
    return FittedModel(
        channels=spec.channels,
        kpi=spec.kpi,
        adstock=spec.adstock,
        saturation=spec.saturation,
        max_lag=spec.max_lag,
        y_scale=design.y_scale,
        spend_scale=design.spend_scale,
        draws={k: np.asarray(v, dtype=np.float64) for k, v in draws.items()},
        diagnostics=_convergence(spec, natural, divergences),
        seed=spec.seed,
        recent_weekly_spend=np.asarray(recent, dtype=np.float64),
    )


def _media(design: Design, spec: ModelSpec, flat_u: dict[str, F64]) -> tuple[F64, F64]:
    """(S, n, c) saturation and (S, c) beta per draw, with the sampler's own formulas."""
    batched = jax.jit(jax.vmap(lambda z: media_and_beta(design, spec, z)[:2]))
    sat, beta = batched({k: jnp.asarray(v) for k, v in flat_u.items()})
    return np.asarray(sat, dtype=np.float64), np.asarray(beta, dtype=np.float64)
