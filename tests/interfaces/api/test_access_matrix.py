"""Deny by default: every route of the app, called by every role and by nobody."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from fastapi.routing import RouteContext, iter_route_contexts
from starlette.routing import Mount

from pilotage.core.access import role_permissions
from pilotage.data.metadata.models import ROLES
from pilotage.interfaces.api.app import PUBLIC_PATHS
from pilotage.interfaces.api.auth import Require

if TYPE_CHECKING:
    from conftest import Server

SAMPLE_PARAMS = {
    "table": "spend",
    "token_id": "999999",
    "fmt": "csv",
    "kind": "weekly",
    # Planning objects: ids that do not exist (a 404 proves the permission was granted).
    "initiative_id": "999999",
    "objective_id": "999999",
    "list_id": "999999",
    "account_id": "unknown-account",
    "alert_id": "999999",
    "committee_id": "999999",
    "decision_id": "999999",
    "action_id": "999999",
    "scenario_id": "999999",
    "experiment_id": "unknown-experiment",
}
#: Sent with every call; routes that don't know a parameter ignore it (HTML is the fast pack).
SAMPLE_QUERY = {"format": "html"}


def requirement(route: RouteContext) -> Require | None:
    declared = getattr(route, "dependencies", [])  # plain Starlette routes have none
    found = [d.dependency for d in declared if isinstance(d.dependency, Require)]
    assert len(found) <= 1, f"{route.path} declares several permissions"
    return found[0] if found else None


def calls(server: Server) -> list[tuple[str, str, Require | None]]:
    out = []
    # Included routers are expanded lazily by FastAPI: walk their effective routes.
    for route in iter_route_contexts(server.app.routes):
        assert route.path is not None
        if isinstance(route.original_route, Mount):
            assert route.path.startswith("/static"), f"unexpected mount {route.path}"
            continue
        needed = requirement(route)
        if needed is None:
            assert route.path in PUBLIC_PATHS, f"{route.path} declares no Require(...)"
        path = re.sub(r"{(\w+)}", lambda m: SAMPLE_PARAMS[m.group(1)], route.path)
        out += [(method, path, needed) for method in sorted(route.methods or ())]
    return out


def test_every_route_is_public_or_declares_a_permission(server: Server) -> None:
    protected = [c for c in calls(server) if c[2] is not None]
    assert len(protected) >= 15


def test_every_route_against_every_role(server: Server) -> None:
    anonymous = server.client()
    clients = {role: server.client() for role in ROLES}
    for role, client in clients.items():
        assert server.login(client, role).status_code == 303
    csrf = {role: server.session_csrf(c) for role, c in clients.items()}
    failures = []
    for method, path, needed in calls(server):
        if needed is None:
            continue
        status = anonymous.request(method, path, params=SAMPLE_QUERY).status_code
        if status != 401 and not (status == 303 and method == "GET"):
            failures.append(f"anonymous {method} {path}: {status}")
        for role, client in clients.items():
            if method == "POST" and path == "/logout":
                continue  # would end the session the other calls use; tested elsewhere
            headers = {"X-CSRF-Token": csrf[role]}
            status = client.request(method, path, params=SAMPLE_QUERY, headers=headers).status_code
            allowed = needed.permission in role_permissions(role)
            if allowed and status in (401, 403):
                failures.append(f"{role} {method} {path}: {status}, expected access")
            if not allowed and status != 403:
                failures.append(f"{role} {method} {path}: {status}, expected 403")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("path", ["/healthz", "/openapi.json", "/login", "/static/app.js"])
def test_public_routes_need_no_credentials(server: Server, path: str) -> None:
    assert server.client().get(path).status_code == 200
