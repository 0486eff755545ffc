"""Allbound use cases as the CLI, the API and the pages call them: each reads the metadata
store (lists, goals, weights) and has the analytics side computed by ``compute`` — the
server's cache (:meth:`ServerState.computed`) or a direct call (:class:`Direct`), so the
three interfaces show the same result objects."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Concatenate, ParamSpec, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict

from pilotage.core.allbound.scoring import ScoringModel
from pilotage.data.metadata.store import MetadataStore
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.errors import NotFoundError
from pilotage.services.allbound_account import (
    AccountDetail,
    account_detail,
    account_journey_of,
    lists_of,
)
from pilotage.services.allbound_goals import GoalProgress, goals_progress
from pilotage.services.allbound_lists import TargetListInfo, list_goals, specs, target_list
from pilotage.services.allbound_scores import (
    AccountActivity,
    Scoreboard,
    account_activity,
    activity_as_of,
    scoreboard,
    visible,
)
from pilotage.services.allbound_views import (
    EVERYONE,
    MarketingView,
    SalesView,
    marketing_view,
    sales_view,
)
from pilotage.services.allbound_weights import scoring_model
from pilotage.services.attribution_deals import deal_credits
from pilotage.services.kpis import Lang
from pilotage.services.slices import Slice

P = ParamSpec("P")
T = TypeVar("T")
#: The attribution model the pipeline contribution uses unless told otherwise.
DEFAULT_CREDIT_MODEL = "linear"


class Compute(Protocol):
    """Runs ``service(store, settings, *args, **kwargs)`` (cached or not)."""

    def __call__(
        self,
        service: Callable[Concatenate[AnalyticsStore, WorkspaceSettings, P], T],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T: ...


@dataclass(frozen=True)
class Direct:
    """A :class:`Compute` that calls the service on an open store (the CLI)."""

    store: AnalyticsStore
    settings: WorkspaceSettings

    def __call__(
        self,
        service: Callable[Concatenate[AnalyticsStore, WorkspaceSettings, P], T],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        return service(self.store, self.settings, *args, **kwargs)


class ListGoals(BaseModel):
    """A list's goals with their progress on ``as_of`` (the last day of data)."""

    model_config = ConfigDict(frozen=True)

    target_list: TargetListInfo
    as_of: datetime.date
    currency: str
    goals: list[GoalProgress]


def read_activity(
    compute: Compute,
    meta: MetadataStore,
    today: datetime.date,
    as_of: datetime.date | None = None,
) -> tuple[ScoringModel, AccountActivity]:
    """The scoring model in force and every account's activity as of ``as_of`` (default:
    the last day of data, never after ``today``)."""
    model = scoring_model(meta)
    day = as_of or compute(activity_as_of, today)
    return model, compute(account_activity, day, model.half_life_days, model.window_days)


def scores(
    compute: Compute,
    meta: MetadataStore,
    currency: str,
    today: datetime.date,
    *,
    list_ref: str | None = None,
    scope: Slice = EVERYONE,
    as_of: datetime.date | None = None,
    lang: Lang = "en",
) -> Scoreboard:
    """Scores of a list's accounts, or of every account the asker may see."""
    model, activity = read_activity(compute, meta, today, as_of)
    ids = target_list(meta, list_ref).account_ids if list_ref is not None else activity.accounts
    kept = [a for a in ids if visible(activity.accounts.get(a), scope.countries, scope.account_ids)]
    return scoreboard(activity, model, currency, kept, lang)


def goals_of_list(
    compute: Compute,
    meta: MetadataStore,
    list_ref: str,
    currency: str,
    today: datetime.date,
    *,
    period: str | None = None,
    as_of: datetime.date | None = None,
    lang: Lang = "en",
) -> ListGoals:
    detail, goals = list_goals(meta, list_ref, lang, period)
    day = as_of or compute(activity_as_of, today)
    members = tuple(detail.account_ids)
    done = compute(goals_progress, members, specs(goals), day, lang)
    info = TargetListInfo(**detail.model_dump(exclude={"account_ids"}))
    return ListGoals(target_list=info, as_of=day, currency=currency, goals=done)


def sales_of_list(
    compute: Compute,
    meta: MetadataStore,
    list_ref: str,
    currency: str,
    today: datetime.date,
    *,
    scope: Slice = EVERYONE,
    as_of: datetime.date | None = None,
    lang: Lang = "en",
) -> SalesView:
    """The sales view; goals are withheld from a restricted user (they count the whole
    list, which the user may not see)."""
    model, activity = read_activity(compute, meta, today, as_of)
    detail, goals = list_goals(meta, list_ref, lang)
    members = tuple(detail.account_ids)
    progress = None
    if not scope.restricted:
        progress = compute(goals_progress, members, specs(goals), activity.as_of, lang)
    info = TargetListInfo(**detail.model_dump(exclude={"account_ids"}))
    return sales_view(info, members, activity, model, currency, progress, scope, lang)


def marketing_of_list(
    compute: Compute,
    meta: MetadataStore,
    list_ref: str,
    currency: str,
    today: datetime.date,
    *,
    credit_model: str = DEFAULT_CREDIT_MODEL,
    scope: Slice = EVERYONE,
    as_of: datetime.date | None = None,
    lang: Lang = "en",
) -> MarketingView:
    model, activity = read_activity(compute, meta, today, as_of)
    detail = target_list(meta, list_ref)
    pipeline = compute(deal_credits, model_name=credit_model, stage="opportunity")
    won = compute(deal_credits, model_name=credit_model, stage="won")
    info = TargetListInfo(**detail.model_dump(exclude={"account_ids"}))
    members = tuple(detail.account_ids)
    return marketing_view(info, members, activity, model, currency, pipeline, won, scope, lang)


def account_page(
    compute: Compute,
    meta: MetadataStore,
    account_id: str,
    currency: str,
    today: datetime.date,
    *,
    credit_model: str = DEFAULT_CREDIT_MODEL,
    journey_limit: int = 200,
    scope: Slice = EVERYONE,
    as_of: datetime.date | None = None,
    lang: Lang = "en",
) -> AccountDetail:
    """One account's detail; an account the asker may not see is not found, like one the
    workspace does not have."""
    model, activity = read_activity(compute, meta, today, as_of)
    if not visible(activity.accounts.get(account_id), scope.countries, scope.account_ids):
        raise NotFoundError(
            f"no account {account_id!r} in the workspace",
            fix="give an account_id of the accounts table (see pilotage accounts score)",
        )
    journey = compute(account_journey_of, account_id, journey_limit)
    pipeline = compute(deal_credits, model_name=credit_model, stage="opportunity")
    won = compute(deal_credits, model_name=credit_model, stage="won")
    return account_detail(
        activity,
        model,
        account_id,
        journey,
        pipeline,
        won,
        lists_of(meta, account_id),
        currency,
        lang,
    )
