"""Browser sessions, kept on the server so that logout and rotation take effect at once.

The cookie carries a random secret; the row's id is its SHA-256. A session ends at the
first of: ``idle`` without a request, ``max_age`` after login, logout, or a new login
from the same browser (rotation).
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy.orm import Session

from pilotage.data.metadata.audit import record_audit
from pilotage.data.metadata.clock import now_of
from pilotage.data.metadata.models import User, WebSession
from pilotage.data.metadata.tokens import hash_secret

_USER_AGENT_LENGTH = 500


TOUCH_EVERY = timedelta(minutes=1)


def create_session(
    session: Session,
    user: User,
    *,
    idle: timedelta,
    max_age: timedelta,
    ip: str | None = None,
    user_agent: str | None = None,
    replaces: str | None = None,
) -> tuple[WebSession, str]:
    """A new session for ``user`` and its secret (for the cookie; not stored).

    ``replaces`` is the secret of the session the browser held before this login: it is
    revoked, so a session id planted before login (fixation) is worthless after it.
    Audited as ``user.login``.
    """
    if replaces is not None:
        _revoke(session, find_session(session, replaces))
    now = now_of(session)
    secret = secrets.token_urlsafe(32)
    web_session = WebSession(
        id=hash_secret(secret),
        user=user,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        last_seen_at=now,
        expires_at=min(now + idle, now + max_age),
        ip=ip,
        user_agent=user_agent[:_USER_AGENT_LENGTH] if user_agent else None,
    )
    session.add(web_session)
    session.flush()
    record_audit(session, user.email, "user.login", user.email, {"ip": ip})
    return web_session, secret


def find_session(session: Session, secret: str) -> WebSession | None:
    """The live session for this secret, or None when unknown, ended or its user is inactive."""
    found = session.get(WebSession, hash_secret(secret))
    if found is None or found.revoked_at is not None:
        return None
    if found.expires_at <= now_of(session) or not found.user.is_active:
        return None
    return found


def needs_touch(session: Session, web_session: WebSession) -> bool:
    """Requests are recorded to the minute: one write a minute per session, not per request."""
    return now_of(session) - web_session.last_seen_at >= TOUCH_EVERY


def touch_session(
    session: Session, web_session: WebSession, *, idle: timedelta, max_age: timedelta
) -> None:
    """Record a request: the idle deadline moves on, never past ``max_age`` after login."""
    now = now_of(session)
    web_session.last_seen_at = now
    web_session.expires_at = min(now + idle, web_session.created_at + max_age)
    session.flush()


def revoke_session(session: Session, secret: str) -> WebSession | None:
    """End the session (logout); audited as ``user.logout``. Unknown or ended: None."""
    found = find_session(session, secret)
    if found is None:
        return None
    _revoke(session, found)
    record_audit(session, found.user.email, "user.logout", found.user.email, None)
    return found


def _revoke(session: Session, web_session: WebSession | None) -> None:
    if web_session is not None and web_session.revoked_at is None:
        web_session.revoked_at = now_of(session)
        session.flush()
