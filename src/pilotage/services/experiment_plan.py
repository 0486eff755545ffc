"""Experiment planning use case: units per variant and days for a minimum detectable
effect, or the effect a given traffic can detect, with the warning against peeking.

:class:`ExperimentPlan` is what ``pilotage experiment plan --format json`` prints;
:class:`PlanDetails` adds how it was computed (the API's answer)."""

from __future__ import annotations

import math

from pydantic import BaseModel, ConfigDict

from pilotage.core.experiments.options import Alternative
from pilotage.core.experiments.power import (
    PlanSpec,
    absolute_mde,
    days_for,
    exact_units,
    mde_for,
    power_of,
    units_per_variant,
)
from pilotage.errors import UsageError

FORMULA = (
    "Evan Miller's two-proportion formula: n = (z_{1-a/2} sqrt(2 p1 (1-p1)) + z_{1-b} "
    "sqrt(p1 (1-p1) + p2 (1-p2)))^2 / d^2 per variant; with --sd, n = 2 sd^2 "
    "(z_{1-a/2} + z_{1-b})^2 / d^2"
)
WARNING = {
    "en": "Read the result once, at the planned size: stopping as soon as p < alpha inflates "
    "false wins. To look every day, analyse with --method sequential.",
    "fr": "Lisez le résultat une seule fois, à la taille prévue : s'arrêter dès que p < alpha "
    "multiplie les fausses victoires. Pour regarder chaque jour, analysez avec --method "
    "sequential.",
}


class ExperimentPlan(BaseModel):
    """``days`` is null without daily traffic."""

    model_config = ConfigDict(frozen=True)

    units_per_variant: int
    days: int | None


class PlanDetails(ExperimentPlan):
    """``mde_abs``/``mde_rel``: the effect planned for (or detectable with the given
    traffic); ``power``: the chance to detect it at ``units_per_variant``."""

    baseline: float
    sd: float | None
    mde_abs: float
    mde_rel: float | None
    alpha: float
    power: float
    alternative: Alternative
    variants: int
    total_units: int
    formula: str
    warning_en: str
    warning_fr: str

    def summary(self) -> ExperimentPlan:
        return ExperimentPlan(units_per_variant=self.units_per_variant, days=self.days)


def plan(
    baseline: float,
    *,
    mde: float | None = None,
    relative: bool = False,
    alpha: float = 0.05,
    power: float = 0.8,
    daily_units: float | None = None,
    variants: int = 2,
    sd: float | None = None,
    alternative: Alternative = "two-sided",
    units: int | None = None,
    days: int | None = None,
) -> PlanDetails:
    """With ``mde``: the units and days it needs. Without: the MDE detectable with ``units``
    per variant, or with ``days`` of ``daily_units``."""
    try:
        details = _plan(
            baseline,
            mde,
            relative,
            alpha,
            power,
            daily_units,
            variants,
            sd,
            alternative,
            units,
            days,
        )
    except (OverflowError, ValueError) as exc:
        raise _out_of_range(str(exc)) from exc
    numbers = [v for v in details.model_dump().values() if isinstance(v, float)]
    if not all(math.isfinite(v) for v in numbers):
        raise _out_of_range("a result is infinite")
    return details


def _out_of_range(reason: str) -> UsageError:
    return UsageError(
        f"the plan cannot be computed with these numbers ({reason})",
        fix="give a baseline, effect, traffic and duration of realistic size",
    )


def _plan(
    baseline: float,
    mde: float | None,
    relative: bool,
    alpha: float,
    power: float,
    daily_units: float | None,
    variants: int,
    sd: float | None,
    alternative: Alternative,
    units: int | None,
    days: int | None,
) -> PlanDetails:
    spec = PlanSpec(baseline, alpha, power, sd, alternative)
    if variants < 2:
        raise UsageError(f"{variants} variants is not allowed", fix="an experiment has 2 or more")
    if mde is not None:
        delta = absolute_mde(spec, mde, relative)
        n = units_per_variant(spec, mde, relative=relative)
    else:
        if units is None and days is not None and daily_units is not None:
            units = math.floor(days * daily_units / variants)
        if units is None:
            raise UsageError(
                "nothing to plan",
                fix="give --mde (units and days it needs) or --units-per-variant, or --days "
                "with --daily-units (the effect that traffic can detect)",
            )
        delta = mde_for(spec, units)
        n = units
    duration = days_for(n, variants, daily_units) if daily_units is not None else None
    if mde is None and days is not None:
        duration = days
    return PlanDetails(
        units_per_variant=n,
        days=duration,
        baseline=baseline,
        sd=sd,
        mde_abs=delta,
        mde_rel=delta / baseline if baseline else None,
        alpha=alpha,
        power=power_of(spec, delta, n) if mde is not None else power,
        alternative=alternative,
        variants=variants,
        total_units=n * variants,
        formula=FORMULA,
        warning_en=WARNING["en"],
        warning_fr=WARNING["fr"],
    )


__all__ = ["ExperimentPlan", "PlanDetails", "exact_units", "plan"]
