"""The workspace mix model under /api/v1/mmm: the latest fit's results (the object
``pilotage mmm fit --format json`` prints) and a background fit with the CLI's defaults.

The mix model covers the whole company, so restricted accounts are refused. The fit reads
the weekly table under the store's lock, then samples without it (minutes of NUTS must not
block the other requests).
"""

from __future__ import annotations

import threading
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse

from pilotage.interfaces.api.auth import WRITE, guard
from pilotage.interfaces.api.routes_budget import WHOLE_COMPANY
from pilotage.interfaces.api.state import ServerState, state_of
from pilotage.interfaces.web.filters import unrestricted
from pilotage.services.mmm import DEFAULT_TARGET, workspace_weekly
from pilotage.services.mmm_results import (
    FitRunner,
    MmmFitStatus,
    SavedMmmResult,
    prepare_fit,
    saved_result,
)

router = APIRouter(tags=["mmm"])
State = Annotated[ServerState, Depends(state_of)]
WRITE_WHOLE_COMPANY: list[Any] = [*guard(WRITE), Depends(unrestricted)]
STATUS_URL = "/api/v1/mmm/fit"
_RUNNER_LOCK = threading.Lock()


def fit_runner(request: Request) -> FitRunner:
    """The app's one background fit (created on first use)."""
    with _RUNNER_LOCK:
        runner: FitRunner | None = getattr(request.app.state, "mmm_fit", None)
        if runner is None:
            runner = FitRunner()
            request.app.state.mmm_fit = runner
        return runner


Runner = Annotated[FitRunner, Depends(fit_runner)]


@router.get("/api/v1/mmm", dependencies=WHOLE_COMPANY)
def get_mmm(state: State) -> SavedMmmResult:
    """The saved model's results: ROAS, ROI, contribution, mROAS, CPA by channel (90 %
    intervals), the sampler's diagnostics and the fit quality; when and on what KPI."""
    return saved_result(state.workspace)


@router.get(STATUS_URL, dependencies=WHOLE_COMPANY)
def fit_status(runner: Runner) -> MmmFitStatus:
    """The background fit: idle, running, succeeded or failed (with the error)."""
    return runner.status()


@router.post(
    STATUS_URL,
    status_code=202,
    dependencies=WRITE_WHOLE_COMPANY,
    responses={
        202: {"description": "The fit started; poll the status URL."},
        409: {"description": "A fit is already running; poll the status URL."},
    },
)
def start_fit(
    state: State,
    runner: Runner,
    draws: Annotated[int, Query(ge=10, le=2000)] = 250,
    warmup: Annotated[int, Query(ge=10, le=2000)] = 250,
    chains: Annotated[int, Query(ge=1, le=4)] = 4,
    seed: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
) -> JSONResponse:
    """Fit the workspace's mix model like ``pilotage mmm fit --workspace DIR`` in the
    background; the result replaces the saved model when it succeeds. 409 while one runs."""
    with state.analytics() as store:
        weekly = workspace_weekly(store, state.workspace.settings, (), DEFAULT_TARGET)
    job = prepare_fit(
        state.workspace,
        weekly,
        state.meta,
        target=DEFAULT_TARGET,
        draws=draws,
        warmup=warmup,
        chains=chains,
        seed=seed,
    )
    started = runner.start(job, draws=draws, warmup=warmup, chains=chains)
    body = {**started.model_dump(mode="json"), "status_url": STATUS_URL}
    return JSONResponse(body, status_code=202, headers={"Location": STATUS_URL})
