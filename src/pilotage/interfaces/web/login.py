"""Sign-in and sign-out pages.

The login form is protected against cross-site posting by a double-submit token: a random
value both in a signed, HttpOnly cookie and in the form; a forged form can't know it.
"""

from __future__ import annotations

import secrets
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from itsdangerous import BadSignature

from pilotage.errors import AuthError, TooManyLoginsError
from pilotage.interfaces.api.auth import (
    READ,
    SESSION_COOKIE,
    check_csrf,
    client_ip,
    guard,
    session_secret,
    set_cookie,
    set_session_cookie,
)
from pilotage.interfaces.api.state import ServerState, state_of
from pilotage.interfaces.formatting import check_lang
from pilotage.interfaces.web import wording
from pilotage.interfaces.web.render import render
from pilotage.services import accounts

router = APIRouter(include_in_schema=False)
State = Annotated[ServerState, Depends(state_of)]
LOGIN_CSRF_COOKIE = "pilotage_login_csrf"
_LOGIN_FORM_SECONDS = 3600


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site only (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(c) < 32 or c == "\\" for c in target):
        return "/"
    return target


def _demo_logins(state: ServerState) -> list[tuple[str, str, str]]:
    if not state.demo:
        return []
    # Imported only in demo mode: the module brings the demo company generator with it.
    from pilotage.services.demo import demo_logins

    return [(d.email, d.password, d.role) for d in demo_logins()]


def _form(
    request: Request,
    state: ServerState,
    lang: str | None,
    next_url: str | None,
    *,
    email: str = "",
    error: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    language = check_lang(lang)
    token = secrets.token_urlsafe(32)
    response = render(
        request,
        "login.html",
        "login",
        language,
        status_code=status_code,
        csrf_token=token,
        next_url=safe_next(next_url),
        email=email,
        error=error,
        demo_logins=_demo_logins(state),
    )
    signed = state.signer.dumps(token, salt="login-csrf")
    set_cookie(response, request, LOGIN_CSRF_COOKIE, signed, max_age=_LOGIN_FORM_SECONDS)
    return response


@router.get("/login", response_class=HTMLResponse)
def login_page(
    request: Request,
    state: State,
    lang: Annotated[str | None, Query()] = None,
    next: Annotated[str | None, Query()] = None,
) -> HTMLResponse:
    return _form(request, state, lang, next)


@router.post("/login", response_class=HTMLResponse)
async def login_submit(
    request: Request,
    state: State,
    email: Annotated[str, Form(max_length=320)],
    password: Annotated[str, Form(max_length=1000)],
    csrf_token: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
    lang: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(csrf_token, _login_token(state, request))
    language = check_lang(lang)
    try:
        _, secret = await run_in_threadpool(
            accounts.login,
            state.meta,
            email,
            password,
            ip=client_ip(request),
            user_agent=request.headers.get("user-agent"),
            previous=session_secret(state, request),
            times=state.settings.session_times,
        )
    except TooManyLoginsError:
        message = wording.text("too_many", language)
        return _form(request, state, lang, next, email=email, error=message, status_code=429)
    except AuthError:
        message = wording.text("wrong_login", language)
        return _form(request, state, lang, next, email=email, error=message, status_code=401)
    response = RedirectResponse(safe_next(next), status_code=303)
    set_session_cookie(response, request, secret)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/")
    return response


def _login_token(state: ServerState, request: Request) -> str:
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    try:
        value = state.signer.loads(cookie, salt="login-csrf")
    except BadSignature:
        return ""
    return value if isinstance(value, str) else ""


@router.post("/logout", dependencies=guard(READ))
def logout(request: Request, state: State) -> RedirectResponse:
    secret = session_secret(state, request)
    if secret is not None:
        accounts.logout(state.meta, secret)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
