"""Scenario planner: proposals compared side by side (cost, expected return with its
interval, ROI, break-even, payback, P(ROI > 0), risk), a recommendation and the constructive
"no" that names the better alternative.

Each proposal is estimated one of three ways:
- ``channel`` of the workspace's mix model: the model's response curve gives the extra
  (incremental) revenue of adding the cost to that channel over ``weeks`` weeks;
- ``program`` type: the history of past programs of that type in the workspace (campaigns
  grouped by initiative), with partial pooling across types (``core/scenarios/pooling``);
  return = the KPI engine's attributed revenue, gross margin or pipeline per campaign under a
  credit model (multi-touch "linear" by default, so that events and webinars in the middle of
  a journey get their share);
- a stated ``low``/``base``/``high`` case (a business case), read as 10th/50th/90th percentiles.
"""

from __future__ import annotations

import datetime
import math
import zlib
from collections import defaultdict
from collections.abc import Sequence
from typing import Literal, get_args

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from pilotage.core.kpis.credit import CREDIT_MODELS, CreditModel
from pilotage.core.mmm.posterior import FittedModel
from pilotage.core.scenarios.compare import Candidate, decide, roi_draws
from pilotage.core.scenarios.economics import (
    economics_from_cases,
    economics_from_samples,
    split_normal_draws,
)
from pilotage.core.scenarios.explain import (
    STATED_BASIS,
    Text,
    comparison_notes,
    history_basis,
    mix_model_basis,
)
from pilotage.core.scenarios.pooling import ProgramPool, ProgramRecord, pool_programs
from pilotage.core.scenarios.response import increment_draws
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.errors import NotFoundError, UsageError
from pilotage.services.budget_plan import NO_MODEL_FIX
from pilotage.services.kpis import kpi_table
from pilotage.services.tables import StoredTables, as_float

ReturnMetric = Literal["revenue", "margin", "pipeline"]
RETURN_METRICS: tuple[ReturnMetric, ...] = get_args(ReturnMetric)
#: The KPI engine's metric behind each kind of return.
ENGINE_METRIC: dict[ReturnMetric, str] = {
    "revenue": "attributed_revenue",
    "margin": "attributed_margin",
    "pipeline": "pipeline_created",
}
Source = Literal["history", "mix_model", "stated"]
DRAWS = 4000
#: Amounts beyond a trillion are typing mistakes, not budgets.
MAX_AMOUNT = 1e12


class Proposal(BaseModel):
    """One alternative. Exactly one basis: ``channel`` (mix model), ``low``/``base``/``high``
    (stated case) or ``program`` (history of that program type)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    program: str | None = Field(default=None, max_length=100)
    cost: float = Field(gt=0, le=MAX_AMOUNT, allow_inf_nan=False)
    channel: str | None = Field(default=None, max_length=100)
    units: int = Field(default=1, ge=1, le=1000)
    low: float | None = Field(default=None, ge=-MAX_AMOUNT, le=MAX_AMOUNT, allow_inf_nan=False)
    base: float | None = Field(default=None, ge=-MAX_AMOUNT, le=MAX_AMOUNT, allow_inf_nan=False)
    high: float | None = Field(default=None, ge=-MAX_AMOUNT, le=MAX_AMOUNT, allow_inf_nan=False)

    @model_validator(mode="after")
    def _one_basis(self) -> Proposal:
        cases = [v is not None for v in (self.low, self.base, self.high)]
        if any(cases) and not all(cases):
            raise ValueError("a stated case needs low, base and high")
        if all(cases) and self.channel is not None:
            raise ValueError("give a channel or a stated case, not both")
        if not all(cases) and self.channel is None and not self.program:
            raise ValueError("give a program type, a channel of the mix model or low/base/high")
        return self

    @property
    def source(self) -> Source:
        if self.channel is not None:
            return "mix_model"
        return "stated" if self.low is not None else "history"


class PastProgram(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str  # initiative id, else campaign id
    name: str
    program: str
    campaigns: int
    cost: float
    value: float  # the return (attributed revenue, margin or pipeline)


class ProgramHistory(BaseModel):
    """Past programs with their cost and return; ``types`` are every program type of the
    campaigns table (with or without cost)."""

    model_config = ConfigDict(frozen=True)

    metric: ReturnMetric
    credit: CreditModel
    start: datetime.date | None
    end: datetime.date | None
    currency: str
    programs: list[PastProgram]
    types: list[str]


def program_history(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    *,
    metric: ReturnMetric = "revenue",
    credit: CreditModel = "linear",
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> ProgramHistory:
    """Cost and return per past program: campaigns of one initiative are one program, other
    campaigns one each; a campaign without a program type takes its channel as its type."""
    if metric not in RETURN_METRICS:
        raise UsageError(f"unknown return {metric!r}", fix=f"one of {', '.join(RETURN_METRICS)}")
    if credit not in CREDIT_MODELS:
        raise UsageError(f"unknown credit model {credit!r}", fix=f"one of {CREDIT_MODELS}")
    tables = StoredTables(store)
    c = tables["campaigns"]
    campaigns = {
        str(r["campaign_id"]): r
        for r in tables.rows(c.select("campaign_id", "name", "channel", "program", "initiative_id"))
    }
    column = ENGINE_METRIC[metric]
    table = kpi_table(
        store,
        settings,
        metrics=["cost", column],
        by=["campaign"],
        model=credit,
        start=start,
        end=end,
    )
    groups: dict[str, list[tuple[dict[str, object], float, float]]] = defaultdict(list)
    for row in table.rows:
        found = campaigns.get(str(row["campaign"]))
        if found is None:
            continue  # spend or credit on a campaign the campaigns table does not describe
        key = str(found["initiative_id"] or found["campaign_id"])
        groups[key].append((found, as_float(row["cost"]), as_float(row[column])))
    programs = []
    for key, members in sorted(groups.items()):
        lead = max(members, key=lambda m: m[1])[0]
        programs.append(
            PastProgram(
                key=key,
                name=str(lead["name"]) if len(members) == 1 else key,
                program=_type_of(lead),
                campaigns=len(members),
                cost=round(sum(m[1] for m in members), 2),
                value=round(sum(m[2] for m in members), 2),
            )
        )
    return ProgramHistory(
        metric=metric,
        credit=credit,
        start=start,
        end=end,
        currency=settings.reporting_currency,
        programs=programs,
        types=sorted({_type_of(r) for r in campaigns.values()}),
    )


def _type_of(campaign: dict[str, object]) -> str:
    return str(campaign["program"] or campaign["channel"])


def program_types(store: AnalyticsStore, settings: WorkspaceSettings) -> list[str]:
    """The program types of the campaigns table (a campaign without one: its channel)."""
    tables = StoredTables(store)
    c = tables["campaigns"]
    kinds = c.select(kind=c.program.fill_null(c.channel)).distinct()
    return sorted(str(r["kind"]) for r in tables.rows(kinds) if r["kind"] is not None)


class ProposalEstimate(BaseModel):
    """One proposal's economics; returns in the comparison's metric, intervals 80 %."""

    model_config = ConfigDict(frozen=True)

    name: str
    source: Source
    program: str | None
    channel: str | None
    units: int
    cost: float
    expected_return: float
    return_ci_low: float
    return_ci_high: float
    net_gain: float  # expected return x margin - cost
    roi: float
    roi_ci_low: float
    roi_ci_high: float
    break_even_return: float
    payback_months: float | None
    months: int
    probability_roi_positive: float
    probability_roi_negative: float
    risk: str
    rank: int
    recommended: bool
    better_alternative: str | None
    probability_better: float | None
    verdict: str
    verdict_fr: str
    basis: str
    basis_fr: str
    notes: list[str]
    notes_fr: list[str]


class ProgramTypeRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    program: str
    programs: int
    cost: float
    value: float
    return_per_euro: float  # observed, sum(value) / sum(cost)
    pooled_return_per_euro: float
    own_weight: float  # weight of the type's own history in the pooled estimate


class ScenarioComparison(BaseModel):
    """``pilotage scenario compare`` / ``POST /api/v1/scenarios/compare``."""

    model_config = ConfigDict(frozen=True)

    metric: ReturnMetric
    credit: CreditModel
    margin: float
    currency: str
    interval: float
    proposals: list[ProposalEstimate]
    recommendation: str | None
    summary: str
    summary_fr: str
    types: list[ProgramTypeRow]
    between_types_sd: float | None  # sd of log return per euro between program types
    program_cv: float | None  # program-to-program coefficient of variation
    notes: list[str]
    notes_fr: list[str]


def compare_proposals(
    history: ProgramHistory,
    proposals: Sequence[Proposal],
    *,
    model: FittedModel | None = None,
    margin: float = 1.0,
    months: int = 12,
    weeks: int = 13,
    seed: int = 0,
) -> ScenarioComparison:
    """Estimate every proposal, then rank and explain (``core/scenarios/compare``).

    ``margin`` turns the return into the money that pays the cost back (1 when the return
    is already margin); history and stated returns arrive over ``months`` months, a channel's
    over its ``weeks``-week horizon."""
    if not proposals:
        raise UsageError("nothing to compare", fix="give at least one proposal")
    if not (math.isfinite(margin) and 0 < margin <= 10):
        raise UsageError(f"margin must be in (0, 10] (got {margin})", fix="e.g. 0.8")
    if months < 1 or weeks < 1:
        raise UsageError("months and weeks must be >= 1", fix="e.g. --months 12 --weeks 13")
    names = [p.name for p in proposals]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise UsageError(f"proposal names must differ: {twice}", fix="rename the duplicates")
    pool = _pool(history, proposals)
    estimated = [_estimate(p, history, pool, model, margin, months, weeks, seed) for p in proposals]
    decision = decide([c for c, _, _ in estimated], history.currency)
    out = []
    for (cand, src, (basis, notes)), v, p in zip(
        estimated, decision.verdicts, proposals, strict=True
    ):
        e = cand.economics
        assert e.roi is not None and e.roi_low is not None and e.roi_high is not None
        prob = e.probability_roi_positive or 0.0
        out.append(
            ProposalEstimate(
                name=p.name,
                source=src,
                program=p.program,
                channel=p.channel,
                units=p.units,
                cost=p.cost,
                expected_return=e.expected_return,
                return_ci_low=e.return_low,
                return_ci_high=e.return_high,
                net_gain=e.expected_return * margin - p.cost,
                roi=e.roi,
                roi_ci_low=e.roi_low,
                roi_ci_high=e.roi_high,
                break_even_return=e.break_even_return,
                payback_months=e.payback_months,
                months=e.months,
                probability_roi_positive=prob,
                probability_roi_negative=1.0 - prob,
                risk=v.risk,
                rank=v.rank,
                recommended=v.recommended,
                better_alternative=v.better_alternative,
                probability_better=v.probability_better,
                verdict=v.text_en,
                verdict_fr=v.text_fr,
                basis=basis[0],
                basis_fr=basis[1],
                notes=[n[0] for n in notes],
                notes_fr=[n[1] for n in notes],
            )
        )
    notes = comparison_notes(
        history.metric,
        history.credit,
        pool,
        {p.source for p in proposals},
        None if model is None else model.diagnostics.status,
    )
    return ScenarioComparison(
        metric=history.metric,
        credit=history.credit,
        margin=margin,
        currency=history.currency,
        interval=0.8,
        proposals=out,
        recommendation=decision.recommended,
        summary=decision.summary_en,
        summary_fr=decision.summary_fr,
        types=[
            ProgramTypeRow(
                program=t.program,
                programs=t.programs,
                cost=t.cost,
                value=t.value,
                return_per_euro=t.ratio,
                pooled_return_per_euro=t.pooled_ratio,
                own_weight=t.own_weight,
            )
            for t in (pool.types if pool else ())
        ],
        between_types_sd=math.sqrt(pool.pooling.tau2) if pool else None,
        program_cv=math.sqrt(pool.cv2) if pool else None,
        notes=[n[0] for n in notes],
        notes_fr=[n[1] for n in notes],
    )


def _pool(history: ProgramHistory, proposals: Sequence[Proposal]) -> ProgramPool | None:
    wanted = [p for p in proposals if p.source == "history"]
    if not wanted:
        return None
    unknown = sorted({str(p.program) for p in wanted} - set(history.types))
    if unknown:
        raise UsageError(
            f"unknown program type(s) {unknown}; the workspace's campaigns have "
            f"{history.types or 'no program types'}",
            fix="use one of those types; for a program never run before, give its "
            "low/base/high case instead",
        )
    records = [
        ProgramRecord(r.key, r.name, r.program, r.cost, r.value, r.campaigns)
        for r in history.programs
    ]
    try:
        return pool_programs(records)
    except ValueError as exc:
        raise UsageError(
            f"cannot estimate from the history: {exc}",
            fix="load campaigns with their spend, touches and orders or opportunities, "
            "or give the proposals' low/base/high cases",
        ) from exc


def _estimate(
    p: Proposal,
    history: ProgramHistory,
    pool: ProgramPool | None,
    model: FittedModel | None,
    margin: float,
    months: int,
    weeks: int,
    seed: int,
) -> tuple[Candidate, Source, tuple[Text, list[Text]]]:
    # each proposal's draws depend on the seed and its name, not on its place in the list
    stream = seed * 2**32 + zlib.crc32(p.name.encode("utf-8"))
    rng = np.random.default_rng(stream)
    cur = history.currency
    if p.source == "stated":
        assert p.low is not None and p.base is not None and p.high is not None
        try:
            e = economics_from_cases(p.cost, p.low, p.base, p.high, margin=margin, months=months)
        except UsageError as exc:
            raise UsageError(f"proposal {p.name!r}: {exc.message}", fix=exc.fix) from exc
        draws = split_normal_draws(p.low, p.base, p.high, DRAWS, rng)
        return Candidate(p.name, e, roi_draws(p.cost, draws, margin)), "stated", (STATED_BASIS, [])
    if p.source == "mix_model":
        assert p.channel is not None
        draws = _channel_draws(p, model, history, weeks, rng)
        horizon = max(1, math.ceil(weeks * 7 / 30.44))
        e = economics_from_samples(p.cost, draws, margin=margin, months=horizon)
        basis = mix_model_basis(p.channel, p.cost, weeks, cur)
        return Candidate(p.name, e, roi_draws(p.cost, draws, margin)), "mix_model", (basis, [])
    assert pool is not None and p.program is not None
    draws = pool.draws(p.program, p.cost, units=p.units, n=DRAWS, seed=stream)
    e = economics_from_samples(p.cost, draws, margin=margin, months=months)
    text = history_basis(p.program, p.cost, p.units, pool, cur)
    return Candidate(p.name, e, roi_draws(p.cost, draws, margin)), "history", text


def _channel_draws(
    p: Proposal,
    model: FittedModel | None,
    history: ProgramHistory,
    weeks: int,
    rng: np.random.Generator,
) -> np.ndarray:
    assert p.channel is not None
    if model is None:
        raise NotFoundError(
            f"proposal {p.name!r} names channel {p.channel!r}, but no mix model is saved",
            fix=NO_MODEL_FIX,
        )
    if model.kpi != "revenue" or history.metric != "revenue":
        raise UsageError(
            f"proposal {p.name!r}: the mix model measures {model.kpi}, the comparison "
            f"{history.metric}",
            fix="compare in revenue, or give the proposal a program type",
        )
    try:
        draws = increment_draws(model, p.channel, p.cost, weeks=weeks)
    except ValueError as exc:
        raise UsageError(
            f"proposal {p.name!r}: {exc}", fix=f"channels: {', '.join(model.channels)}"
        ) from exc
    return np.asarray(rng.choice(draws, DRAWS, replace=True), dtype=np.float64)


def workspace_comparison(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    proposals: Sequence[Proposal],
    *,
    model: FittedModel | None = None,
    metric: ReturnMetric = "revenue",
    credit: CreditModel = "linear",
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    margin: float = 1.0,
    months: int = 12,
    weeks: int = 13,
    seed: int = 0,
) -> ScenarioComparison:
    history = program_history(store, settings, metric=metric, credit=credit, start=start, end=end)
    return compare_proposals(
        history, proposals, model=model, margin=margin, months=months, weeks=weeks, seed=seed
    )
