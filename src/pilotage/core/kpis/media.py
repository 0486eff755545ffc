"""Funnel conversion between neighbouring stages, from the stages' counts."""

from __future__ import annotations

import itertools

from pilotage.core.metrics.registry import safe_ratio


def stage_conversions(counts: list[int]) -> list[float | None]:
    """Conversion from each funnel stage to the next (zero before: null)."""
    return [safe_ratio(after, before) for before, after in itertools.pairwise(counts)]
