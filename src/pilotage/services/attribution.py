"""Attribution use case: path counts -> models -> result objects every interface shows."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict

from pilotage.core.attribution.build import JourneySpec, workspace_paths
from pilotage.core.attribution.milestones import STAGES, Level
from pilotage.core.attribution.options import ModelOptions
from pilotage.core.attribution.paths import PathCounts
from pilotage.core.attribution.registry import ALL_MODELS, model
from pilotage.core.attribution.run import Attribution, attribute
from pilotage.data.path_files import PathColumns, read_path_file
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.errors import UsageError
from pilotage.services.attribution_sourcing import SourcingSummary, account_sourcing
from pilotage.services.tables import StoredTables, as_float

#: Tables the workspace journeys read.
JOURNEY_TABLES = ("touchpoints", "conversions", "people", "opportunities")


class Unattributed(BaseModel):
    """Conversions and value of paths with no touch other than direct (or no touch)."""

    model_config = ConfigDict(frozen=True)

    conversions: float
    value: float


class ChannelCredit(BaseModel):
    """One channel's credit. ``share`` is its part of the attributed conversions (excluding
    unattributed ones); ``ci_low``/``ci_high`` bound its conversions credit (central 95% of
    the bootstrap draws), null without --bootstrap."""

    model_config = ConfigDict(frozen=True)

    channel: str
    conversions: float
    value: float
    share: float | None
    ci_low: float | None
    ci_high: float | None


class PositionCredit(BaseModel):
    """Ordered Shapley: conversions credited to ``channel`` as the ``rank``-th channel
    touched (1 = first)."""

    model_config = ConfigDict(frozen=True)

    channel: str
    rank: int
    conversions: float


class JourneySource(BaseModel):
    """Where workspace paths came from: the journeys' level, what ended them, the lookback
    window (days), whether sales touches counted, and how many journeys and distinct paths
    there were."""

    model_config = ConfigDict(frozen=True)

    level: Level
    conversion_types: list[str]
    lookback_days: int
    include_sales: bool
    converting_journeys: float
    non_converting_journeys: float
    distinct_paths: int


class AttributionResult(BaseModel):
    """One model's credits; ``total_*`` are the attributable totals the credits add up to."""

    model_config = ConfigDict(frozen=True)

    model: str
    definition: str
    total_conversions: float
    total_value: float
    unattributed: Unattributed
    channels: list[ChannelCredit]
    warnings: list[str]
    indistinguishable: list[list[str]]
    by_position: list[PositionCredit]
    source: JourneySource | None = None
    #: Account level: marketing-sourced (three definitions) and influenced pipeline.
    sourcing: SourcingSummary | None = None


class AttributionComparison(BaseModel):
    """Every model side by side; ``warnings`` names the models that could not run and why."""

    model_config = ConfigDict(frozen=True)

    models: list[AttributionResult]
    warnings: list[str]
    source: JourneySource | None = None
    #: Account level: marketing-sourced (three definitions) and influenced pipeline.
    sourcing: SourcingSummary | None = None


def read_paths(file: Path, columns: PathColumns | None = None, sep: str = ">") -> PathCounts:
    return read_path_file(file, columns, sep)


def journey_spec(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    *,
    level: Level = "person",
    lookback_days: int | None = None,
    conversion_type: str | None = None,
    include_sales: bool = True,
    stage: str | None = None,
) -> JourneySpec:
    """The journeys to build. Conversion types are comma-separated; by default, at person
    level the type with the largest total value (else the most frequent), at account level
    the opportunity stage. ``stage`` (account level: mql, sql, opportunity, won) names the
    funnel stage that ends the journeys instead. Lookback: the workspace's
    ``lookback_days`` unless given."""
    if stage is not None:
        conversion_type = _stage_type(stage, level, conversion_type)
    days = settings.lookback_days if lookback_days is None else lookback_days
    if not 1 <= days <= 730:
        raise UsageError(f"lookback of {days} days is not allowed", fix="use 1 to 730 days")
    if level not in ("person", "account"):
        raise UsageError(f"unknown level {level!r}", fix="use --level person or account")
    if conversion_type:
        types = tuple(t.strip().lower() for t in conversion_type.split(",") if t.strip())
    elif level == "account":
        types = ("opportunity",)
    else:
        types = _main_conversion_type(store)
    known = set(_conversion_types(store)) | (set(STAGES) if level == "account" else set())
    unknown = [t for t in types if t not in known]
    if unknown or not types:
        raise UsageError(
            f"no conversions of type {', '.join(unknown) or conversion_type!r} in the workspace",
            fix="use one of " + (", ".join(sorted(known)) or "the types you load in conversions"),
        )
    if level == "account" and len(types) > 1 and set(types) & set(STAGES):
        raise UsageError(
            "an account stage is attributed on its own", fix="give one stage, e.g. opportunity"
        )
    return JourneySpec(level, types, days, include_sales)


def _stage_type(stage: str, level: str, conversion_type: str | None) -> str:
    if level != "account":
        raise UsageError(
            f"the stage {stage!r} is an account funnel stage", fix="add --level account"
        )
    if stage not in STAGES:
        raise UsageError(f"unknown stage {stage!r}", fix="use one of " + ", ".join(STAGES))
    if conversion_type:
        raise UsageError("give a stage or conversion types, not both", fix="drop --conversion-type")
    return stage


def journey_paths(store: AnalyticsStore, spec: JourneySpec) -> tuple[PathCounts, JourneySource]:
    """The workspace's distinct paths (built in the store's engine) and their description."""
    tables = StoredTables(store)
    paths = workspace_paths({n: tables[n] for n in JOURNEY_TABLES}, spec, tables.backend.to_pyarrow)
    source = JourneySource(
        level=spec.level,
        conversion_types=list(spec.types),
        lookback_days=spec.lookback_days,
        include_sales=spec.include_sales,
        converting_journeys=float(paths.conversions.sum()),
        non_converting_journeys=float(paths.nulls.sum()),
        distinct_paths=paths.n_paths,
    )
    return paths, source


def _conversion_types(store: AnalyticsStore) -> list[str]:
    return [str(r["conversion_type"]) for r in _type_totals(store)]


def _main_conversion_type(store: AnalyticsStore) -> tuple[str, ...]:
    totals = _type_totals(store)
    if not totals:
        raise UsageError(
            "the workspace has no conversions to attribute",
            fix="load conversions (pilotage load conversions FILE) or give --paths FILE",
        )
    best = max(totals, key=lambda r: (as_float(r["value"]), as_float(r["n"])))
    return (str(best["conversion_type"]),)


def _type_totals(store: AnalyticsStore) -> list[dict[str, object]]:
    tables = StoredTables(store)
    c = tables["conversions"]
    expr = c.group_by("conversion_type").aggregate(n=c.count(), value=c.value.sum())
    return tables.rows(expr)


def run_model(
    paths: PathCounts, name: str, options: ModelOptions, *, draws: int = 0, seed: int | None = None
) -> AttributionResult:
    return to_result(attribute(paths, model(name), options, draws=draws, seed=seed))


def run_all(
    paths: PathCounts, options: ModelOptions, *, draws: int = 0, seed: int | None = None
) -> AttributionComparison:
    """Every model of ``all``; one the input cannot feed (no ages, no milestone tags, no
    non-converting journeys) is left out with the reason in ``warnings``."""
    results, skipped = [], []
    for name in ALL_MODELS:
        try:
            results.append(run_model(paths, name, options, draws=draws, seed=seed))
        except UsageError as refused:
            skipped.append(f"{name} not run: {refused.message}")
    return AttributionComparison(models=results, warnings=skipped)


def to_result(done: Attribution) -> AttributionResult:
    credits = done.credits
    total = done.total_conversions
    order = np.lexsort((np.array(credits.channels), -credits.conversions))
    low = high = None
    if done.intervals is not None:
        low, high = done.intervals.low, done.intervals.high
    channels = [
        ChannelCredit(
            channel=credits.channels[i],
            conversions=float(credits.conversions[i]),
            value=float(credits.value[i]),
            share=float(credits.conversions[i] / total) if total > 0 else None,
            ci_low=float(low[i]) if low is not None else None,
            ci_high=float(high[i]) if high is not None else None,
        )
        for i in order
    ]
    positions = []
    if credits.by_position is not None:
        for i in order:
            for rank, amount in enumerate(credits.by_position[i], start=1):
                if amount > 0:
                    positions.append(
                        PositionCredit(
                            channel=credits.channels[i], rank=rank, conversions=float(amount)
                        )
                    )
    return AttributionResult(
        model=done.model.name,
        definition=done.model.definition,
        total_conversions=total,
        total_value=done.total_value,
        unattributed=Unattributed(
            conversions=done.unattributed_conversions, value=done.unattributed_value
        ),
        channels=channels,
        warnings=list(done.warnings),
        indistinguishable=[list(p) for p in done.intervals.indistinguishable]
        if done.intervals is not None
        else [],
        by_position=positions,
    )


def workspace_attribution(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    *,
    model_name: str = "all",
    level: Level = "person",
    lookback_days: int | None = None,
    conversion_type: str | None = None,
    include_sales: bool = True,
    options: ModelOptions | None = None,
    draws: int = 0,
    seed: int | None = None,
    stage: str | None = None,
) -> AttributionResult | AttributionComparison:
    """One model (or ``all``) on the workspace's journeys, with where the paths came from;
    at account level also the marketing-sourced and influenced pipeline (KPI engine)."""
    spec = journey_spec(
        store,
        settings,
        level=level,
        lookback_days=lookback_days,
        conversion_type=conversion_type,
        include_sales=include_sales,
        stage=stage,
    )
    if model_name != "all" and not model(model_name).uses_ages:
        spec = dataclasses.replace(spec, with_ages=False)
    paths, source = journey_paths(store, spec)
    chosen = options or ModelOptions()
    done: AttributionResult | AttributionComparison
    if model_name == "all":
        done = run_all(paths, chosen, draws=draws, seed=seed)
    else:
        done = run_model(paths, model_name, chosen, draws=draws, seed=seed)
    sourcing = account_sourcing(store, settings) if spec.level == "account" else None
    return done.model_copy(update={"source": source, "sourcing": sourcing})
