"""JSON (a list of objects, or {"data": [...]}) and JSON Lines to a RawTable.

Each record keeps the line where its object starts. Values become text the way they would
read in a CSV: numbers as JSON writes them, booleans as true/false, nested lists and
objects as JSON text, empty strings and null as null.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pyarrow as pa

from pilotage.data.readers.columns import raw_table
from pilotage.data.readers.problems import file_error
from pilotage.data.readers.raw import RawTable
from pilotage.errors import InputError, RowError

_DECODER = json.JSONDecoder()
_WHITESPACE = " \t\r\n"
_SHAPE_FIX = 'give a list of objects, [{"col": value}, ...], or {"data": [...]}'


def parse_json(text: str, source: str) -> RawTable:
    records = list(_array_records(text, source))
    return _records_table(records, source)


def parse_json_lines(text: str, source: str) -> RawTable:
    records: list[tuple[int, Any]] = []
    errors: list[RowError] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            records.append((number, json.loads(line)))
        except json.JSONDecodeError as exc:
            errors.append(
                RowError(number, None, None, f"invalid JSON: {exc.msg}", "one object per line")
            )
    if errors:
        raise InputError(source, errors)
    return _records_table(records, source)


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _WHITESPACE:
        pos += 1
    return pos


def _decode_at(text: str, pos: int, source: str) -> tuple[Any, int]:
    try:
        value, end = _DECODER.raw_decode(text, pos)
    except json.JSONDecodeError as exc:
        raise file_error(
            source, f"invalid JSON: {exc.msg}", "check the file is complete JSON", line=exc.lineno
        ) from exc
    return value, end


def _expect(text: str, pos: int, chars: str, source: str) -> int:
    pos = _skip(text, pos)
    if pos >= len(text) or text[pos] not in chars:
        line = text.count("\n", 0, pos) + 1
        raise file_error(source, f"invalid JSON: expected {chars!r}", _SHAPE_FIX, line=line)
    return pos


def _array_records(text: str, source: str) -> Iterator[tuple[int, Any]]:
    """(line, value) for each element of the top-level list or of the 'data' list, read one
    element at a time so each one's starting line is known."""
    pos = _expect(text, 0, "[{", source)
    if text[pos] == "{":
        pos = _find_data_array(text, pos, source)
    pos = _skip(text, pos + 1)
    line, counted = 1, 0
    if pos < len(text) and text[pos] == "]":
        return
    while True:
        pos = _skip(text, pos)
        line += text.count("\n", counted, pos)
        counted = pos
        value, pos = _decode_at(text, pos, source)
        yield line, value
        pos = _expect(text, pos, ",]", source)
        if text[pos] == "]":
            return
        pos += 1


def _find_data_array(text: str, pos: int, source: str) -> int:
    """Position of the '[' that opens the value of the top-level "data" key."""
    pos = _skip(text, pos + 1)
    while pos < len(text) and text[pos] != "}":
        key, pos = _decode_at(text, pos, source)
        pos = _expect(text, pos, ":", source) + 1
        pos = _skip(text, pos)
        if key == "data" and pos < len(text) and text[pos] == "[":
            return pos
        _, pos = _decode_at(text, pos, source)
        pos = _expect(text, pos, ",}", source)
        if text[pos] == ",":
            pos = _skip(text, pos + 1)
    raise file_error(source, 'the JSON object has no "data" list', _SHAPE_FIX, line=1)


def _text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(value, ensure_ascii=False)


def _records_table(records: list[tuple[int, Any]], source: str) -> RawTable:
    errors = [
        RowError(line, None, None, "this record is not a JSON object", _SHAPE_FIX)
        for line, value in records
        if not isinstance(value, dict)
    ]
    if errors:
        raise InputError(source, errors)
    header: dict[str, None] = {}
    for _, record in records:
        header.update(dict.fromkeys(record))
    if not header:
        raise file_error(source, "the file holds no records", _SHAPE_FIX)
    columns = [
        pa.array([_text(record.get(name)) for _, record in records], pa.string()) for name in header
    ]
    return raw_table(source, list(header), columns, [line for line, _ in records])
