"""Read a user's file (CSV, Parquet, JSON, JSON Lines) into a RawTable of text columns."""

from __future__ import annotations

from pathlib import Path

from pilotage.data.readers.csv_text import SEPARATORS, parse_csv
from pilotage.data.readers.encoding import decode_text
from pilotage.data.readers.json_records import parse_json, parse_json_lines
from pilotage.data.readers.parquet_file import parse_parquet
from pilotage.data.readers.problems import file_error
from pilotage.data.readers.raw import RawTable
from pilotage.errors import UsageError

_PARQUET = {".parquet", ".pq"}
_JSON_LINES = {".jsonl", ".ndjson"}
#: Formats people try to load that are not text; each gets a fix instead of a garbled read.
_NOT_SUPPORTED = {
    ".xlsx": "save the sheet as CSV (UTF-8) from Excel",
    ".xls": "save the sheet as CSV (UTF-8) from Excel",
    ".ods": "save the sheet as CSV (UTF-8)",
    ".numbers": "export the sheet as CSV",
    ".zip": "unzip the file and load the CSV inside",
    ".gz": "decompress the file first (gunzip)",
    ".pdf": "export the data as CSV",
}


def read_file(path: Path, *, sep: str | None = None) -> RawTable:
    """The records of ``path`` as text columns, with the line each record starts on.

    The format follows the extension: ``.parquet``/``.pq``, ``.json``, ``.jsonl``/``.ndjson``;
    anything else is read as CSV (``sep`` forces the separator, else it is sniffed).
    Raises InputError for a file that cannot be read, naming the line and the fix.
    """
    if sep is not None and sep not in SEPARATORS:
        raise UsageError(f"unsupported separator {sep!r}", fix="use one of , ; | or a TAB (\\t)")
    source = str(path)
    suffix = path.suffix.lower()
    if suffix in _NOT_SUPPORTED:
        raise file_error(source, f"{suffix} files cannot be read", _NOT_SUPPORTED[suffix])
    if not path.exists():
        raise file_error(source, "the file does not exist", "check the path and the file name")
    if path.is_dir():
        raise file_error(source, "this is a folder, not a file", "give the path of a file")
    if suffix in _PARQUET:
        return parse_parquet(path, source)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise file_error(
            source, f"the file cannot be read ({exc.strerror})", "check its permissions"
        ) from exc
    if not data.strip():
        raise file_error(source, "the file is empty", "export the file again with a header")
    text = decode_text(data, source)
    if suffix == ".json":
        return parse_json(text, source)
    if suffix in _JSON_LINES:
        return parse_json_lines(text, source)
    return parse_csv(text, source, sep)
