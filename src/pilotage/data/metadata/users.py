"""Users: creation, roles, password authentication and login rate limiting."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from pilotage.data.metadata.audit import SYSTEM_ACTOR, record_audit
from pilotage.data.metadata.clock import now_of
from pilotage.data.metadata.models import (
    LANGUAGES,
    ROLES,
    Language,
    LoginAttempt,
    Role,
    User,
)
from pilotage.errors import NotFoundError, UsageError

MIN_PASSWORD_LENGTH = 10


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()


@cache
def _dummy_hash() -> str:
    # Verifying against this when the email is unknown makes both answers cost the same.
    return _hasher().hash("pilotage-no-such-user")


def normalize_email(email: str) -> str:
    return email.strip().lower()


def _check_email(email: str) -> str:
    normalized = normalize_email(email)
    local, at, domain = normalized.partition("@")
    if not (local and at and domain) or any(c.isspace() for c in normalized):
        raise UsageError(f"{email!r} is not an email address", fix="use name@domain")
    return normalized


def check_role(role: str) -> Role:
    for allowed in ROLES:
        if role == allowed:
            return allowed
    raise UsageError(f"unknown role {role!r}", fix=f"use one of {', '.join(ROLES)}")


def _check_language(language: str) -> Language:
    for allowed in LANGUAGES:
        if language == allowed:
            return allowed
    raise UsageError(f"unknown language {language!r}", fix=f"use one of {', '.join(LANGUAGES)}")


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UsageError(
            f"the password has {len(password)} characters, fewer than {MIN_PASSWORD_LENGTH}",
            fix=f"choose a password of at least {MIN_PASSWORD_LENGTH} characters",
        )


def _check_restrictions(restrictions: dict[str, list[str]] | None) -> None:
    if restrictions is None:
        return
    for column, values in restrictions.items():
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise UsageError(
                f"restriction on {column!r} must be a list of values, not {values!r}",
                fix='write e.g. {"country": ["FR", "BE"]}',
            )


def find_user(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalize_email(email)))


def get_user(session: Session, email: str) -> User:
    user = find_user(session, email)
    if user is None:
        raise NotFoundError(f"no user {normalize_email(email)!r}", fix="list users to check")
    return user


def create_user(
    session: Session,
    email: str,
    role: str,
    password: str,
    display_name: str | None = None,
    language: str = "fr",
    *,
    restrictions: dict[str, list[str]] | None = None,
    actor: str = SYSTEM_ACTOR,
) -> User:
    """Create an active user with an argon2 password hash; audited as ``user.create``."""
    normalized = _check_email(email)
    checked_role = check_role(role)
    checked_language = _check_language(language)
    _check_password(password)
    _check_restrictions(restrictions)
    if find_user(session, normalized) is not None:
        raise UsageError(
            f"a user with email {normalized!r} already exists",
            fix="choose another email, or change the existing user's role",
        )
    user = User(
        email=normalized,
        display_name=display_name,
        role=checked_role,
        password_hash=_hasher().hash(password),
        is_active=True,
        language=checked_language,
        restrictions=dict(restrictions) if restrictions is not None else None,
        created_at=now_of(session),
    )
    session.add(user)
    session.flush()
    details: dict[str, Any] = {"role": checked_role, "language": checked_language}
    if restrictions is not None:
        details["restrictions"] = restrictions
    record_audit(session, actor, "user.create", normalized, details)
    return user


def list_users(session: Session, *, include_inactive: bool = True) -> list[User]:
    query = select(User).order_by(User.email)
    if not include_inactive:
        query = query.where(User.is_active.is_(True))
    return list(session.scalars(query))


def set_role(session: Session, email: str, role: str, *, actor: str = SYSTEM_ACTOR) -> User:
    """Change a user's role; audited as ``user.set_role`` with the old and new role."""
    checked_role = check_role(role)
    user = get_user(session, email)
    previous = user.role
    if previous != checked_role:
        user.role = checked_role
        session.flush()
        record_audit(
            session, actor, "user.set_role", user.email, {"from": previous, "to": checked_role}
        )
    return user


def authenticate(
    session: Session, email: str, password: str, *, ip: str | None = None
) -> User | None:
    """The active user with this email and password, or None; every attempt is logged.

    Login attempts (not the audit log) record authentication, so that a password-guessing
    run can't bury real changes in the audit trail.
    """
    normalized = normalize_email(email)
    user = find_user(session, normalized)
    stored = user.password_hash if user is not None else _dummy_hash()
    verified = _verify(stored, password)
    success = verified and user is not None and user.is_active
    now = now_of(session)
    session.add(LoginAttempt(email=normalized, at=now, ip=ip, success=success))
    if not success or user is None:
        session.flush()
        return None
    if _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = _hasher().hash(password)
    user.last_login_at = now
    session.flush()
    return user


def _verify(stored_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def too_many_failed_logins(
    session: Session,
    email: str,
    ip: str | None,
    window_minutes: int = 15,
    limit: int = 5,
    *,
    ip_limit: int = 20,
) -> bool:
    """Whether to refuse a login before checking the password.

    True when the email has had ``limit`` failures within the window since its last
    success, or the IP ``ip_limit`` failures (higher, since an office shares one address).
    """
    since = now_of(session) - timedelta(minutes=window_minutes)
    normalized = normalize_email(email)
    last_success = session.scalar(
        select(func.max(LoginAttempt.at)).where(
            LoginAttempt.email == normalized, LoginAttempt.success.is_(True)
        )
    )
    email_since = max(since, last_success) if last_success is not None else since
    if _failures(session, LoginAttempt.email == normalized, email_since) >= limit:
        return True
    return ip is not None and _failures(session, LoginAttempt.ip == ip, since) >= ip_limit


def _failures(session: Session, who: ColumnElement[bool], since: datetime) -> int:
    query = select(func.count()).where(
        who, LoginAttempt.success.is_(False), LoginAttempt.at > since
    )
    return session.scalar(query) or 0
