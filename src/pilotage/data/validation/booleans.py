"""Yes/no values in English and French."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pilotage.data.validation.numbers import BoolArray, mask

TRUE_WORDS = ("true", "1", "yes", "y", "oui", "vrai", "t")
FALSE_WORDS = ("false", "0", "no", "n", "non", "faux", "f")
ACCEPTED = "true/false, 1/0, yes/no, y/n, oui/non or vrai/faux"


def parse_booleans(values: pa.Array) -> tuple[pa.Array, BoolArray]:
    """The booleans (null where absent or unreadable) and the rows that are unreadable."""
    words = pc.utf8_lower(values)
    true = mask(pc.is_in(words, value_set=pa.array(TRUE_WORDS)))
    false = mask(pc.is_in(words, value_set=pa.array(FALSE_WORDS)))
    present = ~mask(pc.is_null(values))
    known = true | false
    result = pa.array(np.where(known, true, False), pa.bool_(), mask=~known)
    return result, present & ~known
