"""The engagement score's weights in the metadata store: the version in force (the
defaults until someone changes them), each change saved as a new version, and the history."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from pilotage.core.allbound.scoring import (
    COMPONENT_NAMES,
    COMPONENTS,
    DEFAULT_HALF_LIFE_DAYS,
    DEFAULT_POINTS,
    DEFAULT_WINDOW_DAYS,
    TREND_DAYS,
    Component,
    ScoringModel,
)
from pilotage.data.metadata.audit import record_audit
from pilotage.data.metadata.clock import now_of
from pilotage.data.metadata.models_allbound import EngagementScoring
from pilotage.data.metadata.store import MetadataStore
from pilotage.errors import UsageError, plain_text
from pilotage.services.kpis import Lang

MAX_NOTE = 500


class WeightInfo(BaseModel):
    """One component: ``points`` in force and the ``default`` points."""

    model_config = ConfigDict(frozen=True)

    component: Component
    name: str
    points: float
    default: float


class ScoringVersion(BaseModel):
    model_config = ConfigDict(frozen=True)

    version: int
    points: dict[str, float]
    half_life_days: float
    window_days: int
    note: str | None
    created_at: datetime.datetime
    created_by: str


class ScoringSettings(BaseModel):
    """The weights in force (``version`` null: the defaults), what the defaults are, the
    formula, and the earlier versions, newest first."""

    model_config = ConfigDict(frozen=True)

    version: int | None
    formula: str
    weights: list[WeightInfo]
    half_life_days: float
    window_days: int
    trend_days: int
    default_half_life_days: float
    default_window_days: int
    changed_at: datetime.datetime | None
    changed_by: str | None
    history: list[ScoringVersion]


FORMULA = (
    "score = sum over components of points x sum over the account's activities (its own and "
    "its people's) in the window of 2^(-age in days / half-life); an open opportunity counts "
    "1 while open"
)


def _model(row: EngagementScoring | None) -> ScoringModel:
    if row is None:
        return ScoringModel.default()
    return ScoringModel.of(row.weights, row.half_life_days, row.window_days, row.id)


def _latest(session: Session) -> EngagementScoring | None:
    query = select(EngagementScoring).order_by(EngagementScoring.id.desc()).limit(1)
    return session.scalars(query).first()


def scoring_model(meta: MetadataStore) -> ScoringModel:
    """The model in force: the newest stored version, else the defaults."""
    with meta.reading() as session:
        return _model(_latest(session))


def scoring_settings(meta: MetadataStore, lang: Lang = "en") -> ScoringSettings:
    index = 1 if lang == "fr" else 0
    with meta.reading() as session:
        rows = list(
            session.scalars(select(EngagementScoring).order_by(EngagementScoring.id.desc()))
        )
        current = _model(rows[0] if rows else None)
        return ScoringSettings(
            version=current.version,
            formula=FORMULA,
            weights=[
                WeightInfo(
                    component=c,
                    name=COMPONENT_NAMES[c][index],
                    points=current.weight(c),
                    default=DEFAULT_POINTS[c],
                )
                for c in COMPONENTS
            ],
            half_life_days=current.half_life_days,
            window_days=current.window_days,
            trend_days=TREND_DAYS,
            default_half_life_days=DEFAULT_HALF_LIFE_DAYS,
            default_window_days=DEFAULT_WINDOW_DAYS,
            changed_at=rows[0].created_at if rows else None,
            changed_by=rows[0].created_by if rows else None,
            history=[
                ScoringVersion(
                    version=r.id,
                    points={k: float(v) for k, v in r.weights.items()},
                    half_life_days=r.half_life_days,
                    window_days=r.window_days,
                    note=r.note,
                    created_at=r.created_at,
                    created_by=r.created_by,
                )
                for r in rows
            ],
        )


def set_weights(
    meta: MetadataStore,
    updates: Mapping[str, float],
    actor: str,
    *,
    half_life_days: float | None = None,
    window_days: int | None = None,
    note: str | None = None,
    reset: bool = False,
    lang: Lang = "en",
) -> ScoringSettings:
    """Save a new version: the one in force (the defaults with ``reset``) with ``updates``
    applied. Every value is checked before anything is saved."""
    if not updates and half_life_days is None and window_days is None and not reset:
        raise UsageError(
            "no weight to change",
            fix="give points per component (e.g. webinar=12), a half-life, a window, or reset",
        )
    cleaned_note = (note or "").strip() or None
    if cleaned_note is not None:
        plain_text("note", (cleaned_note,), "write the note as plain text, on one line")
        if len(cleaned_note) > MAX_NOTE:
            raise UsageError(f"the note is longer than {MAX_NOTE} characters", fix="shorten it")
    with meta.session() as session:
        base = ScoringModel.default() if reset else _model(_latest(session))
        model = base.changed(updates, half_life_days, window_days)
        row = EngagementScoring(
            weights=dict(model.points),
            half_life_days=model.half_life_days,
            window_days=model.window_days,
            note=cleaned_note,
            created_at=now_of(session),
            created_by=actor,
        )
        session.add(row)
        session.flush()
        record_audit(
            session,
            actor,
            "engagement.weights",
            str(row.id),
            {
                "changed": dict(updates),
                "half_life_days": model.half_life_days,
                "window_days": model.window_days,
                "reset": reset,
            },
        )
    return scoring_settings(meta, lang)


def parse_weights(pairs: list[str], option: str = "--weight") -> dict[str, float]:
    """``["webinar=12", "visit=0.5,event=10"]`` -> {"webinar": 12.0, "visit": 0.5, ...}
    (decimals with a point: a comma separates pairs)."""
    out: dict[str, float] = {}
    for pair in pairs:
        for part in (p for p in pair.split(",") if p.strip()):
            name, sep, value = part.partition("=")
            try:
                if not sep:
                    raise ValueError(part)
                out[name.strip()] = float(value.strip())
            except ValueError:
                raise UsageError(
                    f"cannot read {option} {part.strip()!r}",
                    fix=f"write {option} COMPONENT=POINTS, e.g. {option} webinar=12",
                ) from None
    return out
