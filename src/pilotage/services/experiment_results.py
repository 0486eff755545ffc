"""Experiments in the metadata store: the initiative each one tests, and the saved lifts
(one row per variant and analysis) that the marketing mix model calibrates with."""

from __future__ import annotations

import datetime

from pydantic import BaseModel, ConfigDict

from pilotage.data.metadata import experiments as repo
from pilotage.data.metadata.models import ExperimentLink, LiftResult
from pilotage.data.metadata.store import MetadataStore
from pilotage.services.experiments import ExperimentAnalysis


class LinkInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    experiment_id: str
    initiative_id: int
    channel: str | None
    linked_at: datetime.datetime
    linked_by: str


class StoredLift(BaseModel):
    """A saved lift. ``ci_low``/``ci_high`` are on the ``difference`` scale at 1 - alpha;
    ``started_at``/``ended_at`` the exposure period (what a mix model calibrates on)."""

    model_config = ConfigDict(frozen=True)

    id: int
    experiment_id: str
    variant: str
    control: str
    metric: str
    method: str
    difference: str
    alpha: float
    units: int
    control_units: int
    control_mean: float
    variant_mean: float
    lift_abs: float
    lift_rel: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    chance_to_win: float | None
    srm_p_value: float
    decision: str
    initiative_id: int | None
    channel: str | None
    started_at: datetime.datetime | None
    ended_at: datetime.datetime | None
    analysed_at: datetime.datetime
    analysed_by: str


class StoredLifts(BaseModel):
    model_config = ConfigDict(frozen=True)

    results: list[StoredLift]


def _link(link: ExperimentLink) -> LinkInfo:
    return LinkInfo(
        experiment_id=link.experiment_id,
        initiative_id=link.initiative_id,
        channel=link.channel,
        linked_at=link.linked_at,
        linked_by=link.linked_by,
    )


def _lift(row: LiftResult) -> StoredLift:
    return StoredLift.model_validate(row, from_attributes=True)


def link_experiment(
    meta: MetadataStore, experiment_id: str, initiative_id: int, channel: str | None, actor: str
) -> LinkInfo:
    with meta.session() as session:
        return _link(repo.link_experiment(session, experiment_id, initiative_id, channel, actor))


def links(meta: MetadataStore) -> dict[str, LinkInfo]:
    with meta.reading() as session:
        return {k: _link(v) for k, v in repo.all_links(session).items()}


def save_lifts(meta: MetadataStore, analysis: ExperimentAnalysis, actor: str) -> StoredLifts:
    """Store every variant's lift of ``analysis``, with the experiment's initiative and
    channel when it is linked."""
    control = next(v for v in analysis.variants if v.is_control)
    with meta.session() as session:
        link = repo.experiment_link(session, analysis.experiment_id)
        rows = [
            LiftResult(
                experiment_id=analysis.experiment_id,
                variant=v.variant,
                control=analysis.control,
                metric=analysis.metric,
                method=analysis.method,
                difference=analysis.difference,
                alpha=analysis.alpha,
                units=v.units,
                control_units=control.units,
                control_mean=control.mean,
                variant_mean=v.mean,
                lift_abs=v.lift_abs or 0.0,
                lift_rel=v.lift_rel,
                ci_low=v.ci_low,
                ci_high=v.ci_high,
                p_value=v.p_value,
                chance_to_win=v.chance_to_win,
                srm_p_value=analysis.srm_p_value,
                decision=analysis.decision,
                initiative_id=link.initiative_id if link else None,
                channel=link.channel if link else None,
                started_at=analysis.first_exposure,
                ended_at=analysis.last_exposure,
            )
            for v in analysis.variants
            if not v.is_control
        ]
        stored = repo.add_lift_results(session, rows, actor)
        return StoredLifts(results=[_lift(r) for r in stored])


def stored_lifts(meta: MetadataStore, experiment_id: str | None = None) -> StoredLifts:
    with meta.reading() as session:
        return StoredLifts(
            results=[_lift(r) for r in repo.list_lift_results(session, experiment_id)]
        )
