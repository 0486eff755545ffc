"""Experiment links (experiment -> initiative) and saved lift results in the metadata store."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pilotage.data.metadata.audit import record_audit
from pilotage.data.metadata.clock import now_of
from pilotage.data.metadata.models import ExperimentLink, Initiative, LiftResult
from pilotage.errors import NotFoundError, UsageError


def link_experiment(
    session: Session, experiment_id: str, initiative_id: int, channel: str | None, actor: str
) -> ExperimentLink:
    """Link (or re-link) an experiment to the initiative it tests."""
    if not experiment_id.strip():
        raise UsageError("the experiment id is blank", fix="give the experiment_id of the data")
    if session.get(Initiative, initiative_id) is None:
        raise NotFoundError(
            f"no initiative {initiative_id}",
            fix="give the id of an existing initiative (see the initiatives page)",
        )
    link = session.get(ExperimentLink, experiment_id)
    if link is None:
        link = ExperimentLink(experiment_id=experiment_id)
        session.add(link)
    link.initiative_id = initiative_id
    link.channel = channel.strip().lower() if channel and channel.strip() else None
    link.linked_at = now_of(session)
    link.linked_by = actor
    record_audit(
        session,
        actor,
        "experiment.link",
        experiment_id,
        {"initiative_id": initiative_id, "channel": link.channel},
    )
    session.flush()
    return link


def experiment_link(session: Session, experiment_id: str) -> ExperimentLink | None:
    return session.get(ExperimentLink, experiment_id)


def all_links(session: Session) -> dict[str, ExperimentLink]:
    return {link.experiment_id: link for link in session.scalars(select(ExperimentLink))}


def add_lift_results(session: Session, rows: list[LiftResult], actor: str) -> list[LiftResult]:
    """Store the lifts of one analysis (one row per variant), stamped with the session clock."""
    when = now_of(session)
    for row in rows:
        row.analysed_at = when
        row.analysed_by = actor
        session.add(row)
    if rows:
        record_audit(
            session,
            actor,
            "experiment.save_results",
            rows[0].experiment_id,
            {"metric": rows[0].metric, "variants": [r.variant for r in rows]},
        )
    session.flush()
    return rows


def list_lift_results(session: Session, experiment_id: str | None = None) -> list[LiftResult]:
    query = select(LiftResult).order_by(LiftResult.analysed_at, LiftResult.id)
    if experiment_id is not None:
        query = query.where(LiftResult.experiment_id == experiment_id)
    return list(session.scalars(query))
