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
from functools import cached_property

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

    # Derived arrays are computed once per PathCounts (its arrays are never modified).
    @cached_property
    def lengths(self) -> IntArray:
        return np.diff(self.offsets)

    @cached_property
    def path_of_touch(self) -> IntArray:
        """(n_touches,) index of the path each touch belongs to."""
        return np.repeat(np.arange(self.n_paths, dtype=np.int64), self.lengths)

    @cached_property
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
        """Identical paths (channels, milestone tags and ages alike) merged into one row, in
        the order of their first appearance."""
        group = self._groups()
        size = int(group.max()) + 1 if self.n_paths else 0
        if size == self.n_paths:
            return self
        first = np.unique(group, return_index=True)[1]
        merged = self.take(first.astype(np.int64))
        return merged.with_counts(
            sum_by(group, self.conversions, size),
            sum_by(group, self.value, size),
            sum_by(group, self.nulls, size),
        )

    def _groups(self) -> IntArray:
        """(n_paths,) group of each path, numbered by first appearance; paths of a group are
        identical. Paths are bucketed by length and a 64-bit digest of their touches, then
        every path is compared touch by touch with its bucket's first path, so the grouping
        is exact (a hash collision, never seen, falls back to comparing byte strings)."""
        n = self.n_paths
        if n == 0:
            return np.zeros(0, dtype=np.int64)
        token = self.touches * 8 + self.stages
        ages = self.ages.view(np.uint64) if self.ages is not None else None
        digest = self._per_path(_hash(token, ages, self.position))
        order = np.lexsort((digest, self.lengths))
        lengths, digest = self.lengths[order], digest[order]
        starts = np.ones(n, dtype=np.bool_)
        starts[1:] = (lengths[1:] != lengths[:-1]) | (digest[1:] != digest[:-1])
        bucket = np.empty(n, dtype=np.int64)
        bucket[order] = np.cumsum(starts) - 1
        leader = order[starts][bucket]
        path = self.path_of_touch
        twin = self.offsets[leader[path]] + self.position
        same = token[twin] == token
        if ages is not None:
            same &= ages[twin] == ages
        if not same.all():
            return self._groups_by_bytes()
        # Number the buckets by their first path, as the paths appear.
        first_seen = np.full(int(bucket.max()) + 1, n, dtype=np.int64)
        np.minimum.at(first_seen, bucket, np.arange(n, dtype=np.int64))
        rank = np.empty(len(first_seen), dtype=np.int64)
        rank[np.argsort(first_seen, kind="stable")] = np.arange(len(first_seen))
        groups: IntArray = rank[bucket]
        return groups

    def _per_path(self, mixed: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
        """(n_paths,) sums of ``mixed`` (n_touches,) over each path, modulo 2**64."""
        running = np.concatenate([np.zeros(1, dtype=np.uint64), np.cumsum(mixed, dtype=np.uint64)])
        sums: npt.NDArray[np.uint64] = running[self.offsets[1:]] - running[self.offsets[:-1]]
        return sums

    def _groups_by_bytes(self) -> IntArray:
        keys: dict[bytes, int] = {}
        group = np.empty(self.n_paths, dtype=np.int64)
        for i in range(self.n_paths):
            s, e = self.offsets[i], self.offsets[i + 1]
            key = self.touches[s:e].tobytes() + b"|" + self.stages[s:e].tobytes()
            if self.ages is not None:
                key += b"|" + self.ages[s:e].tobytes()
            group[i] = keys.setdefault(key, len(keys))
        return group

    def split_attributable(self, direct: str = DIRECT) -> tuple[PathCounts, float, float]:
        """Paths with at least one touch other than ``direct``, and the conversions and value
        of the others (empty or direct-only paths), which no model spreads over channels.
        Kept per ``direct``: every model run on these paths splits them the same way."""
        cache: dict[str, tuple[PathCounts, float, float]] = self.__dict__.setdefault(
            "_split_cache", {}
        )
        if direct not in cache:
            cache[direct] = self._split_attributable(direct)
        return cache[direct]

    def _split_attributable(self, direct: str) -> tuple[PathCounts, float, float]:
        other = self.touches != self.channels.index(direct) if direct in self.channels else None
        if other is None:
            useful = self.lengths > 0
        else:
            useful = np.bincount(self.path_of_touch, other, self.n_paths) > 0
        rest = ~useful
        kept = self.take(np.flatnonzero(useful).astype(np.int64))
        return kept, float(self.conversions[rest].sum()), float(self.value[rest].sum())


def _hash(
    token: IntArray,
    ages: npt.NDArray[np.uint64] | None,
    position: IntArray,
) -> npt.NDArray[np.uint64]:
    """(n_touches,) pseudo-random bits of each touch's token at its position (and age);
    summed per path, they make the path's 64-bit digest. Fixed tables: same input, same
    digest."""
    tables = np.random.default_rng(0x5EED)
    size = int(token.max()) + 1 if len(token) else 1
    rows = int(position.max()) + 1 if len(position) else 1
    x = tables.integers(0, 2**64, size, dtype=np.uint64, endpoint=False)[token]
    x ^= tables.integers(0, 2**64, rows, dtype=np.uint64, endpoint=False)[position]
    if ages is not None:
        x += _mix(ages ^ x)
    return x


def _mix(x: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """splitmix64's finaliser: every input bit flips about half the output bits."""
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    mixed: npt.NDArray[np.uint64] = x ^ (x >> np.uint64(31))
    return mixed


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
