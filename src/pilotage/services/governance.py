"""Governance: the committees (weekly performance analysis, monthly digital committee,
quarterly strategy review) with their members and roles, who answers for each domain
(RACI), and the decision log with its action items (owner, due date, status).

Decisions are the ``decisions`` rows the committee packs already read; ``committee`` holds
the committee's name.
"""

from __future__ import annotations

import datetime

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from pilotage.core.governance.vocabulary import (
    ACTION_STATUSES,
    CADENCES,
    DOMAINS,
    MEMBER_ROLES,
    RACI_LEVELS,
    ActionStatus,
    Cadence,
    Domain,
    MemberRole,
    Raci,
)
from pilotage.data.metadata.audit import record_audit
from pilotage.data.metadata.clock import now_of
from pilotage.data.metadata.models import Decision, Initiative
from pilotage.data.metadata.models_governance import (
    ActionItem,
    Alert,
    Committee,
    CommitteeMember,
    Responsibility,
)
from pilotage.data.metadata.store import MetadataStore
from pilotage.errors import NotFoundError, UsageError, plain_text

#: The standard cadence ``pilotage committee init`` sets up: name, cadence, FR/EN titles.
STANDARD: tuple[tuple[str, Cadence, str, str], ...] = (
    (
        "weekly",
        "weekly",
        "Analyse de performance hebdomadaire",
        "Weekly performance analysis",
    ),
    ("digital", "monthly", "Comité digital mensuel", "Monthly digital committee"),
    ("strategy", "quarterly", "Revue stratégique trimestrielle", "Quarterly strategy review"),
)


class MemberInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    name: str
    role: MemberRole
    email: str | None
    title: str | None


class CommitteeInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    name: str
    title: str
    cadence: Cadence
    purpose: str | None
    members: list[MemberInfo]


class CommitteeList(BaseModel):
    model_config = ConfigDict(frozen=True)

    committees: list[CommitteeInfo]


class ResponsibilityInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    domain: Domain
    person: str
    level: Raci


class RaciMatrix(BaseModel):
    """Per domain, who is responsible, accountable, consulted, informed; ``gaps`` names
    the domains without an accountable or a responsible person."""

    model_config = ConfigDict(frozen=True)

    domains: list[Domain]
    entries: list[ResponsibilityInfo]
    gaps: list[Domain]


class ActionInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    title: str
    owner: str
    due_date: datetime.date
    status: ActionStatus
    overdue: bool
    decision_id: int | None
    committee: str | None
    alert_id: int | None
    created_at: datetime.datetime
    created_by: str
    closed_at: datetime.datetime | None


class DecisionEntry(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    committee: str
    decided_at: datetime.datetime
    title: str
    text: str
    initiative_id: int | None
    decided_by: str
    actions: list[ActionInfo]


class DecisionLog(BaseModel):
    model_config = ConfigDict(frozen=True)

    decisions: list[DecisionEntry]


class ActionList(BaseModel):
    model_config = ConfigDict(frozen=True)

    actions: list[ActionInfo]


class NewAction(BaseModel):
    """An action item: what, who, by when."""

    model_config = ConfigDict(frozen=True)

    title: str
    owner: str
    due_date: datetime.date


def _text(value: str, field: str, limit: int) -> str:
    value = value.strip()
    if not value:
        raise UsageError(f"the {field} is blank", fix=f"give a {field}")
    if len(value) > limit:
        raise UsageError(
            f"the {field} is longer than {limit} characters", fix=f"shorten the {field}"
        )
    plain_text(field, (value,), fix=f"write the {field} on one line")
    return value


def _one_of(field: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise UsageError(f"unknown {field} {value!r}", fix="use one of: " + ", ".join(allowed))


# Committees ------------------------------------------------------------------------------


def _committee(session: Session, committee_id: int) -> Committee:
    row = session.get(Committee, committee_id)
    if row is None:
        raise NotFoundError(
            f"no committee {committee_id}", fix="list them with `pilotage committee list`"
        )
    return row


def _committee_info(c: Committee) -> CommitteeInfo:
    return CommitteeInfo(
        id=c.id,
        name=c.name,
        title=c.title,
        cadence=c.cadence,  # type: ignore[arg-type]
        purpose=c.purpose,
        members=[
            MemberInfo(
                id=m.id,
                name=m.name,
                role=m.role,  # type: ignore[arg-type]
                email=m.email,
                title=m.title,
            )
            for m in sorted(c.members, key=lambda m: (m.role, m.name))
        ],
    )


def create_committee(
    meta: MetadataStore,
    name: str,
    title: str,
    cadence: str,
    actor: str,
    purpose: str | None = None,
) -> CommitteeInfo:
    name = _text(name, "committee name", 50).lower()
    title = _text(title, "committee title", 200)
    _one_of("cadence", cadence, CADENCES)
    with meta.session() as session:
        if session.scalar(select(Committee).where(Committee.name == name)) is not None:
            raise UsageError(
                f"a committee named {name!r} exists", fix="choose another name, or edit it"
            )
        row = Committee(
            name=name,
            title=title,
            cadence=cadence,
            purpose=purpose.strip() if purpose else None,
            created_at=now_of(session),
        )
        session.add(row)
        record_audit(session, actor, "committee.create", name, {"cadence": cadence})
        session.flush()
        return _committee_info(row)


def standard_committees(meta: MetadataStore, actor: str, lang: str = "fr") -> CommitteeList:
    """Create the weekly, monthly and quarterly meetings that are missing (idempotent)."""
    with meta.session() as session:
        for name, cadence, title_fr, title_en in STANDARD:
            if session.scalar(select(Committee).where(Committee.name == name)) is None:
                session.add(
                    Committee(
                        name=name,
                        title=title_fr if lang == "fr" else title_en,
                        cadence=cadence,
                        created_at=now_of(session),
                    )
                )
                record_audit(session, actor, "committee.create", name, {"cadence": cadence})
        session.flush()
    return list_committees(meta)


def list_committees(meta: MetadataStore) -> CommitteeList:
    with meta.reading() as session:
        rows = session.scalars(select(Committee).order_by(Committee.id)).all()
        order: dict[str, int] = {c: i for i, c in enumerate(CADENCES)}
        return CommitteeList(
            committees=[
                _committee_info(c)
                for c in sorted(rows, key=lambda c: (order.get(c.cadence, 9), c.id))
            ]
        )


def find_committee(meta: MetadataStore, ref: str) -> CommitteeInfo:
    """A committee by id ("2") or by name ("digital")."""
    with meta.reading() as session:
        ref = ref.strip()
        row = (
            session.get(Committee, int(ref))
            if ref.isdigit()
            else session.scalar(select(Committee).where(Committee.name == ref.lower()))
        )
        if row is None:
            raise NotFoundError(
                f"no committee {ref!r}",
                fix="give a committee's id or name (`pilotage committee list`); "
                "`pilotage committee init` creates the weekly, monthly and quarterly ones",
            )
        return _committee_info(row)


def get_committee(meta: MetadataStore, committee_id: int) -> CommitteeInfo:
    with meta.reading() as session:
        return _committee_info(_committee(session, committee_id))


def add_member(
    meta: MetadataStore,
    committee_id: int,
    name: str,
    role: str,
    actor: str,
    *,
    email: str | None = None,
    title: str | None = None,
) -> CommitteeInfo:
    """Add (or update, by name) a member of a committee with their role."""
    name = _text(name, "member name", 200)
    _one_of("role", role, MEMBER_ROLES)
    with meta.session() as session:
        committee = _committee(session, committee_id)
        member = next((m for m in committee.members if m.name == name), None)
        if member is None:
            member = CommitteeMember(name=name)
            committee.members.append(member)
        member.role = role
        member.email = email.strip().lower() if email and email.strip() else None
        member.title = title.strip() if title and title.strip() else None
        record_audit(session, actor, "committee.member", committee.name, {"name": name})
        session.flush()
        return _committee_info(committee)


def remove_member(meta: MetadataStore, committee_id: int, name: str, actor: str) -> CommitteeInfo:
    with meta.session() as session:
        committee = _committee(session, committee_id)
        member = next((m for m in committee.members if m.name == name.strip()), None)
        if member is None:
            raise NotFoundError(
                f"{name!r} is not a member of {committee.name}",
                fix="list the members with `pilotage committee list`",
            )
        committee.members.remove(member)
        record_audit(session, actor, "committee.member_remove", committee.name, {"name": name})
        session.flush()
        return _committee_info(committee)


# Responsibilities (RACI) -----------------------------------------------------------------


def set_responsibility(
    meta: MetadataStore, domain: str, person: str, level: str, actor: str
) -> RaciMatrix:
    _one_of("domain", domain, DOMAINS)
    _one_of("RACI level", level, RACI_LEVELS)
    person = _text(person, "person", 200)
    with meta.session() as session:
        row = session.scalar(
            select(Responsibility).where(
                Responsibility.domain == domain, Responsibility.person == person
            )
        )
        if row is None:
            row = Responsibility(domain=domain, person=person)
            session.add(row)
        row.level, row.updated_at = level, now_of(session)
        record_audit(session, actor, "raci.set", domain, {"person": person, "level": level})
        session.flush()
    return raci(meta)


def remove_responsibility(meta: MetadataStore, domain: str, person: str, actor: str) -> RaciMatrix:
    with meta.session() as session:
        row = session.scalar(
            select(Responsibility).where(
                Responsibility.domain == domain, Responsibility.person == person.strip()
            )
        )
        if row is None:
            raise NotFoundError(
                f"{person!r} has no responsibility for {domain!r}",
                fix="see the matrix with `pilotage committee raci`",
            )
        session.delete(row)
        record_audit(session, actor, "raci.remove", domain, {"person": person})
    return raci(meta)


def raci(meta: MetadataStore) -> RaciMatrix:
    with meta.reading() as session:
        rows = session.scalars(
            select(Responsibility).order_by(Responsibility.domain, Responsibility.person)
        ).all()
        entries = [
            ResponsibilityInfo(
                domain=r.domain,  # type: ignore[arg-type]
                person=r.person,
                level=r.level,  # type: ignore[arg-type]
            )
            for r in rows
        ]
    covered = {
        d
        for d in DOMAINS
        if {"accountable", "responsible"} <= {e.level for e in entries if e.domain == d}
    }
    return RaciMatrix(
        domains=list(DOMAINS), entries=entries, gaps=[d for d in DOMAINS if d not in covered]
    )


# Decisions and action items --------------------------------------------------------------


def _action_info(a: ActionItem, committee: str | None, today: datetime.date) -> ActionInfo:
    return ActionInfo(
        id=a.id,
        title=a.title,
        owner=a.owner,
        due_date=a.due_date,
        status=a.status,  # type: ignore[arg-type]
        overdue=a.status == "open" and a.due_date < today,
        decision_id=a.decision_id,
        committee=committee,
        alert_id=a.alert_id,
        created_at=a.created_at,
        created_by=a.created_by,
        closed_at=a.closed_at,
    )


def _names(session: Session) -> dict[int, str]:
    return {c.id: c.name for c in session.scalars(select(Committee))}


def record_decision(
    meta: MetadataStore,
    committee_id: int,
    title: str,
    text: str,
    actor: str,
    *,
    today: datetime.date,
    actions: list[NewAction] | None = None,
    initiative_id: int | None = None,
    alert_id: int | None = None,
) -> DecisionEntry:
    """Log a decision of a committee with its action items (all or nothing)."""
    title = _text(title, "decision title", 300)
    text = text.strip()
    checked = [
        NewAction(
            title=_text(a.title, "action title", 300),
            owner=_text(a.owner, "action owner", 200),
            due_date=a.due_date,
        )
        for a in actions or []
    ]
    with meta.session() as session:
        committee = _committee(session, committee_id)
        if initiative_id is not None and session.get(Initiative, initiative_id) is None:
            raise NotFoundError(
                f"no initiative {initiative_id}", fix="give the id of an existing initiative"
            )
        if alert_id is not None and session.get(Alert, alert_id) is None:
            raise NotFoundError(f"no alert {alert_id}", fix="give the id of an existing alert")
        when = now_of(session)
        decision = Decision(
            committee=committee.name,
            decided_at=when,
            title=title,
            text=text,
            initiative_id=initiative_id,
            decided_by=actor,
        )
        session.add(decision)
        session.flush()
        for a in checked:
            session.add(
                ActionItem(
                    decision_id=decision.id,
                    committee_id=committee.id,
                    alert_id=alert_id,
                    title=a.title,
                    owner=a.owner,
                    due_date=a.due_date,
                    status="open",
                    created_at=when,
                    created_by=actor,
                )
            )
        record_audit(session, actor, "decision.record", committee.name, {"title": title})
        session.flush()
        return _entry(session, decision, today)


def _entry(session: Session, d: Decision, today: datetime.date) -> DecisionEntry:
    rows = session.scalars(
        select(ActionItem).where(ActionItem.decision_id == d.id).order_by(ActionItem.id)
    )
    return DecisionEntry(
        id=d.id,
        committee=d.committee,
        decided_at=d.decided_at,
        title=d.title,
        text=d.text,
        initiative_id=d.initiative_id,
        decided_by=d.decided_by,
        actions=[_action_info(a, d.committee, today) for a in rows],
    )


def decision_log(
    meta: MetadataStore, *, today: datetime.date, committee: str | None = None
) -> DecisionLog:
    """Decisions, newest first, each with its action items."""
    with meta.reading() as session:
        query = select(Decision).order_by(Decision.decided_at.desc(), Decision.id.desc())
        if committee is not None:
            query = query.where(Decision.committee == committee)
        return DecisionLog(decisions=[_entry(session, d, today) for d in session.scalars(query)])


def get_decision(meta: MetadataStore, decision_id: int, *, today: datetime.date) -> DecisionEntry:
    with meta.reading() as session:
        d = session.get(Decision, decision_id)
        if d is None:
            raise NotFoundError(
                f"no decision {decision_id}", fix="list them with `pilotage committee decisions`"
            )
        return _entry(session, d, today)


def add_action(
    meta: MetadataStore,
    action: NewAction,
    actor: str,
    *,
    today: datetime.date,
    decision_id: int | None = None,
    committee_id: int | None = None,
    alert_id: int | None = None,
) -> ActionInfo:
    title = _text(action.title, "action title", 300)
    owner = _text(action.owner, "action owner", 200)
    with meta.session() as session:
        if decision_id is not None and session.get(Decision, decision_id) is None:
            raise NotFoundError(f"no decision {decision_id}", fix="give an existing decision id")
        if committee_id is not None:
            _committee(session, committee_id)
        if alert_id is not None and session.get(Alert, alert_id) is None:
            raise NotFoundError(f"no alert {alert_id}", fix="give the id of an existing alert")
        row = ActionItem(
            decision_id=decision_id,
            committee_id=committee_id,
            alert_id=alert_id,
            title=title,
            owner=owner,
            due_date=action.due_date,
            status="open",
            created_at=now_of(session),
            created_by=actor,
        )
        session.add(row)
        record_audit(session, actor, "action.add", title, {"owner": owner})
        session.flush()
        return _action_info(row, _names(session).get(committee_id or -1), today)


def set_action_status(
    meta: MetadataStore, action_id: int, status: str, actor: str, *, today: datetime.date
) -> ActionInfo:
    _one_of("action status", status, ACTION_STATUSES)
    with meta.session() as session:
        row = session.get(ActionItem, action_id)
        if row is None:
            raise NotFoundError(
                f"no action item {action_id}", fix="list them with `pilotage committee actions`"
            )
        row.status = status
        row.closed_at = None if status == "open" else now_of(session)
        record_audit(session, actor, "action.status", str(action_id), {"status": status})
        session.flush()
        return _action_info(row, _names(session).get(row.committee_id or -1), today)


def list_actions(
    meta: MetadataStore, *, today: datetime.date, status: str | None = None
) -> ActionList:
    """Action items, open ones by due date first."""
    if status is not None:
        _one_of("action status", status, ACTION_STATUSES)
    with meta.reading() as session:
        query = select(ActionItem)
        if status is not None:
            query = query.where(ActionItem.status == status)
        names = _names(session)
        rows = sorted(session.scalars(query), key=lambda a: (a.status != "open", a.due_date, a.id))
        return ActionList(
            actions=[_action_info(a, names.get(a.committee_id or -1), today) for a in rows]
        )
