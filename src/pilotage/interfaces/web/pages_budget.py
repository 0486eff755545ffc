"""The budget page: spend against the campaigns' budgets, the mix model's response curves,
the optimizer's split and moves, and a scenario comparison form.

The forms only compute (nothing is written), so they are plain GET forms: the URL of a
comparison can be shared with the committee.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from pilotage.core.mmm.diagnostics import RHAT_GOOD
from pilotage.errors import PilotageError, UsageError
from pilotage.interfaces.api.auth import READ, guard
from pilotage.interfaces.api.routes_budget import model_version, workspace_model
from pilotage.interfaces.api.state import ServerState, state_of
from pilotage.interfaces.formatting import Lang, check_lang, money, number, percent
from pilotage.interfaces.web import wording
from pilotage.interfaces.web.cells import cell, text_cell
from pilotage.interfaces.web.charts import SCHEMA
from pilotage.interfaces.web.filters import SliceQuery
from pilotage.interfaces.web.page_kit import analysis_page, column, section
from pilotage.services.budget_plan import (
    BudgetResult,
    ResponseCurves,
    curves,
    optimize_budget,
    parse_bounds,
    reallocate,
)
from pilotage.services.budget_view import budget_view
from pilotage.services.mmm import MmmResult
from pilotage.services.mmm_results import saved_result
from pilotage.services.scenarios import (
    RETURN_METRICS,
    Proposal,
    ScenarioComparison,
    compare_proposals,
    program_history,
    program_types,
)

router = APIRouter(include_in_schema=False)
State = Annotated[ServerState, Depends(state_of)]
Texts = Annotated[list[str], Query(max_length=20)]
#: Rows of the scenario form.
SCENARIO_ROWS = 3


def _cell(text: str, sort: float | None = None, negative: bool = False) -> dict[str, Any]:
    return {"text": text, "sort": "" if sort is None else sort, "negative": negative}


@router.get("/budget", response_class=HTMLResponse, dependencies=guard(READ))
def budget(
    request: Request,
    state: State,
    sl: SliceQuery,
    lang: Annotated[str | None, Query()] = None,
    total: Annotated[str | None, Query(max_length=30)] = None,
    target_roi: Annotated[str | None, Query(max_length=30)] = None,
    weeks: Annotated[int, Query(ge=1, le=520)] = 13,
    bounds: Annotated[str | None, Query(max_length=2000)] = None,
    name: Texts = [],  # noqa: B006 - FastAPI copies query defaults
    kind: Texts = [],  # noqa: B006
    cost: Texts = [],  # noqa: B006
    units: Texts = [],  # noqa: B006
    metric: Annotated[str, Query(max_length=20)] = "revenue",
) -> HTMLResponse:
    la = check_lang(lang)
    t = wording.words(la)
    cur = state.workspace.settings.reporting_currency
    model = workspace_model(state)
    context: dict[str, Any] = {"weeks": weeks, "total": total or "", "target_roi": target_roi}
    context["bounds"] = bounds or ""
    if model is not None:
        found = state.cache.get_or_compute(
            ("budget-curves", model_version(state), weeks), lambda: curves(model, weeks=weeks)
        )
        context["curves_spec"] = curves_spec(found, cur, t)
        context["model_note"] = t("budget_model_note").format(
            kpi=t(f"budget_kpi_{model.kpi}"),
            channels=len(model.channels),
            status=model.diagnostics.status,
            weeks=weeks,
        )
        try:
            plan = _plan(state, total, target_roi, weeks, bounds)
            context["plan"] = plan and _plan_view(plan, cur, la, t)
        except PilotageError as exc:
            context["plan_error"] = str(exc)
    context.update(_scenarios(state, la, name, kind, cost, units, metric))
    types = state.computed(program_types)
    context["type_options"] = types + [f"channel={c}" for c in (model.channels if model else ())]
    return analysis_page(
        request,
        state,
        "budget.html",
        "budget",
        la,
        sl,
        filters=("period", "channel"),
        sections=_spend_sections(state, sl, la) + mmm_sections(state, la),
        model_missing=None if model is not None else t("budget_no_model"),
        metrics=[(m, t(f"scenario_metric_{m}")) for m in RETURN_METRICS],
        metric=metric,
        **context,
    )


def _spend_sections(state: ServerState, sl: Any, la: Lang) -> list[dict[str, Any]]:
    v = state.computed(budget_view, sl, la)
    t = wording.words(la)
    cost, budget_metric, used = v.metrics
    per_channel = section(
        t("budget_by_channel"),
        [column(t("channel")), column("", cost), column("", budget_metric), column("", used)],
        [
            [
                text_cell(c.channel),
                cell(cost, c.cost, v.currency, la),
                cell(budget_metric, c.budget, v.currency, la),
                cell(used, c.budget_used, v.currency, la),
            ]
            for c in v.channels
        ],
        note=t("budget_note"),
        empty=t("empty"),
    )
    amounts = {(m.channel, m.month): m.cost for m in v.monthly}
    channels = sorted({m.channel for m in v.monthly})
    monthly = section(
        t("spend_by_month"),
        [column(t("month"))] + [column(c) for c in channels],
        [
            [text_cell(month)]
            + [cell(cost, amounts.get((c, month)), v.currency, la) for c in channels]
            for month in v.months
        ],
    )
    return [per_channel, monthly]


def mmm_sections(state: ServerState, la: Lang) -> list[dict[str, Any]]:
    """The saved fit's channel table and its reliability in plain words (an unreliable fit
    is shown as such, not hidden); how to fit one when none is saved."""
    t = wording.words(la)
    try:
        saved = saved_result(state.workspace)
    except PilotageError as exc:
        return [section(t("mmm_title"), [], [], empty=t("mmm_none").format(reason=exc.message))]
    r = saved.result
    note = t("mmm_note").format(
        fitted=saved.fitted_at.strftime("%Y-%m-%d %H:%M UTC"),
        target=saved.target,
        kpi=t(f"budget_kpi_{r.kpi}"),
        weeks=r.weeks,
        first=r.first_week.isoformat(),
        last=r.last_week.isoformat(),
        on=t(f"mmm_on_{r.fit.on}"),
        mape=percent(r.fit.mape, la, 1),
        r2=number(r.fit.r2, la, 2),
        coverage=percent(r.fit.coverage, la),
        unit=t(f"mmm_unit_{r.kpi}"),
    )
    channels = section(t("mmm_title"), _mmm_columns(r, t), _mmm_rows(r, state, la), note=note)
    d = r.diagnostics
    sampler = d.warnings[: len(d.warnings) - len(d.checks)]
    checks = [c.text_fr if la == "fr" else c.text for c in d.checks]
    reliability = section(
        t("mmm_reliability").format(status=t(f"mmm_status_{d.status}")),
        [column(t("mmm_warning"))],
        [[text_cell(w)] for w in [t(f"mmm_meaning_{d.status}"), *sampler, *checks]],
        note=t("mmm_sampler").format(
            rhat=number(d.rhat_max, la, 3),
            good=number(RHAT_GOOD, la, 2),
            ess=number(d.ess_min, la),
            divergences=number(d.divergences, la),
        ),
    )
    return [channels, reliability]


def _mmm_columns(r: MmmResult, t: Any) -> list[dict[str, Any]]:
    money_col = "mmm_roi" if r.kpi == "revenue" else "mmm_cpa"
    names = ["channel", "mmm_spend", "mmm_roas", money_col, "mmm_share", "mmm_mroas"]
    return [column(t(n)) for n in names]


def _mmm_rows(r: MmmResult, state: ServerState, la: Lang) -> list[list[dict[str, Any]]]:
    cur = state.workspace.settings.reporting_currency

    def ratio(mean: float, low: float, high: float) -> dict[str, Any]:
        return _cell(f"{number(mean, la, 3)} ({number(low, la, 3)} – {number(high, la, 3)})", mean)

    rows = []
    for c in r.channels:
        if r.kpi == "revenue" and c.roi is not None:
            assert c.roi_ci_low is not None and c.roi_ci_high is not None
            ret = _cell(
                f"{percent(c.roi, la)} ({percent(c.roi_ci_low, la)} – "
                f"{percent(c.roi_ci_high, la)})",
                c.roi,
                c.roi < 0,
            )
        else:
            ret = _cell(
                f"{money(c.cpa, cur, la)} ({money(c.cpa_ci_low, cur, la)} – "
                f"{money(c.cpa_ci_high, cur, la)})",
                c.cpa,
            )
        rows.append(
            [
                text_cell(c.channel),
                _cell(money(c.spend, cur, la), c.spend),
                ratio(c.roas, c.roas_ci_low, c.roas_ci_high),
                ret,
                _cell(
                    f"{percent(c.contribution_share, la, 1)} "
                    f"({percent(c.contribution_share_ci_low, la, 1)} – "
                    f"{percent(c.contribution_share_ci_high, la, 1)})",
                    c.contribution_share,
                ),
                ratio(c.mroas, c.mroas_ci_low, c.mroas_ci_high),
            ]
        )
    return rows


def _number(field: str, text: str | None) -> float | None:
    if text is None or not text.strip():
        return None
    try:
        return float(text.replace("\u00a0", "").replace(" ", "").replace(",", "."))
    except ValueError as exc:
        raise UsageError(f"{field} must be a number (got {text!r})", fix="e.g. 300000") from exc


def _plan(
    state: ServerState,
    total: str | None,
    target_roi: str | None,
    weeks: int,
    bounds: str | None,
) -> BudgetResult | None:
    model = workspace_model(state)
    assert model is not None
    amount, roi = _number("total budget", total), _number("target ROI", target_roi)
    limits = parse_bounds([b for b in (bounds or "").split(",") if b.strip()])
    key = ("budget-plan", model_version(state), amount, roi, weeks, tuple(sorted(limits.items())))
    if amount is None and roi is None:
        if limits:
            raise UsageError("bounds need a total budget", fix="give the total budget too")
        return state.cache.get_or_compute(key, lambda: reallocate(model, weeks=weeks))
    return state.cache.get_or_compute(
        key,
        lambda: optimize_budget(model, total=amount, target_roi=roi, weeks=weeks, bounds=limits),
    )


def _plan_view(plan: BudgetResult, cur: str, la: Lang, t: Any) -> dict[str, Any]:
    def m(x: float) -> str:
        return money(x, cur, la) if plan.kpi == "revenue" else number(x, la)

    headline = t("budget_headline").format(
        total=money(plan.total, cur, la),
        weeks=plan.weeks,
        kpi=t(f"budget_kpi_{plan.kpi}"),
        expected=m(plan.expected),
        low=m(plan.expected_ci_low),
        high=m(plan.expected_ci_high),
        current=m(plan.current_expected),
        current_total=money(plan.current_total, cur, la),
    )
    table = section(
        None,
        [
            column(t("channel")),
            column(t("budget_current")),
            column(t("budget_optimal")),
            column(t("budget_change")),
            column(t("budget_bounds")),
            column(t("budget_mroas")),
        ],
        [
            [
                text_cell(c.channel),
                _cell(money(c.current, cur, la), c.current),
                _cell(money(c.optimal, cur, la), c.optimal),
                _cell(money(c.change, cur, la), c.change, c.change < 0),
                text_cell(f"{money(c.low, cur, la)} – {money(c.high, cur, la)}"),
                _cell(
                    f"{number(c.mroas, la, 2)} ({number(c.mroas_ci_low, la, 2)} – "
                    f"{number(c.mroas_ci_high, la, 2)})",
                    c.mroas,
                ),
            ]
            for c in plan.channels
        ],
    )
    return {
        "headline": headline,
        "table": table,
        "moves": plan.moves_fr if la == "fr" else plan.moves,
        "status": plan.status,
    }


def _scenarios(
    state: ServerState,
    la: Lang,
    names: list[str],
    kinds: list[str],
    costs: list[str],
    units: list[str],
    metric: str,
) -> dict[str, Any]:
    """The form's rows (as typed) and, when a proposal is given, the comparison."""
    rows = [
        {
            "name": _at(names, k),
            "kind": _at(kinds, k),
            "cost": _at(costs, k),
            "units": _at(units, k) or "1",
        }
        for k in range(max(SCENARIO_ROWS, len(names), len(kinds), len(costs)))
    ]
    out: dict[str, Any] = {"scenario_rows": rows}
    filled = [r for r in rows if r["name"] or r["kind"] or r["cost"]]
    if not filled:
        return out
    try:
        proposals = [_proposal(r) for r in filled]
        if metric not in RETURN_METRICS:
            raise UsageError(f"unknown return {metric!r}", fix=", ".join(RETURN_METRICS))
        past = state.computed(program_history, metric=metric)
        needs_model = any(p.channel is not None for p in proposals)
        result = compare_proposals(
            past, proposals, model=workspace_model(state) if needs_model else None
        )
    except PilotageError as exc:
        out["scenario_error"] = str(exc)
        return out
    out["comparison"] = _comparison_view(result, la)
    return out


def _at(values: list[str], k: int) -> str:
    return values[k].strip() if k < len(values) else ""


def _proposal(row: dict[str, str]) -> Proposal:
    kind = row["kind"]
    channel = kind.removeprefix("channel=") if kind.startswith("channel=") else None
    try:
        return Proposal(
            name=row["name"] or kind,
            program=None if channel is not None else kind or None,
            channel=channel,
            cost=_number("cost", row["cost"]) or 0.0,
            units=int(row["units"] or 1),
        )
    except (ValueError, ValidationError) as exc:
        detail = (
            "; ".join(
                f"{'.'.join(map(str, e['loc'])) or 'proposal'}: {e['msg']}" for e in exc.errors()
            )
            if isinstance(exc, ValidationError)
            else str(exc)
        )
        raise UsageError(
            f"proposal {row['name'] or kind!r}: {detail}",
            fix="give a name, a program type (or channel=name) and a cost > 0",
        ) from exc


def _comparison_view(result: ScenarioComparison, la: Lang) -> dict[str, Any]:
    t = wording.words(la)
    cur = result.currency
    fr = la == "fr"
    ranked = sorted(result.proposals, key=lambda p: p.rank)
    table = section(
        None,
        [
            column(t("scenario_rank")),
            column(t("scenario_name")),
            column(t("scenario_source")),
            column(t("scenario_cost")),
            column(t("scenario_return")),
            column(t("scenario_interval")),
            column(t("scenario_roi")),
            column(t("scenario_break_even")),
            column(t("scenario_p_positive")),
            column(t("scenario_payback")),
            column(t("scenario_risk")),
        ],
        [
            [
                _cell(str(p.rank), p.rank),
                text_cell(p.name),
                text_cell(t(f"scenario_source_{p.source}")),
                _cell(money(p.cost, cur, la), p.cost),
                _cell(money(p.expected_return, cur, la), p.expected_return),
                text_cell(
                    f"{money(p.return_ci_low, cur, la)} – {money(p.return_ci_high, cur, la)}"
                ),
                _cell(percent(p.roi, la), p.roi, p.roi < 0),
                _cell(money(p.break_even_return, cur, la), p.break_even_return),
                _cell(percent(p.probability_roi_positive, la), p.probability_roi_positive),
                _cell(
                    "–" if p.payback_months is None else number(p.payback_months, la, 1),
                    p.payback_months,
                ),
                text_cell(t(f"scenario_risk_{p.risk}")),
            ]
            for p in ranked
        ],
    )
    types = section(
        t("scenario_types"),
        [
            column(t("scenario_type")),
            column(t("scenario_programs")),
            column(t("scenario_cost")),
            column(t("scenario_observed")),
            column(t("scenario_pooled")),
            column(t("scenario_own_weight")),
        ],
        [
            [
                text_cell(r.program),
                _cell(number(r.programs, la), r.programs),
                _cell(money(r.cost, cur, la), r.cost),
                _cell(number(r.return_per_euro, la, 2), r.return_per_euro),
                _cell(number(r.pooled_return_per_euro, la, 2), r.pooled_return_per_euro),
                _cell(percent(r.own_weight, la), r.own_weight),
            ]
            for r in result.types
        ],
    )
    return {
        "summary": result.summary_fr if fr else result.summary,
        "table": table,
        "verdicts": [
            {
                "text": p.verdict_fr if fr else p.verdict,
                "basis": p.basis_fr if fr else p.basis,
                "notes": p.notes_fr if fr else p.notes,
                "recommended": p.recommended,
            }
            for p in ranked
        ],
        "types": types if result.types else None,
        "notes": result.notes_fr if fr else result.notes,
    }


def curves_spec(found: ResponseCurves, currency: str, t: Any) -> dict[str, Any]:
    """Outcome against spend per channel: the 80 % band, the mean line, today's spend."""
    values = [
        {
            "channel": c.channel,
            "spend": p.spend,
            "outcome": p.outcome,
            "low": p.outcome_ci_low,
            "high": p.outcome_ci_high,
            "mroas": p.mroas,
        }
        for c in found.channels
        for p in c.points
    ]
    now = [
        {"channel": c.channel, "spend": c.current_spend, "outcome": c.current_outcome}
        for c in found.channels
    ]
    x_title = f"{t('budget_spend_axis')} ({currency})"
    x = {"field": "spend", "type": "quantitative", "title": x_title}
    y_title = f"{t('budget_outcome_axis')} ({currency if found.kpi == 'revenue' else found.kpi})"
    colour = {"field": "channel", "type": "nominal", "title": None}
    return {
        "$schema": SCHEMA,
        "width": "container",
        "height": 280,
        "data": {"values": values},
        "layer": [
            {
                "mark": {"type": "area", "opacity": 0.12},
                "encoding": {
                    "x": x,
                    "y": {"field": "low", "type": "quantitative", "title": y_title},
                    "y2": {"field": "high"},
                    "color": colour,
                    "opacity": {"condition": {"param": "pick", "value": 0.1}, "value": 0.02},
                },
            },
            {
                "params": [
                    {
                        "name": "pick",
                        "select": {"type": "point", "fields": ["channel"]},
                        "bind": "legend",
                    }
                ],
                "mark": {"type": "line", "tooltip": True},
                "encoding": {
                    "x": x,
                    "y": {"field": "outcome", "type": "quantitative"},
                    "color": colour,
                    "opacity": {"condition": {"param": "pick", "value": 1}, "value": 0.15},
                    "tooltip": [
                        {"field": "channel", "type": "nominal"},
                        {"field": "spend", "type": "quantitative", "format": ",.0f"},
                        {"field": "outcome", "type": "quantitative", "format": ",.0f"},
                        {"field": "low", "type": "quantitative", "format": ",.0f"},
                        {"field": "high", "type": "quantitative", "format": ",.0f"},
                        {"field": "mroas", "type": "quantitative", "format": ".2f"},
                    ],
                },
            },
            {
                "data": {"values": now},
                "mark": {"type": "point", "filled": True, "size": 70, "tooltip": True},
                "encoding": {
                    "x": x,
                    "y": {"field": "outcome", "type": "quantitative"},
                    "color": colour,
                },
            },
        ],
    }
