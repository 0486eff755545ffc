"""Row ids in paths and queries: positive and within the narrowest id column's range
(PostgreSQL INTEGER), so a huge number answers 422, never an overflow in the driver."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

MAX_ID = 2**31 - 1
RowId = Annotated[int, Path(ge=1, le=MAX_ID)]
OptionalRowId = Annotated[int | None, Query(ge=1, le=MAX_ID)]
