"""The allbound pages' tables and forms, built from the services' result objects
(formatting only: every number comes from a service)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from pilotage.core.allbound.goals import GOAL_METRICS, GOAL_NAMES
from pilotage.interfaces.formatting import Lang, money, number, percent
from pilotage.interfaces.web.cells import cell, count_cell, text_cell
from pilotage.interfaces.web.page_kit import column, section
from pilotage.services.accounts_view import AccountsView
from pilotage.services.allbound_account import AccountDetail
from pilotage.services.allbound_goals import GoalProgress
from pilotage.services.allbound_lists import TargetLists
from pilotage.services.allbound_scores import AccountScore
from pilotage.services.allbound_views import MarketingView, SalesView
from pilotage.services.allbound_weights import ScoringSettings

Words = Callable[[str], str]
_DAY = "%Y-%m-%d"
_MINUTE = "%Y-%m-%d %H:%M"


def account_link(account_id: str, lang: Lang) -> str:
    return f"/accounts/{quote(account_id, safe='')}?lang={lang}"


def list_link(list_id: int, lang: Lang, view: str = "") -> str:
    return f"/accounts/lists/{list_id}{'/' + view if view else ''}?lang={lang}"


def value_cell(value: float | None, text: str) -> dict[str, Any]:
    return {"text": text, "sort": "" if value is None else value, "negative": False}


def goal_value(unit: str, value: float, currency: str, lang: Lang) -> str:
    if unit == "currency":
        return money(value, currency, lang)
    if unit == "percent":
        return percent(value, lang, 0)
    return number(value, lang)


def lists_section(lists: TargetLists, t: Words, lang: Lang) -> dict[str, Any]:
    rows = [
        [
            text_cell(r.name, link=list_link(r.id, lang)),
            text_cell(r.sales_owner),
            text_cell(r.marketing_owner),
            count_cell(r.accounts, lang),
            count_cell(r.goals, lang),
            text_cell(t("ab_marketing_view"), link=list_link(r.id, lang, "marketing")),
        ]
        for r in lists.lists
    ]
    cols = [
        column(t("ab_list")),
        column(t("sales_owner")),
        column(t("marketing_owner")),
        column(t("ab_accounts")),
        column(t("ab_goals")),
        column(t("ab_details")),
    ]
    return section(t("ab_lists"), cols, rows, note=t("ab_lists_note"), empty=t("ab_no_lists"))


def targets_section(v: AccountsView, t: Words, lang: Lang) -> dict[str, Any]:
    """The accounts flagged is_target, each linked to its page."""
    pipeline, won = v.metrics
    rows = [
        [
            text_cell(a.name, link=account_link(a.account_id, lang)),
            text_cell(a.segment),
            text_cell(a.tier),
            text_cell(a.sales_owner),
            text_cell(a.marketing_owner),
            cell(pipeline, a.open_pipeline, v.currency, lang),
            cell(won, a.won_amount, v.currency, lang),
        ]
        for a in v.accounts
    ]
    cols = [
        column(t("account_name")),
        column(t("segment")),
        column(t("tier")),
        column(t("sales_owner")),
        column(t("marketing_owner")),
        column("", pipeline),
        column("", won),
    ]
    totals = [
        text_cell(t("total")),
        *[text_cell(None)] * 4,
        cell(pipeline, v.total_open_pipeline, v.currency, lang),
        cell(won, v.total_won_amount, v.currency, lang),
    ]
    found = section(
        t("ab_target_accounts"),
        cols,
        rows,
        totals=totals,
        note=t("accounts_note"),
        empty=t("no_targets"),
    )
    return {**found, "exports": True}


def goals_section(
    goals: Sequence[GoalProgress], currency: str, t: Words, lang: Lang, *, withheld: bool = False
) -> dict[str, Any]:
    rows = [
        [
            text_cell(g.period),
            text_cell(g.name),
            text_cell(goal_value(g.unit, g.target, currency, lang)),
            value_cell(g.actual, goal_value(g.unit, g.actual, currency, lang)),
            value_cell(g.attainment, percent(g.attainment, lang, 0)),
            text_cell(goal_value(g.unit, g.expected, currency, lang)),
            {**text_cell(t(f"ab_status_{g.status}")), "negative": g.status in _BAD},
        ]
        for g in goals
    ]
    cols = [
        column(t("ab_period")),
        column(t("ab_goal")),
        column(t("ab_target")),
        column(t("ab_actual")),
        column(t("ab_attainment")),
        column(t("ab_expected")),
        column(t("ab_status")),
    ]
    empty = t("ab_goals_withheld") if withheld else t("ab_no_goals")
    notes = [f"{g.name}: {g.definition}" for g in _first_of_each(goals)]
    note = " ".join([t("ab_goals_note"), *notes])
    return {**section(t("ab_goals"), cols, rows, note=note, empty=empty), "id": "goals"}


_BAD = frozenset({"behind", "missed"})


def _first_of_each(goals: Sequence[GoalProgress]) -> list[GoalProgress]:
    seen: dict[str, GoalProgress] = {}
    for g in goals:
        seen.setdefault(g.metric, g)
    return list(seen.values())


def scores_section(
    accounts: Sequence[AccountScore], currency: str, t: Words, lang: Lang, title: str
) -> dict[str, Any]:
    rows = [
        [
            text_cell(s.name, link=account_link(s.account_id, lang)),
            text_cell(s.tier),
            text_cell(s.sales_owner),
            value_cell(s.score, number(s.score, lang, 1)),
            value_cell(s.trend, _signed(s.trend, lang)),
            count_cell(s.open_opportunities, lang),
            value_cell(s.open_pipeline, money(s.open_pipeline, currency, lang)),
        ]
        for s in accounts
    ]
    cols = [
        column(t("account_name")),
        column(t("tier")),
        column(t("sales_owner")),
        column(t("ab_score")),
        column(t("ab_trend")),
        column(t("ab_open_opportunities")),
        column(t("ab_open_pipeline")),
    ]
    return section(title, cols, rows, note=t("ab_score_note"), empty=t("ab_no_accounts"))


def _signed(value: float, lang: Lang) -> str:
    return ("+" if value >= 0 else "-") + number(abs(value), lang, 1)


def next_best_section(v: SalesView, t: Words, lang: Lang) -> dict[str, Any]:
    rows = [
        [
            text_cell(n.name, link=account_link(n.account_id, lang)),
            text_cell(n.sales_owner),
            value_cell(n.score, number(n.score, lang, 1)),
            value_cell(n.trend, _signed(n.trend, lang)),
            text_cell(", ".join(n.reasons)),
        ]
        for n in v.next_best
    ]
    cols = [
        column(t("account_name")),
        column(t("sales_owner")),
        column(t("ab_score")),
        column(t("ab_trend")),
        column(t("ab_why")),
    ]
    return section(
        t("ab_next_best"), cols, rows, note=t("ab_next_best_note"), empty=t("ab_no_next_best")
    )


def components_section(v: MarketingView, t: Words, lang: Lang) -> dict[str, Any]:
    rows = [
        [
            text_cell(c.name),
            value_cell(c.points, number(c.points, lang, 1)),
            count_cell(c.accounts, lang),
            count_cell(c.count, lang),
            value_cell(c.value, number(c.value, lang, 1)),
            value_cell(c.share, percent(c.share, lang, 0)),
        ]
        for c in v.components
        if c.count or c.value
    ]
    cols = [
        column(t("ab_component")),
        column(t("ab_points")),
        column(t("ab_accounts")),
        column(t("ab_activities")),
        column(t("ab_value")),
        column(t("ab_share")),
    ]
    return section(t("ab_components"), cols, rows, note=t("ab_components_note"))


def channels_section(v: MarketingView, currency: str, t: Words, lang: Lang) -> dict[str, Any]:
    rows = [
        [
            text_cell(c.channel),
            value_cell(c.pipeline, money(c.pipeline, currency, lang)),
            value_cell(c.won, money(c.won, currency, lang)),
            count_cell(c.deals, lang),
        ]
        for c in v.channels
    ]
    totals = [
        text_cell(t("ab_unattributed")),
        value_cell(v.unattributed_pipeline, money(v.unattributed_pipeline, currency, lang)),
        value_cell(v.unattributed_won, money(v.unattributed_won, currency, lang)),
        text_cell(None),
    ]
    cols = [
        column(t("channel")),
        column(t("ab_pipeline_credit")),
        column(t("ab_won_credit")),
        column(t("ab_deals")),
    ]
    note = t("ab_channels_note").format(
        model=v.model,
        days=v.lookback_days,
        pipeline=money(v.pipeline_total, currency, lang),
        won=money(v.won_total, currency, lang),
    )
    return section(t("ab_channels"), cols, rows, totals=totals, note=note, empty=t("empty"))


def gaps_section(v: MarketingView, t: Words, lang: Lang) -> dict[str, Any]:
    rows = [
        [
            text_cell(t(f"ab_gap_{g.gap}")),
            count_cell(len(g.accounts), lang),
            text_cell(", ".join(g.names[:12]) + (" …" if len(g.names) > 12 else "")),
            text_cell(g.definition),
        ]
        for g in v.gaps
    ]
    cols = [
        column(t("ab_gap")),
        column(t("ab_accounts")),
        column(t("account_name")),
        column(t("ab_definition")),
    ]
    return section(t("ab_gaps"), cols, rows, note=t("ab_gaps_note"))


def matrix_section(v: MarketingView, t: Words, lang: Lang) -> dict[str, Any]:
    """Every account's score split by component (the detail behind each score)."""
    used = [c for c in v.components if c.value]
    rows = []
    for s in v.scores.accounts:
        parts = {c.component: c.value for c in s.components}
        rows.append(
            [
                text_cell(s.name, link=account_link(s.account_id, lang)),
                value_cell(s.score, number(s.score, lang, 1)),
                *(
                    value_cell(parts.get(c.component), number(parts.get(c.component), lang, 1))
                    for c in used
                ),
            ]
        )
    cols = [column(t("account_name")), column(t("ab_score")), *(column(c.name) for c in used)]
    return section(t("ab_matrix"), cols, rows, empty=t("ab_no_accounts"))


def account_sections(d: AccountDetail, zone: str, t: Words, lang: Lang) -> list[dict[str, Any]]:
    """Score, pipeline per channel, deals and journey (times in the workspace's ``zone``)."""
    currency = d.pipeline.currency
    components = section(
        t("ab_score_detail").format(
            score=number(d.score.score, lang, 1), trend=_signed(d.score.trend, lang)
        ),
        [
            column(t("ab_component")),
            column(t("ab_activities")),
            column(t("ab_decayed")),
            column(t("ab_points")),
            column(t("ab_value")),
        ],
        [
            [
                text_cell(c.name),
                count_cell(c.count, lang),
                value_cell(c.decayed, number(c.decayed, lang, 2)),
                value_cell(c.points, number(c.points, lang, 1)),
                value_cell(c.value, number(c.value, lang, 1)),
            ]
            for c in d.score.components
        ],
        note=t("ab_score_note"),
        empty=t("ab_no_activity"),
    )
    p = d.pipeline
    channels = section(
        t("ab_channels"),
        [column(t("channel")), column(t("ab_pipeline_credit")), column(t("ab_won_credit"))],
        [
            [
                text_cell(c.channel),
                value_cell(c.pipeline, money(c.pipeline, currency, lang)),
                value_cell(c.won, money(c.won, currency, lang)),
            ]
            for c in p.channels
        ],
        totals=[
            text_cell(t("ab_unattributed")),
            value_cell(p.unattributed_pipeline, money(p.unattributed_pipeline, currency, lang)),
            value_cell(p.unattributed_won, money(p.unattributed_won, currency, lang)),
        ],
        note=t("ab_channels_note").format(
            model=p.model,
            days=p.lookback_days,
            pipeline=money(p.pipeline_total, currency, lang),
            won=money(p.won_total, currency, lang),
        ),
        empty=t("ab_no_deals"),
    )
    won = {w.opportunity_id for w in p.won_deals}
    deals = section(
        t("ab_deals"),
        [
            column(t("ab_opportunity")),
            column(t("ab_amount")),
            column(t("ab_won")),
            column(t("ab_top_channels")),
        ],
        [
            [
                text_cell(o.opportunity_id),
                value_cell(o.amount, money(o.amount, currency, lang)),
                text_cell(t("yes") if o.opportunity_id in won else t("no")),
                text_cell(
                    ", ".join(
                        f"{c.channel} {money(c.value, currency, lang)}" for c in o.channels[:3]
                    )
                    or t("ab_unattributed")
                ),
            ]
            for o in p.deals
        ],
        empty=t("ab_no_deals"),
    )
    return [components, channels, deals, journey_section(d, zone, t, lang)]


def journey_section(d: AccountDetail, zone: str, t: Words, lang: Lang) -> dict[str, Any]:
    j = d.journey
    local = ZoneInfo(zone)
    rows = [
        [
            {**text_cell(e.at.astimezone(local).strftime(_MINUTE)), "sort": e.at.isoformat()},
            text_cell(t(f"ab_kind_{e.kind}")),
            text_cell(e.detail),
            text_cell(e.channel),
            text_cell(e.campaign_id),
            text_cell(e.person_id),
            value_cell(e.amount, number(e.amount, lang, 2) if e.amount is not None else "–"),
        ]
        for e in j.events
    ]
    cols = [
        column(t("ab_when")),
        column(t("ab_kind")),
        column(t("ab_detail")),
        column(t("channel")),
        column(t("ab_campaign")),
        column(t("ab_person")),
        column(t("ab_amount")),
    ]
    counts = ", ".join(f"{t('ab_kind_' + k)} {number(n, lang)}" for k, n in j.counts.items() if n)
    note = t("ab_journey_note").format(shown=len(j.events), total=j.total, counts=counts or "–")
    return {
        **section(t("ab_journey"), cols, rows, note=note, empty=t("ab_no_activity")),
        "id": "journey",
    }


def weights_section(s: ScoringSettings, t: Words, lang: Lang) -> dict[str, Any]:
    rows = [
        [
            text_cell(w.name),
            text_cell(w.component),
            value_cell(w.points, number(w.points, lang, 1)),
            value_cell(w.default, number(w.default, lang, 1)),
        ]
        for w in s.weights
    ]
    cols = [
        column(t("ab_component")),
        column(t("ab_id")),
        column(t("ab_points")),
        column(t("ab_default")),
    ]
    return section(t("ab_weights_in_force"), cols, rows, note=t("ab_score_note"))


def weights_history_section(s: ScoringSettings, t: Words, lang: Lang) -> dict[str, Any]:
    rows = [
        [
            count_cell(h.version, lang),
            text_cell(h.created_at.strftime(_MINUTE)),
            text_cell(h.created_by),
            text_cell(f"{number(h.half_life_days, lang, 1)} / {h.window_days}"),
            text_cell(
                ", ".join(
                    f"{k} {number(v, lang, 1)}" for k, v in h.points.items() if v != _default(s, k)
                )
                or t("ab_defaults")
            ),
            text_cell(h.note),
        ]
        for h in s.history
    ]
    cols = [
        column(t("ab_version")),
        column(t("ab_when")),
        column(t("ab_by")),
        column(t("ab_half_life_window")),
        column(t("ab_changed_from_defaults")),
        column(t("ab_why")),
    ]
    return section(t("ab_history"), cols, rows, empty=t("ab_no_history"))


def _default(s: ScoringSettings, component: str) -> float | None:
    return next((w.default for w in s.weights if w.component == component), None)


def field(kind: str, name: str, label: str, value: Any = None, **extra: Any) -> dict[str, Any]:
    return {"kind": kind, "name": name, "label": label, "value": value, **extra}


def members_fields(t: Words, tiers: Sequence[str], kept: dict[str, str]) -> list[dict[str, Any]]:
    """Where accounts come from: typed ids, a CSV file, or the is_target/tier columns."""
    return [
        field("textarea", "account_ids", t("ab_account_ids"), kept.get("account_ids")),
        field("file", "csv", t("ab_csv_file")),
        field("checkbox", "from_targets", t("ab_from_targets"), kept.get("from_targets")),
        field(
            "select",
            "tier",
            t("tier"),
            kept.get("tier", ""),
            options=[("", t("ab_any_tier")), *((x, x) for x in tiers)],
        ),
    ]


def goal_options(lang: Lang) -> list[tuple[str, str]]:
    index = 1 if lang == "fr" else 0
    return [(m, GOAL_NAMES[m][index]) for m in GOAL_METRICS]


def goal_fields(t: Words, lang: Lang, kept: dict[str, str]) -> list[dict[str, Any]]:
    return [
        field("select", "metric", t("ab_goal"), kept.get("metric"), options=goal_options(lang)),
        field("text", "period", t("ab_period"), kept.get("period"), required=True),
        field("number", "target", t("ab_target"), kept.get("target"), required=True, min=0),
    ]
