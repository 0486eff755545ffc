"""The URL filters of the analysis pages and their API twins, parsed into a Slice."""

from __future__ import annotations

import datetime
from typing import Annotated

from fastapi import Depends, Query

from pilotage.core.kpis.periods import Period
from pilotage.errors import UsageError
from pilotage.services.slices import Slice

#: Trend granularities offered on the pages.
GRAINS: tuple[Period, ...] = ("week", "month", "quarter")


#: Dates a filter may name: wide enough for any business history, narrow enough that the
#: previous-period and last-year comparisons stay inside the calendar.
EARLIEST, LATEST = datetime.date(1900, 1, 1), datetime.date(2999, 12, 31)


def check_dates(start: datetime.date | None, end: datetime.date | None) -> None:
    for name, day in (("start", start), ("end", end)):
        if day is not None and not EARLIEST <= day <= LATEST:
            raise UsageError(
                f"{name} {day.isoformat()} is outside the dates Pilotage compares",
                fix=f"use a date between {EARLIEST.isoformat()} and {LATEST.isoformat()}",
            )


def check_text(name: str, values: tuple[str, ...]) -> tuple[str, ...]:
    """Filter values are names: control characters (NUL, newlines) are refused, not queried."""
    for value in values:
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
            raise UsageError(
                f"{name} {value!r} contains a control character",
                fix=f"give {name} as plain text, as shown in the filter list",
            )
    return values


def slice_query(
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    channel: Annotated[list[str] | None, Query(description="Repeat to keep several")] = None,
    segment: Annotated[list[str] | None, Query(description="Repeat to keep several")] = None,
    grain: Period = "month",
) -> Slice:
    check_dates(start, end)
    channels = check_text("channel", tuple(channel or ()))
    segments = check_text("segment", tuple(segment or ()))
    return Slice(start, end, channels, segments, grain)


SliceQuery = Annotated[Slice, Depends(slice_query)]
