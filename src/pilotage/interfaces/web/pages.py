"""Server-rendered pages: they format result objects from services, never compute.

Every page declares its permission (``dependencies=guard(...)``); a visitor who is not
signed in is sent to the login page, which brings them back afterwards.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from pilotage.core.metrics.registry import METRICS
from pilotage.errors import InputError, PilotageError, UsageError
from pilotage.interfaces.api.auth import READ, UPLOAD, guard
from pilotage.interfaces.api.state import ServerState, state_of
from pilotage.interfaces.api.uploads import upload_to_table
from pilotage.interfaces.formatting import Lang, check_lang
from pilotage.interfaces.web.quality import audit_view, metric_names
from pilotage.interfaces.web.render import render
from pilotage.jobs.scheduler import today_in
from pilotage.services import accounts
from pilotage.services.accounts import Principal
from pilotage.services.audit import audit
from pilotage.services.results import MetricInfo
from pilotage.services.uploads import upload_sources
from pilotage.services.workspaces import recent_imports, table_summaries_of

router = APIRouter(include_in_schema=False)
State = Annotated[ServerState, Depends(state_of)]
LangQuery = Annotated[str | None, Query()]


@router.get("/definitions", response_class=HTMLResponse, dependencies=guard(READ))
def definitions(request: Request, lang: LangQuery = None) -> HTMLResponse:
    language = check_lang(lang)
    metrics = [MetricInfo.of(m, language) for m in METRICS.values()]
    return render(request, "definitions.html", "definitions", language, metrics=metrics)


@router.get("/data", response_class=HTMLResponse, dependencies=guard(READ))
def data(request: Request, state: State, lang: LangQuery = None) -> HTMLResponse:
    return _data_page(request, state, check_lang(lang))


@router.post("/data/upload", response_class=HTMLResponse, dependencies=guard(UPLOAD))
async def data_upload(
    request: Request,
    state: State,
    principal: Annotated[Principal, Depends(UPLOAD)],
    lang: LangQuery = None,
) -> HTMLResponse:
    """The data page's upload form: the same streamed, validated load as the API."""
    language = check_lang(lang)
    try:
        report = await upload_to_table(request, None, principal.email)
    except InputError as exc:
        problems = [e.describe(exc.file) for e in exc.errors[:50]]
        return _data_page(request, state, language, problems=problems, status_code=422)
    except UsageError as exc:
        return _data_page(request, state, language, problems=[str(exc)], status_code=400)
    return _data_page(request, state, language, report=report.to_dict())


def _data_page(
    request: Request,
    state: ServerState,
    language: Lang,
    *,
    report: dict[str, Any] | None = None,
    problems: list[str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    tables = state.computed(table_summaries_of).tables
    result = state.computed(audit, today_in(state.workspace), language)
    principal: Principal | None = getattr(request.state, "principal", None)
    imports = [
        {
            "when": (i.finished_at or i.started_at).strftime("%Y-%m-%d %H:%M UTC"),
            "table": i.table,
            "file": i.file_name,
            "status": i.status,
            "inserted": i.inserted,
            "updated": i.updated,
            "unchanged": i.unchanged,
            "actor": i.actor,
        }
        for i in recent_imports(state.meta).imports
    ]
    return render(
        request,
        "data.html",
        "data",
        language,
        status_code=status_code,
        tables=tables,
        imports=imports,
        report=report,
        problems=problems or [],
        sources=upload_sources(),
        quality=audit_view(result, language, metric_names(language)),
        audit=result,
        # Examples name accounts and people of the whole workspace.
        show_examples=principal is not None and not principal.restrictions,
    )


@router.get("/account", response_class=HTMLResponse, dependencies=guard(READ))
def account(
    request: Request,
    state: State,
    principal: Annotated[Principal, Depends(READ)],
    lang: LangQuery = None,
) -> HTMLResponse:
    language = check_lang(lang)
    user = accounts.user_info(state.meta, principal.email)
    tokens = accounts.list_tokens(state.meta, principal.email)
    return render(
        request,
        "account.html",
        "account",
        language,
        user=user,
        permissions=sorted(principal.permissions),
        restrictions=principal.restrictions,
        tokens=tokens,
    )


def error_page(request: Request, error: PilotageError, status: int) -> Response:
    """A page for an error; a visitor who is not signed in goes to the login form."""
    if status == 401 and request.method == "GET":
        target = request.url.path
        if request.url.query:
            target += f"?{request.url.query}"
        return RedirectResponse(f"/login?{urlencode({'next': target})}", status_code=303)
    language = check_lang(request.query_params.get("lang"))
    return render(
        request,
        "error.html",
        "error",
        language,
        status_code=status,
        message=error.message,
        fix=error.fix,
    )
