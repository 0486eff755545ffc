"""Build the demo company into a workspace: generated tables, ground truth, demo logins."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from pilotage.data.demo.config import DemoConfig
from pilotage.data.demo.generate import generate
from pilotage.data.loader import store_typed
from pilotage.data.metadata.imports import record_import
from pilotage.data.metadata.models import ROLES
from pilotage.data.metadata.users import create_user, find_user
from pilotage.data.schema import TABLES
from pilotage.data.settings import SETTINGS_FILE
from pilotage.data.typed import TypedTable
from pilotage.data.workspace import (
    ANALYTICS_FILE,
    GROUND_TRUTH_FILE,
    METADATA_FILE,
    Workspace,
)
from pilotage.errors import WorkspaceError
from pilotage.services.allbound_demo import seed_allbound
from pilotage.services.plans_demo import seed_demo_plans
from pilotage.services.workspaces import analytics, init_workspace, metadata

#: Load order: rates before money, campaigns before the rows whose channel they give.
LOAD_ORDER = (
    "fx_rates",
    "campaigns",
    "accounts",
    "people",
    "spend",
    "touchpoints",
    "conversions",
    "opportunities",
    "orders",
    "subscriptions",
    "product_events",
    "surveys",
    "conversations",
    "experiments",
    "costs",
)
DEMO_DOMAIN = "demo.pilotage.fr"


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str
    password: str


@dataclass(frozen=True)
class DemoBuild:
    workspace: Workspace
    rows: dict[str, int]
    logins: tuple[DemoLogin, ...]


def demo_logins() -> tuple[DemoLogin, ...]:
    """One login per role; public by design, the demo holds no real data."""
    return tuple(DemoLogin(f"{r}@{DEMO_DOMAIN}", r, f"pilotage-{r}") for r in ROLES)


def build_demo(
    root: Path, config: DemoConfig, progress: Callable[[str], None] = lambda _: None
) -> DemoBuild:
    """Generate the demo company into ``root``, replacing an earlier demo there.

    A folder that holds a workspace which is not a demo (no ground truth file) is refused:
    the demo never overwrites a user's data.
    """
    _clear_previous_demo(root)
    progress("generating the demo company")
    company = generate(config)
    workspace = init_workspace(root, name="Clairval (demo)")
    if set(company.tables) != set(TABLES):
        missing = sorted(set(TABLES) - set(company.tables))
        raise WorkspaceError(f"the demo generator produced no table for {missing}")
    rows: dict[str, int] = {}
    source = f"demo(seed={config.seed}, months={config.months}, scale={config.scale})"
    started = datetime.now(UTC)
    with analytics(workspace, write=True) as store, metadata(workspace) as meta:
        for name in LOAD_ORDER:
            progress(f"loading {name}")
            data = _with_currency(company.tables[name], workspace.settings.reporting_currency)
            typed = TypedTable(source, name, data, pa.array(range(2, data.num_rows + 2)))
            digest = hashlib.sha256(f"{source}:{name}".encode()).hexdigest()
            report = store_typed(
                store,
                workspace.settings,
                typed,
                file_name=source,
                sha256=digest,
                source_adapter="demo",
            )
            rows[name] = report.rows_in_file
            with meta.session() as session:
                record_import(
                    session,
                    actor="system",
                    table_name=name,
                    file_name=source,
                    sha256=digest,
                    status="succeeded",
                    started_at=started,
                    rows_in_file=report.rows_in_file,
                    inserted=report.inserted,
                    updated=report.updated,
                    unchanged=report.unchanged,
                    source_adapter="demo",
                )
        progress("creating demo logins")
        logins = demo_logins()
        with meta.session() as session:
            for login in logins:
                if find_user(session, login.email) is not None:
                    continue  # a shared metadata database (PostgreSQL) keeps them
                create_user(
                    session,
                    login.email,
                    login.role,
                    login.password,
                    display_name=f"Demo {login.role}",
                    actor="system",
                )
        seed_allbound(store, workspace.settings, meta)
        seed_demo_plans(store, workspace.settings, meta)
    workspace.ground_truth_path.write_text(
        json.dumps(company.ground_truth, sort_keys=True, indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    return DemoBuild(workspace, rows, logins)


def _with_currency(data: pa.Table, reporting_currency: str) -> pa.Table:
    if "currency" not in data.column_names:
        return data
    index = data.column_names.index("currency")
    filled = pc.fill_null(data.column("currency"), reporting_currency)
    return data.set_column(index, "currency", filled)


def _clear_previous_demo(root: Path) -> None:
    if not (root / SETTINGS_FILE).exists():
        return
    if not (root / GROUND_TRUTH_FILE).exists():
        raise WorkspaceError(
            f"{root} holds a workspace that is not a demo; the demo will not overwrite it",
            fix="choose another folder with --workspace",
        )
    for name in (
        ANALYTICS_FILE,
        f"{ANALYTICS_FILE}.wal",
        METADATA_FILE,
        f"{METADATA_FILE}-wal",
        f"{METADATA_FILE}-shm",
        GROUND_TRUTH_FILE,
    ):
        (root / name).unlink(missing_ok=True)
    shutil.rmtree(root / "uploads", ignore_errors=True)
