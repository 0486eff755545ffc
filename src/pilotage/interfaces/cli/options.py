"""Options shared by every command, and printing a result in the asked format."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import BaseModel

from pilotage.data.workspace import Workspace, open_workspace
from pilotage.interfaces.cli.output import OutputFormat, to_csv, to_json, to_table

WorkspaceOption = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        "-w",
        help="Workspace folder (default: $PILOTAGE_WORKSPACE, then the current folder).",
        show_default=False,
    ),
]
FormatOption = Annotated[
    OutputFormat,
    typer.Option("--format", "-f", help="table for people, json (one document) or csv."),
]


def workspace_of(path: Path | None) -> Workspace:
    return open_workspace(path)


def emit(
    result: BaseModel, fmt: OutputFormat, rows: Sequence[dict[str, Any]], columns: Sequence[str]
) -> None:
    """Print exactly one document on stdout: the JSON of ``result``, or its rows as CSV/table."""
    if fmt == "json":
        text = to_json(result)
    elif fmt == "csv":
        text = to_csv(rows, columns)
    else:
        text = to_table(rows, columns)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def progress(message: str) -> None:
    """Progress of long work goes to stderr, never stdout (stdout may be piped JSON)."""
    print(f"… {message}", file=sys.stderr, flush=True)
