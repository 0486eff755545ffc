"""The workspace mix model's results for the API and the pages: the summary of the latest
fit (``pilotage mmm fit --format json``), stored next to the model when it is saved so that
reading it needs neither the data nor a refit, and the workspace fit with the CLI's defaults
that the server runs in the background.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from pilotage.core.mmm.design import MIN_WEEKS, WeeklyData
from pilotage.core.mmm.holidays import country_of_timezone
from pilotage.core.mmm.posterior import FittedModel
from pilotage.core.mmm.spec import ModelSpec
from pilotage.data.metadata.store import MetadataStore
from pilotage.data.workspace import Workspace
from pilotage.errors import NotFoundError, PilotageError, UsageError, WorkspaceLockedError
from pilotage.services.budget_plan import model_path, save_model, write_atomically
from pilotage.services.mmm import MmmResult, fit_mmm, saved_lifts, target_kind

RESULT_FILE = Path("models") / "mmm_result.json"
FIT_FIX = "run 'pilotage mmm fit --workspace DIR' or POST /api/v1/mmm/fit"


class SavedMmmResult(BaseModel):
    """The latest workspace fit: when (UTC), on which KPI-engine metric, the SHA-256 of the
    model file it summarises, and the result object the CLI prints."""

    model_config = ConfigDict(frozen=True)

    fitted_at: datetime.datetime
    target: str
    model_sha256: str
    result: MmmResult


class MmmFitStatus(BaseModel):
    """The server's background fit: ``idle`` (none since start), ``running``, ``succeeded``
    or ``failed`` (``error`` and ``fix`` say why); NUTS settings of the fit."""

    model_config = ConfigDict(frozen=True)

    state: Literal["idle", "running", "succeeded", "failed"]
    started_at: datetime.datetime | None = None
    finished_at: datetime.datetime | None = None
    draws: int | None = None
    warmup: int | None = None
    chains: int | None = None
    error: str | None = None
    fix: str | None = None


def result_path(workspace: Workspace) -> Path:
    return workspace.root / RESULT_FILE


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def save_fit(
    workspace: Workspace,
    model: FittedModel,
    result: MmmResult,
    *,
    now: datetime.datetime | None = None,
) -> Path:
    """Save the model as the workspace's model and its summary next to it; returns the
    model's path. The summary names the model file's hash, so a summary left from another
    fit (a save that failed half-way) is never shown as this model's."""
    path = save_model(workspace, model)
    saved = SavedMmmResult(
        fitted_at=now or datetime.datetime.now(datetime.UTC),
        target=result.settings.target,
        model_sha256=_sha256(path),
        result=result,
    )
    write_atomically(result_path(workspace), saved.model_dump_json())
    return path


def saved_result(workspace: Workspace) -> SavedMmmResult:
    """The summary of the workspace's saved model; NotFoundError when there is none."""
    model_file, summary = model_path(workspace), result_path(workspace)
    if not model_file.is_file():
        raise NotFoundError("no mix model is saved in this workspace", fix=FIT_FIX)
    if not summary.is_file():
        raise NotFoundError(
            "the saved mix model has no stored results (it was fitted before they were kept)",
            fix=FIT_FIX,
        )
    try:
        saved = SavedMmmResult.model_validate_json(summary.read_text(encoding="utf-8"))
        current = _sha256(model_file)
    except (OSError, ValueError) as exc:
        raise UsageError(
            f"cannot read the mix model results {summary}: {exc}", fix=FIT_FIX
        ) from exc
    if saved.model_sha256 != current:
        raise NotFoundError(
            "the stored mix model results belong to another fit than the saved model",
            fix=FIT_FIX,
        )
    return saved


def prepare_fit(
    workspace: Workspace,
    weekly: WeeklyData,
    meta: MetadataStore,
    *,
    target: str,
    draws: int = 250,
    warmup: int = 250,
    chains: int = 4,
    seed: int = 0,
) -> Callable[[], SavedMmmResult]:
    """``pilotage mmm fit --workspace DIR`` with its defaults on ``weekly`` (the workspace's
    weekly table of ``target``, read by the caller): calibrated on the saved experiment
    lifts, holidays of the workspace's time zone. Bad settings or too short a history fail
    here; the returned job fits (minutes), saves the model and its results."""
    kind = target_kind(target)
    if weekly.n_weeks < MIN_WEEKS:
        raise UsageError(
            f"the workspace has {weekly.n_weeks} full weeks of {target} and spend; "
            f"a mix model needs at least {MIN_WEEKS}",
            fix="load more history (two years of weeks is best)",
        )
    calibration, skipped = saved_lifts(meta, weekly, kind)
    try:
        spec = ModelSpec(
            channels=weekly.channels,
            kpi=kind,
            holidays=country_of_timezone(workspace.settings.timezone),
            calibration=tuple(calibration),
            draws=draws,
            warmup=warmup,
            chains=chains,
            seed=seed,
        )
    except ValueError as exc:
        raise UsageError(str(exc), fix="draws and warmup 10 to 20000, chains 1 to 16") from exc

    def run() -> SavedMmmResult:
        model, result = fit_mmm(weekly, spec, target=target, lifts_skipped=skipped)
        save_fit(workspace, model, result)
        return saved_result(workspace)

    return run


class FitRunner:
    """One background fit at a time; its status for whoever asks."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._status = MmmFitStatus(state="idle")

    def status(self) -> MmmFitStatus:
        with self._lock:
            return self._status

    def start(
        self, job: Callable[[], object], *, draws: int, warmup: int, chains: int
    ) -> MmmFitStatus:
        """Run ``job`` in a thread; WorkspaceLockedError while another fit runs."""
        with self._lock:
            if self._status.state == "running":
                raise WorkspaceLockedError(
                    "a mix model fit is already running",
                    fix="wait for it to finish: GET /api/v1/mmm/fit gives its status",
                )
            self._status = MmmFitStatus(
                state="running",
                started_at=_now(),
                draws=draws,
                warmup=warmup,
                chains=chains,
            )
            started = self._status
        threading.Thread(target=self._run, args=(job,), name="mmm-fit", daemon=True).start()
        return started

    def _run(self, job: Callable[[], object]) -> None:
        error: str | None = None
        fix: str | None = None
        try:
            job()
        except PilotageError as exc:
            error, fix = exc.message, exc.fix
        except Exception as exc:  # a failed fit is reported in the status, not raised
            logging.getLogger(__name__).exception("the mix model fit failed")
            error, fix = f"{type(exc).__name__}: {exc}", "see the server log"
        with self._lock:
            self._status = self._status.model_copy(
                update={
                    "state": "failed" if error else "succeeded",
                    "finished_at": _now(),
                    "error": error,
                    "fix": fix,
                }
            )


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)
