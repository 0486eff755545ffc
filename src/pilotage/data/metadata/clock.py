"""Where the metadata store gets the time from.

The clock travels with the session (``session.info["now"]``, set by
:meth:`MetadataStore.session`) so that repositories need no clock argument and tests can
pin the time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy.orm import Session

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def now_of(session: Session) -> datetime:
    """The current time according to the session's clock, as an aware UTC datetime."""
    clock: Clock = session.info.get("now", utc_now)
    return ensure_utc(clock())


def ensure_utc(value: datetime) -> datetime:
    """``value`` in UTC; a naive datetime is refused because its zone is unknowable."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value.isoformat()} given; pass an aware datetime")
    return value.astimezone(UTC)
