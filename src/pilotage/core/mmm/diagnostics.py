"""Convergence verdict: a fit whose chains disagree, mix poorly or diverge is never "good".

Thresholds: the worst split R-hat over every sampled parameter up to 1.05 and at least 100
effective draws (the smallest ESS over parameters) are good; R-hat above 1.1 (Gelman et al.,
BDA3), fewer than 50 effective draws or more than 1 % divergent transitions make the results
unreliable (still shown, flagged, never as good); in between is "caution". Vehtari et al.
(2021) ask for R-hat below 1.01 before publishing: run more draws for that.
"""

from __future__ import annotations

from pilotage.core.mmm.posterior import Diagnostics

RHAT_GOOD = 1.05
RHAT_BAD = 1.1
ESS_GOOD = 100.0
ESS_BAD = 50.0
DIVERGENT_BAD_SHARE = 0.01


def verdict(rhat_max: float, ess_min: float, divergences: int, n_draws: int) -> Diagnostics:
    """Classify the sampler's run; the warnings say what went wrong in plain words."""
    warnings: list[str] = []
    bad = False
    if rhat_max != rhat_max or rhat_max > RHAT_BAD:  # NaN counts as bad
        bad = True
        warnings.append(
            f"chains disagree (R-hat {rhat_max:.3f} > {RHAT_BAD}): results are not reliable; "
            "run more warmup and draws or simplify the model"
        )
    elif rhat_max > RHAT_GOOD:
        warnings.append(f"R-hat {rhat_max:.3f} is above {RHAT_GOOD}: run longer chains")
    if ess_min != ess_min or ess_min < ESS_BAD:
        bad = True
        warnings.append(
            f"too few effective draws ({ess_min:.0f} < {ESS_BAD:.0f}): intervals are not "
            "trustworthy; run more draws"
        )
    elif ess_min < ESS_GOOD:
        warnings.append(f"few effective draws ({ess_min:.0f}): intervals are rough")
    if divergences > DIVERGENT_BAD_SHARE * n_draws:
        bad = True
        warnings.append(
            f"{divergences} divergent transitions: the sampler missed part of the posterior; "
            "results are not reliable"
        )
    elif divergences:
        warnings.append(f"{divergences} divergent transitions: raise target_accept")
    status = "unreliable" if bad else ("caution" if warnings else "good")
    return Diagnostics(rhat_max, ess_min, divergences, status, tuple(warnings))
