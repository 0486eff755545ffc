"""Attribution use case: path counts -> models -> result objects every interface shows."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict

from pilotage.core.attribution.options import ModelOptions
from pilotage.core.attribution.paths import PathCounts
from pilotage.core.attribution.registry import ALL_MODELS, model
from pilotage.core.attribution.run import Attribution, attribute
from pilotage.data.path_files import PathColumns, read_path_file
from pilotage.errors import UsageError


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


class AttributionComparison(BaseModel):
    """Every model side by side; ``warnings`` names the models that could not run and why."""

    model_config = ConfigDict(frozen=True)

    models: list[AttributionResult]
    warnings: list[str]


def read_paths(file: Path, columns: PathColumns | None = None, sep: str = ">") -> PathCounts:
    return read_path_file(file, columns, sep)


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
