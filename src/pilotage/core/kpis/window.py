"""The window of a KPI query: inclusive local calendar days."""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class Window:
    """Inclusive local calendar days; None means open-ended."""

    start: datetime.date | None = None
    end: datetime.date | None = None

    def __post_init__(self) -> None:
        if self.start and self.end and self.start > self.end:
            raise ValueError(f"start {self.start} is after end {self.end}")
