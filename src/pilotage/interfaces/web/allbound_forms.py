"""The allbound pages' forms: create a list, add or remove accounts, set or delete a goal,
edit or delete a list, change the engagement weights. Each posts with the session's CSRF
token, answers a redirect when done, and on a refusal shows the page again with the message
and what was typed; nothing is saved then."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from pilotage.errors import InputError, PilotageError, UsageError
from pilotage.interfaces.api.auth import PLAN, Require, guard
from pilotage.interfaces.api.errors import status_of
from pilotage.interfaces.api.ids import RowId
from pilotage.interfaces.api.state import ServerState, state_of
from pilotage.interfaces.formatting import Lang, check_lang
from pilotage.interfaces.web.allbound_pages import hub_page, list_page, weights_page
from pilotage.interfaces.web.filters import unrestricted
from pilotage.services.accounts import Principal
from pilotage.services.allbound_lists import (
    add_members,
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
from pilotage.services.allbound_weights import parse_weights, scoring_settings, set_weights
from pilotage.services.slices import Slice

router = APIRouter(include_in_schema=False)
State = Annotated[ServerState, Depends(state_of)]
Writer = Annotated[Principal, Depends(PLAN)]
LangQuery = Annotated[str | None, Query()]
Text = Annotated[str, Form(max_length=20_000)]
MAX_CSV_BYTES = 5 * 1024 * 1024


def allowed(requirement: Require) -> list[Any]:
    return [*guard(requirement), Depends(unrestricted)]


def _problems(error: PilotageError) -> list[str]:
    if isinstance(error, InputError):
        head = error.message.splitlines()[0]
        return [head, *(e.describe(error.file) for e in error.errors[:50])]
    return [error.message + (f" — {error.fix}" if error.fix else "")]


def _done(url: str, lang: Lang, notice: str) -> RedirectResponse:
    return RedirectResponse(f"{url}?{urlencode({'lang': lang, 'done': notice})}", 303)


async def _members(
    state: ServerState,
    account_ids: str,
    csv: UploadFile | None,
    from_targets: str,
    tier: str,
) -> tuple[str, ...]:
    """The checked ids of the form: typed, from a CSV file and/or the is_target flag."""
    items: tuple[tuple[int | None, str], ...] = typed_ids([account_ids], "account_ids").items
    source = "account_ids"
    data = await csv.read(MAX_CSV_BYTES + 1) if csv is not None and csv.filename else b""
    if len(data) > MAX_CSV_BYTES:
        raise UsageError("the CSV file is larger than 5 MB", fix="split the file")
    with state.analytics() as store:
        if data:
            assert csv is not None
            source = csv.filename or "upload.csv"
            items += csv_ids(data, source).items
        if from_targets:
            items += flagged_ids(store, (tier,) if tier else ()).items
        if not items:
            raise UsageError(
                "no account given",
                fix="type account ids, choose a CSV file, or tick the is_target accounts",
            )
        return checked_ids(store, MemberInput(source, items))


@router.post("/accounts/lists", response_class=HTMLResponse, dependencies=allowed(PLAN))
async def create(
    request: Request,
    state: State,
    principal: Writer,
    name: Annotated[str, Form(max_length=200)],
    sales_owner: Annotated[str, Form(max_length=320)] = "",
    marketing_owner: Annotated[str, Form(max_length=320)] = "",
    description: Annotated[str, Form(max_length=2000)] = "",
    account_ids: Text = "",
    csv: Annotated[UploadFile | None, File()] = None,
    from_targets: Annotated[str, Form(max_length=5)] = "",
    tier: Annotated[str, Form(max_length=100)] = "",
    lang: LangQuery = None,
) -> Response:
    la = check_lang(lang)
    kept = {
        "name": name,
        "sales_owner": sales_owner,
        "marketing_owner": marketing_owner,
        "description": description,
        "account_ids": account_ids,
        "from_targets": from_targets,
        "tier": tier,
    }
    try:
        has_accounts = bool(account_ids.strip() or from_targets or (csv and csv.filename))
        ids = await _members(state, account_ids, csv, from_targets, tier) if has_accounts else ()
        made = create_list(
            state.meta,
            name,
            sales_owner,
            marketing_owner,
            ids,
            principal.email,
            description=description,
        )
    except PilotageError as error:
        return hub_page(
            request,
            state,
            principal,
            Slice(),
            la,
            problems=_problems(error),
            kept=kept,
            status_code=status_of(error),
        )
    return _done(f"/accounts/lists/{made.id}", la, "created")


@router.post("/accounts/weights", response_class=HTMLResponse, dependencies=allowed(PLAN))
async def save_weights(
    request: Request, state: State, principal: Writer, lang: LangQuery = None
) -> Response:
    """The weights form sends every field; only what differs from the weights in force is
    a change (an unchanged form saves no new version)."""
    la = check_lang(lang)
    form = await request.form()
    current = scoring_settings(state.meta, la)
    points: dict[str, float] = {w.component: w.points for w in current.weights}
    try:
        pairs = [
            f"{key[2:]}={value.replace(',', '.')}"
            for key, value in form.multi_items()
            if key.startswith("w_") and isinstance(value, str) and value.strip()
        ]
        changed = {k: v for k, v in parse_weights(pairs, "weight").items() if points.get(k) != v}
        half_life = _number(form.get("half_life_days"), "half_life_days")
        window = _number(form.get("window_days"), "window_days")
        if window is not None and window != int(window):
            raise UsageError(
                f"window_days {window:g} is not a whole number of days",
                fix="give the window in whole days",
            )
        note = form.get("note")
        set_weights(
            state.meta,
            changed,
            principal.email,
            half_life_days=None if half_life == current.half_life_days else half_life,
            window_days=None if window in (None, current.window_days) else int(window),
            note=note if isinstance(note, str) else None,
            reset=bool(form.get("reset")),
            lang=la,
        )
    except PilotageError as error:
        return weights_page(
            request,
            state,
            principal,
            la,
            problems=_problems(error),
            status_code=status_of(error),
        )
    return _done("/accounts/weights", la, "weights")


def _number(value: object, name: str) -> float | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return float(value.replace(",", "."))
    except ValueError:
        raise UsageError(
            f"{name} {value!r} is not a number", fix=f"give {name} as a number"
        ) from None


async def _list_change(
    request: Request,
    state: ServerState,
    principal: Principal,
    list_id: RowId,
    la: Lang,
    kept: dict[str, str],
    change: Callable[[], Awaitable[None]],
    notice: str,
) -> Response:
    """Run ``change`` (a coroutine function); on a refusal show the list page again."""
    try:
        await change()
    except PilotageError as error:
        return list_page(
            request,
            state,
            principal,
            Slice(),
            list_id,
            la,
            problems=_problems(error),
            kept=kept,
            status_code=status_of(error),
        )
    return _done(f"/accounts/lists/{list_id}", la, notice)


@router.post(
    "/accounts/lists/{list_id}/members", response_class=HTMLResponse, dependencies=allowed(PLAN)
)
async def add(
    request: Request,
    state: State,
    list_id: RowId,
    principal: Writer,
    account_ids: Text = "",
    csv: Annotated[UploadFile | None, File()] = None,
    from_targets: Annotated[str, Form(max_length=5)] = "",
    tier: Annotated[str, Form(max_length=100)] = "",
    lang: LangQuery = None,
) -> Response:
    la = check_lang(lang)
    _known_list(state, list_id)

    async def change() -> None:
        ids = await _members(state, account_ids, csv, from_targets, tier)
        add_members(state.meta, list_id, ids, principal.email)

    kept = {"account_ids": account_ids, "from_targets": from_targets, "tier": tier}
    return await _list_change(request, state, principal, list_id, la, kept, change, "added")


def _known_list(state: ServerState, list_id: RowId) -> None:
    """An unknown list is a 404 page, not the form of a list that does not exist."""
    target_list(state.meta, list_id)


@router.post(
    "/accounts/lists/{list_id}/members/remove",
    response_class=HTMLResponse,
    dependencies=allowed(PLAN),
)
async def remove(
    request: Request,
    state: State,
    list_id: RowId,
    principal: Writer,
    account_ids: Text = "",
    lang: LangQuery = None,
) -> Response:
    la = check_lang(lang)
    _known_list(state, list_id)

    async def change() -> None:
        ids = tuple(dict.fromkeys(i for _, i in typed_ids([account_ids]).items))
        if not ids:
            raise UsageError("no account given", fix="type the ids of the accounts to remove")
        remove_members(state.meta, list_id, ids, principal.email)

    kept = {"remove_ids": account_ids}
    return await _list_change(request, state, principal, list_id, la, kept, change, "removed")


@router.post(
    "/accounts/lists/{list_id}/goals", response_class=HTMLResponse, dependencies=allowed(PLAN)
)
async def goal(
    request: Request,
    state: State,
    list_id: RowId,
    principal: Writer,
    metric: Annotated[str, Form(max_length=30)],
    period: Annotated[str, Form(max_length=20)],
    target: Annotated[str, Form(max_length=30)],
    lang: LangQuery = None,
) -> Response:
    la = check_lang(lang)
    _known_list(state, list_id)

    async def change() -> None:
        value = _number(target, "target")
        if value is None:
            raise UsageError("the target is missing", fix="give the goal's target")
        set_goal(state.meta, list_id, metric, period, value, principal.email, la)

    kept = {"metric": metric, "period": period, "target": target}
    return await _list_change(request, state, principal, list_id, la, kept, change, "goal")


@router.post(
    "/accounts/lists/{list_id}/goals/delete",
    response_class=HTMLResponse,
    dependencies=allowed(PLAN),
)
async def goal_delete(
    request: Request,
    state: State,
    list_id: RowId,
    principal: Writer,
    metric: Annotated[str, Form(max_length=30)],
    period: Annotated[str, Form(max_length=20)],
    lang: LangQuery = None,
) -> Response:
    la = check_lang(lang)
    _known_list(state, list_id)

    async def change() -> None:
        delete_goal(state.meta, list_id, metric, period, principal.email)

    return await _list_change(request, state, principal, list_id, la, {}, change, "goal_deleted")


@router.post(
    "/accounts/lists/{list_id}/edit", response_class=HTMLResponse, dependencies=allowed(PLAN)
)
async def edit(
    request: Request,
    state: State,
    list_id: RowId,
    principal: Writer,
    name: Annotated[str, Form(max_length=200)] = "",
    sales_owner: Annotated[str, Form(max_length=320)] = "",
    marketing_owner: Annotated[str, Form(max_length=320)] = "",
    description: Annotated[str, Form(max_length=2000)] = "",
    lang: LangQuery = None,
) -> Response:
    la = check_lang(lang)
    _known_list(state, list_id)

    async def change() -> None:
        edit_list(
            state.meta,
            list_id,
            principal.email,
            name=name,
            sales_owner=sales_owner,
            marketing_owner=marketing_owner,
            description=description,
        )

    return await _list_change(request, state, principal, list_id, la, {}, change, "edited")


@router.post(
    "/accounts/lists/{list_id}/delete", response_class=HTMLResponse, dependencies=allowed(PLAN)
)
async def delete(
    request: Request,
    state: State,
    list_id: RowId,
    principal: Writer,
    confirm: Annotated[str, Form(max_length=5)] = "",
    lang: LangQuery = None,
) -> Response:
    la = check_lang(lang)
    _known_list(state, list_id)

    async def change() -> None:
        if not confirm:
            raise UsageError(
                "the list was not deleted", fix="tick the box to confirm (its goals go with it)"
            )
        delete_list(state.meta, list_id, principal.email)

    answer = await _list_change(request, state, principal, list_id, la, {}, change, "deleted")
    if isinstance(answer, RedirectResponse):
        return _done("/accounts", la, "deleted")
    return answer
