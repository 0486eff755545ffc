"""The currency of each row of a table with money columns."""

from __future__ import annotations

from collections.abc import Mapping

import pyarrow as pa
import pyarrow.compute as pc

from pilotage.data.validation.currency import ISO_4217, token_codes
from pilotage.data.validation.numbers import mask
from pilotage.data.validation.problems import Problems
from pilotage.errors import UsageError

CURRENCY = "currency"
_CODE_FIX = "use a 3-letter ISO 4217 code such as EUR, USD or GBP"


def read_currency_column(values: pa.Array, header: str, problems: Problems) -> pa.Array:
    """ISO codes from the file's currency column (a sign such as € is accepted too)."""
    codes = token_codes(pc.utf8_trim_whitespace(values))
    problems.cells(
        mask(pc.is_valid(values)) & mask(pc.is_null(codes)),
        header,
        values,
        "currency must be an ISO 4217 currency code",
        _CODE_FIX,
    )
    return codes


def row_currency(
    column: pa.Array | None,
    amounts: Mapping[str, pa.Array],
    headers: Mapping[str, str],
    text: Mapping[str, pa.Array],
    reporting: str,
    rows: int,
    problems: Problems,
) -> pa.Array:
    """Each row's currency: the currency column, else a sign or code written in an amount,
    else the reporting currency. Signs that disagree with each other or with the column
    are errors."""
    if reporting.upper() not in ISO_4217:
        raise UsageError(f"unknown reporting currency {reporting!r}", fix=_CODE_FIX)
    written: pa.Array = pa.nulls(rows, pa.string())
    for name, codes in amounts.items():
        clash = mask(pc.not_equal(written, codes))
        problems.cells(
            clash,
            headers[name],
            text[name],
            f"{name} is in a different currency than another amount on the same row",
            "write every amount of a row in the same currency",
        )
        written = pc.coalesce(written, codes)
    if column is not None:
        for name, codes in amounts.items():
            problems.cells(
                mask(pc.not_equal(column, codes)),
                headers[name],
                text[name],
                f"{name} is written in another currency than the row's {CURRENCY} column",
                f"make the sign in {name} match the {CURRENCY} column, or remove the sign",
            )
        written = pc.coalesce(column, written)
    filled = pc.coalesce(written, pa.scalar(reporting.upper(), pa.string()))
    return filled.combine_chunks() if isinstance(filled, pa.ChunkedArray) else filled
