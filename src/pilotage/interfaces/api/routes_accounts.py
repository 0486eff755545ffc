"""REST API for accounts: users (admin), one's own tokens, the audit log (admin)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, Field

from pilotage.data.metadata.models import Language, Role, Scope
from pilotage.interfaces.api.auth import ADMIN, READ, guard
from pilotage.interfaces.api.state import ServerState, state_of
from pilotage.services import accounts
from pilotage.services.accounts import (
    AuditResult,
    Principal,
    TokenCreated,
    TokenInfo,
    UserInfo,
    UsersResult,
)

router = APIRouter(prefix="/api/v1", tags=["accounts"])
State = Annotated[ServerState, Depends(state_of)]
#: Largest id or offset the databases store (signed 64-bit); larger values are refused (422).
MAX_ID = 2**63 - 1


class NewUser(BaseModel):
    email: str
    role: Role
    password: str = Field(min_length=10)
    display_name: str | None = None
    language: Language = "fr"
    restrictions: dict[str, list[str]] | None = None


class NewToken(BaseModel):
    scope: Scope
    name: str | None = Field(default=None, max_length=200)


@router.get("/me", response_model=UserInfo, dependencies=guard(READ), summary="Who am I")
def me(state: State, principal: Annotated[Principal, Depends(READ)]) -> UserInfo:
    return accounts.user_info(state.meta, principal.email)


@router.get("/users", response_model=UsersResult, dependencies=guard(ADMIN), summary="Users")
def get_users(state: State) -> UsersResult:
    return accounts.list_users(state.meta)


@router.post(
    "/users", response_model=UserInfo, status_code=201, dependencies=guard(ADMIN), summary="Add"
)
def post_user(
    state: State, body: NewUser, principal: Annotated[Principal, Depends(ADMIN)]
) -> UserInfo:
    return accounts.add_user(
        state.meta,
        body.email,
        body.role,
        body.password,
        actor=principal.email,
        display_name=body.display_name,
        language=body.language,
        restrictions=body.restrictions,
    )


@router.get(
    "/tokens", response_model=list[TokenInfo], dependencies=guard(READ), summary="My tokens"
)
def get_tokens(state: State, principal: Annotated[Principal, Depends(READ)]) -> list[TokenInfo]:
    return accounts.list_tokens(state.meta, principal.email)


@router.post(
    "/tokens",
    response_model=TokenCreated,
    status_code=201,
    dependencies=guard(READ),
    summary="Create one of my tokens (the secret is shown once)",
)
def post_token(
    state: State, body: NewToken, principal: Annotated[Principal, Depends(READ)]
) -> TokenCreated:
    return accounts.create_token(
        state.meta, principal.email, body.scope, name=body.name, actor=principal.email
    )


@router.delete(
    "/tokens/{token_id}",
    response_model=TokenInfo,
    dependencies=guard(READ),
    summary="Revoke a token (an admin may revoke anyone's)",
)
def delete_token(
    state: State,
    token_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    principal: Annotated[Principal, Depends(READ)],
) -> TokenInfo:
    owner = None if principal.can("admin") else principal.email
    return accounts.revoke_token(state.meta, token_id, actor=principal.email, owner=owner)


@router.get("/audit", response_model=AuditResult, dependencies=guard(ADMIN), summary="Audit log")
def get_audit(
    state: State,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> AuditResult:
    return accounts.audit_log(state.meta, limit=limit, offset=offset)
