"""Target account lists in the metadata store: create, rename or re-own, add and remove
accounts, delete; and their shared goals per period. Every change is audited and made in
one transaction: a refused change saves nothing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from pilotage.core.allbound.goals import (
    GOAL_DEFINITIONS,
    GOAL_NAMES,
    GOAL_UNITS,
    GoalMetric,
    check_target,
    goal_metric,
)
from pilotage.data.metadata.audit import record_audit
from pilotage.data.metadata.clock import now_of
from pilotage.data.metadata.models_allbound import TargetList, TargetListGoal, TargetListMember
from pilotage.data.metadata.store import MetadataStore
from pilotage.errors import NotFoundError, UsageError, plain_text
from pilotage.services.kpis import Lang
from pilotage.services.report_periods import parse_period

MAX_NAME = 200
MAX_OWNER = 320
MAX_DESCRIPTION = 2000
#: Longer numbers are no list id (and would overflow the database's integers).
_MAX_ID_DIGITS = 18


class TargetListInfo(BaseModel):
    """A target list: who owns it on each side, and how many accounts it holds."""

    model_config = ConfigDict(frozen=True)

    id: int
    name: str
    description: str | None
    sales_owner: str
    marketing_owner: str
    accounts: int
    goals: int
    created_at: datetime.datetime
    created_by: str
    updated_at: datetime.datetime


class TargetListDetail(TargetListInfo):
    account_ids: list[str]


class TargetLists(BaseModel):
    model_config = ConfigDict(frozen=True)

    lists: list[TargetListInfo]


class GoalInfo(BaseModel):
    """A stored goal: ``metric`` must reach ``target`` over ``period`` (inclusive local days
    ``start`` to ``end``); ``unit`` and ``definition`` say how it is counted."""

    model_config = ConfigDict(frozen=True)

    list_id: int
    metric: GoalMetric
    name: str
    unit: str
    definition: str
    period: str
    start: datetime.date
    end: datetime.date
    target: float
    set_at: datetime.datetime
    set_by: str


@dataclass(frozen=True)
class GoalSpec:
    """A goal as the progress computation needs it (hashable: part of cache keys)."""

    metric: GoalMetric
    period: str
    start: datetime.date
    end: datetime.date
    target: float


def _text(field: str, value: str | None, limit: int, *, required: bool) -> str | None:
    cleaned = (value or "").strip()
    if not cleaned:
        if required:
            raise UsageError(
                f"a target list needs its {field.replace('_', ' ')}: {field} is missing",
                fix="name the sales owner and the marketing owner who answer for the list "
                "together, and give the list a name",
            )
        return None
    if len(cleaned) > limit:
        raise UsageError(f"{field} is longer than {limit} characters", fix=f"shorten {field}")
    plain_text(field, (cleaned,), f"give {field} as plain text, on one line")
    return cleaned


def _info(row: TargetList, accounts: int, goals: int) -> TargetListInfo:
    return TargetListInfo(
        id=row.id,
        name=row.name,
        description=row.description,
        sales_owner=row.sales_owner,
        marketing_owner=row.marketing_owner,
        accounts=accounts,
        goals=goals,
        created_at=row.created_at,
        created_by=row.created_by,
        updated_at=row.updated_at,
    )


def _detail(session: Session, row: TargetList) -> TargetListDetail:
    ids = sorted(m.account_id for m in row.members)
    info = _info(row, len(ids), len(row.goals))
    return TargetListDetail(**info.model_dump(), account_ids=ids)


def find_list(session: Session, ref: str | int) -> TargetList:
    """The list of id ``ref`` (a number) or of that exact name, else NotFoundError."""
    text = str(ref).strip()
    row: TargetList | None = None
    if text.isdigit() and len(text) <= _MAX_ID_DIGITS:
        row = session.get(TargetList, int(text))
    if row is None:
        row = session.scalars(select(TargetList).where(TargetList.name == text)).first()
    if row is None:
        raise NotFoundError(
            f"no target list {text!r}",
            fix="give the id or exact name of a list (pilotage accounts lists)",
        )
    return row


def _check_unique(session: Session, name: str, but: int | None = None) -> None:
    query = select(TargetList).where(func.lower(TargetList.name) == name.lower())
    same = session.scalars(query).first()
    if same is not None and same.id != but:
        raise UsageError(
            f"a target list named {same.name!r} already exists (id {same.id})",
            fix="choose another name, or add the accounts to that list",
        )


def all_lists(meta: MetadataStore) -> TargetLists:
    with meta.reading() as session:
        members = dict(
            session.execute(
                select(TargetListMember.list_id, func.count()).group_by(TargetListMember.list_id)
            ).all()
        )
        goals = dict(
            session.execute(
                select(TargetListGoal.list_id, func.count()).group_by(TargetListGoal.list_id)
            ).all()
        )
        rows = session.scalars(select(TargetList).order_by(TargetList.name)).all()
        return TargetLists(lists=[_info(r, members.get(r.id, 0), goals.get(r.id, 0)) for r in rows])


def target_list(meta: MetadataStore, ref: str | int) -> TargetListDetail:
    with meta.reading() as session:
        return _detail(session, find_list(session, ref))


def create_list(
    meta: MetadataStore,
    name: str,
    sales_owner: str,
    marketing_owner: str,
    account_ids: tuple[str, ...],
    actor: str,
    description: str | None = None,
) -> TargetListDetail:
    """A new list of ``account_ids`` (already checked against the accounts table)."""
    cleaned = _text("name", name, MAX_NAME, required=True)
    sales = _text("sales_owner", sales_owner, MAX_OWNER, required=True)
    marketing = _text("marketing_owner", marketing_owner, MAX_OWNER, required=True)
    about = _text("description", description, MAX_DESCRIPTION, required=False)
    assert cleaned and sales and marketing
    with meta.session() as session:
        _check_unique(session, cleaned)
        when = now_of(session)
        row = TargetList(
            name=cleaned,
            description=about,
            sales_owner=sales,
            marketing_owner=marketing,
            created_at=when,
            created_by=actor,
            updated_at=when,
        )
        row.members = [
            TargetListMember(account_id=a, added_at=when, added_by=actor) for a in account_ids
        ]
        session.add(row)
        session.flush()
        record_audit(
            session,
            actor,
            "target_list.create",
            str(row.id),
            {"name": cleaned, "accounts": len(account_ids)},
        )
        return _detail(session, row)


def edit_list(
    meta: MetadataStore,
    ref: str | int,
    actor: str,
    *,
    name: str | None = None,
    sales_owner: str | None = None,
    marketing_owner: str | None = None,
    description: str | None = None,
) -> TargetListDetail:
    """Rename a list, change its owners or its description (None leaves a field as is)."""
    with meta.session() as session:
        row = find_list(session, ref)
        changed: dict[str, str | None] = {}
        if name is not None:
            cleaned = _text("name", name, MAX_NAME, required=True)
            assert cleaned
            _check_unique(session, cleaned, but=row.id)
            row.name = changed["name"] = cleaned
        if sales_owner is not None:
            owner = _text("sales_owner", sales_owner, MAX_OWNER, required=True)
            assert owner
            row.sales_owner = changed["sales_owner"] = owner
        if marketing_owner is not None:
            owner = _text("marketing_owner", marketing_owner, MAX_OWNER, required=True)
            assert owner
            row.marketing_owner = changed["marketing_owner"] = owner
        if description is not None:
            row.description = changed["description"] = _text(
                "description", description, MAX_DESCRIPTION, required=False
            )
        row.updated_at = now_of(session)
        record_audit(session, actor, "target_list.edit", str(row.id), changed)
        session.flush()
        return _detail(session, row)


def add_members(
    meta: MetadataStore, ref: str | int, account_ids: tuple[str, ...], actor: str
) -> TargetListDetail:
    """Add checked ``account_ids`` to a list; accounts already in it stay as they are."""
    with meta.session() as session:
        row = find_list(session, ref)
        present = {m.account_id for m in row.members}
        when = now_of(session)
        new = [a for a in account_ids if a not in present]
        for account in new:
            row.members.append(TargetListMember(account_id=account, added_at=when, added_by=actor))
        row.updated_at = when
        record_audit(
            session, actor, "target_list.add", str(row.id), {"added": new[:100], "count": len(new)}
        )
        session.flush()
        return _detail(session, row)


def remove_members(
    meta: MetadataStore, ref: str | int, account_ids: tuple[str, ...], actor: str
) -> TargetListDetail:
    """Remove accounts from a list; naming an account the list does not hold refuses the
    whole change (a typo would otherwise pass unnoticed)."""
    with meta.session() as session:
        row = find_list(session, ref)
        present = {m.account_id for m in row.members}
        absent = [a for a in account_ids if a not in present]
        if absent:
            raise UsageError(
                f"the list {row.name!r} does not hold {', '.join(absent[:10])}"
                f"{' …' if len(absent) > 10 else ''}; nothing was removed",
                fix="name accounts of the list (pilotage accounts sales LIST shows them)",
            )
        gone = set(account_ids)
        row.members = [m for m in row.members if m.account_id not in gone]
        row.updated_at = now_of(session)
        record_audit(
            session,
            actor,
            "target_list.remove",
            str(row.id),
            {"removed": sorted(gone)[:100], "count": len(gone)},
        )
        session.flush()
        return _detail(session, row)


def delete_list(meta: MetadataStore, ref: str | int, actor: str) -> TargetListInfo:
    """Delete a list with its members and goals; the audit log keeps its name."""
    with meta.session() as session:
        row = find_list(session, ref)
        info = _info(row, len(row.members), len(row.goals))
        record_audit(session, actor, "target_list.delete", str(row.id), {"name": row.name})
        session.delete(row)
        session.flush()
        return info


def _goal(row: TargetListGoal, lang: Lang) -> GoalInfo:
    metric = goal_metric(row.metric)
    index = 1 if lang == "fr" else 0
    return GoalInfo(
        list_id=row.list_id,
        metric=metric,
        name=GOAL_NAMES[metric][index],
        unit=GOAL_UNITS[metric],
        definition=GOAL_DEFINITIONS[metric][index],
        period=row.period,
        start=row.period_start,
        end=row.period_end,
        target=row.target,
        set_at=row.set_at,
        set_by=row.set_by,
    )


def set_goal(
    meta: MetadataStore,
    ref: str | int,
    metric: str,
    period: str,
    target: float,
    actor: str,
    lang: Lang = "en",
) -> GoalInfo:
    """Set (or change) the list's goal for ``metric`` over ``period`` (2026-Q4, 2026-11 or
    2026-W45)."""
    chosen = goal_metric(metric)
    value = check_target(chosen, target)
    span = parse_period(None, period, "period")
    with meta.session() as session:
        row = find_list(session, ref)
        goal = session.scalars(
            select(TargetListGoal).where(
                TargetListGoal.list_id == row.id,
                TargetListGoal.metric == chosen,
                TargetListGoal.period == span.label,
            )
        ).first()
        if goal is None:
            goal = TargetListGoal(list_id=row.id, metric=chosen, period=span.label)
            session.add(goal)
        goal.period_start, goal.period_end = span.start, span.end
        goal.target = value
        goal.set_at = now_of(session)
        goal.set_by = actor
        record_audit(
            session,
            actor,
            "target_list.goal",
            str(row.id),
            {"metric": chosen, "period": span.label, "target": value},
        )
        session.flush()
        return _goal(goal, lang)


def delete_goal(meta: MetadataStore, ref: str | int, metric: str, period: str, actor: str) -> None:
    chosen = goal_metric(metric)
    span = parse_period(None, period, "period")
    with meta.session() as session:
        row = find_list(session, ref)
        done = session.execute(
            delete(TargetListGoal).where(
                TargetListGoal.list_id == row.id,
                TargetListGoal.metric == chosen,
                TargetListGoal.period == span.label,
            )
        )
        if not getattr(done, "rowcount", 0):
            raise NotFoundError(
                f"the list {row.name!r} has no {chosen} goal for {span.label}",
                fix="see its goals with pilotage accounts goals LIST",
            )
        record_audit(
            session,
            actor,
            "target_list.goal_delete",
            str(row.id),
            {"metric": chosen, "period": span.label},
        )


def list_goals(
    meta: MetadataStore, ref: str | int, lang: Lang = "en", period: str | None = None
) -> tuple[TargetListDetail, list[GoalInfo]]:
    """A list and its goals (of ``period`` when given), by period then metric."""
    label = parse_period(None, period, "period").label if period else None
    with meta.reading() as session:
        row = find_list(session, ref)
        goals = sorted(
            (g for g in row.goals if label is None or g.period == label),
            key=lambda g: (g.period_start, g.period_end, g.metric),
        )
        return _detail(session, row), [_goal(g, lang) for g in goals]


def specs(goals: list[GoalInfo]) -> tuple[GoalSpec, ...]:
    return tuple(GoalSpec(g.metric, g.period, g.start, g.end, g.target) for g in goals)
