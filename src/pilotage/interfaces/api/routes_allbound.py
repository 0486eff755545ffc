"""Allbound under /api/v1: target account lists (/target-lists), their goals and their sales
and marketing views, one account (/accounts/{account_id}), and the engagement score
(/engagement). The same result objects as ``pilotage accounts ... --format json``.

Reads that show accounts apply the asker's row-level restriction (members they may not
see are left out, an account they may not see is not found); goals count the whole list,
so they, the raw membership and every change are refused to a restricted user.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, UploadFile
from pydantic import BaseModel, Field

from pilotage.errors import UploadTooLargeError, UsageError
from pilotage.interfaces.api.auth import PLAN, READ, Require, guard
from pilotage.interfaces.api.ids import OptionalRowId, RowId
from pilotage.interfaces.api.state import ServerState, state_of
from pilotage.interfaces.formatting import Lang
from pilotage.interfaces.web.filters import Scope, check_dates, unrestricted
from pilotage.jobs.scheduler import today_in
from pilotage.services.accounts import Principal
from pilotage.services.allbound import (
    DEFAULT_CREDIT_MODEL,
    ListGoals,
    account_page,
    goals_of_list,
    marketing_of_list,
    sales_of_list,
    scores,
)
from pilotage.services.allbound_account import MAX_JOURNEY_LIMIT, AccountDetail
from pilotage.services.allbound_lists import (
    GoalInfo,
    TargetListDetail,
    TargetListInfo,
    TargetLists,
    add_members,
    all_lists,
    create_list,
    delete_goal,
    delete_list,
    edit_list,
    remove_members,
    set_goal,
    target_list,
)
from pilotage.services.allbound_members import (
    MemberInput,
    checked_ids,
    csv_ids,
    flagged_ids,
    typed_ids,
)
from pilotage.services.allbound_scores import Scoreboard
from pilotage.services.allbound_views import MarketingView, SalesView
from pilotage.services.allbound_weights import ScoringSettings, scoring_settings, set_weights

router = APIRouter(prefix="/api/v1", tags=["allbound"])
State = Annotated[ServerState, Depends(state_of)]
Writer = Annotated[Principal, Depends(PLAN)]
AsOf = Annotated[datetime.date | None, Query(description="Read as of this day [last day of data]")]
CreditModel = Annotated[
    str, Query(max_length=50, description="Attribution model of the pipeline credit")
]
#: Largest CSV of account ids accepted (50,000 ids fit in well under this).
MAX_CSV_BYTES = 5 * 1024 * 1024


def allowed(requirement: Require) -> list[Any]:
    """The permission, then the refusal of restricted users."""
    return [*guard(requirement), Depends(unrestricted)]


class Members(BaseModel):
    """Accounts to add: ids, or the accounts flagged is_target (of ``tiers`` if given)."""

    account_ids: list[Annotated[str, Field(max_length=200)]] = Field(
        default_factory=list, max_length=50_000
    )
    from_targets: bool = False
    tiers: list[Annotated[str, Field(max_length=100)]] = Field(default_factory=list, max_length=50)


class NewList(Members):
    name: str = Field(max_length=200)
    sales_owner: str = Field(max_length=320)
    marketing_owner: str = Field(max_length=320)
    description: str | None = Field(default=None, max_length=2000)


class ListChange(BaseModel):
    name: str | None = Field(default=None, max_length=200)
    sales_owner: str | None = Field(default=None, max_length=320)
    marketing_owner: str | None = Field(default=None, max_length=320)
    description: str | None = Field(default=None, max_length=2000)


class NewGoal(BaseModel):
    metric: str = Field(max_length=30)
    period: str = Field(max_length=20, description="2026-Q4, 2026-11 or 2026-W45")
    target: float


class WeightsChange(BaseModel):
    points: dict[Annotated[str, Field(max_length=50)], float] = Field(
        default_factory=dict, max_length=50
    )
    half_life_days: float | None = None
    window_days: int | None = None
    note: str | None = Field(default=None, max_length=500)
    reset: bool = False


def _checked(state: ServerState, body: Members) -> tuple[str, ...]:
    """The ids of ``body`` (typed, plus the flagged accounts with ``from_targets``), all
    checked against the accounts table."""
    if body.tiers and not body.from_targets:
        raise UsageError("tiers go with from_targets", fix="set from_targets to true")
    with state.analytics() as store:
        given = typed_ids(body.account_ids, "account_ids")
        if body.from_targets:
            flagged = flagged_ids(store, body.tiers)
            given = MemberInput(given.source, flagged.items + given.items)
        return checked_ids(store, given)


@router.get("/target-lists", dependencies=guard(READ), summary="Target account lists")
def get_lists(state: State) -> TargetLists:
    return all_lists(state.meta)


@router.post(
    "/target-lists",
    status_code=201,
    dependencies=allowed(PLAN),
    summary="Create a list owned by a sales and a marketing owner (unknown accounts refused)",
)
def post_list(state: State, body: NewList, principal: Writer) -> TargetListDetail:
    ids = _checked(state, body)
    return create_list(
        state.meta,
        body.name,
        body.sales_owner,
        body.marketing_owner,
        ids,
        principal.email,
        description=body.description,
    )


@router.get(
    "/target-lists/{list_id}", dependencies=allowed(READ), summary="A list and its account ids"
)
def get_list(state: State, list_id: RowId) -> TargetListDetail:
    return target_list(state.meta, list_id)


@router.patch(
    "/target-lists/{list_id}",
    dependencies=allowed(PLAN),
    summary="Rename a list or change its owners or description",
)
def patch_list(
    state: State, list_id: RowId, body: ListChange, principal: Writer
) -> TargetListDetail:
    return edit_list(
        state.meta,
        list_id,
        principal.email,
        name=body.name,
        sales_owner=body.sales_owner,
        marketing_owner=body.marketing_owner,
        description=body.description,
    )


@router.delete(
    "/target-lists/{list_id}", dependencies=allowed(PLAN), summary="Delete a list and its goals"
)
def remove_list(state: State, list_id: RowId, principal: Writer) -> TargetListInfo:
    return delete_list(state.meta, list_id, principal.email)


@router.post(
    "/target-lists/{list_id}/members",
    dependencies=allowed(PLAN),
    summary="Add accounts (ids or is_target/tier); unknown accounts refuse the whole change",
)
def post_members(
    state: State, list_id: RowId, body: Members, principal: Writer
) -> TargetListDetail:
    target_list(state.meta, list_id)  # an unknown list answers 404 before any check
    return add_members(state.meta, list_id, _checked(state, body), principal.email)


@router.post(
    "/target-lists/{list_id}/members/import",
    dependencies=allowed(PLAN),
    summary="Add the accounts of a CSV file with an account_id column",
)
async def import_members(
    state: State,
    list_id: RowId,
    file: Annotated[UploadFile, File(description="CSV with an account_id column")],
    principal: Writer,
) -> TargetListDetail:
    data = await file.read(MAX_CSV_BYTES + 1)
    if len(data) > MAX_CSV_BYTES:
        raise UploadTooLargeError(
            f"{file.filename} is larger than {MAX_CSV_BYTES // 1024 // 1024} MB",
            fix="split the file",
        )
    target_list(state.meta, list_id)
    with state.analytics() as store:
        ids = checked_ids(store, csv_ids(data, file.filename or "upload.csv"))
    return add_members(state.meta, list_id, ids, principal.email)


@router.delete(
    "/target-lists/{list_id}/members/{account_id}",
    dependencies=allowed(PLAN),
    summary="Remove one account from a list",
)
def delete_member(
    state: State, list_id: RowId, account_id: str, principal: Writer
) -> TargetListDetail:
    return remove_members(state.meta, list_id, (account_id,), principal.email)


@router.get(
    "/target-lists/{list_id}/goals",
    dependencies=allowed(READ),
    summary="The list's shared goals with their progress",
)
def get_goals(
    state: State,
    list_id: RowId,
    period: Annotated[str | None, Query(max_length=20)] = None,
    as_of: AsOf = None,
    lang: Lang = "en",
) -> ListGoals:
    check_dates(as_of, None)
    return goals_of_list(
        state.computed,
        state.meta,
        str(list_id),
        state.workspace.settings.reporting_currency,
        today_in(state.workspace),
        period=period,
        as_of=as_of,
        lang=lang,
    )


@router.put(
    "/target-lists/{list_id}/goals",
    dependencies=allowed(PLAN),
    summary="Set (or change) a shared goal for a period",
)
def put_goal(
    state: State, list_id: RowId, body: NewGoal, principal: Writer, lang: Lang = "en"
) -> GoalInfo:
    return set_goal(
        state.meta, list_id, body.metric, body.period, body.target, principal.email, lang
    )


@router.delete(
    "/target-lists/{list_id}/goals",
    status_code=204,
    dependencies=allowed(PLAN),
    summary="Delete one goal",
)
def remove_goal(
    state: State,
    list_id: RowId,
    metric: Annotated[str, Query(max_length=30)],
    period: Annotated[str, Query(max_length=20)],
    principal: Writer,
) -> None:
    delete_goal(state.meta, list_id, metric, period, principal.email)


@router.get(
    "/target-lists/{list_id}/sales",
    dependencies=guard(READ),
    summary="The list for sales: accounts by score, next best accounts, goals progress",
)
def get_sales(
    state: State, list_id: RowId, scope: Scope, as_of: AsOf = None, lang: Lang = "en"
) -> SalesView:
    check_dates(as_of, None)
    return sales_of_list(
        state.computed,
        state.meta,
        str(list_id),
        state.workspace.settings.reporting_currency,
        today_in(state.workspace),
        scope=scope,
        as_of=as_of,
        lang=lang,
    )


@router.get(
    "/target-lists/{list_id}/marketing",
    dependencies=guard(READ),
    summary="The list for marketing: score components, pipeline per channel, coverage gaps",
)
def get_marketing(
    state: State,
    list_id: RowId,
    scope: Scope,
    model: CreditModel = DEFAULT_CREDIT_MODEL,
    as_of: AsOf = None,
    lang: Lang = "en",
) -> MarketingView:
    check_dates(as_of, None)
    return marketing_of_list(
        state.computed,
        state.meta,
        str(list_id),
        state.workspace.settings.reporting_currency,
        today_in(state.workspace),
        credit_model=model,
        scope=scope,
        as_of=as_of,
        lang=lang,
    )


@router.get(
    "/accounts/{account_id}",
    dependencies=guard(READ),
    summary="One account: score explained, journey, pipeline credited per channel",
)
def get_account(
    state: State,
    account_id: str,
    scope: Scope,
    model: CreditModel = DEFAULT_CREDIT_MODEL,
    limit: Annotated[int, Query(ge=1, le=MAX_JOURNEY_LIMIT)] = 200,
    as_of: AsOf = None,
    lang: Lang = "en",
) -> AccountDetail:
    check_dates(as_of, None)
    return account_page(
        state.computed,
        state.meta,
        account_id,
        state.workspace.settings.reporting_currency,
        today_in(state.workspace),
        credit_model=model,
        journey_limit=limit,
        scope=scope,
        as_of=as_of,
        lang=lang,
    )


@router.get(
    "/engagement/scores",
    dependencies=guard(READ),
    summary="Engagement scores (of a list, or of every account), highest first, explained",
)
def get_scores(
    state: State,
    scope: Scope,
    list_id: OptionalRowId = None,
    limit: Annotated[int, Query(ge=1, le=100_000)] = 100,
    as_of: AsOf = None,
    lang: Lang = "en",
) -> Scoreboard:
    check_dates(as_of, None)
    board = scores(
        state.computed,
        state.meta,
        state.workspace.settings.reporting_currency,
        today_in(state.workspace),
        list_ref=None if list_id is None else str(list_id),
        scope=scope,
        as_of=as_of,
        lang=lang,
    )
    return board.model_copy(update={"accounts": board.accounts[:limit]})


@router.get(
    "/engagement/weights",
    dependencies=guard(READ),
    summary="The engagement weights in force, the defaults, the decay and the history",
)
def get_weights(state: State, lang: Lang = "en") -> ScoringSettings:
    return scoring_settings(state.meta, lang)


@router.put(
    "/engagement/weights",
    dependencies=allowed(PLAN),
    summary="Change weights, half-life or window (a new version; every score follows)",
)
def put_weights(
    state: State, body: WeightsChange, principal: Writer, lang: Lang = "en"
) -> ScoringSettings:
    return set_weights(
        state.meta,
        body.points,
        principal.email,
        half_life_days=body.half_life_days,
        window_days=body.window_days,
        note=body.note,
        reset=body.reset,
        lang=lang,
    )
