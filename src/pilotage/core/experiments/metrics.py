"""Per-variant estimates of a metric from its sufficient statistics, with CUPED.

An :class:`Estimate` is the metric's value in one variant and the sampling variance of that
value; every test compares two of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from pilotage.core.experiments.options import MetricKind
from pilotage.core.experiments.statistics import JointMoments, Moments, VariantSums
from pilotage.errors import UsageError

#: What each metric is, for the readout and the result's definition.
DEFINITIONS: dict[MetricKind, str] = {
    "conversion": "conversion rate = units that converted / units exposed",
    "mean": "value per unit = sum of value / units exposed (e.g. revenue per visitor)",
    "ratio": "value per conversion = sum of value / conversions (delta method)",
    "count": "conversions per unit = conversions / units exposed",
}


@dataclass(frozen=True)
class Estimate:
    """``mean``: the metric in one variant; ``variance``: sampling variance of ``mean``;
    ``n``: units (degrees of freedom for Welch)."""

    mean: float
    variance: float
    n: float


def outcome(sums: VariantSums, kind: MetricKind) -> Moments:
    """The per-unit outcome of a conversion, mean or count metric."""
    if kind == "mean":
        return Moments(sums.units, sums.value, sums.value_sq)
    if kind == "count":
        return Moments(sums.units, sums.conv, sums.count_sq)
    return Moments(sums.units, sums.conv, sums.conv_sq)


def ratio_moments(sums: VariantSums) -> JointMoments:
    """Value (y) and conversions (x) per unit, for the value-per-conversion ratio."""
    return JointMoments(
        sums.units, sums.value, sums.value_sq, sums.conv, sums.conv_sq, sums.conv_value
    )


def estimate(sums: VariantSums, kind: MetricKind) -> Estimate:
    """The metric in one variant. A conversion rate uses the binomial variance p(1 - p)/n
    (the textbook two-proportion test); mean and count use the sample variance; a ratio uses
    the delta method, var(Y/X) ~ (s_y^2 - 2 R s_xy + R^2 s_x^2) / (n mean_x^2)."""
    n = sums.units
    if n <= 0:
        raise UsageError(
            f"variant {sums.variant!r} has no units",
            fix="every variant needs at least one exposed unit",
        )
    if kind == "ratio":
        joint = ratio_moments(sums)
        if joint.x <= 0:
            raise UsageError(
                f"variant {sums.variant!r} has no conversions: value per conversion is undefined",
                fix="use --metric mean (value per unit) or wait for conversions",
            )
        r = joint.y / joint.x
        mean_x = joint.x / n
        spread = (
            joint.y_moments.variance - 2 * r * joint.covariance + r**2 * joint.x_moments.variance
        )
        return Estimate(r, max(spread, 0.0) / (n * mean_x**2), n)
    moments = outcome(sums, kind)
    if kind == "conversion":
        p = moments.mean
        return Estimate(p, p * (1 - p) / n, n)
    return Estimate(moments.mean, moments.variance / n, n)


def covariate_moments(sums: VariantSums, kind: MetricKind, fill: float) -> JointMoments:
    """Outcome (y) and pre-period value (x) of every unit; units without a pre-period value
    get ``fill`` (the same constant in every variant, so the adjustment stays unbiased)."""
    y = outcome(sums, kind)
    present_y = sums.value_with_pre if kind == "mean" else sums.conv_with_pre
    present_xy = sums.pre_value if kind == "mean" else sums.pre_conv
    missing = sums.pre_missing
    return JointMoments(
        n=sums.units,
        y=y.total,
        y_sq=y.total_sq,
        x=sums.pre + missing * fill,
        x_sq=sums.pre_sq + missing * fill**2,
        xy=present_xy + fill * (y.total - present_y),
    )


@dataclass(frozen=True)
class Cuped:
    """CUPED (Deng, Xu, Kohavi & Walker 2013): each variant's mean minus theta times its
    covariate's deviation from the pooled covariate mean. ``theta`` = cov(y, x) / var(x)
    pooled over all units; ``reduction``: share of the variance removed (pooled)."""

    theta: float
    covariate_mean: float
    fill: float
    reduction: float
    estimates: tuple[Estimate, ...]
    covariates: tuple[Estimate, ...]


def cuped(variants: list[VariantSums], kind: MetricKind) -> Cuped | None:
    """Adjusted estimates, or None when CUPED cannot apply (ratio metric, no covariate,
    a constant covariate)."""
    if kind == "ratio":
        return None
    observed = sum(v.pre_units for v in variants)
    if observed < 2:
        return None
    fill = sum(v.pre for v in variants) / observed
    joints = [covariate_moments(v, kind, fill) for v in variants]
    pooled = joints[0]
    for j in joints[1:]:
        pooled = pooled + j
    var_x = pooled.x_moments.variance
    if var_x <= 0:
        return None
    theta = pooled.covariance / var_x
    x_bar = pooled.x_moments.mean
    var_y = pooled.y_moments.variance
    reduction = (theta * pooled.covariance) / var_y if var_y > 0 else 0.0
    adjusted, covariates = [], []
    for v, j in zip(variants, joints, strict=True):
        spread = j.y_moments.variance - 2 * theta * j.covariance + theta**2 * j.x_moments.variance
        adjusted.append(
            Estimate(
                j.y_moments.mean - theta * (j.x_moments.mean - x_bar), max(spread, 0.0) / j.n, j.n
            )
        )
        seen = Moments(v.pre_units, v.pre, v.pre_sq)
        covariates.append(Estimate(seen.mean, seen.variance / max(seen.n, 1.0), seen.n))
    return Cuped(theta, x_bar, fill, reduction, tuple(adjusted), tuple(covariates))
