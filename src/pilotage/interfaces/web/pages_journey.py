"""The journey page: the KPI engine's lifecycle funnel, then a funnel, paths and a
retention table built from the URL (one form), with their charts. Every number comes
from the services that /api/v1/funnel, /api/v1/paths and /api/v1/retention answer with."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from pilotage.core.journey.durations import format_duration
from pilotage.core.journey.retention import UNITS
from pilotage.errors import UsageError
from pilotage.interfaces.api.auth import READ, guard
from pilotage.interfaces.api.state import ServerState, state_of
from pilotage.interfaces.formatting import Lang, check_lang, number, percent
from pilotage.interfaces.web import wording
from pilotage.interfaces.web.cells import cell, count_cell, text_cell
from pilotage.interfaces.web.charts import SCHEMA
from pilotage.interfaces.web.filters import SliceQuery, check_text
from pilotage.interfaces.web.page_kit import analysis_page, column, section
from pilotage.services.funnels import (
    LIFECYCLE,
    FunnelGroup,
    FunnelResult,
    funnel,
    funnel_request,
    restrict,
)
from pilotage.services.marketing_view import journey_view
from pilotage.services.paths import (
    PathRow,
    PathsResult,
    StepView,
    event_catalogue,
    paths,
    paths_request,
)
from pilotage.services.retention import RetentionResult, retention, retention_request
from pilotage.services.slices import Slice

router = APIRouter(include_in_schema=False)
State = Annotated[ServerState, Depends(state_of)]
Text = Annotated[str | None, Query(max_length=500)]
#: Step inputs offered by the form.
STEP_INPUTS = 6
_KEPT = ("start", "end", "channel", "segment", "grain", "lang")
Words = Callable[[str], str]


@dataclass(frozen=True)
class Form:
    steps: list[str]
    order: str
    window: str
    by: str
    level: str
    target: str
    around: str
    start_event: str
    return_event: str
    mode: str
    brackets: str
    unit: str
    rows: str
    measure: str


@router.get("/journey", response_class=HTMLResponse, dependencies=guard(READ))
def journey(
    request: Request,
    state: State,
    sl: SliceQuery,
    lang: Annotated[str | None, Query()] = None,
    step: Annotated[list[str] | None, Query(max_length=20)] = None,
    order: Annotated[str, Query(max_length=20)] = "ordered",
    window: Annotated[str | None, Query(max_length=20)] = None,
    by: Annotated[str | None, Query(max_length=20)] = None,
    level: Annotated[str, Query(max_length=20)] = "person",
    target: Text = "stage:customer",
    around: Text = None,
    start_event: Text = "conversion:signup",
    return_event: Text = "product",
    mode: Annotated[str, Query(max_length=20)] = "n_day",
    brackets: Annotated[str | None, Query(max_length=200)] = None,
    unit: Annotated[str, Query(max_length=20)] = "month",
    rows: Annotated[str, Query(max_length=20)] = "period",
    measure: Annotated[str, Query(max_length=20)] = "people",
) -> HTMLResponse:
    la = check_lang(lang)
    t = wording.words(la)
    steps = [s for s in check_text("step", tuple(step or ())) if s.strip()]
    form = Form(
        steps=(steps or list(LIFECYCLE)) + [""] * max(0, STEP_INPUTS - len(steps or LIFECYCLE)),
        order=order,
        window=window or ("30d" if steps else "365d"),
        by=by or "",
        level=level,
        target=target or "",
        around=around or "",
        start_event=start_event or "conversion:signup",
        return_event=return_event or "product",
        mode=mode,
        brackets=brackets or "",
        unit=unit,
        rows=rows,
        measure=measure,
    )
    for name in ("target", "around", "start_event", "return_event", "brackets", "window", "by"):
        check_text(name, (getattr(form, name),))
    owners = _owner_filters(sl)
    cards = [_lifecycle(state, sl, la, t)]
    cards += _guarded("funnel", t, lambda: _funnel_cards(state, sl, form, owners, la, t))
    cards += _guarded("paths", t, lambda: _paths_cards(state, sl, form, owners, la, t))
    cards += _guarded("retention", t, lambda: _retention_cards(state, sl, form, owners, la, t))
    status = 400 if any(c["error"] for c in cards) else 200
    events = [e for names in state.computed(event_catalogue).events.values() for e in names]
    kept = [(k, v) for k, v in request.query_params.multi_items() if k in _KEPT and v]
    api = ", ".join(f"/api/v1/{name}" for name in ("funnel", "paths", "retention"))
    response = analysis_page(
        request,
        state,
        "journey.html",
        "journey",
        la,
        sl,
        filters=("period", "channel", "segment", "grain"),
        cards=cards,
        form=form,
        events=events,
        kept=kept,
        api_note=t("jr_api").format(urls=api),
    )
    response.status_code = status
    return response


def _owner_filters(sl: Slice) -> dict[str, list[str]]:
    """The page's channel and segment filters, on the owners (acquisition channel)."""
    out: dict[str, list[str]] = {}
    if sl.channels:
        out["channel"] = list(sl.channels)
    if sl.segments:
        out["segment"] = list(sl.segments)
    if sl.countries is not None:
        out["country"] = list(sl.countries)
    if sl.account_ids is not None:
        out["account"] = list(sl.account_ids)
    return out


def _guarded(
    name: str, t: Words, build: Callable[[], list[dict[str, Any]]]
) -> list[dict[str, Any]]:
    """The section's cards, or one card saying why the request was refused."""
    try:
        return build()
    except UsageError as exc:
        return [
            _card(name, t(f"jr_{name}"), error=exc.message + (f" — {exc.fix}" if exc.fix else ""))
        ]


def _card(
    card_id: str,
    title: str | None,
    *,
    tables: list[dict[str, Any]] | None = None,
    chart: dict[str, Any] | None = None,
    more_charts: list[dict[str, Any]] | None = None,
    note: str | None = None,
    error: str | None = None,
) -> dict[str, Any]:
    return {
        "id": card_id,
        "title": title,
        "tables": tables or [],
        "chart": chart,
        "more_charts": more_charts or [],
        "note": note,
        "error": error,
    }


def _lifecycle(state: ServerState, sl: Slice, la: Lang, t: Words) -> dict[str, Any]:
    v = state.computed(journey_view, sl, la)
    rows = [
        [
            text_cell(s.metric.name, link=f"/definitions?lang={la}#{s.metric.id}"),
            count_cell(s.people, la),
            cell(v.conversion, s.conversion_from_previous, "", la),
        ]
        for s in v.stages
    ]
    cols = [column(t("stage")), column(t("people")), column("", v.conversion)]
    return _card(
        "lifecycle", t("jr_lifecycle"), tables=[section(None, cols, rows, note=t("journey_note"))]
    )


# -- funnel -------------------------------------------------------------------------------


def _funnel_cards(
    state: ServerState,
    sl: Slice,
    form: Form,
    owners: dict[str, list[str]],
    la: Lang,
    t: Words,
) -> list[dict[str, Any]]:
    request = funnel_request(
        [s for s in form.steps if s],
        order=form.order,
        window=form.window,
        level=form.level,
        breakdown=form.by or None,
        start=sl.start,
        end=sl.end,
        grain=sl.grain,
        filters={k: v for k, v in owners.items() if k in ("channel", "segment")},
    )
    spec = restrict(request.spec(), sl.countries, sl.account_ids)
    r: FunnelResult = state.computed(funnel, spec)
    steps = _steps_table(r.total, la, t)
    cards = [
        _card(
            "funnel",
            t("jr_funnel"),
            tables=[steps],
            chart=_funnel_chart(r, t),
            note=t("jr_funnel_rule").format(
                level=t(f"jr_{r.level}"),
                order=t(f"jr_rule_{r.order}"),
                window=format_duration(r.window_seconds),
            ),
        )
    ]
    if r.groups:
        by = t(f"jr_by_{r.breakdown}")
        cards.append(
            _card("funnel-groups", t("jr_groups").format(by=by), tables=[_groups_table(r, la, t)])
        )
    ttc = r.total.time_to_convert
    quantiles = ttc.quantiles if ttc else {}
    note = t("jr_quantiles").format(
        n=number(r.total.converted, la),
        **{k: _duration(quantiles.get(k)) for k in ("p10", "p25", "p50", "p75", "p90")},
    )
    cards.append(
        _card(
            "time-to-convert",
            t("jr_time_to_convert"),
            chart=_histogram_chart(r, t),
            tables=[_trend_table(r, la, t)],
            note=note,
        )
    )
    return cards


def _duration(seconds: float | None) -> str:
    return "–" if seconds is None else format_duration(seconds)


def _rate(interval: Any, la: Lang) -> dict[str, Any]:
    if interval is None or interval.rate is None:
        return text_cell(None)
    low, high = percent(interval.low, la, 1), percent(interval.high, la, 1)
    text = f"{percent(interval.rate, la, 1)} [{low} – {high}]"
    return {"text": text, "sort": interval.rate, "negative": False}


def _steps_table(g: FunnelGroup, la: Lang, t: Words) -> dict[str, Any]:
    rows = [
        [
            text_cell(f"{s.index}. {s.name}"),
            count_cell(s.reached, la),
            count_cell(s.in_progress, la),
            count_cell(s.dropped, la),
            _rate(s.conversion, la),
            text_cell(percent(s.of_entered, la, 1) if s.of_entered is not None else None),
            text_cell(_duration(s.median_seconds_from_previous) if s.index > 1 else None),
        ]
        for s in g.steps
    ]
    cols = [
        column(t("jr_step").format(n="")),
        column(t("jr_reached")),
        column(t("jr_in_progress")),
        column(t("jr_dropped")),
        column(t("jr_conversion")),
        column(t("jr_of_entered")),
        column(t("jr_median_gap")),
    ]
    totals = [
        text_cell(t("total")),
        count_cell(g.entered, la),
        count_cell(g.in_progress, la),
        text_cell(f"{t('jr_excluded')} {number(g.excluded, la)}" if g.excluded else None),
        _rate(g.conversion, la),
        text_cell(None),
        text_cell(_duration(g.time_to_convert.quantiles.get("p50")) if g.time_to_convert else None),
    ]
    return section(None, cols, rows, totals=totals, empty=t("empty"))


def _groups_table(r: FunnelResult, la: Lang, t: Words) -> dict[str, Any]:
    rows = [
        [
            text_cell(g.value),
            count_cell(g.entered, la),
            count_cell(g.converted, la),
            count_cell(g.in_progress, la),
            _rate(g.conversion, la),
            text_cell(
                _duration(g.time_to_convert.quantiles.get("p50")) if g.time_to_convert else None
            ),
        ]
        for g in r.groups
    ]
    cols = [
        column(t("jr_group")),
        column(t("jr_entered")),
        column(t("jr_converted")),
        column(t("jr_in_progress")),
        column(t("jr_conversion")),
        column(t("jr_median_ttc")),
    ]
    return section(None, cols, rows)


def _trend_table(r: FunnelResult, la: Lang, t: Words) -> dict[str, Any]:
    rows = [
        [
            text_cell(p.period),
            count_cell(p.entered, la),
            count_cell(p.converted, la),
            count_cell(p.in_progress, la),
            _rate(p.conversion, la),
            text_cell(_duration(p.median_seconds)),
        ]
        for p in r.trend
    ]
    cols = [
        column(t("jr_period")),
        column(t("jr_entered")),
        column(t("jr_converted")),
        column(t("jr_in_progress")),
        column(t("jr_conversion")),
        column(t("jr_median_ttc")),
    ]
    return section(t("jr_trend"), cols, rows)


def _funnel_chart(r: FunnelResult, t: Words) -> dict[str, Any]:
    """Each step's bar is who reached it, split into who went on, who is still in
    progress and who dropped there."""
    went, progress, dropped = t("jr_went_on"), t("jr_in_progress"), t("jr_dropped")
    values = [
        {"step": f"{s.index}. {s.name}", "kind": kind, "order": i, "count": count}
        for s in r.total.steps
        for i, (kind, count) in enumerate(
            (
                (went, s.reached - s.in_progress - s.dropped),
                (progress, s.in_progress),
                (dropped, s.dropped),
            )
        )
    ]
    return {
        "$schema": SCHEMA,
        "width": "container",
        "height": {"step": 22},
        "data": {"values": values},
        "mark": {"type": "bar", "tooltip": True},
        "encoding": {
            "y": {"field": "step", "type": "nominal", "sort": None, "title": None},
            "x": {"field": "count", "type": "quantitative", "stack": "zero", "title": None},
            "order": {"field": "order"},
            "color": {
                "field": "kind",
                "type": "nominal",
                "title": None,
                "scale": {
                    "domain": [went, progress, dropped],
                    "range": ["#1f6f8b", "#9ecae1", "#e0e0e0"],
                },
            },
        },
    }


def _histogram_chart(r: FunnelResult, t: Words) -> dict[str, Any]:
    values = [
        {"bucket": b.label, "order": i, "converters": b.converters}
        for i, b in enumerate(r.histogram)
    ]
    return {
        "$schema": SCHEMA,
        "width": "container",
        "height": 180,
        "data": {"values": values},
        "mark": {"type": "bar", "tooltip": True, "color": "#1f6f8b"},
        "encoding": {
            "x": {
                "field": "bucket",
                "type": "ordinal",
                "sort": {"field": "order"},
                "title": t("jr_bucket"),
            },
            "y": {"field": "converters", "type": "quantitative", "title": t("jr_converters")},
        },
    }


# -- paths --------------------------------------------------------------------------------


def _paths_cards(
    state: ServerState,
    sl: Slice,
    form: Form,
    owners: dict[str, list[str]],
    la: Lang,
    t: Words,
) -> list[dict[str, Any]]:
    request = paths_request(
        target=form.target,
        level=form.level,
        around=[form.around] if form.around else [],
        start=sl.start,
        end=sl.end,
        filters=owners,
    )
    r: PathsResult = state.computed(
        paths, request.spec(), top=request.top, around=request.events_around()
    )
    tables = [
        _paths_table(t("jr_to_conversion"), r.to_conversion, "converters", la, t),
        _paths_table(t("jr_to_drop_off"), r.to_drop_off, "dropped", la, t),
        _lengths_table(r, la, t),
        *(_view_table(v, la, t) for v in r.views),
    ]
    note = t("jr_paths_rule").format(
        sources=", ".join(r.sources),
        level=t(f"jr_{r.level}"),
        target=r.target or t("jr_none"),
        steps=r.steps,
        days=f"{r.lookback_days:g}",
    )
    return [_card("paths", t("jr_paths"), tables=tables, note=note)]


def _paths_table(title: str, listed: list[PathRow], key: str, la: Lang, t: Words) -> dict[str, Any]:
    rows = [
        [
            text_cell(" › ".join(p.events)),
            count_cell(round(getattr(p, key)), la),
            text_cell(percent(p.share, la, 1) if p.share is not None else None),
            text_cell(percent(p.conversion, la, 1) if p.conversion is not None else None),
        ]
        for p in listed
    ]
    cols = [
        column(t("jr_path")),
        column(t("jr_count")),
        column(t("jr_share")),
        column(t("jr_path_conversion")),
    ]
    return section(title, cols, rows)


def _lengths_table(r: PathsResult, la: Lang, t: Words) -> dict[str, Any]:
    rows = [
        [
            count_cell(x.length, la),
            count_cell(round(x.converters), la),
            count_cell(round(x.dropped), la),
        ]
        for x in r.lengths
    ]
    cols = [column(t("jr_length")), column(t("jr_converters")), column(t("jr_dropped"))]
    return section(t("jr_lengths"), cols, rows)


def _view_table(v: StepView, la: Lang, t: Words) -> dict[str, Any]:
    rows = [
        [
            text_cell(s.event),
            count_cell(s.occurrences, la),
            text_cell(percent(s.share, la, 1)),
            text_cell(_duration(s.median_seconds)),
        ]
        for s in v.steps
    ]
    cols = [
        column(t("jr_event")),
        column(t("jr_count")),
        column(t("jr_share")),
        column(t("jr_median_gap")),
    ]
    return section(t(f"jr_{v.direction}").format(event=v.event), cols, rows)


# -- retention ----------------------------------------------------------------------------


def _retention_cards(
    state: ServerState,
    sl: Slice,
    form: Form,
    owners: dict[str, list[str]],
    la: Lang,
    t: Words,
) -> list[dict[str, Any]]:
    request = retention_request(
        start_event=form.start_event,
        return_event=form.return_event,
        level=form.level,
        unit=form.unit,
        mode=form.mode,
        brackets=form.brackets or None,
        rows=form.rows,
        measure=form.measure,
        start=sl.start,
        end=sl.end,
        filters=owners,
    )
    r: RetentionResult = state.computed(retention, request.spec())
    cols = [column(t("jr_cohort")), column(t("jr_members")), *(column(c) for c in r.columns)]
    rows = [_cohort_cells(row.key, row.members, row.cells, la) for row in r.rows]
    totals = _cohort_cells(t("jr_average"), r.average.members, r.average.cells, la)
    rule = t("jr_retention_rule").format(
        start=r.start_event,
        level=t(f"jr_{r.level}"),
        returns=r.return_event,
        days=UNITS[r.unit] // 86_400,
    )
    table = section(None, cols, rows, totals=totals, note=rule)
    cards = [
        _card("retention", t("jr_retention"), chart=_heatmap(r, t), tables=[table]),
    ]
    if r.curve is None:
        cards.append(_card("retention-curve", t("jr_curve"), note=t("jr_no_curve")))
        return cards
    c = r.curve
    last = c.points[-1]
    note = t("jr_curve_note").format(
        alpha=number(c.alpha, la, 3),
        alo=number(c.alpha_ci[0], la, 3),
        ahi=number(c.alpha_ci[1], la, 3),
        beta=number(c.beta, la, 3),
        blo=number(c.beta_ci[0], la, 3),
        bhi=number(c.beta_ci[1], la, 3),
        members=number(c.members, la),
        horizon=last.period,
        projected=percent(c.projected, la, 1),
        interval=percent(r.interval, la),
        low=percent(last.low, la, 1),
        high=percent(last.high, la, 1),
    )
    if not c.converged:
        note += " " + t("jr_not_converged")
    per_row = section(
        t("jr_row_curves"),
        [
            column(t("jr_cohort")),
            column(t("jr_members")),
            column("alpha"),
            column("beta"),
            column(t("jr_projected")),
        ],
        [
            [
                text_cell(f.key),
                count_cell(round(f.members), la),
                text_cell(number(f.alpha, la, 3)),
                text_cell(number(f.beta, la, 3)),
                text_cell(percent(f.projected, la, 1)),
            ]
            for f in r.row_curves
        ],
    )
    cards.append(
        _card(
            "retention-curve", t("jr_curve"), chart=_curve_chart(r, t), tables=[per_row], note=note
        )
    )
    return cards


def _cohort_cells(key: str, members: int, cells: list[Any], la: Lang) -> list[dict[str, Any]]:
    return [
        text_cell(key),
        count_cell(members, la),
        *(
            {"text": percent(c.rate, la, 1), "sort": c.rate, "negative": False}
            if c.rate is not None
            else text_cell(None)
            for c in cells
        ),
    ]


def _heatmap(r: RetentionResult, t: Words) -> dict[str, Any]:
    values = [
        {"cohort": row.key, "column": c.column, "order": i, "rate": c.rate, "eligible": c.eligible}
        for row in r.rows
        for i, c in enumerate(row.cells)
        if c.rate is not None
    ]
    return {
        "$schema": SCHEMA,
        "width": "container",
        "height": {"step": 16},
        "data": {"values": values},
        "mark": {"type": "rect", "tooltip": True},
        "encoding": {
            "x": {"field": "column", "type": "ordinal", "sort": {"field": "order"}, "title": None},
            "y": {"field": "cohort", "type": "ordinal", "title": t("jr_cohort")},
            "color": {
                "field": "rate",
                "type": "quantitative",
                "title": None,
                "scale": {"scheme": "blues"},
                "legend": {"format": ".0%"},
            },
            "tooltip": [
                {"field": "cohort", "type": "ordinal"},
                {"field": "column", "type": "ordinal"},
                {"field": "rate", "type": "quantitative", "format": ".1%"},
                {"field": "eligible", "type": "quantitative"},
            ],
        },
    }


def _curve_chart(r: RetentionResult, t: Words) -> dict[str, Any]:
    assert r.curve is not None
    observed, fitted = t("jr_observed"), t("jr_fitted")
    points = r.curve.points
    band = [{"period": p.period, "low": p.low, "high": p.high} for p in points]
    lines = [
        {"period": p.period, "series": name, "survival": value}
        for p in points
        for name, value in ((observed, p.observed), (fitted, p.fitted))
        if value is not None
    ]
    y = {"field": "survival", "type": "quantitative", "axis": {"format": ".0%"}, "title": None}
    return {
        "$schema": SCHEMA,
        "width": "container",
        "height": 220,
        "layer": [
            {
                "data": {"values": band},
                "mark": {"type": "area", "opacity": 0.2, "color": "#1f6f8b"},
                "encoding": {
                    "x": {"field": "period", "type": "quantitative"},
                    "y": {"field": "low", "type": "quantitative"},
                    "y2": {"field": "high"},
                },
            },
            {
                "data": {"values": lines},
                "mark": {"type": "line", "point": True, "tooltip": True},
                "encoding": {
                    "x": {"field": "period", "type": "quantitative", "title": None},
                    "y": y,
                    "color": {
                        "field": "series",
                        "type": "nominal",
                        "title": None,
                        "scale": {"domain": [observed, fitted], "range": ["#c0392b", "#1f6f8b"]},
                    },
                },
            },
        ],
    }
