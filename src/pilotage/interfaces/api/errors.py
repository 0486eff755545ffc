"""The one place where errors become HTTP statuses and JSON bodies {code, message, fix}.

Pages (paths outside /api/) are answered by the ``page_error`` renderer given to
:func:`install` instead, so that a browser gets a page (or the login form), not JSON.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from pilotage import errors

API_PREFIX = "/api/"

_STATUS: list[tuple[type[errors.PilotageError], int]] = [
    (errors.InputError, 422),
    (errors.UploadTooLargeError, 413),
    (errors.UsageError, 400),
    (errors.NotFoundError, 404),
    (errors.TooManyLoginsError, 429),
    (errors.AuthError, 401),
    (errors.ForbiddenError, 403),
    (errors.WorkspaceLockedError, 409),
    (errors.WorkspaceError, 503),
    (errors.ConfigError, 500),
]

PageError = Callable[[Request, errors.PilotageError, int], Response]


def status_of(error: errors.PilotageError) -> int:
    return next((s for cls, s in _STATUS if isinstance(error, cls)), 500)


class ErrorBody(BaseModel):
    """Every API error: a stable code, what went wrong, and how to fix it."""

    code: str
    message: str
    fix: str | None = None


#: Documented on every API route, so clients (and schemathesis) know the error answers.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text}
    for status, text in (
        (400, "Bad request: an option or value is not accepted"),
        (401, "Not signed in: send 'Authorization: Bearer plt_...'"),
        (403, "Signed in, but the role or token scope does not allow this"),
        (404, "Not found"),
        (422, "Invalid input: the message lists each problem"),
    )
}


def body(code: str, message: str, fix: str | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "fix": fix}


def error_body(exc: errors.PilotageError) -> dict[str, Any]:
    """{code, message, fix}, plus the row errors of a file that did not validate."""
    out = body(exc.code, exc.message, exc.fix)
    if isinstance(exc, errors.InputError):
        out["file"] = exc.file
        out["errors"] = [asdict(e) for e in exc.errors]
    return out


def is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX) or request.url.path == "/openapi.json"


def install(app: FastAPI, page_error: PageError) -> None:
    @app.exception_handler(errors.PilotageError)
    async def pilotage_error(request: Request, exc: errors.PilotageError) -> Response:
        status = status_of(exc)
        if not is_api(request):
            return page_error(request, exc, status)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse(error_body(exc), status_code=status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg')}" for e in exc.errors()
        )
        return JSONResponse(
            body("bad_request", problems, "see /openapi.json for the accepted values"),
            status_code=422,
        )

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse(
            body(f"http_{exc.status_code}", str(exc.detail)), status_code=exc.status_code
        )
