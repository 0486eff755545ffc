"""The data-quality audit at /api/v1/data-audit: the same result as ``pilotage audit
--format json``. (/api/v1/audit is the admin's audit log of who changed what.)

Its examples name campaigns, accounts and people of the whole workspace, and its counts
cover every row: a user restricted to some countries or accounts is refused (403).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from pilotage.interfaces.api.auth import READ, guard
from pilotage.interfaces.api.state import ServerState, state_of
from pilotage.interfaces.formatting import Lang
from pilotage.interfaces.web.filters import unrestricted
from pilotage.jobs.scheduler import today_in
from pilotage.services.audit import DataAuditResult, audit

router = APIRouter(prefix="/api/v1", tags=["audit"])
State = Annotated[ServerState, Depends(state_of)]


@router.get(
    "/data-audit",
    response_model=DataAuditResult,
    # The guard first: it leaves the principal that ``unrestricted`` reads.
    dependencies=[*guard(READ), Depends(unrestricted)],
    summary="Data-quality audit: checks, trust score per table and per KPI",
)
def get_data_audit(state: State, lang: Lang = "en") -> DataAuditResult:
    return state.computed(audit, today_in(state.workspace), lang)
