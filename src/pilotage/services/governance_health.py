"""The strategy health check, scored from the workspace where it has the data (objectives,
RACI, committees, action items, the data audit's trust scores, alerts, experiments,
initiatives' measurement plans) and from the team's answers where it does not."""

from __future__ import annotations

import datetime

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select

from pilotage.core.governance.health import (
    ANSWER_MAX,
    AREAS,
    CRITERIA_BY_ID,
    Area,
    Source,
    area_scores,
    experiments_score,
    overall,
    score_criteria,
    share_score,
)
from pilotage.core.governance.vocabulary import DOMAINS, KEY_FUNCTIONS
from pilotage.data.metadata.audit import record_audit
from pilotage.data.metadata.clock import now_of
from pilotage.data.metadata.models import Initiative, Objective
from pilotage.data.metadata.models_governance import (
    ActionItem,
    Alert,
    CommitteeMember,
    HealthAnswer,
    Responsibility,
)
from pilotage.data.metadata.store import MetadataStore
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.errors import UsageError
from pilotage.services.audit import table_trust_scores
from pilotage.services.objectives import objectives_status
from pilotage.services.tables import StoredTables, as_int

#: Tables whose trust the performance figures rest on.
KPI_TABLES = ("spend", "touchpoints", "orders", "people", "opportunities", "conversions")


class CriterionScore(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    area: Area
    question: str
    score: float | None
    source: Source
    data_rule: str
    answer: int | None


class AreaScore(BaseModel):
    model_config = ConfigDict(frozen=True)

    area: Area
    score: float | None


class HealthCheck(BaseModel):
    """0-100 per criterion, area and overall; each criterion says whether its score comes
    from the data or from an answer (and the question to answer when it is missing)."""

    model_config = ConfigDict(frozen=True)

    today: datetime.date
    overall: float | None
    areas: list[AreaScore]
    criteria: list[CriterionScore]


def answer_question(
    meta: MetadataStore, question: str, score: int, actor: str, note: str | None = None
) -> None:
    if question not in CRITERIA_BY_ID:
        raise UsageError(
            f"unknown health-check question {question!r}",
            fix="use an id listed by `pilotage committee health` (e.g. skills.seo)",
        )
    if isinstance(score, bool) or not 0 <= score <= ANSWER_MAX:
        raise UsageError(
            f"answer {score!r} for {question} is out of range",
            fix=f"answer from 0 (not at all) to {ANSWER_MAX} (fully)",
        )
    with meta.session() as session:
        session.add(
            HealthAnswer(
                question=question,
                score=score,
                note=note.strip() if note else None,
                answered_at=now_of(session),
                answered_by=actor,
            )
        )
        record_audit(session, actor, "health.answer", question, {"score": score})


def latest_answers(meta: MetadataStore) -> dict[str, int]:
    with meta.reading() as session:
        rows = session.scalars(select(HealthAnswer).order_by(HealthAnswer.answered_at))
        return {r.question: r.score for r in rows}


def health_check(
    store: AnalyticsStore,
    meta: MetadataStore,
    settings: WorkspaceSettings,
    *,
    today: datetime.date,
    lang: str = "en",
) -> HealthCheck:
    data = metadata_signals(meta, today)
    data["tracking.data_trust"] = _trust(store, settings, today)
    data["experimentation.tests_run"] = _tests(store, today)
    data["alignment.on_track"] = on_track_share(store, meta, settings, today)
    answers = latest_answers(meta)
    scored = score_criteria(data, answers)
    areas = area_scores(scored)
    return HealthCheck(
        today=today,
        overall=overall(areas),
        areas=[AreaScore(area=a, score=areas[a]) for a in AREAS],
        criteria=[
            CriterionScore(
                id=s.criterion.id,
                area=s.criterion.area,
                question=s.criterion.question(lang),
                score=s.score,
                source=s.source,
                data_rule=s.criterion.data_rule_en,
                answer=answers.get(s.criterion.id),
            )
            for s in scored
        ],
    )


def on_track_share(
    store: AnalyticsStore, meta: MetadataStore, settings: WorkspaceSettings, today: datetime.date
) -> float | None:
    """Share (0-100) of the judged objectives on track or met (None: none judged)."""
    statuses = [
        o.status
        for o in objectives_status(store, meta, settings, today=today).objectives
        if o.status != "unknown"
    ]
    if not statuses:
        return None
    return 100.0 * sum(s in ("on_track", "met") for s in statuses) / len(statuses)


def metadata_signals(meta: MetadataStore, today: datetime.date) -> dict[str, float | None]:
    """The criteria the metadata store can score (None: no data for it)."""
    out: dict[str, float | None] = {}
    week_ago = datetime.datetime.combine(
        today - datetime.timedelta(days=7), datetime.time(), tzinfo=datetime.UTC
    )
    with meta.reading() as session:
        objectives = session.scalars(select(Objective)).all()
        marketing = [o for o in objectives if o.kind == "marketing"]
        out["alignment.cascade"] = share_score(
            sum(o.parent_id is not None for o in marketing), len(marketing)
        )
        raci = session.scalars(select(Responsibility)).all()
        for d in DOMAINS:
            levels = {r.level for r in raci if r.domain == d}
            named = len(levels & {"accountable", "responsible"})
            out[f"resources.{d}"] = 50.0 * named if raci else None
        roles = {m.role for m in session.scalars(select(CommitteeMember))}
        present = sum(bool(roles & set(group)) for group in KEY_FUNCTIONS)
        out["collaboration.committee"] = 100.0 * present / len(KEY_FUNCTIONS) if roles else None
        due = [a for a in session.scalars(select(ActionItem)) if a.due_date < today]
        due = [a for a in due if a.status != "cancelled"]
        out["collaboration.follow_through"] = share_score(
            sum(a.status == "done" for a in due), len(due)
        )
        aged = [a for a in session.scalars(select(Alert)) if a.first_seen_at < week_ago]
        handled = [
            a
            for a in aged
            if a.acknowledged_at is not None
            or (a.resolved_at is not None and not (a.resolved_by or "").startswith("pilotage"))
        ]
        out["tracking.alerts_handled"] = share_score(len(handled), len(aged))
        initiatives = session.scalars(select(Initiative)).all()
        out["experimentation.measured_initiatives"] = share_score(
            sum(bool(i.measurement_plan) for i in initiatives), len(initiatives)
        )
    return out


def _trust(
    store: AnalyticsStore, settings: WorkspaceSettings, today: datetime.date
) -> float | None:
    scores = table_trust_scores(store, settings, today)
    known = [s for t, s in scores.items() if t in KPI_TABLES and s is not None]
    return sum(known) / len(known) if known else None


def _tests(store: AnalyticsStore, today: datetime.date) -> float | None:
    """Experiments with an exposure in the 12 months to ``today`` (aggregate rows have no
    exposure date: an experiment with no dated unit counts when it is in the data)."""
    tables = StoredTables(store)
    if not tables.exists("experiments"):
        return None
    exp = tables["experiments"]
    per = exp.group_by("experiment_id").aggregate(last=exp.exposed_at.max())
    rows = tables.rows(per)
    if not rows:
        return None
    year_ago = today - datetime.timedelta(days=365)
    recent = 0
    for row in rows:
        last = row["last"]
        if last is None or (isinstance(last, datetime.datetime) and last.date() >= year_ago):
            recent += 1
    return experiments_score(as_int(recent))
