"""What the server holds while it runs: the workspace, its one analytics connection, the
metadata store and the settings checked at start-up."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from fastapi import Request
from itsdangerous import URLSafeSerializer

from pilotage.data.metadata.store import MetadataStore
from pilotage.data.store import AnalyticsStore
from pilotage.data.workspace import Workspace
from pilotage.interfaces.api.settings import ServerSettings


@dataclass
class ServerState:
    """DuckDB allows one writer per file, so the server owns the workspace's connection;
    a lock serialises its use across request threads."""

    workspace: Workspace
    store: AnalyticsStore
    meta: MetadataStore
    settings: ServerSettings
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def demo(self) -> bool:
        return self.settings.demo

    @property
    def signer(self) -> URLSafeSerializer:
        """Signs cookie values with PILOTAGE_SECRET_KEY (a forged cookie is ignored)."""
        return URLSafeSerializer(self.settings.secret_key, salt="pilotage-cookie")

    @contextmanager
    def analytics(self) -> Iterator[AnalyticsStore]:
        with self.lock:
            yield self.store


def state_of(request: Request) -> ServerState:
    state: ServerState = request.app.state.pilotage
    return state
