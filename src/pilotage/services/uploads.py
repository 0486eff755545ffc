"""Uploads: a received file is staged inside the workspace, then goes through the same
validated, atomic loader as ``pilotage load``, and the staged copy is removed."""

from __future__ import annotations

import secrets
import shutil
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from pilotage.data.adapters.registry import ADAPTERS
from pilotage.data.loader import ImportReport
from pilotage.data.metadata.store import MetadataStore
from pilotage.data.schema import get_table
from pilotage.data.store import AnalyticsStore
from pilotage.data.typed import DateOrder, DecimalMark
from pilotage.data.workspace import Workspace
from pilotage.errors import InputError, UploadTooLargeError, UsageError
from pilotage.services.loading import load_table

UPLOADS_FOLDER = "uploads"
DEFAULT_MAX_UPLOAD_MB = 200
_NAME_LENGTH = 120
_ALLOWED_PUNCTUATION = " ._-()+,"


def upload_limit_error(limit_bytes: int) -> UploadTooLargeError:
    return UploadTooLargeError(
        f"the file is larger than the upload limit of {limit_bytes / 1_000_000:g} MB; "
        "nothing was loaded",
        fix="split the file, or load it on the server with 'pilotage load' "
        "(the limit is set by PILOTAGE_MAX_UPLOAD_MB)",
    )


def safe_file_name(name: str) -> str:
    """A file name that can only land in its own folder: the last path component of the
    name as the browser sent it (Windows or POSIX), letters, digits and a few punctuation
    marks kept, everything else (separators, control characters) replaced by '_'."""
    base = PurePosixPath(name.replace("\\", "/")).name
    base = unicodedata.normalize("NFC", base)
    kept = "".join(c if c.isalnum() or c in _ALLOWED_PUNCTUATION else "_" for c in base)
    # A leading dot would hide the file, and '..' alone would name the parent folder.
    kept = kept.strip(" .")[:_NAME_LENGTH].strip(" .")
    return kept or "upload"


def upload_sources() -> list[str]:
    """The export formats an upload may name (its ``source``)."""
    return sorted({source for source, _ in ADAPTERS})


def check_table(table: str) -> str:
    """The canonical table name, checked before any byte of the upload is stored."""
    return get_table(table).name


@contextmanager
def staging_folder(workspace: Workspace) -> Iterator[Path]:
    """A fresh folder ``<workspace>/uploads/<random>/`` for one upload, removed on exit
    with all it holds, whatever happened."""
    folder = (workspace.root / UPLOADS_FOLDER).resolve() / secrets.token_hex(8)
    folder.mkdir(parents=True)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def name_upload(folder: Path, received: Path, original_name: str) -> Path:
    """Give the received bytes their sanitised name (the loader reads the format from the
    extension and logs the name); the result is checked to stay in ``folder``."""
    path = (folder / safe_file_name(original_name)).resolve()
    if path.parent != folder.resolve():
        raise UsageError(f"the file name {original_name!r} is not allowed", fix="rename it")
    received.rename(path)
    return path


def load_upload(
    workspace: Workspace,
    store: AnalyticsStore,
    meta: MetadataStore,
    table: str,
    path: Path,
    *,
    original_name: str,
    actor: str,
    source: str | None = None,
    sep: str | None = None,
    date_order: DateOrder = "auto",
    decimal: DecimalMark = "auto",
) -> ImportReport:
    """Load a staged upload. Errors name the file as the user sent it, not the staging path."""
    try:
        return load_table(
            workspace,
            store,
            meta,
            table,
            path,
            source=source or None,
            sep=sep or None,
            date_order=date_order,
            decimal=decimal,
            actor=actor,
        )
    except InputError as exc:
        raise InputError(original_name, exc.errors) from exc
