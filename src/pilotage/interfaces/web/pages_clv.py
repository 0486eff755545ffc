"""The customer lifetime value page: the purchase model's fit, its holdout validation with
the tracking plot, subscription retention (sBG) by cohort, the most profitable segments
and the RFM segments. Each part shows what the CLI and the API answer for it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from pilotage.errors import UsageError
from pilotage.interfaces.api.auth import READ, guard
from pilotage.interfaces.api.state import ServerState, state_of
from pilotage.interfaces.formatting import Lang, check_lang, money, number, percent
from pilotage.interfaces.web import wording
from pilotage.interfaces.web.cells import count_cell, text_cell
from pilotage.interfaces.web.charts import SCHEMA
from pilotage.interfaces.web.page_kit import analysis_page, column, section
from pilotage.services.clv import ClvFit, HoldoutValidation
from pilotage.services.clv_segments import (
    RetentionResult,
    SegmentsResult,
    workspace_fit,
    workspace_retention,
    workspace_segments,
    workspace_validation,
)

router = APIRouter(include_in_schema=False)
State = Annotated[ServerState, Depends(state_of)]
Words = Callable[[str], str]
#: Periods after which the cohort table shows the survivors.
COHORT_STEPS = (1, 3, 6, 12, 24)
ACTUAL_COLOUR, PREDICTED_COLOUR = "#1f6f8b", "#c0392b"


def _lines(
    values: list[dict[str, Any]], x_title: str | None, y_title: str, labels: tuple[str, str]
) -> dict[str, Any]:
    """Two measures as lines over ``x`` (Vega-Lite, data embedded)."""
    return {
        "$schema": SCHEMA,
        "width": "container",
        "height": 240,
        "data": {"values": values},
        "mark": {"type": "line", "point": False, "tooltip": True},
        "encoding": {
            "x": {"field": "x", "type": "quantitative", "title": x_title},
            "y": {"field": "y", "type": "quantitative", "title": y_title},
            "color": {
                "field": "measure",
                "type": "nominal",
                "title": None,
                "scale": {"domain": list(labels), "range": [ACTUAL_COLOUR, PREDICTED_COLOUR]},
            },
        },
    }


def tracking_chart(v: HoldoutValidation, t: Words) -> dict[str, Any]:
    """Cumulative repeat purchases per period, actual and expected, with the end of the
    calibration marked (Fader and Hardie's tracking plot)."""
    actual, predicted = t("clvx_actual"), t("clvx_predicted")
    values = [
        {"x": p.period.isoformat(), "measure": label, "y": value}
        for p in v.tracking
        for label, value in ((actual, p.cumulative_actual), (predicted, p.cumulative_predicted))
    ]
    spec = _lines(values, None, t("clvx_cumulative"), (actual, predicted))
    spec["encoding"]["x"]["type"] = "temporal"
    end = {"x": v.calibration_end.isoformat()}
    return {
        "$schema": SCHEMA,
        "width": "container",
        "height": 240,
        "layer": [
            {k: spec[k] for k in ("data", "mark", "encoding")},
            {
                "data": {"values": [end]},
                "mark": {"type": "rule", "strokeDash": [4, 4]},
                "encoding": {"x": {"field": "x", "type": "temporal"}},
            },
        ],
    }


def survival_chart(r: RetentionResult, t: Words) -> dict[str, Any]:
    observed, fitted = t("clvx_observed"), t("clvx_fitted")
    values = [{"x": 0, "measure": label, "y": 1.0} for label in (observed, fitted)]
    for p in r.survival:
        if p.observed is not None:
            values.append({"x": p.period, "measure": observed, "y": p.observed})
        values.append({"x": p.period, "measure": fitted, "y": p.fitted})
    return _lines(values, r.time_unit, t("clvx_share"), (observed, fitted))


def fit_section(f: ClvFit, t: Words, la: Lang) -> dict[str, Any]:
    return section(
        t("clvx_model"),
        [column(t("clvx_parameter")), column(t("clvx_value")), column(t("clvx_std_error"))],
        [
            [
                text_cell(name),
                text_cell(number(value, la, 4)),
                text_cell(number(f.std_errors[name], la, 4)),
            ]
            for name, value in f.params.items()
        ],
        note=t("clvx_fit_note").format(
            model=f.model,
            customers=number(f.n_customers, la),
            ll=number(f.log_likelihood, la, 1),
            converged=t("clvx_converged") if f.converged else t("clvx_not_converged"),
        ),
    )


def validation_sections(v: HoldoutValidation, t: Words, la: Lang) -> list[dict[str, Any]]:
    chi = f"{number(v.chi_square, la, 1)} ({v.degrees_of_freedom}, "
    chi += f"{number(v.p_value, la, 3) if v.p_value is not None else '–'})"
    numbers = section(
        t("clvx_validation"),
        [column(t("clvx_measure")), column(t("clvx_value"))],
        [
            [text_cell(t("clvx_mae")), text_cell(number(v.mae, la, 3))],
            [
                text_cell(t("clvx_tracking_error")),
                text_cell(percent(v.tracking_error, la, 1)),
            ],
            [
                text_cell(t("clvx_holdout_total")),
                text_cell(f"{number(v.total_actual, la)} / {number(v.total_predicted, la)}"),
            ],
            [text_cell(t("clvx_chi_square")), text_cell(chi)],
        ],
        note=t("clvx_validation_note").format(
            end=v.calibration_end.isoformat(), periods=f"{v.holdout_periods:g}"
        ),
    )
    numbers["id"] = "tracking"
    numbers["chart"] = tracking_chart(v, t)
    conditional = section(
        t("clvx_conditional"),
        [
            column(t("clvx_frequency")),
            column(t("clv_customers")),
            column(t("clvx_mean_actual")),
            column(t("clvx_mean_predicted")),
        ],
        [
            [
                text_cell(row.frequency),
                text_cell(number(row.customers, la)),
                text_cell(number(row.actual, la, 2)),
                text_cell(number(row.predicted, la, 2)),
            ]
            for row in v.conditional_expectations
        ],
    )
    return [numbers, conditional]


def retention_section(r: RetentionResult, t: Words, la: Lang) -> dict[str, Any]:
    steps = [n for n in COHORT_STEPS if any(len(c.survivors) > n for c in r.cohorts)]
    rows = []
    for c in r.cohorts:
        cells = [text_cell(c.cohort.isoformat()[:7]), count_cell(c.accounts, la)]
        for n in steps:
            left = c.survivors[n] / c.accounts if n < len(c.survivors) else None
            cells.append(text_cell(percent(left, la, 0)))
        rows.append(cells)
    done = section(
        t("clvx_retention"),
        [column(t("clvx_cohort")), column(t("clvx_accounts"))]
        + [column(t("clvx_after").format(n=n)) for n in steps],
        rows,
        note=t("clvx_retention_note").format(
            unit=r.time_unit,
            end=r.calibration_end.isoformat(),
            accounts=number(r.accounts, la),
            churned=number(r.churned, la),
            censored=number(r.censored, la),
            late=number(r.entered_late, la),
            since=r.observed_from.isoformat() if r.observed_from else "–",
            alpha=number(r.fit.params["alpha"], la, 3),
            beta=number(r.fit.params["beta"], la, 3),
            churn=percent(
                r.fit.params["alpha"] / (r.fit.params["alpha"] + r.fit.params["beta"]), la, 1
            ),
            ll=number(r.fit.log_likelihood, la, 1),
        ),
    )
    done["id"] = "retention"
    done["chart"] = survival_chart(r, t)
    return done


def segment_sections(v: SegmentsResult, t: Words, la: Lang, cur: str) -> list[dict[str, Any]]:
    ranking = section(
        t("clv_ranking"),
        [
            column(t("clv_dimension")),
            column(t("segment")),
            column(t("clv_customers")),
            column(t("clv_ltv_mean")),
            column(t("clv_cac")),
            column(t("clv_ltv_cac")),
            column(t("clv_revenue_share")),
        ],
        [
            [
                text_cell(g.dimension),
                text_cell(g.segment),
                count_cell(g.customers, la),
                text_cell(money(g.ltv_mean, cur, la, 0)),
                text_cell(money(g.cac, cur, la, 0) if g.cac is not None else None),
                text_cell(number(g.ltv_to_cac, la, 1) if g.ltv_to_cac is not None else None),
                text_cell(percent(g.revenue_share, la, 1) if g.revenue_share is not None else None),
            ]
            for g in v.ranking
        ],
        note=t("clv_note").format(
            horizon=f"{v.horizon:g}", unit=v.time_unit, model=v.model, end=v.calibration_end
        ),
    )
    segments = section(
        t("clv_rfm"),
        [
            column(t("segment")),
            column(t("clv_rule")),
            column(t("clv_customers")),
            column(t("clv_ltv_mean")),
        ],
        [
            [
                text_cell(r.segment),
                text_cell(r.rule),
                count_cell(r.customers, la),
                text_cell(money(r.ltv_mean, cur, la, 0)),
            ]
            for r in v.rfm
        ],
    )
    return [ranking, segments]


@router.get("/clv", response_class=HTMLResponse, dependencies=guard(READ))
def clv(
    request: Request, state: State, lang: Annotated[str | None, Query()] = None
) -> HTMLResponse:
    la = check_lang(lang)
    t = wording.words(la)
    cur = state.workspace.settings.reporting_currency
    sections: list[dict[str, Any]] = []
    try:
        v = state.computed(workspace_segments)
        sections.extend(segment_sections(v, t, la, cur))
        sections.insert(0, fit_section(state.computed(workspace_fit), t, la))
    except UsageError:
        sections.append(section(t("clv"), [], [], empty=t("clv_empty")))
    else:
        try:
            sections[1:1] = validation_sections(state.computed(workspace_validation), t, la)
        except UsageError:
            sections.insert(1, section(t("clvx_validation"), [], [], empty=t("clvx_no_holdout")))
    try:
        sections.append(retention_section(state.computed(workspace_retention), t, la))
    except UsageError:
        sections.append(section(t("clvx_retention"), [], [], empty=t("clvx_no_subscriptions")))
    return analysis_page(request, state, "clv.html", "clv", la, None, filters=(), sections=sections)
