"""Path counts: the sufficient statistic every attribution model takes.

A journey is the ordered list of channels a person (or account) touched before converting
or not. Models never need the journeys themselves, only how many journeys followed each
distinct path and how they ended, so the warehouse sends one row per distinct path and the
cost of a model grows with the number of distinct paths, not of journeys.

Paths are stored in a ragged (CSR) layout so that models vectorise over all touches at once:
``touches[offsets[i]:offsets[i + 1]]`` are the channel ids of path ``i``, in order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
ByteArray = npt.NDArray[np.uint8]

#: Milestone tags a touch can carry (bit flags in ``PathCounts.stages``).
LEAD, OPPORTUNITY, WON = 1, 2, 4
STAGE_TAGS: dict[str, int] = {"lead": LEAD, "opp": OPPORTUNITY, "won": WON}

#: The channel that, alone on a path, leaves the conversion unattributed.
DIRECT = "direct"


def sum_by(index: IntArray, weights: npt.ArrayLike, size: int) -> FloatArray:
    """(size,) sums of ``weights`` by ``index`` (a typed ``np.bincount``)."""
    return np.bincount(index, weights, size).astype(np.float64, copy=False)


@dataclass(frozen=True, eq=False)
class PathCounts:
    """Distinct paths with their counts.

    Shapes: ``offsets`` (n_paths + 1,), ``touches`` (n_touches,) channel ids into
    ``channels``; ``conversions``, ``value``, ``nulls`` (n_paths,) floats >= 0 (counts may be
    fractional; value in the conversion currency; nulls are journeys that did not convert).
    ``stages`` (n_touches,) milestone bit flags (LEAD | OPPORTUNITY | WON), all zero when the
    source marks no milestone. ``ages`` (n_touches,) days between the touch and the
    conversion, or None when the source has no timestamps.
    """

    channels: tuple[str, ...]
    offsets: IntArray
    touches: IntArray
    conversions: FloatArray
    value: FloatArray
    nulls: FloatArray
    stages: ByteArray
    ages: FloatArray | None = None

    def __post_init__(self) -> None:
        n, t = len(self.conversions), len(self.touches)
        if len(self.offsets) != n + 1 or self.offsets[0] != 0 or self.offsets[-1] != t:
            raise ValueError("PathCounts: offsets must run from 0 to len(touches), one per path")
        if np.any(np.diff(self.offsets) < 0):
            raise ValueError("PathCounts: offsets must not decrease")
        if len(self.value) != n or len(self.nulls) != n:
            raise ValueError("PathCounts: conversions, value and nulls need one entry per path")
        if len(self.stages) != t or (self.ages is not None and len(self.ages) != t):
            raise ValueError("PathCounts: stages and ages need one entry per touch")
        for name in ("conversions", "value", "nulls"):
            values = getattr(self, name)
            if not np.all(np.isfinite(values)) or np.any(values < 0):
                raise ValueError(f"PathCounts: {name} must be finite and >= 0")
        if np.any((self.value > 0) & (self.conversions == 0)):
            raise ValueError("PathCounts: a path has conversion value but no conversions")
        if t and (self.touches.min() < 0 or self.touches.max() >= len(self.channels)):
            raise ValueError("PathCounts: a touch refers to an unknown channel id")
        if len(set(self.channels)) != len(self.channels):
            raise ValueError("PathCounts: channel names must be distinct")
        if self.ages is not None and (not np.all(np.isfinite(self.ages)) or np.any(self.ages < 0)):
            raise ValueError("PathCounts: ages (days before conversion) must be >= 0")

    @classmethod
    def build(
        cls,
        paths: Sequence[Sequence[str]],
        conversions: Sequence[float],
        value: Sequence[float] | None = None,
        nulls: Sequence[float] | None = None,
        *,
        stages: Sequence[Sequence[int]] | None = None,
        ages: Sequence[Sequence[float]] | None = None,
    ) -> PathCounts:
        """Path counts from literal paths (tests, small inputs); identical paths are merged."""
        names = sorted({c for p in paths for c in p})
        ids = {c: i for i, c in enumerate(names)}
        lengths = np.array([len(p) for p in paths], dtype=np.int64)
        flat_stages = [s for row in stages for s in row] if stages is not None else []
        flat_ages = [a for row in ages for a in row] if ages is not None else []
        n = len(paths)
        return cls(
            channels=tuple(names),
            offsets=np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
            touches=np.array([ids[c] for p in paths for c in p], dtype=np.int64),
            conversions=np.asarray(conversions, dtype=np.float64),
            value=np.zeros(n) if value is None else np.asarray(value, dtype=np.float64),
            nulls=np.zeros(n) if nulls is None else np.asarray(nulls, dtype=np.float64),
            stages=(
                np.asarray(flat_stages, dtype=np.uint8)
                if stages is not None
                else np.zeros(int(lengths.sum()), dtype=np.uint8)
            ),
            ages=np.asarray(flat_ages, dtype=np.float64) if ages is not None else None,
        ).distinct()

    @property
    def n_paths(self) -> int:
        return len(self.conversions)

    @property
    def lengths(self) -> IntArray:
        return np.diff(self.offsets)

    @property
    def path_of_touch(self) -> IntArray:
        """(n_touches,) index of the path each touch belongs to."""
        return np.repeat(np.arange(self.n_paths, dtype=np.int64), self.lengths)

    @property
    def position(self) -> IntArray:
        """(n_touches,) 0-based position of each touch in its path."""
        return np.arange(len(self.touches), dtype=np.int64) - self.offsets[self.path_of_touch]

    @property
    def has_stages(self) -> bool:
        return bool(np.any(self.stages))

    def take(self, rows: IntArray) -> PathCounts:
        """The paths ``rows`` (in that order), channel list unchanged."""
        starts, ends = self.offsets[rows], self.offsets[rows + 1]
        lengths = ends - starts
        index = np.repeat(starts - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
        index = index + np.arange(int(lengths.sum()), dtype=np.int64)
        return PathCounts(
            channels=self.channels,
            offsets=np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
            touches=self.touches[index],
            conversions=self.conversions[rows],
            value=self.value[rows],
            nulls=self.nulls[rows],
            stages=self.stages[index],
            ages=None if self.ages is None else self.ages[index],
        )

    def with_counts(
        self, conversions: FloatArray, value: FloatArray, nulls: FloatArray
    ) -> PathCounts:
        """The same paths with other counts (bootstrap draws, dropped nulls)."""
        return PathCounts(
            self.channels,
            self.offsets,
            self.touches,
            conversions,
            value,
            nulls,
            self.stages,
            self.ages,
        )

    def distinct(self) -> PathCounts:
        """Identical paths (channels, milestone tags and ages alike) merged into one row."""
        keys: dict[bytes, int] = {}
        group = np.empty(self.n_paths, dtype=np.int64)
        for i in range(self.n_paths):
            s, e = self.offsets[i], self.offsets[i + 1]
            key = self.touches[s:e].tobytes() + b"|" + self.stages[s:e].tobytes()
            if self.ages is not None:
                key += b"|" + self.ages[s:e].tobytes()
            group[i] = keys.setdefault(key, len(keys))
        if len(keys) == self.n_paths:
            return self
        first = np.unique(group, return_index=True)[1]
        merged = self.take(first.astype(np.int64))
        size = len(keys)
        return merged.with_counts(
            sum_by(group, self.conversions, size),
            sum_by(group, self.value, size),
            sum_by(group, self.nulls, size),
        )

    def split_attributable(self, direct: str = DIRECT) -> tuple[PathCounts, float, float]:
        """Paths with at least one touch other than ``direct``, and the conversions and value
        of the others (empty or direct-only paths), which no model spreads over channels."""
        other = self.touches != self.channels.index(direct) if direct in self.channels else None
        if other is None:
            useful = self.lengths > 0
        else:
            useful = np.bincount(self.path_of_touch, other, self.n_paths) > 0
        rest = ~useful
        kept = self.take(np.flatnonzero(useful).astype(np.int64))
        return kept, float(self.conversions[rest].sum()), float(self.value[rest].sum())


def merge(parts: Sequence[PathCounts]) -> PathCounts:
    """Path counts of several sources added together (channel ids re-mapped by name)."""
    names = sorted({c for p in parts for c in p.channels})
    ids = {c: i for i, c in enumerate(names)}
    with_ages = all(p.ages is not None for p in parts)
    offsets, touches, start = [np.zeros(1, dtype=np.int64)], [], 0
    for p in parts:
        remap = np.array([ids[c] for c in p.channels], dtype=np.int64)
        touches.append(remap[p.touches] if len(p.channels) else p.touches)
        offsets.append(p.offsets[1:] + start)
        start += len(p.touches)
    return PathCounts(
        channels=tuple(names),
        offsets=np.concatenate(offsets),
        touches=np.concatenate(touches) if touches else np.zeros(0, dtype=np.int64),
        conversions=np.concatenate([p.conversions for p in parts]),
        value=np.concatenate([p.value for p in parts]),
        nulls=np.concatenate([p.nulls for p in parts]),
        stages=np.concatenate([p.stages for p in parts]),
        ages=np.concatenate([p.ages for p in parts if p.ages is not None]) if with_ages else None,
    ).distinct()
