"""A workspace: one folder with settings, the analytics file and the metadata store."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from pilotage.data.settings import SETTINGS_FILE, WorkspaceSettings, read_settings, render_settings
from pilotage.errors import WorkspaceError

ANALYTICS_FILE = "analytics.duckdb"
METADATA_FILE = "metadata.db"
GROUND_TRUTH_FILE = "ground_truth.json"
ENV_WORKSPACE = "PILOTAGE_WORKSPACE"
ENV_DATABASE_URL = "PILOTAGE_DATABASE_URL"


@dataclass(frozen=True)
class Workspace:
    root: Path
    settings: WorkspaceSettings

    @property
    def analytics_path(self) -> Path:
        return self.root / ANALYTICS_FILE

    @property
    def metadata_url(self) -> str:
        """Environment first, then pilotage.toml, then SQLite inside the folder."""
        env = os.environ.get(ENV_DATABASE_URL, "").strip()
        if env:
            return env
        if self.settings.metadata_url:
            return self.settings.metadata_url
        return f"sqlite:///{self.root / METADATA_FILE}"

    @property
    def ground_truth_path(self) -> Path:
        return self.root / GROUND_TRUTH_FILE


def resolve_root(workspace: Path | None) -> Path:
    """--workspace, else $PILOTAGE_WORKSPACE, else the current folder."""
    if workspace is not None:
        return workspace
    env = os.environ.get(ENV_WORKSPACE, "").strip()
    return Path(env) if env else Path.cwd()


def open_workspace(workspace: Path | None) -> Workspace:
    root = resolve_root(workspace)
    if not root.exists():
        raise WorkspaceError(
            f"workspace folder {root} does not exist",
            fix=f"run 'pilotage init {root}' or pass --workspace with an existing workspace",
        )
    if not (root / SETTINGS_FILE).is_file():
        raise WorkspaceError(
            f"{root} is not a Pilotage workspace (no {SETTINGS_FILE})",
            fix=f"run 'pilotage init {root}' or pass --workspace DIR",
        )
    return Workspace(root.resolve(), read_settings(root / SETTINGS_FILE))


def create_workspace_folder(root: Path, settings: WorkspaceSettings) -> Workspace:
    """Create the folder and pilotage.toml; an existing workspace is kept as it is."""
    if (root / SETTINGS_FILE).is_file():
        return Workspace(root.resolve(), read_settings(root / SETTINGS_FILE))
    try:
        root.mkdir(parents=True, exist_ok=True)
        probe = root / ".pilotage-write-test"
        probe.write_text("ok", encoding="utf-8")
        probe.unlink()
        (root / SETTINGS_FILE).write_text(render_settings(settings), encoding="utf-8")
    except OSError as exc:
        raise WorkspaceError(
            f"cannot create a workspace in {root}: {exc.strerror or exc}",
            fix="choose a folder you can write to",
        ) from exc
    return Workspace(root.resolve(), settings)
