"""Run one model on path counts: attributable split, credits, warnings, intervals."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pilotage.core.attribution.bootstrap import Intervals, bootstrap
from pilotage.core.attribution.credits import Credits
from pilotage.core.attribution.options import ModelOptions
from pilotage.core.attribution.paths import PathCounts
from pilotage.core.attribution.registry import Model, weights_of
from pilotage.core.attribution.rules import missing_milestones
from pilotage.errors import UsageError

#: Below this many attributable conversions, credits move a lot from sample to sample.
FEW_CONVERSIONS = 30
#: Below this many bootstrap draws, 95% bounds rest on a handful of extreme draws.
FEW_DRAWS = 100


@dataclass(frozen=True, eq=False)
class Attribution:
    """One model's answer. ``credits`` covers the attributable paths (at least one touch
    other than direct); ``unattributed_*`` are the conversions and value of the others.
    ``intervals`` is None when no bootstrap was asked."""

    model: Model
    credits: Credits
    total_conversions: float
    total_value: float
    unattributed_conversions: float
    unattributed_value: float
    warnings: tuple[str, ...]
    intervals: Intervals | None


def attribute(
    paths: PathCounts,
    chosen: Model,
    options: ModelOptions,
    *,
    draws: int = 0,
    seed: int | None = None,
) -> Attribution:
    """``chosen`` on ``paths``; ``draws`` > 0 adds bootstrap intervals (seedable)."""
    weights = weights_of(chosen, options)
    if weights is not None and weights.uses_milestones and not paths.has_stages:
        raise UsageError(
            f"{chosen.name} needs to know which touch created the lead (and the opportunity, "
            "the won deal), and no touch of these paths is tagged",
            fix="tag touches in the path, e.g. paid_search>email[lead]>webinar[opp]>demo[won]",
        )
    kept, lost_conversions, lost_value = paths.split_attributable(options.direct)
    warnings = []
    if kept.n_paths:
        credits = chosen.compute(kept, options)
    else:
        zeros = np.zeros(len(paths.channels))
        credits = Credits(paths.channels, zeros, zeros.copy())
    total = float(kept.conversions.sum())
    if total < FEW_CONVERSIONS:
        warnings.append(
            f"only {total:g} attributable conversions: credits are unstable "
            "(ask --bootstrap to see by how much)"
        )
    if weights is not None:
        for tag, conversions in missing_milestones(kept, weights).items():
            warnings.append(
                f"{conversions:g} conversions are on paths with no touch tagged [{tag}]: "
                "its weight went to the other roles of those paths"
            )
    if chosen.data_driven:
        warnings += _uncredited(kept, credits)
    intervals = None
    if draws > 0 and kept.n_paths:
        if draws < FEW_DRAWS:
            warnings.append(f"{draws} bootstrap draws give rough intervals; use {FEW_DRAWS}+")
        rng = np.random.default_rng(seed)
        intervals = bootstrap(kept, chosen.compute, options, credits, draws, rng)
    return Attribution(
        model=chosen,
        credits=credits,
        total_conversions=total,
        total_value=float(kept.value.sum()),
        unattributed_conversions=lost_conversions,
        unattributed_value=lost_value,
        warnings=tuple(warnings),
        intervals=intervals,
    )


def _uncredited(paths: PathCounts, credits: Credits) -> list[str]:
    """A channel seen on converting journeys but given nothing is said, never a silent 0."""
    converting = paths.conversions[paths.path_of_touch] > 0
    seen = np.bincount(paths.touches[converting], minlength=len(paths.channels))
    return [
        f"{name} is on converting journeys but this model gives it no credit"
        for name, on, got in zip(paths.channels, seen, credits.conversions, strict=True)
        if on > 0 and got <= 0
    ]
