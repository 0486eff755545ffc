"""What the server holds while it runs: the workspace and its one analytics connection."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from fastapi import Request

from pilotage.data.metadata.store import MetadataStore
from pilotage.data.store import AnalyticsStore
from pilotage.data.workspace import Workspace


@dataclass
class ServerState:
    """DuckDB allows one writer per file, so the server owns the workspace's connection;
    a lock serialises its use across request threads."""

    workspace: Workspace
    store: AnalyticsStore
    meta: MetadataStore
    demo: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    @contextmanager
    def analytics(self) -> Iterator[AnalyticsStore]:
        with self.lock:
            yield self.store


def state_of(request: Request) -> ServerState:
    state: ServerState = request.app.state.pilotage
    return state
