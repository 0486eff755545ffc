"""Authentication and permissions for every route: deny by default.

Each route declares what it needs with ``dependencies=guard(READ|WRITE|ADMIN)``; a test
walks ``app.routes`` and fails on any non-public route without a :class:`Require`.
A request is authenticated by an API token (``Authorization: Bearer plt_...``) or by the
session cookie; cookie requests that change something must carry the session's CSRF token.
"""

from __future__ import annotations

import hmac
from typing import Any

from fastapi import Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from itsdangerous import BadSignature

from pilotage.core.access import Permission
from pilotage.errors import AuthError, ForbiddenError
from pilotage.interfaces.api.state import ServerState, state_of
from pilotage.services.accounts import Principal, session_principal, token_principal

SESSION_COOKIE = "pilotage_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class Require:
    """A route's permission, as a dependency that returns the authenticated principal.

    With ``csrf_in_body`` a multipart request may send its CSRF token as a form field that
    the route's own streaming reader must check (the upload route, which can't let the
    framework buffer the body first); the expected token is left in ``request.state``.
    """

    def __init__(self, permission: Permission, *, csrf_in_body: bool = False) -> None:
        self.permission = permission
        self.csrf_in_body = csrf_in_body

    def __repr__(self) -> str:
        return f"Require({self.permission!r})"

    async def __call__(self, request: Request) -> Principal:
        state = state_of(request)
        principal = await run_in_threadpool(authenticate, state, request)
        if principal is None:
            raise AuthError(
                "sign in first: this page or API needs an account",
                fix="log in at /login, or send 'Authorization: Bearer plt_...' "
                "(create a token with 'pilotage token create')",
            )
        if principal.via == "session" and request.method in UNSAFE_METHODS:
            await self._check_csrf(request, principal.csrf_token or "")
        if not principal.can(self.permission):
            raise ForbiddenError(
                f"{principal.email} ({principal.role}"
                f"{', token' if principal.via == 'token' else ''}) "
                f"may not do this: it needs the {self.permission!r} permission",
                fix="ask an admin for a role (or a token scope) that grants it",
            )
        request.state.principal = principal
        return principal

    async def _check_csrf(self, request: Request, expected: str) -> None:
        supplied = request.headers.get(CSRF_HEADER)
        content_type = request.headers.get("content-type", "")
        if supplied is None and self.csrf_in_body and content_type.startswith(_FORM_TYPES[1]):
            request.state.csrf_expected = expected
            return
        if supplied is None and content_type.startswith(_FORM_TYPES):
            value = (await request.form()).get(CSRF_FIELD)
            supplied = value if isinstance(value, str) else None
        check_csrf(supplied, expected)


def check_csrf(supplied: str | None, expected: str) -> None:
    """Refuse unless ``supplied`` equals ``expected`` (compared in constant time)."""
    if not supplied or not expected or not hmac.compare_digest(supplied, expected):
        raise ForbiddenError(
            "missing or wrong CSRF token; the request was refused",
            fix="reload the page and submit the form again",
        )


READ = Require("read")
WRITE = Require("write")
ADMIN = Require("admin")
PLAN = Require("plan")
UPLOAD = Require("write", csrf_in_body=True)


def guard(requirement: Require) -> list[Any]:
    """``dependencies=`` for a route: visible on ``route.dependencies`` for the audit test."""
    return [Depends(requirement)]


def authenticate(state: ServerState, request: Request) -> Principal | None:
    """The principal of a bearer token, else of the session cookie, else None."""
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            return None
        return token_principal(state.meta, value.strip())
    secret = session_secret(state, request)
    if secret is None:
        return None
    return session_principal(state.meta, secret, state.settings.session_times)


def session_secret(state: ServerState, request: Request) -> str | None:
    """The session secret from a correctly signed cookie, else None."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    try:
        value = state.signer.loads(cookie, salt="session")
    except BadSignature:
        return None
    return value if isinstance(value, str) else None


def is_local(request: Request) -> bool:
    return (request.url.hostname or "") in LOCAL_HOSTS


def set_cookie(
    response: Response, request: Request, name: str, value: str, *, max_age: int
) -> None:
    """HttpOnly, SameSite=Lax, path /, Secure except on a local address (plain HTTP)."""
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="lax",
        secure=not is_local(request),
    )


def set_session_cookie(response: Response, request: Request, secret: str) -> None:
    state = state_of(request)
    signed = state.signer.dumps(secret, salt="session")
    max_age = int(state.settings.session_times.max_age.total_seconds())
    set_cookie(response, request, SESSION_COOKIE, signed, max_age=max_age)


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None
