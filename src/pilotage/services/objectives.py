"""SMART objectives: business objectives and the marketing objectives cascading from them;
each with its progress to date, a forecast to the deadline with its 80 % interval, the
probability of reaching the target, and a SMART check with one reason per letter.

Semantics: an additive metric (leads, pipeline) is a total from the start to the deadline;
any other (a rate, a CAC, MRR) is a level, judged on the deadline's month. Numbers come
from the KPI engine (:mod:`pilotage.services.objective_numbers`); the forecast and the
check are pure (:mod:`pilotage.core.planning`).
"""

from __future__ import annotations

import calendar
import datetime
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pilotage.core.kpis.periods import add_months
from pilotage.core.metrics.registry import METRICS
from pilotage.core.planning.forecast import forecast
from pilotage.core.planning.metrics import (
    Aggregation,
    Direction,
    aggregation_of,
    default_direction,
    measurable,
    meets,
    scope_problems,
)
from pilotage.core.planning.smart import (
    PLAUSIBLE,
    SmartInput,
    is_smart,
    smart_check,
)
from pilotage.core.planning.text import Lang
from pilotage.data.metadata.audit import record_audit
from pilotage.data.metadata.clock import now_of
from pilotage.data.metadata.models import Objective
from pilotage.data.metadata.store import MetadataStore
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.errors import NotFoundError, UsageError
from pilotage.services.objective_numbers import (
    Ask,
    MonthValue,
    ObjectiveNumbers,
    ask,
    last_complete_month,
    month_start,
    objectives_numbers,
)
from pilotage.services.objective_results import (
    ForecastInfo,
    ObjectiveInfo,
    ObjectiveSpec,
    ObjectivesResult,
    ObjectiveStatus,
    SmartLetterInfo,
    Status,
)
from pilotage.services.reports import last_data_day

#: (asks, as_of) -> each ask's numbers (:func:`objectives_numbers`); the server passes a
#: cached one.
NumbersOf = Callable[[Sequence[Ask], datetime.date | None], list[ObjectiveNumbers]]


def _info(o: Objective) -> ObjectiveInfo:
    return ObjectiveInfo(
        id=o.id,
        name=o.name,
        kind=o.kind,
        owner=o.owner,
        metric_id=o.metric_id,
        scope=_scope(o.scope),
        target=o.target,
        direction=o.direction,
        start=o.start or o.created_at.date(),
        deadline=o.deadline,
        parent_id=o.parent_id,
        created_at=o.created_at,
        created_by=o.created_by,
    )


def _scope(raw: Mapping[str, Any] | None) -> dict[str, list[str]]:
    return {
        str(k): sorted(str(v) for v in (vs if isinstance(vs, list | tuple) else [vs]))
        for k, vs in (raw or {}).items()
    }


def list_objectives(meta: MetadataStore) -> list[ObjectiveInfo]:
    with meta.reading() as session:
        rows = session.scalars(select(Objective).order_by(Objective.deadline, Objective.id))
        return [_info(o) for o in rows]


def checked_spec(
    session: Session, spec: ObjectiveSpec, today: datetime.date
) -> tuple[ObjectiveSpec, str | None]:
    """``spec`` with its defaults filled (start, direction), refused with what is wrong;
    and the parent's name."""
    name = spec.name.strip()
    if not name:
        raise UsageError("the objective's name is blank", fix="give it a name")
    if measurable(spec.metric_id) is None:
        known = (
            "is not a metric of the registry"
            if spec.metric_id not in METRICS
            else ("is not computed from the workspace")
        )
        raise UsageError(
            f"the objective has no measurable metric: {spec.metric_id!r} {known}",
            fix="choose a metric listed by 'pilotage metrics' (e.g. mqls, pipeline_created)",
        )
    problems = scope_problems(spec.scope)
    if problems:
        raise UsageError("the objective's scope: " + "; ".join(problems), fix="fix the scope")
    if not math.isfinite(spec.target):
        raise UsageError("the target must be a finite number", fix="give the target value")
    if spec.deadline <= today:
        raise UsageError(
            f"the deadline {spec.deadline} is not in the future (today is {today})",
            fix="give a deadline after today",
        )
    start = spec.start or today
    if start >= spec.deadline:
        raise UsageError(
            f"the start {start} is not before the deadline {spec.deadline}",
            fix="start the objective before its deadline",
        )
    parent_name = None
    if spec.parent_id is not None:
        if spec.kind == "business":
            raise UsageError(
                "a business objective has no parent: marketing objectives cascade from it",
                fix="drop the parent, or make this a marketing objective",
            )
        parent = session.get(Objective, spec.parent_id)
        if parent is None:
            raise NotFoundError(
                f"no objective {spec.parent_id} to cascade from",
                fix="give the id of a business objective (pilotage objective list)",
            )
        if parent.kind != "business":
            raise UsageError(
                f"objective {parent.id} ({parent.name}) is not a business objective",
                fix="link a marketing objective to a business objective",
            )
        parent_name = parent.name
    filled = spec.model_copy(
        update={
            "name": name,
            "start": start,
            "scope": _scope(spec.scope),
            "owner": (spec.owner or "").strip() or None,
            "direction": spec.direction or default_direction(spec.metric_id),
        }
    )
    return filled, parent_name


def create_objective(
    meta: MetadataStore, spec: ObjectiveSpec, actor: str, *, today: datetime.date
) -> ObjectiveInfo:
    """Store a new objective; refused (nothing stored) with what is wrong or missing."""
    with meta.session() as session:
        filled, _ = checked_spec(session, spec, today)
        assert filled.start is not None and filled.direction is not None
        row = Objective(
            name=filled.name,
            metric_id=filled.metric_id,
            scope=filled.scope or None,
            target=filled.target,
            deadline=filled.deadline,
            start=filled.start,
            parent_id=filled.parent_id,
            kind=filled.kind,
            owner=filled.owner,
            direction=filled.direction,
            created_at=now_of(session),
            created_by=actor,
        )
        session.add(row)
        session.flush()
        record_audit(
            session,
            actor,
            "objective.create",
            f"objective:{row.id}",
            filled.model_dump(mode="json"),
        )
        return _info(row)


def objectives_status(
    store: AnalyticsStore,
    meta: MetadataStore,
    settings: WorkspaceSettings,
    *,
    today: datetime.date,
    lang: Lang = "en",
) -> ObjectivesResult:
    """Every objective with its progress, forecast, probability and SMART check."""
    as_of = data_as_of(store, settings, today)
    return judge_objectives(
        meta, settings, today=today, as_of=as_of, numbers=_direct(store, settings), lang=lang
    )


def judge_objectives(
    meta: MetadataStore,
    settings: WorkspaceSettings,
    *,
    today: datetime.date,
    as_of: datetime.date | None,
    numbers: NumbersOf,
    lang: Lang = "en",
) -> ObjectivesResult:
    """:func:`objectives_status` from the data's last day and a source of numbers (the
    server passes its cached ones)."""
    infos = list_objectives(meta)
    by_id = {o.id: o for o in infos}
    found = _numbers(infos, as_of, numbers)
    judged = {
        o.id: _status(o, by_id, as_of, today, lang, settings, n)
        for o, n in zip(infos, found, strict=True)
    }
    return ObjectivesResult(today=today, as_of=as_of, objectives=_cascade(infos, judged))


def objective_status(
    store: AnalyticsStore,
    meta: MetadataStore,
    settings: WorkspaceSettings,
    objective_id: int,
    *,
    today: datetime.date,
    lang: Lang = "en",
) -> ObjectiveStatus:
    infos = list_objectives(meta)
    by_id = {o.id: o for o in infos}
    if objective_id not in by_id:
        raise NotFoundError(
            f"no objective {objective_id}",
            fix="list them with 'pilotage objective list' or GET /api/v1/objectives",
        )
    as_of = data_as_of(store, settings, today)
    o = by_id[objective_id]
    (found,) = _numbers([o], as_of, _direct(store, settings))
    return _status(o, by_id, as_of, today, lang, settings, found)


def check_objective(
    store: AnalyticsStore,
    meta: MetadataStore,
    settings: WorkspaceSettings,
    spec: ObjectiveSpec,
    *,
    today: datetime.date,
    lang: Lang = "en",
) -> ObjectiveStatus:
    """The SMART check, progress and forecast of an objective before it is created."""
    with meta.reading() as session:
        filled, _ = checked_spec(session, spec, today)
    assert filled.start is not None and filled.direction is not None
    info = ObjectiveInfo(
        id=0,
        name=filled.name,
        kind=filled.kind,
        owner=filled.owner,
        metric_id=filled.metric_id,
        scope=filled.scope,
        target=filled.target,
        direction=filled.direction,
        start=filled.start,
        deadline=filled.deadline,
        parent_id=filled.parent_id,
        created_at=datetime.datetime.now(datetime.UTC),
        created_by=None,
    )
    parents = {o.id: o for o in list_objectives(meta) if o.id == filled.parent_id}
    as_of = data_as_of(store, settings, today)
    (found,) = _numbers([info], as_of, _direct(store, settings))
    status = _status(info, parents, as_of, today, lang, settings, found)
    return status.model_copy(update={"id": None, "created_at": None})


def data_as_of(
    store: AnalyticsStore, settings: WorkspaceSettings, today: datetime.date
) -> datetime.date | None:
    """The day objectives are judged at: the data's last day, or today if earlier."""
    last = last_data_day(store)
    return None if last is None else min(last, today)


def _direct(store: AnalyticsStore, settings: WorkspaceSettings) -> NumbersOf:
    def get(asks: Sequence[Ask], as_of: datetime.date | None) -> list[ObjectiveNumbers]:
        return objectives_numbers(store, settings, asks, as_of)

    return get


def _numbers(
    infos: Sequence[ObjectiveInfo], as_of: datetime.date | None, get: NumbersOf
) -> list[ObjectiveNumbers | None]:
    """Each objective's numbers (None for a metric not in the registry)."""
    known = [o for o in infos if o.metric_id in METRICS]
    found = dict(
        zip(
            (o.id for o in known),
            get(tuple(ask(o.metric_id, o.scope, o.start, o.deadline) for o in known), as_of),
            strict=True,
        )
    )
    return [found.get(o.id) if o.metric_id in METRICS else None for o in infos]


def _cascade(
    infos: list[ObjectiveInfo], judged: dict[int, ObjectiveStatus]
) -> list[ObjectiveStatus]:
    """Business objectives, each followed by its children; then orphans."""
    out: list[ObjectiveStatus] = []
    for parent in (o for o in infos if o.kind == "business"):
        out.append(judged[parent.id])
        out += [judged[o.id] for o in infos if o.parent_id == parent.id]
    seen = {o.id for o in out if o.id is not None}
    return out + [judged[o.id] for o in infos if o.id not in seen]


def _future(
    start: datetime.date, deadline: datetime.date, as_of: datetime.date, aggregation: Aggregation
) -> list[tuple[datetime.date, float]]:
    """Months after ``as_of`` up to the deadline's, each with the share of its days the
    objective still has to count (a level: 1, only the deadline's month matters)."""
    if aggregation == "level":
        first = add_months(last_complete_month(as_of), 1)
        months = []
        while first <= month_start(deadline):
            months.append((first, 1.0))
            first = add_months(first, 1)
        return months
    counted_from = max(start, as_of + datetime.timedelta(days=1))
    months = []
    first = month_start(counted_from)
    while first <= deadline:
        size = calendar.monthrange(first.year, first.month)[1]
        last = first.replace(day=size)
        days = (min(last, deadline) - max(first, counted_from)).days + 1
        months.append((first, days / size))
        first = add_months(first, 1)
    return months


def _status(
    o: ObjectiveInfo,
    by_id: Mapping[int, ObjectiveInfo],
    as_of: datetime.date | None,
    today: datetime.date,
    lang: Lang,
    settings: WorkspaceSettings,
    numbers: ObjectiveNumbers | None,
) -> ObjectiveStatus:
    metric = METRICS.get(o.metric_id)
    aggregation: Aggregation = aggregation_of(metric) if metric else "total"
    history = numbers.history if numbers else []
    months = [h.month for h in history if h.value is not None]
    values = [h.value for h in history if h.value is not None]
    direction: Direction = "at_most" if o.direction == "at_most" else "at_least"
    final = numbers.final if numbers else None
    fc = None
    if as_of is not None and final is None and values:
        future = _future(o.start, o.deadline, as_of, aggregation)
        so_far = numbers.to_date if numbers and numbers.to_date is not None else 0.0
        if future:
            fc = forecast(
                months,
                values,
                future,
                aggregation=aggregation,
                so_far=so_far if aggregation == "total" else 0.0,
                target=o.target,
                direction=direction,
            )
    parent = by_id.get(o.parent_id) if o.parent_id is not None else None
    verdicts = smart_check(
        SmartInput(
            metric_id=o.metric_id,
            scope=o.scope,
            target=o.target,
            direction=direction,
            start=o.start,
            deadline=o.deadline,
            kind="business" if o.kind == "business" else "marketing",
            parent=(parent.name, "business" if parent.kind == "business" else "marketing")
            if parent
            else None,
            not_sliced=tuple(numbers.not_sliced) if numbers else (),
            history_months=len(values),
            has_data=numbers is not None and numbers.data_from is not None,
            forecast=fc,
            final=final,
            today=today,
            currency=settings.reporting_currency,
        ),
        lang,
    )
    to_date = numbers.to_date if numbers else None
    probability = (
        (1.0 if meets(final, o.target, direction) else 0.0)
        if final is not None
        else (fc.probability if fc else None)
    )
    return ObjectiveStatus(
        id=o.id,
        name=o.name,
        kind=o.kind,
        owner=o.owner,
        metric_id=o.metric_id,
        metric_name=metric.name(lang) if metric else o.metric_id,
        unit=metric.unit if metric else "count",
        scope=o.scope,
        target=o.target,
        direction=direction,
        aggregation=aggregation,
        start=o.start,
        deadline=o.deadline,
        parent_id=o.parent_id,
        parent_name=parent.name if parent else None,
        children=[c.id for c in by_id.values() if c.parent_id == o.id],
        created_at=o.created_at,
        created_by=o.created_by,
        as_of=as_of,
        value_to_date=to_date,
        progress=_progress(aggregation, to_date, o.target, history, o.start),
        elapsed=_elapsed(o.start, o.deadline, as_of),
        final=final,
        forecast=ForecastInfo.of(fc) if fc else None,
        probability=probability,
        status=_verdict(final, probability),
        smart=[
            SmartLetterInfo(letter=v.letter, passed=v.passed, reason=v.reason) for v in verdicts
        ],
        is_smart=is_smart(verdicts),
        history=history,
        not_sliced=numbers.not_sliced if numbers else [],
        currency=settings.reporting_currency,
    )


def _progress(
    aggregation: Aggregation,
    to_date: float | None,
    target: float,
    history: list[MonthValue],
    start: datetime.date,
) -> float | None:
    if to_date is None:
        return None
    if aggregation == "total":
        return to_date / target if target else None
    before = add_months(month_start(start), -1)
    origin = next((h.value for h in history if h.month == before), None)
    if origin is None or origin == target:
        return None
    return (to_date - origin) / (target - origin)


def _elapsed(
    start: datetime.date, deadline: datetime.date, as_of: datetime.date | None
) -> float | None:
    if as_of is None:
        return None
    share = ((as_of - start).days + 1) / ((deadline - start).days + 1)
    return min(1.0, max(0.0, share))


def _verdict(final: float | None, probability: float | None) -> Status:
    if probability is None:
        return "unknown"
    if final is not None:
        return "met" if probability == 1.0 else "missed"
    if probability >= 0.5:
        return "on_track"
    return "at_risk" if probability >= PLAUSIBLE else "off_track"


__all__ = [
    "ForecastInfo",
    "NumbersOf",
    "ObjectiveInfo",
    "ObjectiveSpec",
    "ObjectiveStatus",
    "ObjectivesResult",
    "SmartLetterInfo",
    "check_objective",
    "create_objective",
    "data_as_of",
    "judge_objectives",
    "list_objectives",
    "objective_status",
    "objectives_status",
]
