"""The web application: REST API, pages and static assets, built by a factory (no import-time
side effects)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from importlib.resources import files

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles

from pilotage import __version__
from pilotage.data.metadata.store import MetadataStore
from pilotage.data.store import AnalyticsStore
from pilotage.data.workspace import Workspace
from pilotage.interfaces.api import errors, routes_v1
from pilotage.interfaces.api.state import ServerState
from pilotage.interfaces.web import pages
from pilotage.interfaces.web.assets import frontend_dist

#: No inline script and no eval: charts use Vega's expression interpreter.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)


def create_app(workspace: Workspace, *, demo: bool = False) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = AnalyticsStore.open(workspace.analytics_path)
        meta = MetadataStore.open(workspace.metadata_url)
        meta.upgrade()
        app.state.pilotage = ServerState(workspace, store, meta, demo=demo)
        try:
            yield
        finally:
            store.close()
            meta.close()

    app = FastAPI(
        title="Pilotage API",
        version=__version__,
        description="Cost, return and attribution of every marketing euro.",
        lifespan=lifespan,
    )
    errors.install(app)
    app.include_router(routes_v1.router)
    app.include_router(pages.router)
    app.mount(
        "/static/vendor",
        StaticFiles(directory=str(frontend_dist()), check_dir=False),
        name="vendor",
    )
    app.mount(
        "/static",
        StaticFiles(directory=str(files("pilotage.interfaces.web") / "static")),
        name="static",
    )

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        return response

    return app
