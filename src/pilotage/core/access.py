"""Who may do what: roles and token scopes mapped to permissions, as plain data.

Every route declares one permission; a user holds the permissions of their role, and an API
token holds only those both its user's role and its scope grant, so a token can never do
more than its user.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

#: ``plan`` is narrower than ``write``: edit the target account lists, their goals and the
#: engagement weights, which sales and marketing own together (sales holds it without
#: ``write``, so sales still cannot load data or change anything else).
Permission = Literal["read", "write", "admin", "plan"]

_READ: frozenset[Permission] = frozenset({"read"})
_PLAN: frozenset[Permission] = frozenset({"read", "plan"})
_WRITE: frozenset[Permission] = frozenset({"read", "write", "plan"})
_ADMIN: frozenset[Permission] = frozenset({"read", "write", "plan", "admin"})

ROLE_PERMISSIONS: Mapping[str, frozenset[Permission]] = {
    "admin": _ADMIN,
    "cmo": _WRITE,
    "marketing": _WRITE,
    "sales": _PLAN,
    "finance": _READ,
    "viewer": _READ,
}

SCOPE_PERMISSIONS: Mapping[str, frozenset[Permission]] = {
    "read": _READ,
    "write": _WRITE,
    "admin": _ADMIN,
}


def role_permissions(role: str) -> frozenset[Permission]:
    """The role's permissions; an unknown role (e.g. from a newer database) grants nothing."""
    return ROLE_PERMISSIONS.get(role, frozenset())


def token_permissions(role: str, scope: str) -> frozenset[Permission]:
    """What a token may do: its user's role permissions intersected with its scope's."""
    return role_permissions(role) & SCOPE_PERMISSIONS.get(scope, frozenset())


def scope_within_role(role: str, scope: str) -> bool:
    """Whether a user of ``role`` may create a token of ``scope`` (a scope is never wider)."""
    wanted = SCOPE_PERMISSIONS.get(scope)
    return wanted is not None and wanted <= role_permissions(role)
