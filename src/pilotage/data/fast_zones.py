"""The workspace zone's UTC offset for every local hour a file may hold, as a table the
fast CSV path joins on, by the rule of :func:`validation.timezones.local_to_utc`.

That rule takes one offset per local hour (looked up with ``fold=0``) and looks up row by
row only the hours whose offset changes inside the hour. Here a day whose first and last
microsecond have the same offset gives that offset to its 24 hours; on the few days with a
change, each hour is looked up, and an hour whose offset changes inside it gets no offset,
so a row there sends the file to the Python path.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pyarrow as pa

from pilotage.data.validation.timezones import offset_us, zone

US_PER_HOUR = 3_600_000_000
_US_PER_DAY = 24 * US_PER_HOUR
#: Local days the validator accepts (1990-01-01 to 2100-12-31), as days since 1970.
FIRST_DAY = int(np.datetime64("1990-01-01", "D").astype(np.int64))
LAST_DAY = int(np.datetime64("2100-12-31", "D").astype(np.int64))


@lru_cache(maxsize=4)
def hour_offsets(zone_name: str) -> pa.Table:
    """Columns ``hour`` (local hours since 1970) and ``offset_us`` (null where the offset
    changes inside the hour), over every day from 1990 to 2100."""
    tz = zone(zone_name)
    days = np.arange(FIRST_DAY, LAST_DAY + 1, dtype=np.int64)
    starts = np.array([offset_us(int(d) * _US_PER_DAY, tz) for d in days], dtype=np.int64)
    ends = np.array([offset_us((int(d) + 1) * _US_PER_DAY - 1, tz) for d in days], np.int64)
    offsets = np.repeat(starts, 24)
    valid = np.ones(offsets.size, dtype=np.bool_)
    for index in np.flatnonzero(starts != ends):
        for h in range(24):
            hour = (int(days[index]) * 24 + h) * US_PER_HOUR
            first, last = offset_us(hour, tz), offset_us(hour + US_PER_HOUR - 1, tz)
            offsets[index * 24 + h] = first
            valid[index * 24 + h] = first == last
    hours = np.arange(FIRST_DAY * 24, (LAST_DAY + 1) * 24, dtype=np.int64)
    return pa.table({"hour": hours, "offset_us": pa.array(offsets, mask=~valid)})
