"""One experiment, one or more metrics: every variant against the control, read by the
chosen method, corrected for multiple comparisons, checked for a sample-ratio mismatch and
(with a covariate) adjusted by CUPED. Pure: sufficient statistics in, results out."""

from __future__ import annotations

from dataclasses import dataclass, replace

from pilotage.core.experiments.bayesian import bayes
from pilotage.core.experiments.corrections import adjust
from pilotage.core.experiments.decision import Decision, Verdict, decide, verdict
from pilotage.core.experiments.effects import absolute, effect, relative
from pilotage.core.experiments.frequentist import LiftTest, WelchTTest, ZTest
from pilotage.core.experiments.metrics import Cuped, Estimate, cuped, estimate
from pilotage.core.experiments.options import (
    IMBALANCE_THRESHOLD,
    SRM_THRESHOLD,
    AnalysisSettings,
    MetricKind,
)
from pilotage.core.experiments.sequential import sequence
from pilotage.core.experiments.srm import SampleRatio, sample_ratio
from pilotage.core.experiments.statistics import VariantSums
from pilotage.errors import UsageError


@dataclass(frozen=True)
class Comparison:
    """One variant against the control. ``low``/``high``: the interval of the method on the
    settings' scale; ``p_value``: the frequentist (or always-valid) p-value; ``adjusted_p``:
    after the multiple-testing correction; ``chance_to_win``/``risk``/``risk_control``: the
    Bayesian reading (in the lift's units)."""

    variant: str
    estimate: Estimate
    lift_abs: float
    lift_rel: float | None
    low: float | None
    high: float | None
    p_value: float
    adjusted_p: float
    chance_to_win: float
    risk: float
    risk_control: float
    verdict: Verdict = "inconclusive"


@dataclass(frozen=True)
class Analysis:
    """``imbalance_p``: the smallest p-value of the pre-period covariate between a variant and
    the control (CUPED only): a small one says the randomisation may be broken."""

    kind: MetricKind
    settings: AnalysisSettings
    control: str
    variants: tuple[VariantSums, ...]
    control_estimate: Estimate
    comparisons: tuple[Comparison, ...]
    srm: SampleRatio
    cuped: Cuped | None
    imbalance_p: float | None
    decision: Decision = "inconclusive"

    @property
    def srm_broken(self) -> bool:
        return self.srm.p_value < SRM_THRESHOLD

    @property
    def imbalanced(self) -> bool:
        return self.imbalance_p is not None and self.imbalance_p < IMBALANCE_THRESHOLD

    @property
    def winner(self) -> Comparison | None:
        """The winning variant with the largest lift, if any."""
        wins = [c for c in self.comparisons if c.verdict == "winner"]
        return max(wins, key=lambda c: c.lift_abs) if wins else None


def order_variants(variants: list[VariantSums], control: str | None) -> list[VariantSums]:
    """The control first, then the others in their order; checks there are two or more."""
    names = [v.variant for v in variants]
    if len(variants) < 2:
        raise UsageError(
            f"the experiment has one variant only ({', '.join(names) or 'none'})",
            fix="an A/B test compares two variants or more: check the variant column",
        )
    chosen = control if control is not None else names[0]
    if chosen not in names:
        raise UsageError(
            f"control {chosen!r} not found among the variants",
            fix=f"use --control with one of: {', '.join(names)}",
        )
    return [v for v in variants if v.variant == chosen] + [
        v for v in variants if v.variant != chosen
    ]


def planned_shares(variants: list[VariantSums]) -> list[float] | None:
    shares = [v.planned_share for v in variants]
    if all(s is None for s in shares):
        return None
    if any(s is None for s in shares):
        missing = [v.variant for v in variants if v.planned_share is None]
        raise UsageError(
            f"planned_share is missing for {', '.join(missing)}",
            fix="give planned_share for every variant, or for none (equal split assumed)",
        )
    return [float(s) for s in shares if s is not None]


def _test(kind: MetricKind) -> LiftTest:
    return WelchTTest() if kind in ("mean", "count") else ZTest()


def compare(
    variants: list[VariantSums],
    kind: MetricKind,
    settings: AnalysisSettings,
    *,
    control: str | None = None,
) -> Analysis:
    """Every variant against the control; p-values not yet corrected (see :func:`family`).
    The split is tested against the variants' ``planned_share`` (equal when none is given)."""
    ordered = order_variants(variants, control)
    split = sample_ratio([v.units for v in ordered], planned_shares(ordered))
    estimates = [estimate(v, kind) for v in ordered]
    adjusted = cuped(ordered, kind) if settings.cuped else None
    imbalance: float | None = None
    if adjusted is not None:
        estimates = list(adjusted.estimates)
        base = adjusted.covariates[0]
        imbalance = min(
            WelchTTest().run(effect(base, cov, "absolute", welch=True), 0.05, "two-sided").p_value
            for cov in adjusted.covariates[1:]
        )
    test = _test(kind)
    base = estimates[0]
    comparisons = []
    for v, est in zip(ordered[1:], estimates[1:], strict=True):
        eff = effect(base, est, settings.difference, welch=isinstance(test, WelchTTest))
        freq = test.run(eff, settings.alpha, settings.alternative)
        post = bayes(eff, settings.prior, settings.alpha, settings.alternative)
        low, high, p = freq.low, freq.high, freq.p_value
        if settings.method == "bayesian":
            low, high = post.low, post.high
        elif settings.method == "sequential":
            seq = sequence(eff, settings.alpha, settings.alternative, settings.tuning)
            low, high, p = seq.low, seq.high, seq.p_value
        comparisons.append(
            Comparison(
                variant=v.variant,
                estimate=est,
                lift_abs=absolute(base, est),
                lift_rel=relative(base, est),
                low=low,
                high=high,
                p_value=p,
                adjusted_p=p,
                chance_to_win=post.chance_to_win,
                risk=post.risk,
                risk_control=post.risk_control,
            )
        )
    return Analysis(
        kind=kind,
        settings=settings,
        control=ordered[0].variant,
        variants=tuple(ordered),
        control_estimate=base,
        comparisons=tuple(comparisons),
        srm=split,
        cuped=adjusted,
        imbalance_p=imbalance,
    )


def family(analyses: list[Analysis]) -> list[Analysis]:
    """Correct the p-values across every comparison of every metric analysed together, then
    apply the one decision rule. The Bayesian method reads its credible interval alone."""
    if not analyses:
        return []
    settings = analyses[0].settings
    raw = [c.p_value for a in analyses for c in a.comparisons]
    corrected = iter(adjust(raw, settings.correction))
    done = []
    for a in analyses:
        comparisons = []
        for c in a.comparisons:
            p = next(corrected)
            gate = None if settings.method == "bayesian" else p
            comparisons.append(
                replace(c, adjusted_p=p, verdict=verdict(c.low, c.high, gate, settings.alpha))
            )
        decision = decide([c.verdict for c in comparisons], a.srm.p_value < SRM_THRESHOLD)
        done.append(replace(a, comparisons=tuple(comparisons), decision=decision))
    return done


def analyze(
    variants: list[VariantSums],
    kinds: list[MetricKind],
    settings: AnalysisSettings,
    *,
    control: str | None = None,
) -> list[Analysis]:
    """Each metric of ``kinds`` on the same variants, corrected together."""
    return family([compare(variants, k, settings, control=control) for k in kinds])
