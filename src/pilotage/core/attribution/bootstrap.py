"""Bootstrap intervals over journeys: how much each channel's credit moves with the sample.

Each draw resamples the journeys: the cells (distinct path x converted or not) are drawn
multinomially, with the total number of journeys rounded to a whole number and the draw
scaled back to the exact total (counts may be fractional). A path's value follows its
conversions at its observed value per conversion. The model is run again on every draw.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pilotage.core.attribution.credits import Credits
from pilotage.core.attribution.options import ModelOptions
from pilotage.core.attribution.paths import FloatArray, PathCounts
from pilotage.core.attribution.registry import ModelFunction

#: Interval level: the central 95% of the draws.
LEVEL = 0.95


@dataclass(frozen=True, eq=False)
class Intervals:
    """(n_channels,) bounds of the conversions credit, and pairs of channels whose difference
    in conversions credit has a 95% interval containing zero (cannot be told apart)."""

    low: FloatArray
    high: FloatArray
    indistinguishable: tuple[tuple[str, str], ...]


def bootstrap(
    paths: PathCounts,
    compute: ModelFunction,
    options: ModelOptions,
    point: Credits,
    draws: int,
    rng: np.random.Generator,
) -> Intervals:
    converted, failed = paths.conversions, paths.nulls
    cells = np.concatenate([converted, failed])
    total = float(cells.sum())
    n_draw = max(1, round(total))
    per_conversion = np.divide(
        paths.value, converted, out=np.zeros(paths.n_paths), where=converted > 0
    )
    samples = np.empty((draws, len(paths.channels)))
    counts = (rng.multinomial(n_draw, cells / total, size=draws) * (total / n_draw)).astype(
        np.float64
    )
    for i in range(draws):
        conversions: FloatArray = counts[i, : paths.n_paths]
        nulls: FloatArray = counts[i, paths.n_paths :]
        drawn = paths.with_counts(conversions, conversions * per_conversion, nulls)
        samples[i] = compute(drawn, options).conversions
    tail = (1 - LEVEL) / 2
    low, high = np.quantile(samples, [tail, 1 - tail], axis=0)
    return Intervals(low, high, _indistinguishable(paths.channels, point, samples, tail))


def _indistinguishable(
    channels: tuple[str, ...], point: Credits, samples: FloatArray, tail: float
) -> tuple[tuple[str, str], ...]:
    """Pairs (higher point credit first) of credited channels that the draws do not order."""
    ranked = [int(i) for i in np.argsort(-point.conversions, kind="stable")]
    ranked = [i for i in ranked if point.conversions[i] > 0]
    pairs = []
    for a_pos, a in enumerate(ranked):
        for b in ranked[a_pos + 1 :]:
            low, high = np.quantile(samples[:, a] - samples[:, b], [tail, 1 - tail])
            if low <= 0 <= high:
                pairs.append((channels[a], channels[b]))
    return tuple(pairs)
