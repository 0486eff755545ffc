"""Receive a multipart upload as a stream: the file part goes to disk chunk by chunk and
the transfer stops as soon as it passes the size limit. The framework's own form parsing
is not used because it buffers the whole body (outside the workspace) before any check."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TypeVar

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from pilotage.data.loader import ImportReport
from pilotage.data.typed import DateOrder, DecimalMark
from pilotage.errors import UsageError
from pilotage.interfaces.api.auth import CSRF_FIELD, check_csrf
from pilotage.interfaces.api.state import state_of
from pilotage.services.uploads import (
    check_table,
    load_upload,
    name_upload,
    staging_folder,
    upload_limit_error,
)

FILE_FIELD = "file"
#: Room for the multipart framing and the small form fields around the file.
_FRAMING_BYTES = 64 * 1024
_FIELD_BYTES = 1024


@dataclass
class _Part:
    name: str = ""
    filename: str | None = None
    value: bytearray = field(default_factory=bytearray)


class _Receiver:
    """Parser callbacks: form fields kept in memory (small), the file written to disk."""

    def __init__(
        self,
        open_file: IO[bytes],
        limit: int,
        csrf_expected: str | None,
        before_file: Callable[[dict[str, str]], None],
    ) -> None:
        self.file = open_file
        self.limit = limit
        self.csrf_expected = csrf_expected
        self.before_file = before_file
        self.fields: dict[str, str] = {}
        self.filename: str | None = None
        self.written = 0
        self._part = _Part()
        self._header_field = b""
        self._header_value = b""

    def on_part_begin(self) -> None:
        self._part = _Part()

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def on_header_end(self) -> None:
        if self._header_field.strip().lower() == b"content-disposition":
            _, options = parse_options_header(self._header_value)
            self._part.name = options.get(b"name", b"").decode("utf-8", "replace")
            raw = options.get(b"filename")
            self._part.filename = None if raw is None else raw.decode("utf-8", "replace")
        self._header_field = b""
        self._header_value = b""

    def on_headers_finished(self) -> None:
        if self._part.filename is None:
            return
        if self._part.name != FILE_FIELD or self.filename is not None:
            raise UsageError("send exactly one file, in the form field 'file'")
        if self.csrf_expected is not None:
            # The token must come before the file, so no byte is stored for a forged form.
            check_csrf(self.fields.get(CSRF_FIELD), self.csrf_expected)
        self.before_file(self.fields)
        self.filename = self._part.filename

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._part.filename is None:
            self._part.value += data[start:end]
            if len(self._part.value) > _FIELD_BYTES:
                raise UsageError(f"form field {self._part.name!r} is too long")
            return
        self.written += end - start
        if self.written > self.limit:
            raise upload_limit_error(self.limit)
        self.file.write(data[start:end])

    def on_part_end(self) -> None:
        if self._part.filename is None:
            self.fields[self._part.name] = self._part.value.decode("utf-8", "replace")


@dataclass(frozen=True)
class Received:
    filename: str
    fields: dict[str, str]


async def receive_upload(
    request: Request,
    target: Path,
    limit: int,
    before_file: Callable[[dict[str, str]], None],
) -> Received:
    """Write the request's ``file`` part to ``target`` (at most ``limit`` bytes) and return
    the original file name and the other form fields. ``before_file`` checks the fields
    sent before the file, so a bad request stops before any byte is stored."""
    content_type, options = parse_options_header(request.headers.get("content-type"))
    boundary = options.get(b"boundary")
    if content_type != b"multipart/form-data" or not boundary:
        raise UsageError(
            "an upload must be sent as multipart/form-data",
            fix="send the file in the form field 'file' (curl -F file=@export.csv)",
        )
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + _FRAMING_BYTES:
        raise upload_limit_error(limit)
    csrf_expected = getattr(request.state, "csrf_expected", None)
    with target.open("xb") as out:
        receiver = _Receiver(out, limit, csrf_expected, before_file)
        parser = MultipartParser(
            boundary,
            {
                "on_part_begin": receiver.on_part_begin,
                "on_header_field": receiver.on_header_field,
                "on_header_value": receiver.on_header_value,
                "on_header_end": receiver.on_header_end,
                "on_headers_finished": receiver.on_headers_finished,
                "on_part_data": receiver.on_part_data,
                "on_part_end": receiver.on_part_end,
            },
        )
        total = 0
        try:
            async for chunk in request.stream():
                total += len(chunk)
                if total > limit + _FRAMING_BYTES:
                    raise upload_limit_error(limit)
                parser.write(chunk)
            parser.finalize()
        except MultipartParseError as exc:
            raise UsageError(
                f"the upload is not a well-formed multipart form ({exc})",
                fix="send the file in the form field 'file' (curl -F file=@export.csv)",
            ) from exc
    if receiver.filename is None:
        raise UsageError("no file in the upload", fix="send the file in the form field 'file'")
    if csrf_expected is not None and receiver.written == 0:
        check_csrf(receiver.fields.get(CSRF_FIELD), csrf_expected)
    return Received(receiver.filename, receiver.fields)


_T = TypeVar("_T", bound=str)
_DATE_ORDERS: tuple[DateOrder, ...] = ("auto", "dmy", "mdy")
_DECIMALS: tuple[DecimalMark, ...] = ("auto", ",", ".")


async def upload_to_table(request: Request, table: str | None, actor: str) -> ImportReport:
    """Stream the request's file into the workspace's uploads folder and load it into
    ``table`` (None: the form field 'table', sent before the file) with the loader of
    ``pilotage load``; the staged file is always removed."""
    state = state_of(request)
    named = check_table(table) if table is not None else None

    def before_file(fields: dict[str, str]) -> None:
        if named is None:
            check_table(fields.get("table", ""))

    with staging_folder(state.workspace) as folder:
        received = await receive_upload(
            request, folder / ".part", state.settings.max_upload_bytes, before_file
        )
        path = name_upload(folder, folder / ".part", received.filename)
        fields = received.fields
        checked_table = named or check_table(fields.get("table", ""))
        date_order = _choice(fields.get("date_order") or "auto", _DATE_ORDERS, "date_order")
        decimal = _choice(fields.get("decimal") or "auto", _DECIMALS, "decimal")

        def load() -> ImportReport:
            with state.analytics(write=True) as store:
                return load_upload(
                    state.workspace,
                    store,
                    state.meta,
                    checked_table,
                    path,
                    original_name=received.filename,
                    actor=actor,
                    source=fields.get("source"),
                    sep=fields.get("sep"),
                    date_order=date_order,
                    decimal=decimal,
                )

        return await run_in_threadpool(load)


def _choice(value: str, allowed: tuple[_T, ...], name: str) -> _T:
    for option in allowed:
        if value == option:
            return option
    raise UsageError(f"{name}={value!r} is not allowed", fix=f"use one of {', '.join(allowed)}")
