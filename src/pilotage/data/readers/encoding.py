"""Turn a file's bytes into text: UTF-8 (with or without BOM), else Windows-1252 or Latin-1."""

from __future__ import annotations

import re

from pilotage.data.readers.problems import file_error

_BOM = b"\xef\xbb\xbf"
#: Bytes that are printable in Windows-1252 but control characters in Latin-1; finding
#: one means the file was written by Excel or Windows rather than as ISO-8859-1.
_CP1252_RANGE = re.compile(b"[\x80-\x9f]")
#: How far into the file to look for NUL bytes, the mark of a binary or UTF-16 file.
_BINARY_PROBE = 8192


def decode_text(data: bytes, source: str) -> str:
    """The file's text. UTF-8 is tried strictly first, so a valid UTF-8 file is never
    misread as Latin-1; the BOM, if any, is removed."""
    if b"\x00" in data[:_BINARY_PROBE]:
        raise file_error(
            source,
            "this is not a text file (it contains NUL bytes: binary, or UTF-16 text)",
            "save or export it as CSV in UTF-8",
        )
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if _CP1252_RANGE.search(data):
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise file_error(
                source,
                f"byte 0x{data[exc.start]:02X} is neither UTF-8 nor Windows-1252 text",
                "save the file as CSV in UTF-8",
                line=line,
            ) from exc
    return data.decode("latin-1")
