"""What a model returns: credits per channel that add up to the attributable totals."""

from __future__ import annotations

from dataclasses import dataclass

from pilotage.core.attribution.paths import FloatArray, IntArray, PathCounts, sum_by


@dataclass(frozen=True, eq=False)
class Credits:
    """Conversions and value credited to each channel of ``channels``.

    ``conversions`` and ``value`` are (n_channels,) and sum to the conversions and value of
    the paths the model was given. ``by_position`` (n_channels, max_positions) is the ordered
    Shapley breakdown (credit by the rank of the channel's first touch), else None.
    """

    channels: tuple[str, ...]
    conversions: FloatArray
    value: FloatArray
    by_position: FloatArray | None = None


def from_touch_fractions(paths: PathCounts, fractions: FloatArray) -> Credits:
    """Credits of a rule model: ``fractions`` (n_touches,) sums to 1 within every path; each
    touch receives that fraction of its path's conversions and value."""
    path = paths.path_of_touch
    n = len(paths.channels)
    return Credits(
        channels=paths.channels,
        conversions=sum_by(paths.touches, fractions * paths.conversions[path], n),
        value=sum_by(paths.touches, fractions * paths.value[path], n),
    )


def from_path_touch(paths: PathCounts, touch: IntArray) -> Credits:
    """Credits of a one-touch model: ``touch`` (n_paths,) is the index of the credited touch."""
    n = len(paths.channels)
    channel = paths.touches[touch]
    return Credits(
        channels=paths.channels,
        conversions=sum_by(channel, paths.conversions, n),
        value=sum_by(channel, paths.value, n),
    )


def from_shares(
    paths: PathCounts, conversion_shares: FloatArray, value_shares: FloatArray
) -> Credits:
    """Credits of a data-driven model: shares (n_channels,) summing to 1 of the totals."""
    return Credits(
        channels=paths.channels,
        conversions=conversion_shares * float(paths.conversions.sum()),
        value=value_shares * float(paths.value.sum()),
    )
