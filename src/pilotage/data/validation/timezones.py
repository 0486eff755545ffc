"""Wall-clock times in a named time zone to UTC, vectorised over hours.

Offsets are looked up once per distinct local hour; only the rare hour that contains a
change of offset (daylight saving) is looked up row by row. Times that do not exist (the
spring-forward gap) or exist twice (the autumn fold) follow Python's ``fold=0`` rule: the
offset in force before the change applies, so 02:30 on the spring-forward day in Paris is
01:30 UTC, and 02:30 on the autumn day is the first, summer-time, 02:30 (00:30 UTC).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import numpy.typing as npt

from pilotage.errors import UsageError

IntArray = npt.NDArray[np.int64]

_US_PER_HOUR = 3_600_000_000
_EPOCH = datetime(1970, 1, 1)


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise UsageError(
            f"unknown time zone {name!r}", fix="use an IANA name such as Europe/Paris"
        ) from exc


def offset_us(local_us: int, tz: ZoneInfo) -> int:
    wall = (_EPOCH + timedelta(microseconds=local_us)).replace(tzinfo=tz)
    offset = wall.utcoffset()
    return 0 if offset is None else (offset // timedelta(microseconds=1))


def local_to_utc(local_us: IntArray, tz: ZoneInfo) -> IntArray:
    """UTC microseconds since the epoch for local wall-clock microseconds since the epoch."""
    if local_us.size == 0:
        return local_us
    hours, inverse = np.unique(local_us // _US_PER_HOUR, return_inverse=True)
    starts = np.array([offset_us(int(h) * _US_PER_HOUR, tz) for h in hours], dtype=np.int64)
    ends = np.array([offset_us((int(h) + 1) * _US_PER_HOUR - 1, tz) for h in hours], dtype=np.int64)
    offsets = starts[inverse]
    for row in np.flatnonzero((starts != ends)[inverse]):
        offsets[row] = offset_us(int(local_us[row]), tz)
    return local_us - offsets
