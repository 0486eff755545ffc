"""Delivery ratios of media spend, recomputed from summed parts (zero denominator: null)."""

from __future__ import annotations

import itertools

from pilotage.core.metrics.registry import safe_ratio


def media_ratios(cost: float, impressions: float, clicks: float) -> dict[str, float | None]:
    """CTR, CPC and CPM of one row or total."""
    return {
        "ctr": safe_ratio(clicks, impressions),
        "cpc": safe_ratio(cost, clicks),
        "cpm": safe_ratio(cost * 1000, impressions),
    }


def stage_conversions(counts: list[int]) -> list[float | None]:
    """Conversion from each funnel stage to the next, from the stages' counts."""
    return [safe_ratio(after, before) for before, after in itertools.pairwise(counts)]
