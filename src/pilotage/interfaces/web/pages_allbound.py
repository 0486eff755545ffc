"""The allbound pages: the accounts hub (target lists, target accounts), a list for sales
and for marketing with its goals, one account's page, and the engagement weights form.

The forms these pages post to are in :mod:`allbound_forms` (their router is included in
this one); the pages they share with them in :mod:`allbound_pages`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from pilotage.interfaces.api.auth import READ, guard
from pilotage.interfaces.api.ids import RowId
from pilotage.interfaces.api.state import ServerState, state_of
from pilotage.interfaces.formatting import check_lang
from pilotage.interfaces.web import allbound_forms, wording
from pilotage.interfaces.web.allbound_pages import (
    hub_page,
    list_facts,
    list_page,
    notice_of,
    weights_page,
)
from pilotage.interfaces.web.allbound_sections import (
    account_sections,
    channels_section,
    components_section,
    gaps_section,
    list_link,
    matrix_section,
)
from pilotage.interfaces.web.filters import Scope, SliceQuery
from pilotage.interfaces.web.page_kit import analysis_page
from pilotage.jobs.scheduler import today_in
from pilotage.services.accounts import Principal
from pilotage.services.allbound import (
    DEFAULT_CREDIT_MODEL,
    account_page,
    marketing_of_list,
)

router = APIRouter(include_in_schema=False)
router.include_router(allbound_forms.router)
State = Annotated[ServerState, Depends(state_of)]
Reader = Annotated[Principal, Depends(READ)]
LangQuery = Annotated[str | None, Query()]
Done = Annotated[str | None, Query(max_length=20)]


@router.get("/accounts", response_class=HTMLResponse, dependencies=guard(READ))
def accounts(
    request: Request,
    state: State,
    sl: SliceQuery,
    principal: Reader,
    lang: LangQuery = None,
    done: Done = None,
) -> HTMLResponse:
    la = check_lang(lang)
    return hub_page(request, state, principal, sl, la, notice=notice_of(done, la))


@router.get("/accounts/weights", response_class=HTMLResponse, dependencies=guard(READ))
def weights(
    request: Request,
    state: State,
    principal: Reader,
    lang: LangQuery = None,
    done: Done = None,
) -> HTMLResponse:
    la = check_lang(lang)
    return weights_page(request, state, principal, la, notice=notice_of(done, la))


@router.get("/accounts/lists/{list_id}", response_class=HTMLResponse, dependencies=guard(READ))
def sales_page(
    request: Request,
    state: State,
    list_id: RowId,
    scope: Scope,
    principal: Reader,
    lang: LangQuery = None,
    done: Done = None,
) -> HTMLResponse:
    la = check_lang(lang)
    return list_page(request, state, principal, scope, list_id, la, notice=notice_of(done, la))


@router.get(
    "/accounts/lists/{list_id}/marketing", response_class=HTMLResponse, dependencies=guard(READ)
)
def marketing_page(
    request: Request,
    state: State,
    list_id: RowId,
    scope: Scope,
    lang: LangQuery = None,
    model: Annotated[str, Query(max_length=50)] = DEFAULT_CREDIT_MODEL,
) -> HTMLResponse:
    la = check_lang(lang)
    t = wording.words(la)
    currency = state.workspace.settings.reporting_currency
    v = marketing_of_list(
        state.computed,
        state.meta,
        str(list_id),
        currency,
        today_in(state.workspace),
        credit_model=model,
        scope=scope,
        lang=la,
    )
    info = v.target_list
    facts = list_facts(info, v.scores.as_of.isoformat(), t)
    facts.append((t("ab_credit_model"), v.model, None))
    if v.hidden_accounts:
        facts.append((t("ab_hidden_accounts"), str(v.hidden_accounts), None))
    return analysis_page(
        request,
        state,
        "allbound.html",
        "accounts",
        la,
        None,
        filters=(),
        heading=f"{info.name} — {t('ab_marketing_view')}",
        facts=facts,
        links=[
            (t("ab_sales_view"), list_link(info.id, la)),
            (t("ab_weights"), f"/accounts/weights?lang={la}"),
        ],
        sections=[
            components_section(v, t, la),
            channels_section(v, currency, t, la),
            gaps_section(v, t, la),
            matrix_section(v, t, la),
        ],
        forms=[],
    )


@router.get("/accounts/{account_id}", response_class=HTMLResponse, dependencies=guard(READ))
def account(
    request: Request,
    state: State,
    account_id: str,
    scope: Scope,
    lang: LangQuery = None,
    model: Annotated[str, Query(max_length=50)] = DEFAULT_CREDIT_MODEL,
) -> HTMLResponse:
    la = check_lang(lang)
    t = wording.words(la)
    d = account_page(
        state.computed,
        state.meta,
        account_id,
        state.workspace.settings.reporting_currency,
        today_in(state.workspace),
        credit_model=model,
        scope=scope,
        lang=la,
    )
    a = d.account
    facts: list[tuple[str, str, str | None]] = [
        (t("ab_account_id"), a.account_id, None),
        (t("segment"), a.segment or "–", None),
        (t("tier"), a.tier or "–", None),
        (t("ab_country"), a.country or "–", None),
        (t("ab_industry"), a.industry or "–", None),
        (t("sales_owner"), a.sales_owner or "–", None),
        (t("marketing_owner"), a.marketing_owner or "–", None),
        (t("ab_people"), str(a.people), None),
        (t("ab_as_of"), d.as_of.isoformat(), None),
    ]
    facts += [(t("ab_list"), r.name, list_link(r.id, la)) for r in d.lists]
    return analysis_page(
        request,
        state,
        "allbound.html",
        "accounts",
        la,
        None,
        filters=(),
        heading=a.name,
        facts=facts,
        links=[(t("accounts"), f"/accounts?lang={la}")],
        sections=account_sections(d, state.workspace.settings.timezone, t, la),
        forms=[],
    )
