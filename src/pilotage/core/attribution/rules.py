"""Rule-based models: fixed shares of each path's credit by the position or age of a touch.

Every model computes, for every touch of every distinct path at once, the fraction of its
path's conversions and value that the touch receives; fractions sum to 1 within a path.
"""

from __future__ import annotations

import numpy as np

from pilotage.core.attribution.credits import Credits, from_path_touch, from_touch_fractions
from pilotage.core.attribution.options import ModelOptions, PositionWeights
from pilotage.core.attribution.paths import LEAD, OPPORTUNITY, WON, FloatArray, PathCounts
from pilotage.errors import UsageError


def first_touch(paths: PathCounts, options: ModelOptions) -> Credits:
    """All the credit to the first touch."""
    return from_path_touch(paths, paths.offsets[:-1])


def last_touch(paths: PathCounts, options: ModelOptions) -> Credits:
    """All the credit to the last touch."""
    return from_path_touch(paths, paths.offsets[1:] - 1)


def last_non_direct(paths: PathCounts, options: ModelOptions) -> Credits:
    """All the credit to the last touch that is not direct (paths are never direct-only)."""
    position = np.arange(len(paths.touches), dtype=np.int64)
    if options.direct in paths.channels:
        position[paths.touches == paths.channels.index(options.direct)] = -1
    # The latest non-direct position of each path: a running maximum reset at path starts
    # is the same as the maximum over the path, taken with reduceat over the CSR slices.
    last = np.maximum.reduceat(position, paths.offsets[:-1]) if len(position) else position
    if np.any(last < paths.offsets[:-1]):
        raise UsageError(
            "last_non_direct was given a direct-only path",
            fix="split off unattributable paths first (PathCounts.split_attributable)",
        )
    return from_path_touch(paths, last)


def linear(paths: PathCounts, options: ModelOptions) -> Credits:
    """Equal credit to every touch."""
    return from_touch_fractions(paths, 1.0 / paths.lengths[paths.path_of_touch])


def time_decay(paths: PathCounts, options: ModelOptions) -> Credits:
    """Credit in proportion to 2^(-days before conversion / half-life), normalised per path."""
    if paths.ages is None:
        raise UsageError(
            "time_decay needs the days between each touch and the conversion, and these paths "
            "have none",
            fix="add a touch_ages column to the path file (e.g. 12>3>0, one number per touch), "
            "or use workspace journeys, which carry timestamps",
        )
    # Ages are shifted per path so that the most recent touch weighs 1: same fractions,
    # and no underflow for old touches.
    youngest = np.minimum.reduceat(paths.ages, paths.offsets[:-1])
    weight = np.exp2(-(paths.ages - youngest[paths.path_of_touch]) / options.half_life_days)
    return from_touch_fractions(paths, _normalised(paths, weight))


def by_position(paths: PathCounts, weights: PositionWeights) -> Credits:
    """Position and milestone models (position, U, W, full path, custom weights)."""
    return from_touch_fractions(paths, position_fractions(paths, weights))


def position_fractions(paths: PathCounts, weights: PositionWeights) -> FloatArray:
    """(n_touches,) fraction of its path's credit each touch receives under ``weights``."""
    path = paths.path_of_touch
    position = paths.position
    lengths = paths.lengths
    role = np.zeros(len(paths.touches))
    role += weights.first * (position == 0)
    role += weights.last * (position == lengths[path] - 1)
    total = np.full(paths.n_paths, weights.first + weights.last)
    for bit, weight in ((LEAD, weights.lead), (OPPORTUNITY, weights.opp), (WON, weights.won)):
        if weight > 0:
            tagged = (paths.stages & bit) > 0
            role += weight * tagged
            total += weight * (np.bincount(path, tagged, paths.n_paths) > 0)
    rest = role == 0
    n_rest = np.bincount(path, rest, paths.n_paths)
    total += weights.rest * (n_rest > 0)
    share = np.where(rest, weights.rest / np.maximum(n_rest, 1)[path], role)
    fractions: FloatArray = share / total[path]
    return fractions


def missing_milestones(paths: PathCounts, weights: PositionWeights) -> dict[str, float]:
    """Conversions on paths with no touch tagged for a weighted milestone, by tag."""
    path = paths.path_of_touch
    gaps: dict[str, float] = {}
    for tag, bit, weight in (
        ("lead", LEAD, weights.lead),
        ("opp", OPPORTUNITY, weights.opp),
        ("won", WON, weights.won),
    ):
        if weight > 0:
            tagged = np.bincount(path, (paths.stages & bit) > 0, paths.n_paths) > 0
            missing = float(paths.conversions[~tagged].sum())
            if missing > 0:
                gaps[tag] = missing
    return gaps


def _normalised(paths: PathCounts, weight: FloatArray) -> FloatArray:
    per_path = np.add.reduceat(weight, paths.offsets[:-1])
    fractions: FloatArray = weight / per_path[paths.path_of_touch]
    return fractions
