"""Sufficient statistics built from literal unit outcomes, shared by the core tests."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pytest

from pilotage.core.experiments.statistics import VariantSums

Build = Callable[..., VariantSums]


def from_units(
    variant: str,
    converted: Sequence[float],
    value: Sequence[float] | None = None,
    pre: Sequence[float | None] | None = None,
    planned_share: float | None = None,
    order: float = 0.0,
) -> VariantSums:
    """What the engine sums, computed by hand from one value per unit."""
    c = np.asarray(converted, dtype=np.float64)
    v = np.zeros_like(c) if value is None else np.asarray(value, dtype=np.float64)
    if pre is None:
        x = np.full_like(c, np.nan)
    else:
        x = np.array([np.nan if p is None else p for p in pre], dtype=np.float64)
    seen = ~np.isnan(x)
    xs = np.where(seen, x, 0.0)
    return VariantSums(
        variant=variant,
        units=float(len(c)),
        conv=float(c.sum()),
        conv_sq=float((c * c).sum()),
        count_sq=float((c * c).sum()),
        value=float(v.sum()),
        value_sq=float((v * v).sum()),
        conv_value=float((c * v).sum()),
        conv_rows=float(len(c)),
        value_rows=float(len(c)) if value is not None else 0.0,
        value_sq_rows=float(len(c)) if value is not None else 0.0,
        unit_rows=float(len(c)),
        pre_units=float(seen.sum()),
        pre=float(xs.sum()),
        pre_sq=float((xs * xs).sum()),
        pre_conv=float((xs * c).sum()),
        pre_value=float((xs * v).sum()),
        conv_with_pre=float(c[seen].sum()),
        value_with_pre=float(v[seen].sum()),
        planned_share=planned_share,
        order=order,
    )


def aggregate(
    variant: str, units: float, conversions: float, share: float | None = None, order: float = 0
) -> VariantSums:
    """An aggregate row: ``conversions`` converting units out of ``units``."""
    return VariantSums(
        variant=variant,
        units=units,
        conv=conversions,
        conv_sq=conversions,
        count_sq=conversions + conversions**2 / units if units else 0.0,
        conv_rows=1.0,
        planned_share=share,
        order=order,
    )


@pytest.fixture
def units() -> Build:
    return from_units


@pytest.fixture
def agg() -> Callable[..., VariantSums]:
    return aggregate
