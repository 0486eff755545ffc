"""One root exception for the whole product.

Subclasses keep their fields so that the CLI (exit codes) and the API (HTTP statuses) can
render them without parsing messages. The mapping lives in one place per interface.
"""

from __future__ import annotations

from dataclasses import dataclass


class PilotageError(Exception):
    """Root of every error Pilotage raises on purpose."""

    #: Stable machine-readable code, used by the API's JSON errors.
    code = "error"

    def __init__(self, message: str, *, fix: str | None = None) -> None:
        self.message = message
        self.fix = fix
        super().__init__(message)

    def __str__(self) -> str:
        if self.fix:
            return f"{self.message}\nFix: {self.fix}"
        return self.message


class UsageError(PilotageError):
    """The user asked for something that does not exist or is not allowed (bad option)."""

    code = "bad_request"


class NotFoundError(PilotageError):
    code = "not_found"


class WorkspaceError(PilotageError):
    """The workspace folder is missing, unreadable, locked or inconsistent."""

    code = "workspace"


class WorkspaceLockedError(WorkspaceError):
    code = "workspace_locked"


@dataclass(frozen=True)
class RowError:
    """One broken rule on one cell (or one row when ``column`` is None)."""

    line: int | None
    column: str | None
    value: str | None
    rule: str
    fix: str | None = None

    def describe(self, file: str) -> str:
        where = file
        if self.line is not None:
            where += f", line {self.line}"
        if self.column is not None:
            where += f", column '{self.column}'"
        text = f"{where}: {self.rule}"
        if self.value is not None:
            text += f" (value {self.value!r})"
        if self.fix:
            text += f". Fix: {self.fix}"
        return text


class InputError(PilotageError):
    """A file (or upload) could not be read or did not validate; nothing was loaded."""

    code = "invalid_input"

    def __init__(
        self,
        file: str,
        errors: list[RowError],
        *,
        message: str | None = None,
        max_listed: int = 50,
    ) -> None:
        self.file = file
        self.errors = errors
        shown = [e.describe(file) for e in errors[:max_listed]]
        more = len(errors) - len(shown)
        head = message or f"{file}: {len(errors)} problem(s) found; nothing was loaded"
        body = "\n".join(f"  - {s}" for s in shown)
        if more > 0:
            body += f"\n  ... and {more} more"
        super().__init__(f"{head}\n{body}" if body else head)


class ConfigError(PilotageError):
    """pilotage.toml or an environment setting is invalid."""

    code = "config"


class AuthError(PilotageError):
    code = "unauthorized"


class ForbiddenError(PilotageError):
    code = "forbidden"


class TooManyLoginsError(AuthError):
    """Too many failed sign-ins for this email or address: refused before any password check."""

    code = "rate_limited"


class UploadTooLargeError(UsageError):
    """An upload went past the configured size limit; nothing was written."""

    code = "too_large"


def plain_text(name: str, values: tuple[str, ...], fix: str) -> tuple[str, ...]:
    """``values`` unchanged, or a UsageError when one holds a control character (NUL,
    newline): names from users are refused, never passed on to a query."""
    for value in values:
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
            raise UsageError(f"{name} {value!r} contains a control character", fix=fix)
    return values
