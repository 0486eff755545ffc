"""The filters every analysis page and its API twin take: period, channels, segments."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from pilotage.core.kpis.periods import Period
from pilotage.errors import UsageError


@dataclass(frozen=True)
class Slice:
    """Inclusive local days (None: open-ended), the channels and segments kept (empty: all)
    and the granularity of trends. Frozen and hashable: it is part of cache keys."""

    start: datetime.date | None = None
    end: datetime.date | None = None
    channels: tuple[str, ...] = ()
    segments: tuple[str, ...] = ()
    grain: Period = "month"

    def __post_init__(self) -> None:
        if self.start and self.end and self.start > self.end:
            raise UsageError(
                f"start {self.start} is after end {self.end}",
                fix="give a start date on or before the end date",
            )
        object.__setattr__(self, "channels", tuple(sorted(set(self.channels))))
        object.__setattr__(self, "segments", tuple(sorted(set(self.segments))))
