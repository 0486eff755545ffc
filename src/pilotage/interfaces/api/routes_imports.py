"""REST API for uploads: a file into a canonical table, through the loader of `pilotage load`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from pilotage.interfaces.api.auth import READ, UPLOAD, guard
from pilotage.interfaces.api.state import ServerState, state_of
from pilotage.interfaces.api.uploads import upload_to_table
from pilotage.services.accounts import Principal
from pilotage.services.results import ImportsResult
from pilotage.services.workspaces import recent_imports

router = APIRouter(prefix="/api/v1", tags=["data"])
State = Annotated[ServerState, Depends(state_of)]

_FORM_SCHEMA: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "source": {
                            "type": "string",
                            "description": "Export format, e.g. google-ads, hubspot",
                        },
                        "sep": {"type": "string", "description": "CSV separator"},
                        "date_order": {"type": "string", "enum": ["auto", "dmy", "mdy"]},
                        "decimal": {"type": "string", "enum": ["auto", ",", "."]},
                    },
                }
            }
        },
    }
}


@router.post(
    "/tables/{table}/imports",
    status_code=201,
    dependencies=guard(UPLOAD),
    openapi_extra=_FORM_SCHEMA,
    summary="Upload a file into a table (validated, all or nothing)",
    responses={
        413: {"description": "File above the upload limit"},
        422: {"description": "The file did not validate; nothing was loaded"},
    },
)
async def post_import(
    request: Request, table: str, principal: Annotated[Principal, Depends(UPLOAD)]
) -> JSONResponse:
    report = await upload_to_table(request, table, principal.email)
    return JSONResponse(report.to_dict(), status_code=201)


@router.get(
    "/imports",
    response_model=ImportsResult,
    dependencies=guard(READ),
    summary="Latest imports (files loaded or refused)",
)
def get_imports(state: State) -> ImportsResult:
    return recent_imports(state.meta)
