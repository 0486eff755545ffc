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
from pilotage.interfaces.api import (
    errors,
    routes_accounts,
    routes_allbound,
    routes_attribution,
    routes_audit,
    routes_budget,
    routes_clv,
    routes_experiments,
    routes_governance,
    routes_imports,
    routes_journey,
    routes_mmm,
    routes_plan,
    routes_reports,
    routes_v1,
    routes_view_exports,
    routes_views,
    routes_voice,
)
from pilotage.interfaces.api.auth import READ, guard
from pilotage.interfaces.api.settings import ServerSettings
from pilotage.interfaces.api.state import ServerState
from pilotage.interfaces.web import (
    login,
    pages,
    pages_allbound,
    pages_budget,
    pages_clv,
    pages_governance,
    pages_journey,
    pages_performance,
    pages_plan,
    pages_views,
    pages_voice,
)
from pilotage.interfaces.web.assets import frontend_dist

#: No inline script and no eval: charts use Vega's expression interpreter.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)


def create_app(
    workspace: Workspace,
    *,
    demo: bool = False,
    secret_key: str | None = None,
    max_upload_mb: float | None = None,
) -> FastAPI:
    """The application for ``workspace``. Settings are checked here, before serving:
    a missing or placeholder PILOTAGE_SECRET_KEY raises ConfigError outside the demo."""
    settings = ServerSettings.load(demo=demo, secret_key=secret_key, max_upload_mb=max_upload_mb)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = AnalyticsStore.open(workspace.analytics_path)
        meta = MetadataStore.open(workspace.metadata_url)
        meta.upgrade()
        app.state.pilotage = ServerState(workspace, store, meta, settings)
        try:
            yield
        finally:
            store.close()
            meta.close()

    app = FastAPI(
        title="Pilotage API",
        version=__version__,
        description="Cost, return and attribution of every marketing euro. "
        "Authenticate with 'Authorization: Bearer plt_...' (pilotage token create).",
        lifespan=lifespan,
        # The interactive docs load their code from a CDN, which the CSP (rightly) blocks.
        docs_url=None,
        redoc_url=None,
    )
    errors.install(app, pages.error_page)
    app.include_router(routes_v1.router, responses=errors.ERROR_RESPONSES)
    app.include_router(routes_views.router, responses=errors.ERROR_RESPONSES)
    app.include_router(routes_accounts.router, responses=errors.ERROR_RESPONSES)
    app.include_router(routes_allbound.router, responses=errors.ERROR_RESPONSES)
    app.include_router(routes_imports.router, responses=errors.ERROR_RESPONSES)
    app.include_router(routes_experiments.router, responses=errors.ERROR_RESPONSES)
    app.include_router(routes_governance.router, responses=errors.ERROR_RESPONSES)
    app.include_router(routes_audit.router, responses=errors.ERROR_RESPONSES)
    app.include_router(routes_journey.router, responses=errors.ERROR_RESPONSES)
    app.include_router(routes_budget.router, responses=errors.ERROR_RESPONSES)
    app.include_router(routes_mmm.router, responses=errors.ERROR_RESPONSES)
    app.include_router(routes_plan.router, responses=errors.ERROR_RESPONSES)
    app.include_router(routes_voice.router, responses=errors.ERROR_RESPONSES)
    # These routers' routes only read; the permission is declared where they are mounted.
    for reading in (
        routes_reports.router,
        routes_view_exports.router,
        routes_attribution.router,
        routes_clv.router,
    ):
        app.include_router(reading, dependencies=guard(READ), responses=errors.ERROR_RESPONSES)
    app.include_router(login.router)
    app.include_router(pages_performance.router)
    app.include_router(pages_views.router)
    app.include_router(pages_journey.router)
    app.include_router(pages_allbound.router)
    app.include_router(pages_clv.router)
    app.include_router(pages_plan.router)
    app.include_router(pages_budget.router)
    app.include_router(pages_voice.router)
    app.include_router(pages_governance.router)
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

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        if not is_static(request):
            # Pages show private figures: no shared cache may keep them.
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    return app


def is_static(request: Request) -> bool:
    return request.url.path.startswith("/static/")


#: Routes anyone may call; every other route must declare a permission (tested).
PUBLIC_PATHS = frozenset({"/login", "/healthz", "/openapi.json"})
