"""Account engagement scores: every account's recent activity read once from the store
(per day, half-life and window), then weighed by the scoring model in force and explained
component by component (:mod:`pilotage.core.allbound.scoring`)."""

from __future__ import annotations

import datetime
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

from pilotage.core.allbound.activity import (
    activity_events,
    decayed_activity,
    open_opportunities,
)
from pilotage.core.allbound.scoring import (
    COMPONENT_NAMES,
    TREND_DAYS,
    Activity,
    Component,
    ScoringModel,
    component,
    score,
)
from pilotage.core.kpis.periods import local_date
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.services.allbound_weights import FORMULA
from pilotage.services.kpis import Lang
from pilotage.services.tables import StoredTables, as_float, as_int

#: Tables whose latest day is the day scores and goals are read on, by their time column.
_DATED = {
    "touchpoints": "touched_at",
    "product_events": "occurred_at",
    "surveys": "answered_at",
    "conversions": "converted_at",
    "opportunities": "created_at",
}


@dataclass(frozen=True)
class AccountFacts:
    """An account as the CRM loaded it, and how many people it has."""

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


@dataclass(frozen=True)
class AccountActivity:
    """Every account's activity as of the end of local day ``as_of`` (instant ``at``):
    per account and component, the counts and decay sums; and the opportunities open then
    (count, amount)."""

    as_of: datetime.date
    at: datetime.datetime
    half_life_days: float
    window_days: int
    accounts: Mapping[str, AccountFacts]
    activity: Mapping[str, Mapping[Component, Activity]]
    open_now: Mapping[str, tuple[int, float]]


class ComponentScore(BaseModel):
    """What one component adds to a score: ``points`` x ``decayed`` (the summed decay of
    ``count`` activities) = ``value``."""

    model_config = ConfigDict(frozen=True)

    component: Component
    name: str
    count: int
    decayed: float
    points: float
    value: float


class AccountScore(BaseModel):
    """An account's engagement ``score`` (the sum of its ``components``), the score
    ``trend_days`` earlier and the ``trend`` between them, with its open opportunities."""

    model_config = ConfigDict(frozen=True)

    account_id: str
    name: str
    tier: str | None
    segment: str | None
    country: str | None
    sales_owner: str | None
    marketing_owner: str | None
    people: int
    score: float
    score_before: float
    trend: float
    open_opportunities: int
    open_pipeline: float
    components: list[ComponentScore]


class Scoreboard(BaseModel):
    """Scores as of the end of ``as_of`` under the weights of ``version`` (null: the
    defaults), highest first."""

    model_config = ConfigDict(frozen=True)

    as_of: datetime.date
    version: int | None
    formula: str
    half_life_days: float
    window_days: int
    trend_days: int
    currency: str
    accounts: list[AccountScore]


def end_of_day(day: datetime.date, zone: str) -> datetime.datetime:
    """The UTC instant a local day ends (midnight after it, in the workspace's zone)."""
    midnight = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    return midnight.replace(tzinfo=ZoneInfo(zone)).astimezone(datetime.UTC)


def start_of_day(day: datetime.date, zone: str) -> datetime.datetime:
    return end_of_day(day - datetime.timedelta(days=1), zone)


def activity_as_of(
    store: AnalyticsStore, settings: WorkspaceSettings, today: datetime.date
) -> datetime.date:
    """The last local day with any account activity in the data, but never after
    ``today``: a workspace loaded up to last month is read as of its last day, not as if
    everyone had gone quiet since."""
    tables = StoredTables(store, settings.engine)
    days = []
    for name, column in _DATED.items():
        t = tables[name]
        expr = t.aggregate(last=local_date(t[column].max(), settings.timezone, tables.dialect))
        found = tables.rows(expr)[0]["last"]
        if isinstance(found, datetime.date):
            days.append(found)
    return min(max(days), today) if days else today


def account_activity(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    as_of: datetime.date,
    half_life_days: float,
    window_days: int,
) -> AccountActivity:
    """Read every account, its people count, its decayed activity and its open
    opportunities as of the end of ``as_of`` (three queries)."""
    tables = StoredTables(store, settings.engine)
    at = end_of_day(as_of, settings.timezone)
    t = {n: tables[n] for n in ("people", "touchpoints", "product_events", "surveys")}
    t["opportunities"] = tables["opportunities"]
    decayed = decayed_activity(activity_events(t), at, half_life_days, window_days, TREND_DAYS)
    activity: dict[str, dict[Component, Activity]] = {}
    for r in tables.rows(decayed):
        activity.setdefault(str(r["account_id"]), {})[component(str(r["component"]))] = Activity(
            as_int(r["count"]), as_float(r["decayed"]), as_float(r["decayed_before"])
        )
    open_now: dict[str, tuple[int, float]] = {}
    for r in tables.rows(open_opportunities(t["opportunities"], at, TREND_DAYS)):
        account = str(r["account_id"])
        now, before = as_int(r["open_now"]), as_int(r["open_before"])
        if now or before:
            activity.setdefault(account, {})["opportunity_open"] = Activity(
                now, float(now), float(before)
            )
        if now:
            open_now[account] = (now, as_float(r["open_amount"]))
    return AccountActivity(
        as_of=as_of,
        at=at,
        half_life_days=half_life_days,
        window_days=window_days,
        accounts=_accounts(tables),
        activity=activity,
        open_now=open_now,
    )


def _accounts(tables: StoredTables) -> dict[str, AccountFacts]:
    a, p = tables["accounts"], tables["people"]
    p = p.filter(p.account_id.notnull())
    people = p.group_by(p_account=p.account_id).aggregate(n=p.count())
    j = a.left_join(people, a.account_id == people.p_account)
    rows = tables.rows(
        j.select(
            "account_id",
            "name",
            "domain",
            "industry",
            "employees",
            "country",
            "segment",
            "tier",
            "sales_owner",
            "marketing_owner",
            is_target=j.is_target.fill_null(False),
            people=j.n.fill_null(0),
        )
    )
    return {
        str(r["account_id"]): AccountFacts(
            account_id=str(r["account_id"]),
            name=str(r["name"] or r["account_id"]),
            domain=_text(r["domain"]),
            industry=_text(r["industry"]),
            employees=int(r["employees"]) if isinstance(r["employees"], int | float) else None,
            country=_text(r["country"]),
            segment=_text(r["segment"]),
            is_target=bool(r["is_target"]),
            tier=_text(r["tier"]),
            sales_owner=_text(r["sales_owner"]),
            marketing_owner=_text(r["marketing_owner"]),
            people=as_int(r["people"]),
        )
        for r in rows
        if r["account_id"] is not None
    }


def _text(value: object) -> str | None:
    return str(value) if value not in (None, "") else None


def visible(
    facts: AccountFacts | None,
    countries: Collection[str] | None,
    account_ids: Collection[str] | None,
) -> bool:
    """Whether a user restricted to ``countries`` and ``account_ids`` (None: no restriction
    on that column) may see the account."""
    if facts is None:
        return False
    if countries is not None and facts.country not in countries:
        return False
    return account_ids is None or facts.account_id in account_ids


def account_score(
    activity: AccountActivity, model: ScoringModel, account_id: str, lang: Lang = "en"
) -> AccountScore:
    """One account's score, explained (the account must be in ``activity.accounts``)."""
    if (activity.half_life_days, activity.window_days) != (
        model.half_life_days,
        model.window_days,
    ):
        raise ValueError("the activity was read with another half-life or window")
    facts = activity.accounts[account_id]
    index = 1 if lang == "fr" else 0
    done = score(activity.activity.get(account_id, {}), model)
    count, amount = activity.open_now.get(account_id, (0, 0.0))
    return AccountScore(
        account_id=account_id,
        name=facts.name,
        tier=facts.tier,
        segment=facts.segment,
        country=facts.country,
        sales_owner=facts.sales_owner,
        marketing_owner=facts.marketing_owner,
        people=facts.people,
        score=done.score,
        score_before=done.score_before,
        trend=done.trend,
        open_opportunities=count,
        open_pipeline=amount,
        components=[
            ComponentScore(
                component=c.component,
                name=COMPONENT_NAMES[c.component][index],
                count=c.count,
                decayed=c.decayed,
                points=c.points,
                value=c.value,
            )
            for c in done.contributions
        ],
    )


def scoreboard(
    activity: AccountActivity,
    model: ScoringModel,
    currency: str,
    account_ids: Sequence[str] | None = None,
    lang: Lang = "en",
) -> Scoreboard:
    """Scores of ``account_ids`` (those in the workspace; None: every account), highest
    first."""
    ids = activity.accounts if account_ids is None else account_ids
    rows = [account_score(activity, model, a, lang) for a in ids if a in activity.accounts]
    rows.sort(key=lambda s: (-s.score, -s.trend, s.name, s.account_id))
    return Scoreboard(
        as_of=activity.as_of,
        version=model.version,
        formula=FORMULA,
        half_life_days=model.half_life_days,
        window_days=model.window_days,
        trend_days=TREND_DAYS,
        currency=currency,
        accounts=rows,
    )
