"""Account use cases: sign in and out, who is asking (principal), users, tokens, audit log."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from pilotage.core.access import (
    Permission,
    role_permissions,
    scope_within_role,
    token_permissions,
)
from pilotage.data.metadata import audit, sessions, tokens, users
from pilotage.data.metadata.models import ApiToken, AuditEntry, User
from pilotage.data.metadata.store import MetadataStore
from pilotage.errors import AuthError, ForbiddenError, NotFoundError, TooManyLoginsError


@dataclass(frozen=True)
class SessionTimes:
    """How long a browser session lives: ``idle`` without a request, ``max_age`` in all."""

    idle: timedelta = timedelta(hours=12)
    max_age: timedelta = timedelta(days=7)


@dataclass(frozen=True)
class Principal:
    """Who is asking, and what they may do. ``restrictions`` (e.g. {"country": ["FR"]}) are
    carried for row-level filtering; ``csrf_token`` is set for cookie sessions only."""

    email: str
    role: str
    language: str
    display_name: str | None
    permissions: frozenset[Permission]
    via: Literal["session", "token"]
    restrictions: dict[str, list[str]] = field(default_factory=dict)
    csrf_token: str | None = None

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions


class UserInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    email: str
    display_name: str | None
    role: str
    language: str
    is_active: bool
    restrictions: dict[str, list[str]] | None
    created_at: datetime.datetime
    last_login_at: datetime.datetime | None

    @classmethod
    def of(cls, user: User) -> UserInfo:
        return cls(
            email=user.email,
            display_name=user.display_name,
            role=user.role,
            language=user.language,
            is_active=user.is_active,
            restrictions=_restrictions(user),
            created_at=user.created_at,
            last_login_at=user.last_login_at,
        )


class UsersResult(BaseModel):
    users: list[UserInfo]


class TokenInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    user: str
    name: str | None
    scope: str
    prefix: str
    created_at: datetime.datetime
    last_used_at: datetime.datetime | None
    expires_at: datetime.datetime | None
    revoked_at: datetime.datetime | None

    @classmethod
    def of(cls, token: ApiToken) -> TokenInfo:
        return cls(
            id=token.id,
            user=token.user.email,
            name=token.name,
            scope=token.scope,
            prefix=token.prefix,
            created_at=token.created_at,
            last_used_at=token.last_used_at,
            expires_at=token.expires_at,
            revoked_at=token.revoked_at,
        )


class TokenCreated(BaseModel):
    """A new token and its secret: shown this once, only its hash is kept."""

    token: TokenInfo
    secret: str


class AuditInfo(BaseModel):
    id: int
    at: datetime.datetime
    actor: str
    action: str
    target: str | None
    details: dict[str, Any] | None

    @classmethod
    def of(cls, entry: AuditEntry) -> AuditInfo:
        return cls(
            id=entry.id,
            at=entry.at,
            actor=entry.actor,
            action=entry.action,
            target=entry.target,
            details=entry.details,
        )


class AuditResult(BaseModel):
    entries: list[AuditInfo]


def _restrictions(user: User) -> dict[str, list[str]]:
    return {str(k): [str(v) for v in vs] for k, vs in (user.restrictions or {}).items()}


def _principal(
    user: User,
    permissions: frozenset[Permission],
    via: Literal["session", "token"],
    csrf_token: str | None = None,
) -> Principal:
    return Principal(
        email=user.email,
        role=user.role,
        language=user.language,
        display_name=user.display_name,
        permissions=permissions,
        via=via,
        restrictions=_restrictions(user),
        csrf_token=csrf_token,
    )


def login(
    meta: MetadataStore,
    email: str,
    password: str,
    *,
    ip: str | None,
    user_agent: str | None,
    previous: str | None,
    times: SessionTimes,
) -> tuple[Principal, str]:
    """Check the password and open a new session (revoking ``previous``, the browser's
    earlier session). Returns the principal and the session secret for the cookie."""
    with meta.session() as session:
        refused = users.too_many_failed_logins(session, email, ip)
    if refused:
        raise TooManyLoginsError(
            "too many failed sign-in attempts; sign-in is paused for this account",
            fix="wait 15 minutes and try again, or ask an admin to check the account",
        )
    # The attempt is committed on its own, so a failure counts even though we raise.
    with meta.session() as session:
        user = users.authenticate(session, email, password, ip=ip)
    if user is None:
        raise AuthError("wrong email or password", fix="check both and try again")
    with meta.session() as session:
        user = users.get_user(session, user.email)
        web_session, secret = sessions.create_session(
            session,
            user,
            idle=times.idle,
            max_age=times.max_age,
            ip=ip,
            user_agent=user_agent,
            replaces=previous,
        )
        principal = _principal(user, role_permissions(user.role), "session", web_session.csrf_token)
    return principal, secret


def session_principal(meta: MetadataStore, secret: str, times: SessionTimes) -> Principal | None:
    """The signed-in user of this session (and record the request), or None when it ended."""
    with meta.reading() as session:
        found = sessions.find_session(session, secret)
        if found is None:
            return None
        user = found.user
        principal = _principal(user, role_permissions(user.role), "session", found.csrf_token)
        stale = sessions.needs_touch(session, found)
    if stale:
        with meta.session() as session:
            live = sessions.find_session(session, secret)
            if live is not None:
                sessions.touch_session(session, live, idle=times.idle, max_age=times.max_age)
    return principal


def token_principal(meta: MetadataStore, secret: str) -> Principal | None:
    """The user behind an API token, with the permissions both role and scope grant."""
    with meta.reading() as session:
        token = tokens.find_token(session, secret)
        if token is None:
            return None
        principal = _principal(token.user, token_permissions(token.user.role, token.scope), "token")
        stale, token_id = tokens.token_needs_mark(session, token), token.id
    if stale:
        with meta.session() as session:
            tokens.mark_token_used(session, token_id)
    return principal


def logout(meta: MetadataStore, secret: str) -> None:
    with meta.session() as session:
        sessions.revoke_session(session, secret)


def add_user(
    meta: MetadataStore,
    email: str,
    role: str,
    password: str,
    *,
    actor: str,
    display_name: str | None = None,
    language: str = "fr",
    restrictions: dict[str, list[str]] | None = None,
) -> UserInfo:
    with meta.session() as session:
        user = users.create_user(
            session,
            email,
            role,
            password,
            display_name,
            language,
            restrictions=restrictions,
            actor=actor,
        )
        return UserInfo.of(user)


def list_users(meta: MetadataStore) -> UsersResult:
    with meta.reading() as session:
        return UsersResult(users=[UserInfo.of(u) for u in users.list_users(session)])


def create_token(
    meta: MetadataStore, email: str, scope: str, *, name: str | None, actor: str
) -> TokenCreated:
    """A token for ``email`` whose scope grants nothing beyond the user's role."""
    with meta.session() as session:
        user = users.get_user(session, email)
        if not scope_within_role(user.role, scope):
            raise ForbiddenError(
                f"a {user.role} cannot hold a token of scope {scope!r}",
                fix="ask for a narrower scope (read, or write for roles that may write)",
            )
        token, secret = tokens.create_token(session, user.email, scope, name, actor=actor)
        return TokenCreated(token=TokenInfo.of(token), secret=secret)


def list_tokens(meta: MetadataStore, email: str) -> list[TokenInfo]:
    with meta.reading() as session:
        return [TokenInfo.of(t) for t in tokens.list_tokens(session, email)]


def revoke_token(
    meta: MetadataStore, token_id: int, *, actor: str, owner: str | None = None
) -> TokenInfo:
    """Revoke a token. With ``owner``, only that user's token: someone else's is reported
    as not found, so that token ids of other users can't be probed."""
    with meta.session() as session:
        if owner is not None:
            mine = {t.id for t in tokens.list_tokens(session, owner)}
            if token_id not in mine:
                raise NotFoundError(f"no API token with id {token_id}", fix="list your tokens")
        return TokenInfo.of(tokens.revoke_token(session, token_id, actor=actor))


def audit_log(meta: MetadataStore, *, limit: int = 100, offset: int = 0) -> AuditResult:
    with meta.reading() as session:
        entries = audit.list_audit(session, limit=limit, offset=offset)
        return AuditResult(entries=[AuditInfo.of(e) for e in entries])


def user_info(meta: MetadataStore, email: str) -> UserInfo:
    with meta.reading() as session:
        return UserInfo.of(users.get_user(session, email))
