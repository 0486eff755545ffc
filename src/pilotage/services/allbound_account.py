"""One account's page: what the CRM says about it, the lists it is in, its engagement score
explained, its journey (its people's touches, conversions, survey answers, product usage
and its opportunities, merged) and the pipeline its deals credit to each channel."""

from __future__ import annotations

import datetime

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select

from pilotage.core.allbound.journey import JOURNEY_KINDS, JourneyKind, account_journey
from pilotage.core.allbound.scoring import ScoringModel
from pilotage.data.metadata.models_allbound import TargetList, TargetListMember
from pilotage.data.metadata.store import MetadataStore
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.errors import NotFoundError
from pilotage.services.allbound_scores import AccountActivity, AccountScore, account_score
from pilotage.services.allbound_views import ChannelContribution, channel_contributions
from pilotage.services.attribution_deals import DealCredit, DealCreditResult
from pilotage.services.kpis import Lang
from pilotage.services.tables import StoredTables, as_int

#: Journey events shown by default, newest first (the counts cover them all).
JOURNEY_LIMIT = 200
MAX_JOURNEY_LIMIT = 5000


class JourneyEvent(BaseModel):
    """One event of the account's journey; ``detail`` is the touch type, conversion type,
    stage, survey type or product event; ``amount`` the conversion value, opportunity
    amount or survey score; ``ref`` the row's id."""

    model_config = ConfigDict(frozen=True)

    at: datetime.datetime
    kind: JourneyKind
    detail: str | None
    channel: str | None
    campaign_id: str | None
    person_id: str | None
    amount: float | None
    ref: str | None


class Journey(BaseModel):
    """The newest ``limit`` events of an account, and how many of each kind it has in all,
    from ``first`` to ``last``."""

    model_config = ConfigDict(frozen=True)

    account_id: str
    events: list[JourneyEvent]
    total: int
    counts: dict[str, int]
    people: int
    first: datetime.datetime | None
    last: datetime.datetime | None


class ListRef(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    name: str


class AccountInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    account_id: str
    name: str
    domain: str | None
    industry: str | None
    employees: int | None
    country: str | None
    segment: str | None
    is_target: bool
    tier: str | None
    sales_owner: str | None
    marketing_owner: str | None
    people: int


class PipelineContribution(BaseModel):
    """The account's deals credited per channel by ``model``: per channel (``channels``),
    and per deal (``deals``: opportunities created, ``won_deals``: closed won)."""

    model_config = ConfigDict(frozen=True)

    model: str
    lookback_days: int
    currency: str
    channels: list[ChannelContribution]
    pipeline_total: float
    won_total: float
    unattributed_pipeline: float
    unattributed_won: float
    deals: list[DealCredit]
    won_deals: list[DealCredit]


class AccountDetail(BaseModel):
    model_config = ConfigDict(frozen=True)

    account: AccountInfo
    lists: list[ListRef]
    as_of: datetime.date
    version: int | None
    score: AccountScore
    journey: Journey
    pipeline: PipelineContribution


def account_journey_of(
    store: AnalyticsStore, settings: WorkspaceSettings, account_id: str, limit: int
) -> Journey:
    """The journey of ``account_id`` (which must exist: the caller checks)."""
    tables = StoredTables(store, settings.engine)
    names = ("people", "touchpoints", "conversions", "surveys", "product_events", "opportunities")
    events = account_journey({n: tables[n] for n in names}, account_id)
    by_kind = events.group_by("kind").aggregate(n=events.count())
    counts = {str(r["kind"]): as_int(r["n"]) for r in tables.rows(by_kind)}
    bounds = tables.rows(events.aggregate(first=events.at.min(), last=events.at.max()))[0]
    newest = events.order_by([events.at.desc(), events.kind, events.ref]).limit(limit)
    p = tables["people"]
    mine = p.filter(p.account_id == account_id)
    people = tables.rows(mine.aggregate(n=mine.count()))[0]["n"]
    return Journey(
        account_id=account_id,
        events=[JourneyEvent.model_validate(r) for r in tables.rows(newest)],
        total=sum(counts.values()),
        counts={k: counts.get(k, 0) for k in JOURNEY_KINDS},
        people=as_int(people),
        first=_moment(bounds["first"]),
        last=_moment(bounds["last"]),
    )


def _moment(value: object) -> datetime.datetime | None:
    return value if isinstance(value, datetime.datetime) else None


def lists_of(meta: MetadataStore, account_id: str) -> list[ListRef]:
    with meta.reading() as session:
        rows = session.execute(
            select(TargetList.id, TargetList.name)
            .join(TargetListMember, TargetListMember.list_id == TargetList.id)
            .where(TargetListMember.account_id == account_id)
            .order_by(TargetList.name)
        ).all()
        return [ListRef(id=i, name=n) for i, n in rows]


def account_detail(
    activity: AccountActivity,
    model: ScoringModel,
    account_id: str,
    journey: Journey,
    pipeline: DealCreditResult,
    won: DealCreditResult,
    lists: list[ListRef],
    currency: str,
    lang: Lang = "en",
) -> AccountDetail:
    facts = activity.accounts.get(account_id)
    if facts is None:
        raise NotFoundError(
            f"no account {account_id!r} in the workspace",
            fix="give an account_id of the accounts table",
        )
    channels, pipeline_total, won_total, lost_pipeline, lost_won = channel_contributions(
        pipeline, won, (account_id,)
    )
    return AccountDetail(
        account=AccountInfo(**facts.__dict__),
        lists=lists,
        as_of=activity.as_of,
        version=model.version,
        score=account_score(activity, model, account_id, lang),
        journey=journey,
        pipeline=PipelineContribution(
            model=pipeline.model,
            lookback_days=pipeline.lookback_days,
            currency=currency,
            channels=channels,
            pipeline_total=pipeline_total,
            won_total=won_total,
            unattributed_pipeline=lost_pipeline,
            unattributed_won=lost_won,
            deals=[d for d in pipeline.deals if d.account_id == account_id],
            won_deals=[d for d in won.deals if d.account_id == account_id],
        ),
    )
