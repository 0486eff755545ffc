"""What the allbound pages have in common: the accounts hub, a list's sales page and the
weights page, built for a GET or shown again after a refused form (with its message and what
was typed)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from pilotage.interfaces.api.state import ServerState
from pilotage.interfaces.formatting import Lang, number
from pilotage.interfaces.web import wording
from pilotage.interfaces.web.allbound_sections import (
    Words,
    field,
    goal_fields,
    goal_options,
    goals_section,
    list_link,
    lists_section,
    members_fields,
    next_best_section,
    scores_section,
    targets_section,
    weights_history_section,
    weights_section,
)
from pilotage.interfaces.web.page_kit import analysis_page
from pilotage.jobs.scheduler import today_in
from pilotage.services.accounts import Principal
from pilotage.services.accounts_view import accounts_view
from pilotage.services.allbound import (
    sales_of_list,
)
from pilotage.services.allbound_lists import (
    TargetListInfo,
    all_lists,
)
from pilotage.services.allbound_weights import scoring_settings
from pilotage.services.slices import Slice

NOTICES = ("created", "added", "removed", "goal", "goal_deleted", "edited", "deleted", "weights")
"""Notices a redirect may ask a page to show (anything else is ignored)."""


def can_plan(principal: Principal) -> bool:
    """Whether the page shows its forms: the ``plan`` permission and no row restriction."""
    return principal.can("plan") and not principal.restrictions


def notice_of(done: str | None, lang: Lang) -> str | None:
    return wording.text(f"ab_done_{done}", lang) if done in NOTICES else None


def tiers_of(state: ServerState, lang: Lang) -> list[str]:
    targets = state.computed(accounts_view, Slice(), lang)
    return sorted({a.tier for a in targets.accounts if a.tier})


def hub_page(
    request: Request,
    state: ServerState,
    principal: Principal,
    sl: Slice,
    la: Lang,
    *,
    notice: str | None = None,
    problems: list[str] | None = None,
    kept: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    t = wording.words(la)
    targets = state.computed(accounts_view, sl, la)
    forms = []
    if can_plan(principal):
        kept = kept or {}
        forms.append(
            {
                "id": "create",
                "title": t("ab_create_list"),
                "action": f"/accounts/lists?lang={la}",
                "multipart": True,
                "fields": [
                    field("text", "name", t("ab_list_name"), kept.get("name"), required=True),
                    field(
                        "text",
                        "sales_owner",
                        t("sales_owner"),
                        kept.get("sales_owner"),
                        required=True,
                    ),
                    field(
                        "text",
                        "marketing_owner",
                        t("marketing_owner"),
                        kept.get("marketing_owner"),
                        required=True,
                    ),
                    field("text", "description", t("ab_description"), kept.get("description")),
                    *members_fields(t, tiers_of(state, la), kept),
                ],
                "submit": t("ab_create"),
                "note": t("ab_create_note"),
            }
        )
    response = analysis_page(
        request,
        state,
        "allbound.html",
        "accounts",
        la,
        sl,
        filters=("period", "segment"),
        notice=notice,
        problems=problems,
        links=[(t("ab_weights"), f"/accounts/weights?lang={la}")],
        heading=None,
        sections=[lists_section(all_lists(state.meta), t, la), targets_section(targets, t, la)],
        forms=forms,
    )
    response.status_code = status_code
    return response


def weights_page(
    request: Request,
    state: ServerState,
    principal: Principal,
    la: Lang,
    *,
    notice: str | None = None,
    problems: list[str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    t = wording.words(la)
    s = scoring_settings(state.meta, la)
    version = str(s.version) if s.version is not None else t("ab_defaults")
    facts = [
        (t("ab_formula"), s.formula, None),
        (
            t("ab_half_life"),
            f"{number(s.half_life_days, la, 1)} ({t('ab_default')} "
            f"{number(s.default_half_life_days, la, 1)})",
            None,
        ),
        (t("ab_window"), f"{s.window_days} ({t('ab_default')} {s.default_window_days})", None),
        (t("ab_version"), version, None),
        (t("ab_by"), s.changed_by or "–", None),
    ]
    fields = [
        field(
            "number",
            f"w_{w.component}",
            f"{w.name} ({t('ab_default')} {number(w.default, la, 1)})",
            w.points,
            min=0,
        )
        for w in s.weights
    ]
    fields += [
        field("number", "half_life_days", t("ab_half_life"), s.half_life_days, min=1),
        field("number", "window_days", t("ab_window"), s.window_days, step=1, min=7),
        field("text", "note", t("ab_why")),
        field("checkbox", "reset", t("ab_reset")),
    ]
    forms = []
    if can_plan(principal):
        forms.append(
            {
                "id": "weights",
                "title": t("ab_edit_weights"),
                "action": f"/accounts/weights?lang={la}",
                "fields": fields,
                "submit": t("ab_save"),
                "note": t("ab_weights_note"),
            }
        )
    response = analysis_page(
        request,
        state,
        "allbound.html",
        "accounts",
        la,
        None,
        filters=(),
        notice=notice,
        problems=problems,
        heading=t("ab_weights"),
        facts=facts,
        links=[(t("accounts"), f"/accounts?lang={la}")],
        sections=[weights_section(s, t, la), weights_history_section(s, t, la)],
        forms=forms,
    )
    response.status_code = status_code
    return response


def list_page(
    request: Request,
    state: ServerState,
    principal: Principal,
    scope: Slice,
    list_id: int,
    la: Lang,
    *,
    notice: str | None = None,
    problems: list[str] | None = None,
    kept: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    t = wording.words(la)
    currency = state.workspace.settings.reporting_currency
    v = sales_of_list(
        state.computed,
        state.meta,
        str(list_id),
        currency,
        today_in(state.workspace),
        scope=scope,
        lang=la,
    )
    info = v.target_list
    facts = list_facts(info, v.scores.as_of.isoformat(), t)
    if v.hidden_accounts:
        facts.append((t("ab_hidden_accounts"), str(v.hidden_accounts), None))
    sections = [
        goals_section(v.goals, currency, t, la, withheld=v.goals_withheld),
        next_best_section(v, t, la),
        scores_section(v.scores.accounts, currency, t, la, t("ab_accounts_by_score")),
    ]
    forms = list_forms(state, info.id, info, t, la, kept or {}) if can_plan(principal) else []
    response = analysis_page(
        request,
        state,
        "allbound.html",
        "accounts",
        la,
        None,
        filters=(),
        notice=notice,
        problems=problems,
        heading=f"{info.name} — {t('ab_sales_view')}",
        facts=facts,
        links=[
            (t("ab_marketing_view"), list_link(info.id, la, "marketing")),
            (t("accounts"), f"/accounts?lang={la}"),
        ],
        sections=sections,
        forms=forms,
    )
    response.status_code = status_code
    return response


def list_facts(info: TargetListInfo, as_of: str, t: Words) -> list[tuple[str, str, str | None]]:
    return [
        (t("sales_owner"), info.sales_owner, None),
        (t("marketing_owner"), info.marketing_owner, None),
        (t("ab_accounts"), str(info.accounts), None),
        (t("ab_description"), info.description or "–", None),
        (t("ab_as_of"), as_of, None),
    ]


def list_forms(
    state: ServerState, list_id: int, info: TargetListInfo, t: Words, la: Lang, kept: dict[str, str]
) -> list[dict[str, Any]]:
    base = f"/accounts/lists/{list_id}"
    return [
        {
            "id": "goal",
            "title": t("ab_set_goal"),
            "action": f"{base}/goals?lang={la}",
            "fields": goal_fields(t, la, kept),
            "submit": t("ab_save"),
            "note": t("ab_set_goal_note"),
        },
        {
            "id": "add",
            "title": t("ab_add_accounts"),
            "action": f"{base}/members?lang={la}",
            "multipart": True,
            "fields": members_fields(t, tiers_of(state, la), kept),
            "submit": t("ab_add"),
            "note": t("ab_create_note"),
        },
        {
            "id": "remove",
            "title": t("ab_remove_accounts"),
            "action": f"{base}/members/remove?lang={la}",
            "fields": [
                field(
                    "textarea",
                    "account_ids",
                    t("ab_account_ids"),
                    kept.get("remove_ids"),
                    required=True,
                )
            ],
            "submit": t("ab_remove"),
        },
        {
            "id": "goal-delete",
            "title": t("ab_delete_goal"),
            "action": f"{base}/goals/delete?lang={la}",
            "fields": [
                field("select", "metric", t("ab_goal"), options=goal_options(la)),
                field("text", "period", t("ab_period"), required=True),
            ],
            "submit": t("ab_delete"),
        },
        {
            "id": "edit",
            "title": t("ab_edit_list"),
            "action": f"{base}/edit?lang={la}",
            "fields": [
                field("text", "name", t("ab_list_name"), info.name, required=True),
                field("text", "sales_owner", t("sales_owner"), info.sales_owner, required=True),
                field(
                    "text",
                    "marketing_owner",
                    t("marketing_owner"),
                    info.marketing_owner,
                    required=True,
                ),
                field("text", "description", t("ab_description"), info.description),
            ],
            "submit": t("ab_save"),
        },
        {
            "id": "delete",
            "title": t("ab_delete_list"),
            "action": f"{base}/delete?lang={la}",
            "fields": [field("checkbox", "confirm", t("ab_delete_confirm"))],
            "submit": t("ab_delete"),
        },
    ]
