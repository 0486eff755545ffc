"""The filters every analysis page and its API twin take: period, channels, segments, and
the row-level restriction of whoever asks (countries, accounts)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from pilotage.core.kpis.periods import Period
from pilotage.errors import ForbiddenError, UsageError

#: users.restrictions keys the data can enforce (filling Slice.countries, Slice.account_ids).
RESTRICTION_KEYS = ("country", "account_id")


@dataclass(frozen=True)
class Slice:
    """Inclusive local days (None: open-ended), the channels and segments kept (empty: all)
    and the granularity of trends. ``countries`` and ``account_ids`` come from the user's
    restriction, never from the URL: None is unrestricted, a tuple keeps only the revenue
    of orderers of those countries or accounts (an empty tuple keeps nothing).
    Frozen and hashable: it is part of cache keys."""

    start: datetime.date | None = None
    end: datetime.date | None = None
    channels: tuple[str, ...] = ()
    segments: tuple[str, ...] = ()
    grain: Period = "month"
    countries: tuple[str, ...] | None = None
    account_ids: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if self.start and self.end and self.start > self.end:
            raise UsageError(
                f"start {self.start} is after end {self.end}",
                fix="give a start date on or before the end date",
            )
        object.__setattr__(self, "channels", _names(self.channels))
        object.__setattr__(self, "segments", _names(self.segments))
        if self.countries is not None:
            object.__setattr__(self, "countries", _names(self.countries))
        if self.account_ids is not None:
            object.__setattr__(self, "account_ids", _names(self.account_ids))

    @property
    def restricted(self) -> bool:
        """True when a row-level restriction applies (spend can't be restricted: no country
        or account on it)."""
        return self.countries is not None or self.account_ids is not None

    @property
    def by_orderer(self) -> bool:
        """True when segments or a restriction keep only the orders of some orderers:
        revenue follows, cost (spend has no orderer) can't."""
        return bool(self.segments) or self.restricted


def _names(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(sorted(set(values)))


def restricted(sl: Slice, restrictions: Mapping[str, Sequence[str]]) -> Slice:
    """``sl`` narrowed to a user's ``restrictions`` (users.restrictions), intersected with
    any restriction already on it. A key the data can't enforce is refused, not ignored."""
    unknown = sorted(set(restrictions) - set(RESTRICTION_KEYS))
    if unknown:
        raise ForbiddenError(
            f"your account is restricted on {', '.join(map(repr, unknown))}, "
            "which Pilotage cannot apply to the data; nothing is shown rather than "
            "everything",
            fix=f"ask an admin to restrict you on {' or '.join(RESTRICTION_KEYS)} only",
        )
    return replace(
        sl,
        countries=_within(sl.countries, restrictions.get("country")),
        account_ids=_within(sl.account_ids, restrictions.get("account_id")),
    )


def _within(
    current: tuple[str, ...] | None, allowed: Sequence[str] | None
) -> tuple[str, ...] | None:
    """``current`` narrowed to ``allowed`` (None on either side: no restriction there)."""
    if allowed is None:
        return current
    return tuple(allowed) if current is None else tuple(set(current) & set(allowed))
