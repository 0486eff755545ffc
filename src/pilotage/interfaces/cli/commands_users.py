"""user and token commands: accounts are managed in the metadata store only, so they work
while the server runs (it owns the analytics file, not the metadata store)."""

from __future__ import annotations

import getpass
import sys
from typing import Annotated

import typer

from pilotage.data.metadata.audit import cli_actor
from pilotage.data.metadata.models import Role, Scope
from pilotage.errors import UsageError
from pilotage.interfaces.cli.options import FormatOption, WorkspaceOption, emit, workspace_of
from pilotage.services import accounts
from pilotage.services.workspaces import metadata

user_app = typer.Typer(help="Accounts: add and list users.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens: create (shown once) and revoke.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(user_app, name="user")
    app.add_typer(token_app, name="token")


@user_app.command("add")
def user_add(
    email: Annotated[str, typer.Argument(help="The user's email (their login).")],
    role: Annotated[Role, typer.Option(help="admin, cmo, marketing, sales, finance or viewer.")],
    password_stdin: Annotated[
        bool,
        typer.Option(
            "--password-stdin",
            help="Read the password from stdin (never from the command line, which others "
            "can see in the process list).",
        ),
    ] = False,
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
    language: Annotated[str, typer.Option(help="fr or en.")] = "fr",
    workspace: WorkspaceOption = None,
) -> None:
    """Add a user with a role; the password is read from stdin."""
    if not password_stdin:
        raise UsageError(
            "the password must come from stdin",
            fix="pass --password-stdin and pipe it in, e.g. "
            "printf '%s' \"$PASSWORD\" | pilotage user add EMAIL --role viewer --password-stdin",
        )
    password = sys.stdin.readline().rstrip("\r\n")
    with metadata(workspace_of(workspace)) as meta:
        user = accounts.add_user(
            meta,
            email,
            role,
            password,
            actor=cli_actor(getpass.getuser()),
            display_name=name,
            language=language,
        )
    print(f"user {user.email} added with role {user.role}")


@user_app.command("list")
def user_list(workspace: WorkspaceOption = None, fmt: FormatOption = "table") -> None:
    """Every user, with role and last login."""
    with metadata(workspace_of(workspace)) as meta:
        result = accounts.list_users(meta)
    rows = [u.model_dump(mode="json") for u in result.users]
    emit(result, fmt, rows, ["email", "role", "language", "is_active", "last_login_at"])


@token_app.command("create")
def token_create(
    user: Annotated[str, typer.Option("--user", help="Email of the token's owner.")],
    scope: Annotated[Scope, typer.Option(help="read, write or admin (never above the role).")],
    name: Annotated[str | None, typer.Option(help="What the token is for.")] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Create an API token and print its secret (shown this once, stored only hashed)."""
    with metadata(workspace_of(workspace)) as meta:
        created = accounts.create_token(
            meta, user, scope, name=name, actor=cli_actor(getpass.getuser())
        )
    print(created.secret)
    print(
        f"token {created.token.id} ({created.token.scope}) for {created.token.user}: "
        "copy the secret above now, it will not be shown again",
        file=sys.stderr,
    )


@token_app.command("revoke")
def token_revoke(
    token_id: Annotated[int, typer.Argument(metavar="ID", help="The token's id.")],
    workspace: WorkspaceOption = None,
) -> None:
    """Revoke an API token for good."""
    with metadata(workspace_of(workspace)) as meta:
        token = accounts.revoke_token(meta, token_id, actor=cli_actor(getpass.getuser()))
    print(f"token {token.id} of {token.user} revoked")
