"""Budget planning on the workspace's mix model: the saved model, the optimizer (a total
budget or a target ROI, bounds by channel), the response curves and the committee's
reallocation proposal.

The latest workspace fit (``pilotage mmm fit --workspace DIR``) is saved as JSON under
``models/mmm.json`` in the workspace, so the API and the pages need no file path.
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from pilotage.core.mmm.optimizer import INTERVAL, Allocation, optimize_for_roi, optimize_total
from pilotage.core.mmm.posterior import FittedModel
from pilotage.core.scenarios.response import response_curves
from pilotage.data.workspace import Workspace
from pilotage.errors import NotFoundError, UsageError, WorkspaceError

MODEL_FILE = Path("models") / "mmm.json"
#: Budgets beyond a trillion are typing mistakes (and would overflow the cents).
MAX_BUDGET = 1e12
NO_MODEL_FIX = "fit one with 'pilotage mmm fit --workspace DIR' (it saves the latest fit)"


class BudgetChannel(BaseModel):
    model_config = ConfigDict(frozen=True)

    channel: str
    current: float
    optimal: float
    change: float
    low: float  # the bound the optimizer respected, EUR over the horizon
    high: float
    mroas: float  # marginal return per extra EUR at the optimum, posterior mean
    mroas_ci_low: float
    mroas_ci_high: float


class BudgetMove(BaseModel):
    """One move of the list for the committee; ``source`` None adds budget, ``target``
    None cuts it. Gains in the model's KPI, 80 % interval over the posterior draws."""

    model_config = ConfigDict(frozen=True)

    source: str | None
    target: str | None
    amount: float
    gain: float
    gain_ci_low: float
    gain_ci_high: float
    text: str
    text_fr: str


class BudgetResult(BaseModel):
    """Budget over ``weeks`` weeks; expected outcome (the model's KPI) with its 80 %
    interval, against the current allocation (the recent weekly spend over the horizon)."""

    model_config = ConfigDict(frozen=True)

    total: float
    weeks: int
    kpi: str
    interval: float
    target_roi: float | None
    channels: list[BudgetChannel]
    expected: float
    expected_ci_low: float
    expected_ci_high: float
    expected_roi: float | None
    current_total: float
    current_expected: float
    gain: float
    moves: list[str]
    moves_fr: list[str]
    move_details: list[BudgetMove]
    status: str


def model_path(workspace: Workspace) -> Path:
    return workspace.root / MODEL_FILE


def save_model(workspace: Workspace, model: FittedModel) -> Path:
    """Write the model under the workspace atomically (a reader never sees half a file)."""
    path = model_path(workspace)
    write_atomically(path, model.to_json())
    return path


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` in the workspace's models folder; a reader sees the old
    file or the new one, never half of it."""
    # a temporary file of this process next to the target, renamed over it (atomic)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        path.parent.mkdir(exist_ok=True)
        try:
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(path)
        finally:
            tmp.unlink(missing_ok=True)
    except OSError as exc:
        raise WorkspaceError(
            f"cannot save the mix model in {path.parent}: {exc.strerror or exc}",
            fix="make the workspace folder writable",
        ) from exc


def load_model(path: Path) -> FittedModel:
    try:
        return FittedModel.from_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UsageError(
            f"cannot read model file {path}: {exc}", fix="refit it with 'pilotage mmm fit'"
        ) from exc


def saved_model(workspace: Workspace) -> FittedModel | None:
    """The workspace's latest fitted mix model, None when none was saved."""
    path = model_path(workspace)
    return load_model(path) if path.is_file() else None


def require_model(workspace: Workspace) -> FittedModel:
    model = saved_model(workspace)
    if model is None:
        raise NotFoundError("no mix model is saved in this workspace", fix=NO_MODEL_FIX)
    return model


def parse_bounds(items: Sequence[str]) -> dict[str, tuple[float, float]]:
    """``channel=low:high`` (EUR over the horizon; an empty side is unbounded)."""
    parsed: dict[str, tuple[float, float]] = {}
    for item in items:
        name, eq, rng = item.partition("=")
        lo, colon, hi = rng.partition(":")
        try:
            if not (eq and colon and name.strip()):
                raise ValueError(item)
            bound = (float(lo) if lo.strip() else 0.0, float(hi) if hi.strip() else math.inf)
        except ValueError as exc:
            raise UsageError(
                f"bad bound {item!r}", fix="write channel=low:high, e.g. display=0:50000"
            ) from exc
        if name.strip() in parsed:
            raise UsageError(f"channel {name.strip()!r} is bounded twice", fix="give one bound")
        parsed[name.strip()] = bound
    return parsed


def optimize_budget(
    model: FittedModel,
    *,
    total: float | None = None,
    target_roi: float | None = None,
    weeks: int = 13,
    bounds: Mapping[str, tuple[float, float]] | None = None,
) -> BudgetResult:
    """The best split of a total budget, or the largest budget that still returns
    ``target_roi`` overall; each channel within its ``bounds`` (EUR over the horizon)."""
    if (total is None) == (target_roi is None):
        raise UsageError("give a total budget or a target ROI", fix="--total N or --target-roi R")
    if total is not None and not (math.isfinite(total) and 0 < total <= MAX_BUDGET):
        raise UsageError(
            f"the total budget must be a positive amount up to 1e12 (got {total})",
            fix="give the budget in EUR over the horizon, e.g. 300000",
        )
    if target_roi is not None and not (math.isfinite(target_roi) and -1 < target_roi <= 1000):
        raise UsageError(
            f"the target ROI must be above -1 and at most 1000 (got {target_roi})",
            fix="e.g. 1.5 for +150 %",
        )
    if weeks < 1:
        raise UsageError(f"the horizon must be at least one week (got {weeks})", fix="weeks >= 1")
    try:
        if total is not None:
            a = optimize_total(model, total, weeks=weeks, bounds=bounds)
        else:
            assert target_roi is not None
            a = optimize_for_roi(model, target_roi, weeks=weeks, bounds=bounds)
    except ValueError as exc:
        raise UsageError(str(exc), fix=_fix(str(exc), model, weeks)) from exc
    return _budget(a, model, target_roi, bounds or {})


def _fix(message: str, model: FittedModel, weeks: int) -> str:
    if "unknown channels" in message:
        return f"bound channels of the model: {', '.join(model.channels)}"
    if "no budget reaches" in message:
        return "choose a lower target ROI, or a total budget"
    return f"widen the bounds (EUR over the {weeks} weeks) or change the budget"


def _budget(
    a: Allocation,
    model: FittedModel,
    target_roi: float | None,
    bounds: Mapping[str, tuple[float, float]],
) -> BudgetResult:
    return BudgetResult(
        total=a.total,
        weeks=a.weeks,
        kpi=model.kpi,
        interval=INTERVAL,
        target_roi=target_roi,
        channels=[
            BudgetChannel(
                channel=c,
                current=round(float(a.current[k]), 2),
                optimal=float(a.optimal[k]),
                change=round(float(a.optimal[k] - a.current[k]), 2),
                low=float(bounds.get(c, (0.0, a.total))[0]),
                high=float(min(bounds.get(c, (0.0, a.total))[1], a.total)),
                mroas=float(a.mroas[k]),
                mroas_ci_low=float(a.mroas_low[k]),
                mroas_ci_high=float(a.mroas_high[k]),
            )
            for k, c in enumerate(a.channels)
        ],
        expected=a.expected,
        expected_ci_low=a.expected_low,
        expected_ci_high=a.expected_high,
        expected_roi=(a.expected - a.total) / a.total if model.kpi == "revenue" else None,
        current_total=round(float(a.current.sum()), 2),
        current_expected=a.current_expected,
        gain=a.expected - a.current_expected,
        moves=[m.text("en") for m in a.moves],
        moves_fr=[m.text("fr") for m in a.moves],
        move_details=[
            BudgetMove(
                source=m.source,
                target=m.target,
                amount=round(m.amount, 2),
                gain=m.gain_mean,
                gain_ci_low=m.gain_low,
                gain_ci_high=m.gain_high,
                text=m.text("en"),
                text_fr=m.text("fr"),
            )
            for m in a.moves
        ],
        status=model.diagnostics.status,
    )


def reallocation_proposal(
    workspace: Workspace, *, weeks: int = 13, total: float | None = None
) -> BudgetResult | None:
    """The committee's proposal: the current budget (recent weekly spend over ``weeks``
    weeks, unless ``total`` is given) split for the best expected outcome, with its moves;
    None when the workspace has no fitted mix model."""
    model = saved_model(workspace)
    return None if model is None else reallocate(model, weeks=weeks, total=total)


def reallocate(
    model: FittedModel, *, weeks: int = 13, total: float | None = None
) -> BudgetResult | None:
    """:func:`reallocation_proposal` on a loaded model; None when nothing is spent."""
    current = float(model.recent_weekly_spend.sum()) * weeks
    if total is None and current <= 0:
        return None
    return optimize_budget(model, total=round(current, 2) if total is None else total, weeks=weeks)


class CurvePointOut(BaseModel):
    model_config = ConfigDict(frozen=True)

    spend: float
    outcome: float
    outcome_ci_low: float
    outcome_ci_high: float
    mroas: float


class ChannelCurve(BaseModel):
    model_config = ConfigDict(frozen=True)

    channel: str
    current_spend: float
    current_outcome: float
    points: list[CurvePointOut]


class ResponseCurves(BaseModel):
    """Outcome over ``weeks`` weeks per channel as its spend over the horizon varies (the
    others unchanged); 80 % intervals over the posterior draws."""

    model_config = ConfigDict(frozen=True)

    kpi: str
    weeks: int
    interval: float
    status: str
    channels: list[ChannelCurve]


def curves(model: FittedModel, *, weeks: int = 13, points: int = 25) -> ResponseCurves:
    try:
        found = response_curves(model, weeks=weeks, points=points)
    except ValueError as exc:
        raise UsageError(str(exc), fix="weeks >= 1 and points >= 2") from exc
    return ResponseCurves(
        kpi=model.kpi,
        weeks=weeks,
        interval=INTERVAL,
        status=model.diagnostics.status,
        channels=[
            ChannelCurve(
                channel=c.channel,
                current_spend=c.current_spend,
                current_outcome=c.current_outcome,
                points=[
                    CurvePointOut(
                        spend=p.spend,
                        outcome=p.outcome,
                        outcome_ci_low=p.outcome_low,
                        outcome_ci_high=p.outcome_high,
                        mroas=p.mroas,
                    )
                    for p in c.points
                ],
            )
            for c in found
        ],
    )
