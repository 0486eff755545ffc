"""Can DuckDB's CSV reader read this file exactly as :func:`parse_csv` would?

One pass over the bytes (which also gives the file's SHA-256) and a look at its first
records answer it. Only a plain file qualifies: UTF-8 (BOM allowed), no NUL byte, lines that
end in LF or CRLF, no quote next to a space or tab (DuckDB trims around quoted values and
Python's csv module does not), and the header on the first line. Anything else returns
None and the file goes through the Python reader, which explains every problem.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pilotage.data.readers.csv_text import (
    SEPARATORS,
    record_width,
    sample_rows,
    sniff_separator,
    text_sample,
)

_BOM = b"\xef\xbb\xbf"
_BLOCK = 1 << 22
#: Enough bytes for the 64 Ki characters the separator sniffer looks at, however wide.
_HEAD_BYTES = 4 * 64 * 1024 + 8
#: Python's csv module refuses longer fields; DuckDB is given this as its longest line.
FIELD_LIMIT = 131_072
#: File suffixes read by other readers (Parquet, JSON) or refused (spreadsheets, archives).
_NOT_CSV = {".parquet", ".pq", ".json", ".jsonl", ".ndjson", ".xlsx", ".xls", ".ods"}
_NOT_CSV |= {".numbers", ".zip", ".gz", ".pdf"}


@dataclass(frozen=True)
class CsvProbe:
    sha256: str
    sep: str
    #: The header as the Python reader sees it (BOM removed).
    header: list[str]


def probe_csv(path: Path, sep: str | None) -> CsvProbe | None:
    """The separator and header of a plain CSV file, or None when in doubt."""
    if path.suffix.lower() in _NOT_CSV or not path.is_file():
        return None
    if sep is not None and sep not in SEPARATORS:
        return None
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        head = fh.read(_HEAD_BYTES)
        found = _read_head(head, sep, whole=len(head) < _HEAD_BYTES)
        if found is None:
            return None
        chosen, header = found
        blanks = [b for b in b" \t" if chr(b) != chosen]
        previous = b""
        carriage = crlf = 0
        block = head
        while block:
            digest.update(block)
            joined = previous + block
            if b"\x00" in block or _quote_next_to_blank(joined, blanks):
                return None
            if b"\r" in block:
                carriage += block.count(b"\r")
                crlf += joined.count(b"\r\n")
            previous = block[-1:]
            block = fh.read(_BLOCK)
    if carriage != crlf:
        return None  # a lone CR ends a line for Python, not always for DuckDB
    return CsvProbe(digest.hexdigest(), chosen, header)


def _quote_next_to_blank(data: bytes, blanks: list[int]) -> bool:
    """A quote next to a blank that is not the separator: ' "x"' and '"x" ' are read
    differently by DuckDB (which trims around quoted values) and Python's csv module."""
    if b'"' not in data:
        return False
    codes = np.frombuffer(data, dtype=np.uint8)
    quote = codes == ord('"')
    blank = np.zeros(codes.size, dtype=np.bool_)
    for code in blanks:
        blank |= codes == code
    return bool((quote[1:] & blank[:-1]).any() or (quote[:-1] & blank[1:]).any())


def _read_head(head: bytes, sep: str | None, *, whole: bool) -> tuple[str, list[str]] | None:
    """The separator and header, decided from the same text sample as :func:`parse_csv`."""
    if head.startswith(_BOM):
        head = head[len(_BOM) :]
    text = _decode_prefix(head, whole=whole)
    if text is None or not text.strip():
        return None
    chosen = sep or sniff_separator(text)
    width_hint = record_width(sample_rows(text_sample(text), chosen) or [])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=chosen)
    try:
        header = next(reader, [])
    except csv.Error:
        return None
    if reader.line_num != 1 or not any(header) or len(header) < width_hint:
        return None  # a blank or title line above the header, or a header over two lines
    if any(len(v) >= FIELD_LIMIT for v in header):
        return None
    return chosen, header


def _decode_prefix(head: bytes, *, whole: bool) -> str | None:
    """The text of ``head``; when it is only the start of the file, a character cut at the
    end is left out."""
    for cut in range(1 if whole else 4):
        try:
            return head[: len(head) - cut].decode("utf-8")
        except UnicodeDecodeError:
            continue
    return None
