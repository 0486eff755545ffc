"""What the server holds while it runs: the workspace, its one analytics connection, the
metadata store, the settings checked at start-up and a cache of computed results."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Concatenate, ParamSpec, TypeVar

from fastapi import Request
from itsdangerous import URLSafeSerializer

from pilotage.data.metadata.store import MetadataStore
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.data.workspace import Workspace
from pilotage.interfaces.api.settings import ServerSettings
from pilotage.services.cache import ResultCache, call_key

P = ParamSpec("P")
T = TypeVar("T")


@dataclass
class ServerState:
    """DuckDB allows one writer per file, so the server owns the workspace's connection;
    a lock serialises its use across request threads. Because no other process writes the
    workspace meanwhile, ``data_version`` (bumped by every write) tells whether a cached
    result is still current."""

    workspace: Workspace
    store: AnalyticsStore
    meta: MetadataStore
    settings: ServerSettings
    lock: threading.Lock = field(default_factory=threading.Lock)
    cache: ResultCache = field(default_factory=ResultCache)
    data_version: int = 0

    @property
    def demo(self) -> bool:
        return self.settings.demo

    @property
    def signer(self) -> URLSafeSerializer:
        """Signs cookie values with PILOTAGE_SECRET_KEY (a forged cookie is ignored)."""
        return URLSafeSerializer(self.settings.secret_key, salt="pilotage-cookie")

    @contextmanager
    def analytics(self, *, write: bool = False) -> Iterator[AnalyticsStore]:
        """The store, for this thread alone. ``write=True`` (loads) retires every cached
        result, even when the load fails: a rolled-back load costs one recomputation only."""
        with self.lock:
            try:
                yield self.store
            finally:
                if write:
                    self.data_version += 1
                    self.cache.clear()

    def computed(
        self,
        service: Callable[Concatenate[AnalyticsStore, WorkspaceSettings, P], T],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """``service(store, settings, *args, **kwargs)``, from the cache when the same call
        was made on the same data version."""

        def compute() -> T:
            with self.analytics() as store:
                return service(store, self.workspace.settings, *args, **kwargs)

        key = call_key(service, self.data_version, args, kwargs)
        return self.cache.get_or_compute(key, compute)


def state_of(request: Request) -> ServerState:
    state: ServerState = request.app.state.pilotage
    return state
