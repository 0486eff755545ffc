"""Matching a file's header to a table's declared columns."""

from __future__ import annotations

from dataclasses import dataclass

from pilotage.data.schema import TableSpec, normalise_header
from pilotage.data.validation.problems import Problems
from pilotage.errors import RowError

_HEADER_LINE = 1


@dataclass(frozen=True)
class HeaderMatch:
    #: Declared column name -> the header as written in the file.
    declared: dict[str, str]
    #: Normalised name of each column the table does not declare -> the header as written.
    extras: dict[str, str]


def match_headers(headers: list[str], spec: TableSpec, problems: Problems) -> HeaderMatch:
    """Which file column is which declared column; reports duplicate names, missing
    required columns and one-of groups with no column at all."""
    declared: dict[str, str] = {}
    extras: dict[str, str] = {}
    seen: dict[str, str] = {}
    for header in headers:
        name = normalise_header(header)
        if name in seen:
            problems.add(
                RowError(
                    _HEADER_LINE,
                    header,
                    header,
                    f"columns '{seen[name]}' and '{header}' are the same name once case and "
                    "spaces are ignored",
                    "rename or remove one of the two columns",
                )
            )
            continue
        seen[name] = header
        (declared if spec.column(name) is not None else extras)[name] = header
    for name in spec.required:
        if name not in declared:
            problems.add(
                RowError(
                    _HEADER_LINE,
                    name,
                    None,
                    f"required column '{name}' is missing",
                    f"add a column named {name} (case and spaces do not matter)",
                )
            )
    for group in spec.one_of:
        if not any(name in declared for name in group):
            problems.add(
                RowError(
                    _HEADER_LINE,
                    None,
                    None,
                    f"{spec.name} needs one of the columns {', '.join(group)}",
                    f"add a column named {' or '.join(group)} (case and spaces do not matter)",
                )
            )
    return HeaderMatch(declared, extras)
