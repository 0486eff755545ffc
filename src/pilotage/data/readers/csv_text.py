"""CSV text to a RawTable: separator sniffing, quoted fields, the line each record starts on."""

from __future__ import annotations

import csv
import io
from collections import Counter

import pyarrow as pa

from pilotage.data.readers.columns import blank_to_null, raw_table
from pilotage.data.readers.problems import file_error
from pilotage.data.readers.raw import RawTable
from pilotage.errors import InputError, RowError

SEPARATORS = (",", ";", "\t", "|")
#: Characters of text the sniffer looks at (the header and the first records).
_SNIFF_CHARS = 64 * 1024
#: Records per Arrow chunk: bounds the memory held as Python lists on big files.
_CHUNK_ROWS = 100_000


def _describe(sep: str) -> str:
    return "TAB" if sep == "\t" else f"'{sep}'"


def text_sample(text: str) -> str:
    sample = text[:_SNIFF_CHARS]
    if len(text) > _SNIFF_CHARS and "\n" in sample:
        # The last line of the sample may be cut in the middle of a record.
        sample = sample[: sample.rindex("\n")]
    return sample


def sample_rows(sample: str, sep: str) -> list[list[str]] | None:
    try:
        return [r for r in csv.reader(io.StringIO(sample, newline=""), delimiter=sep) if any(r)]
    except csv.Error:
        return None


def record_width(rows: list[list[str]]) -> int:
    """The most common number of fields (ties: the larger), i.e. the width of the records."""
    counts = Counter(len(r) for r in rows)
    return max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0] if counts else 0


def sniff_separator(text: str) -> str:
    """The separator that splits the header and the first records into the same number (> 1)
    of fields; ties go to the separator with more fields, then to the order of SEPARATORS.
    Title lines above the header (as in Google Ads or LinkedIn exports) are ignored. A file
    where no separator splits the records is a one-column file (',')."""
    sample = text_sample(text)
    best: tuple[bool, int, int] | None = None
    chosen = ","
    for rank, sep in enumerate(SEPARATORS):
        rows = sample_rows(sample, sep)
        if not rows:
            continue
        width = record_width(rows)
        body = _without_title_lines(rows, width)
        if width < 2 or not body:
            continue
        consistent = all(len(r) == width for r in body[1:])
        score = (consistent, width, -rank)
        if best is None or score > best:
            best, chosen = score, sep
    return chosen


def _without_title_lines(rows: list[list[str]], width: int) -> list[list[str]]:
    """Drop the leading records narrower than the file's records (report titles, dates)."""
    start = 0
    while start < len(rows) and len(rows[start]) < width:
        start += 1
    return rows[start:]


def parse_csv(text: str, source: str, sep: str | None = None) -> RawTable:
    """Every record of a CSV text, as strings (empty -> null), with its starting line."""
    if not text.strip():
        raise file_error(source, "the file is empty", "export the file again with a header")
    if sep is None:
        sep = sniff_separator(text)
    width_hint = record_width(sample_rows(text_sample(text), sep) or [])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    try:
        header = next(reader)
        # Blank lines and title lines narrower than the records come before the header.
        while not any(header) or len(header) < width_hint:
            header = next(reader)
    except StopIteration:
        raise file_error(source, "the file has no header line", "add a header line") from None
    except csv.Error as exc:
        raise file_error(source, f"unreadable CSV: {exc}", "check the quotes", line=1) from exc
    header_line = reader.line_num
    width = len(header)
    errors: list[RowError] = []
    chunks: list[list[pa.Array]] = []
    rows: list[list[str]] = []
    lines: list[int] = []
    line_end = reader.line_num
    try:
        for row in reader:
            start, line_end = line_end + 1, reader.line_num
            if len(row) == width:
                if any(row):
                    rows.append(row)
                    lines.append(start)
                    if len(rows) == _CHUNK_ROWS:
                        chunks.append(_to_columns(rows, width))
                        rows = []
            elif any(row):
                errors.append(_width_error(start, len(row), width, sep))
    except csv.Error as exc:
        errors.append(
            RowError(
                line_end + 1,
                None,
                None,
                f"unreadable CSV: {exc}",
                "check the quotes on this line (a quote inside a field must be doubled)",
            )
        )
    if errors:
        raise InputError(source, errors)
    chunks.append(_to_columns(rows, width))
    columns = [pa.chunked_array([c[i] for c in chunks], pa.string()) for i in range(width)]
    return raw_table(source, header, columns, lines, header_line=header_line)


def _to_columns(rows: list[list[str]], width: int) -> list[pa.Array]:
    if not rows:
        return [pa.array([], pa.string()) for _ in range(width)]
    return [blank_to_null(pa.array(column, pa.string())) for column in zip(*rows, strict=True)]


def _width_error(line: int, found: int, width: int, sep: str) -> RowError:
    if found > width:
        return RowError(
            line,
            None,
            None,
            f"this record has {found} fields but the header has {width}",
            f"put quotes around values that contain the separator {_describe(sep)}, or remove "
            "the extra separators",
        )
    return RowError(
        line,
        None,
        None,
        f"this record has {found} fields but the header has {width}",
        f"give the record {width} fields (leave a value empty between two separators), or "
        "close the quote left open on a previous line",
    )
