"""Sufficient statistics: frozen, mergeable with ``+`` (pooling segments, files or days
equals computing on the union of their units), with derived means and variances.

Sums are floats: aggregate rows may hold fractional units after weighting, and float sums
of integers are exact well past any experiment's size (2^53).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from pilotage.errors import UsageError


@dataclass(frozen=True)
class Moments:
    """One variable over ``n`` units: its sum and sum of squares."""

    n: float
    total: float
    total_sq: float

    def __add__(self, other: Moments) -> Moments:
        return Moments(self.n + other.n, self.total + other.total, self.total_sq + other.total_sq)

    @property
    def mean(self) -> float:
        return self.total / self.n if self.n > 0 else 0.0

    @property
    def variance(self) -> float:
        """Sample variance per unit (n - 1 denominator; 0 below two units)."""
        if self.n < 2:
            return 0.0
        return max(0.0, (self.total_sq - self.total**2 / self.n) / (self.n - 1))


@dataclass(frozen=True)
class JointMoments:
    """Two variables ``y`` and ``x`` observed on the same ``n`` units: a ratio metric
    (y value, x conversions) or an outcome with its pre-period covariate (CUPED)."""

    n: float
    y: float
    y_sq: float
    x: float
    x_sq: float
    xy: float

    def __add__(self, other: JointMoments) -> JointMoments:
        return JointMoments(
            *(getattr(self, f.name) + getattr(other, f.name) for f in fields(JointMoments))
        )

    @property
    def y_moments(self) -> Moments:
        return Moments(self.n, self.y, self.y_sq)

    @property
    def x_moments(self) -> Moments:
        return Moments(self.n, self.x, self.x_sq)

    @property
    def covariance(self) -> float:
        """Sample covariance of y and x per unit (n - 1 denominator)."""
        if self.n < 2:
            return 0.0
        return (self.xy - self.x * self.y / self.n) / (self.n - 1)


@dataclass(frozen=True)
class VariantSums:
    """Everything the engine sums for one variant, in one pass over unit rows and
    aggregate rows alike (see :mod:`pilotage.core.experiments.aggregate`).

    ``conv``/``conv_sq``: conversions and their squares (aggregate rows count each
    conversion as one converting unit); ``count_sq``: squares for a count metric (aggregate
    rows assume Poisson counts: var = mean). ``value``/``value_sq``/``conv_value``: the value
    and its cross-product with conversions (aggregate rows: value only on converting units).
    ``*_rows``: how many rows gave the column (0: the metric is unavailable). ``pre_*``:
    the pre-period covariate over the unit rows that have it, with the outcome sums of those
    same rows. ``order``: first line of the variant in its file (for the default control).
    """

    variant: str
    units: float
    conv: float = 0.0
    conv_sq: float = 0.0
    count_sq: float = 0.0
    value: float = 0.0
    value_sq: float = 0.0
    conv_value: float = 0.0
    conv_rows: float = 0.0
    value_rows: float = 0.0
    value_sq_rows: float = 0.0
    unit_rows: float = 0.0
    pre_units: float = 0.0
    pre: float = 0.0
    pre_sq: float = 0.0
    pre_conv: float = 0.0
    pre_value: float = 0.0
    conv_with_pre: float = 0.0
    value_with_pre: float = 0.0
    planned_share: float | None = None
    order: float = 0.0

    def __post_init__(self) -> None:
        if self.units < 0:
            raise UsageError(
                f"variant {self.variant!r} has {self.units:g} units",
                fix="units are counts of randomised units: 0 or more",
            )

    def __add__(self, other: VariantSums) -> VariantSums:
        if other.variant != self.variant:
            raise UsageError(
                f"cannot pool variant {self.variant!r} with {other.variant!r}",
                fix="merge the statistics of one variant at a time",
            )
        summed = {
            f.name: getattr(self, f.name) + getattr(other, f.name)
            for f in fields(VariantSums)
            if f.name not in ("variant", "planned_share", "order")
        }
        share = self.planned_share if self.planned_share is not None else other.planned_share
        return VariantSums(
            variant=self.variant,
            planned_share=share,
            order=min(self.order, other.order),
            **summed,
        )

    @property
    def pre_missing(self) -> float:
        """Units without a pre-period value (aggregate rows never have one)."""
        return self.units - self.pre_units


def pool(sums: list[VariantSums]) -> list[VariantSums]:
    """Merge rows of the same variant (e.g. one per file or per day), in first-seen order."""
    merged: dict[str, VariantSums] = {}
    for s in sums:
        merged[s.variant] = merged[s.variant] + s if s.variant in merged else s
    return sorted(merged.values(), key=lambda s: s.order)
