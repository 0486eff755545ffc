"""API tokens: a secret shown once, stored only as its SHA-256."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from pilotage.data.metadata.audit import SYSTEM_ACTOR, record_audit
from pilotage.data.metadata.clock import ensure_utc, now_of
from pilotage.data.metadata.models import SCOPES, ApiToken, Scope, User
from pilotage.data.metadata.users import get_user
from pilotage.errors import NotFoundError, UsageError

TOKEN_PREFIX = "plt_"
DISPLAY_PREFIX_LENGTH = 8
TOKEN_MARK_EVERY = timedelta(minutes=1)


def hash_secret(secret: str) -> str:
    # A plain hash is enough (no argon2): the secret has 256 random bits, nothing to guess.
    return hashlib.sha256(secret.encode()).hexdigest()


def _check_scope(scope: str) -> Scope:
    for allowed in SCOPES:
        if scope == allowed:
            return allowed
    raise UsageError(f"unknown token scope {scope!r}", fix=f"use one of {', '.join(SCOPES)}")


def create_token(
    session: Session,
    user_email: str,
    scope: str,
    name: str | None = None,
    expires_at: datetime | None = None,
    *,
    actor: str = SYSTEM_ACTOR,
) -> tuple[ApiToken, str]:
    """A new token for an active user and its secret, which is not stored and can't be
    shown again. Only admins get ``admin`` scope. Audited as ``token.create``."""
    checked_scope = _check_scope(scope)
    user = get_user(session, user_email)
    if not user.is_active:
        raise UsageError(f"user {user.email!r} is deactivated", fix="reactivate the user first")
    if checked_scope == "admin" and user.role != "admin":
        raise UsageError(
            f"user {user.email!r} has role {user.role!r}; only admins can hold admin tokens",
            fix="use scope read or write, or make the user an admin first",
        )
    now = now_of(session)
    expires = _check_expiry(expires_at, now)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name,
        scope=checked_scope,
        token_hash=hash_secret(secret),
        prefix=secret[:DISPLAY_PREFIX_LENGTH],
        created_at=now,
        expires_at=expires,
    )
    session.add(token)
    session.flush()
    details = {
        "token_id": token.id,
        "prefix": token.prefix,
        "scope": checked_scope,
        "name": name,
        "expires_at": expires.isoformat() if expires else None,
    }
    record_audit(session, actor, "token.create", user.email, details)
    return token, secret


def _check_expiry(expires_at: datetime | None, now: datetime) -> datetime | None:
    if expires_at is None:
        return None
    try:
        expires = ensure_utc(expires_at)
    except ValueError as exc:
        raise UsageError(str(exc), fix="give the expiry with a time zone") from exc
    if expires <= now:
        raise UsageError(
            f"the expiry {expires.isoformat()} is not in the future", fix="choose a later date"
        )
    return expires


def find_token(session: Session, secret: str) -> ApiToken | None:
    """The live token for this secret, or None when unknown, revoked, expired or its user is
    deactivated. Reads only."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_secret(secret)))
    if token is None or token.revoked_at is not None:
        return None
    if token.expires_at is not None and token.expires_at <= now_of(session):
        return None
    if not token.user.is_active:
        return None
    return token


def token_needs_mark(session: Session, token: ApiToken) -> bool:
    """Use is recorded to the minute: one write a minute per token, not per request."""
    last = token.last_used_at
    return last is None or now_of(session) - last >= TOKEN_MARK_EVERY


def mark_token_used(session: Session, token_id: int) -> None:
    token = session.get(ApiToken, token_id)
    if token is not None:
        token.last_used_at = now_of(session)
        session.flush()


def verify_token(session: Session, secret: str) -> tuple[User, Scope] | None:
    """The token's user and scope (see :func:`find_token`), and mark the token as used."""
    token = find_token(session, secret)
    if token is None:
        return None
    mark_token_used(session, token.id)
    return token.user, token.scope


def list_tokens(session: Session, user_email: str) -> list[ApiToken]:
    """The user's tokens (revoked and expired included), oldest first."""
    user = get_user(session, user_email)
    query = select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)
    return list(session.scalars(query))


def revoke_token(session: Session, token_id: int, *, actor: str = SYSTEM_ACTOR) -> ApiToken:
    """Revoke a token for good; audited as ``token.revoke``. Revoking twice changes nothing."""
    token = session.get(ApiToken, token_id)
    if token is None:
        raise NotFoundError(f"no API token with id {token_id}", fix="list the user's tokens")
    if token.revoked_at is None:
        token.revoked_at = now_of(session)
        session.flush()
        details = {"token_id": token.id, "prefix": token.prefix}
        record_audit(session, actor, "token.revoke", token.user.email, details)
    return token
