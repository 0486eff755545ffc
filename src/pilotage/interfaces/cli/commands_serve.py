"""serve: run the dashboard and API for one workspace."""

from __future__ import annotations

from typing import Annotated

import typer

from pilotage.data.workspace import Workspace
from pilotage.interfaces.cli.options import WorkspaceOption, workspace_of


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    workspace: WorkspaceOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port.")] = 8000,
) -> None:
    """Serve the dashboard and the REST API (the server owns the workspace while it runs)."""
    run_server(workspace_of(workspace), host=host, port=port, demo=False)


def run_server(workspace: Workspace, *, host: str, port: int, demo: bool) -> None:
    import uvicorn

    from pilotage.interfaces.api.app import create_app

    print(f"Pilotage is serving {workspace.root} on http://{host}:{port}", flush=True)
    uvicorn.run(create_app(workspace, demo=demo), host=host, port=port, log_level="warning")
