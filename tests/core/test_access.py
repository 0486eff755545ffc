"""The roles -> permissions policy."""

from __future__ import annotations

import pytest

from pilotage.core.access import (
    ROLE_PERMISSIONS,
    SCOPE_PERMISSIONS,
    role_permissions,
    scope_within_role,
    token_permissions,
)
from pilotage.data.metadata.models import ROLES, SCOPES


def test_every_role_and_scope_has_a_policy() -> None:
    assert set(ROLE_PERMISSIONS) == set(ROLES)
    assert set(SCOPE_PERMISSIONS) == set(SCOPES)


def test_roles() -> None:
    assert role_permissions("admin") == {"read", "write", "plan", "admin"}
    assert role_permissions("cmo") == role_permissions("marketing") == {"read", "write", "plan"}
    assert role_permissions("sales") == {"read", "plan"}  # co-owns target lists and goals
    for role in ("finance", "viewer"):
        assert role_permissions(role) == {"read"}
    assert role_permissions("intruder") == frozenset()


def test_plan_comes_with_the_write_and_admin_scopes_only() -> None:
    assert [s for s in SCOPES if "plan" in SCOPE_PERMISSIONS[s]] == ["write", "admin"]
    assert token_permissions("sales", "read") == {"read"}
    assert token_permissions("sales", "write") == {"read", "plan"}  # never write
    assert not scope_within_role("sales", "write") and scope_within_role("sales", "read")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("scope", SCOPES)
def test_a_token_never_exceeds_its_user_or_its_scope(role: str, scope: str) -> None:
    granted = token_permissions(role, scope)
    assert granted <= role_permissions(role) and granted <= SCOPE_PERMISSIONS[scope]
    assert scope_within_role(role, scope) == (SCOPE_PERMISSIONS[scope] <= role_permissions(role))


def test_examples() -> None:
    assert token_permissions("viewer", "write") == {"read"}
    assert token_permissions("admin", "read") == {"read"}
    assert not scope_within_role("cmo", "admin") and scope_within_role("cmo", "write")
