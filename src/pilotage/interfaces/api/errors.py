"""The one place where errors become HTTP statuses and JSON bodies {code, message, fix}."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from pilotage import errors

_STATUS: list[tuple[type[errors.PilotageError], int]] = [
    (errors.InputError, 422),
    (errors.UsageError, 400),
    (errors.NotFoundError, 404),
    (errors.AuthError, 401),
    (errors.ForbiddenError, 403),
    (errors.WorkspaceLockedError, 409),
    (errors.WorkspaceError, 503),
    (errors.ConfigError, 500),
]


def status_of(error: errors.PilotageError) -> int:
    return next((s for cls, s in _STATUS if isinstance(error, cls)), 500)


def body(code: str, message: str, fix: str | None = None) -> dict[str, str | None]:
    return {"code": code, "message": message, "fix": fix}


def install(app: FastAPI) -> None:
    @app.exception_handler(errors.PilotageError)
    async def pilotage_error(_: Request, exc: errors.PilotageError) -> JSONResponse:
        return JSONResponse(body(exc.code, exc.message, exc.fix), status_code=status_of(exc))

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
