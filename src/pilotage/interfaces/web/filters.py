"""The URL filters of the analysis pages and their API twins, parsed into a Slice and
narrowed to the signed-in user's row-level restriction: the one place both meet."""

from __future__ import annotations

import datetime
from typing import Annotated

from fastapi import Depends, Query, Request

from pilotage.core.kpis.periods import Period
from pilotage.errors import ForbiddenError, UsageError, plain_text
from pilotage.interfaces.api.auth import READ
from pilotage.services.accounts import Principal
from pilotage.services.slices import Slice, restricted

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
    return plain_text(name, values, f"give {name} as plain text, as shown in the filter list")


def restriction_scope(principal: Annotated[Principal, Depends(READ)]) -> Slice:
    """The rows the signed-in principal may see, as a Slice with no other filter: the one
    place a user's restriction is read for a request."""
    return restricted(Slice(), principal.restrictions)


Scope = Annotated[Slice, Depends(restriction_scope)]


def slice_query(
    scope: Scope,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    channel: Annotated[list[str] | None, Query(description="Repeat to keep several")] = None,
    segment: Annotated[list[str] | None, Query(description="Repeat to keep several")] = None,
    grain: Period = "month",
) -> Slice:
    """The URL filters within the principal's restriction (no URL parameter lifts it)."""
    check_dates(start, end)
    channels = check_text("channel", tuple(channel or ()))
    segments = check_text("segment", tuple(segment or ()))
    return Slice(start, end, channels, segments, grain, scope.countries, scope.account_ids)


def unrestricted(request: Request) -> None:
    """Refuse a restricted user on routes that can't apply a restriction yet. It runs after
    the mount's permission guard, which leaves the principal on ``request.state`` (the
    guard itself is the mount's job, checked for every route by the access audit test)."""
    principal: Principal | None = getattr(request.state, "principal", None)
    if principal is not None and principal.restrictions:
        raise ForbiddenError(
            f"your account is restricted ({', '.join(sorted(principal.restrictions))}) "
            "and this route can't apply the restriction yet, so it is refused",
            fix="use the pages or /api/v1/views and /api/v1/kpis, which apply it",
        )


SliceQuery = Annotated[Slice, Depends(slice_query)]
