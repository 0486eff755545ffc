"""How a reader reports a file it cannot read: one InputError naming the line and the fix."""

from __future__ import annotations

from pilotage.errors import InputError, RowError


def file_error(
    source: str,
    rule: str,
    fix: str,
    *,
    line: int | None = None,
    column: str | None = None,
    value: str | None = None,
) -> InputError:
    """An InputError carrying a single problem, for errors that stop reading altogether."""
    return InputError(source, [RowError(line, column, value, rule, fix)])
