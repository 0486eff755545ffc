"""The engagement, voice of the customer and journey map pages: the result objects of
services.engagement, services.voice and services.journey_map, formatted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from pilotage.core.engagement.activity import Unit
from pilotage.data.settings import SETTINGS_FILE
from pilotage.errors import UsageError
from pilotage.interfaces.api.auth import READ, guard
from pilotage.interfaces.api.state import ServerState, state_of
from pilotage.interfaces.formatting import Lang, check_lang, money, number, percent
from pilotage.interfaces.web import wording
from pilotage.interfaces.web.cells import count_cell, text_cell
from pilotage.interfaces.web.charts import SCHEMA
from pilotage.interfaces.web.filters import SliceQuery, unrestricted
from pilotage.interfaces.web.page_kit import analysis_page, column, section
from pilotage.services.engagement import EngagementResult, Trigger, TriggerAnalysis, engagement
from pilotage.services.friction import FrictionPoint
from pilotage.services.journey_map import JourneyMap, MapStage, journey_map
from pilotage.services.voice import ScoreRow, ScoreValue, Verbatim, VoiceResult, voice

router = APIRouter(include_in_schema=False)
Words = Callable[[str], str]
State = Annotated[ServerState, Depends(state_of)]
LangQuery = Annotated[str | None, Query()]
#: The permission first: ``unrestricted`` reads the principal the guard leaves.
READING = [*guard(READ), Depends(unrestricted)]


def _cell(text: str, sort: Any = None) -> dict[str, Any]:
    return {"text": text, "sort": text if sort is None else sort, "negative": False}


def _num(value: float | None, lang: Lang, decimals: int = 1) -> dict[str, Any]:
    return _cell(number(value, lang, decimals), "" if value is None else value)


def _pct(value: float | None, lang: Lang, decimals: int = 1) -> dict[str, Any]:
    return _cell(percent(value, lang, decimals), "" if value is None else value)


# -- engagement ---------------------------------------------------------------------------


@router.get("/engagement", response_class=HTMLResponse, dependencies=READING)
def engagement_page(
    request: Request,
    state: State,
    sl: SliceQuery,
    lang: LangQuery = None,
    unit: Unit = "person",
) -> HTMLResponse:
    la = check_lang(lang)
    t = wording.words(la)
    switch = _unit_switch(request, unit, t)
    try:
        v = state.computed(engagement, unit=unit, start=sl.start, end=sl.end, lang=la)
    except UsageError:
        return analysis_page(
            request,
            state,
            "voice_page.html",
            "engagement",
            la,
            sl,
            filters=("period",),
            empty=t("vc_no_events"),
            switch=switch,
            tiles=[],
            charts=[],
            sections=[],
            quotes=[],
            notes=[],
        )
    tiles = [
        {"label": t("vc_dau"), "value": number(v.summary.dau, la, 0), "note": None},
        {"label": t("vc_wau"), "value": number(v.summary.wau, la, 0), "note": None},
        {"label": t("vc_mau"), "value": number(v.summary.mau, la, 0), "note": None},
        {
            "label": t("vc_stickiness"),
            "value": percent(v.summary.stickiness, la, 1),
            "note": v.definitions["stickiness"],
        },
    ]
    return analysis_page(
        request,
        state,
        "voice_page.html",
        "engagement",
        la,
        sl,
        filters=("period",),
        empty=None,
        switch=switch,
        tiles=tiles,
        charts=[{"id": "actives", "title": t("vc_chart_actives"), "spec": _actives_chart(v, t)}],
        sections=[
            _series_section(v, la, t),
            _adoption_section(v, la, t),
            *(
                _trigger_section(a, title, la, t)
                for a, title in ((v.purchase, t("vc_purchase")), (v.churn, t("vc_churn")))
                if a is not None
            ),
        ],
        quotes=[],
        notes=[v.definitions[k] for k in ("dau", "wau", "mau", "adoption", "lift")],
    )


def _unit_switch(request: Request, unit: Unit, t: Words) -> dict[str, Any]:
    """Links to the same page counting persons or accounts, other parameters kept."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != "unit"]
    return {
        "label": t("vc_unit"),
        "options": [
            (t(f"vc_{u}"), f"{request.url.path}?{urlencode([*kept, ('unit', u)])}", u == unit)
            for u in ("person", "account")
        ],
    }


def _actives_chart(v: EngagementResult, t: Words) -> dict[str, Any]:
    values = [
        {"period": p.period, "measure": label, "users": value}
        for p in v.series
        if not p.partial
        for label, value in ((t("vc_dau"), p.dau), (t("vc_wau"), p.wau), (t("vc_mau"), p.mau))
        if value is not None
    ]
    return {
        "$schema": SCHEMA,
        "width": "container",
        "height": 220,
        "data": {"values": values},
        "mark": {"type": "line", "point": True, "tooltip": True},
        "encoding": {
            "x": {"field": "period", "type": "ordinal", "title": None},
            "y": {"field": "users", "type": "quantitative", "title": None},
            "color": {"field": "measure", "type": "nominal", "title": None},
        },
    }


def _series_section(v: EngagementResult, la: Lang, t: Words) -> dict[str, Any]:
    return section(
        t("vc_series"),
        [
            column(t("vc_period")),
            column(t("vc_dau")),
            column(t("vc_wau")),
            column(t("vc_mau")),
            column(t("vc_stickiness")),
            column(t("vc_actives")),
            column(t("vc_events")),
        ],
        [
            [
                text_cell(f"{p.period} {t('vc_partial')}" if p.partial else p.period),
                _num(p.dau, la, 0),
                _num(p.wau, la, 0),
                _num(p.mau, la, 0),
                _pct(p.stickiness, la),
                count_cell(p.actives, la),
                count_cell(p.events, la),
            ]
            for p in v.series
        ],
    )


def _adoption_section(v: EngagementResult, la: Lang, t: Words) -> dict[str, Any]:
    return section(
        t("vc_adoption"),
        [
            column(t("vc_feature")),
            column(t("vc_users")),
            column(t("vc_adoption_rate")),
            column(t("vc_events")),
            column(t("vc_per_user")),
        ],
        [
            [
                text_cell(a.feature),
                count_cell(a.users, la),
                _pct(a.adoption, la),
                count_cell(a.events, la),
                _num(a.events_per_user, la),
            ]
            for a in v.adoption
        ],
    )


def _reading(trigger: Trigger, t: Words) -> str:
    if trigger.direction == "more":
        return t("vc_more")
    if trigger.direction == "less":
        return t("vc_less")
    return t("vc_not_significant")


def _trigger_section(a: TriggerAnalysis, title: str, la: Lang, t: Words) -> dict[str, Any]:
    return section(
        title,
        [
            column(t("vc_feature")),
            column(t("vc_users")),
            column(t("vc_rate_with")),
            column(t("vc_rate_without")),
            column(t("vc_lift")),
            column(t("vc_interval")),
            column(t("vc_q_value")),
            column(t("vc_direction")),
        ],
        [
            [
                text_cell(x.feature),
                count_cell(x.users_with, la),
                _pct(x.rate_with, la),
                _pct(x.rate_without, la),
                _num(x.lift, la, 2),
                text_cell(f"{number(x.lift_low, la, 2)} – {number(x.lift_high, la, 2)}"),
                _cell(f"{x.q_value:.2g}", x.q_value),
                text_cell(_reading(x, t)),
            ]
            for x in a.triggers
        ],
        note=" ".join(
            [
                t("vc_units_note").format(
                    units=number(a.units, la),
                    reached=number(a.reached, la),
                    rate=percent(a.rate, la, 1),
                ),
                a.definition,
                a.caution,
            ]
        ),
    )


# -- voice --------------------------------------------------------------------------------


@router.get("/voice", response_class=HTMLResponse, dependencies=READING)
def voice_page(
    request: Request, state: State, sl: SliceQuery, lang: LangQuery = None
) -> HTMLResponse:
    la = check_lang(lang)
    t = wording.words(la)
    v = state.computed(
        voice,
        start=sl.start,
        end=sl.end,
        themes_from=state.workspace.root / SETTINGS_FILE,
        lang=la,
    )
    if not v.texts and not v.scores.total.nps.responses and not v.scores.total.csat.responses:
        return analysis_page(
            request,
            state,
            "voice_page.html",
            "voice",
            la,
            sl,
            filters=("period",),
            empty=t("vc_no_voice"),
            tiles=[],
            charts=[],
            sections=[],
            quotes=[],
            notes=[],
        )
    total = v.scores.total
    tiles = [
        _score_tile(t("vc_nps"), total.nps, la, 0),
        _score_tile(t("vc_csat"), total.csat, la, 1, as_percent=True),
        _score_tile(t("vc_ces"), total.ces, la, 2),
    ]
    level = percent(v.scores.confidence, la, 0)
    sections = [
        _scores_section(
            t("vc_scores").format(level=level), t("vc_by_period"), v.scores.over_time, la, t
        ),
        *(
            _scores_section(
                t("vc_scores_by").format(dimension=t(f"vc_by_{b.dimension}").lower()),
                t(f"vc_by_{b.dimension}"),
                b.rows,
                la,
                t,
            )
            for b in v.scores.breakdowns
        ),
        _themes_section(v, la, t),
        _stages_section(v, la, t),
        _churn_section(v, la, t),
        _topics_section(v, la, t),
        _sentiment_section(v, la, t),
    ]
    quotes = [
        {
            "title": f"{t('vc_verbatims')} · {theme.label}",
            "entries": [_quote(q, la) for q in theme.negative_verbatims + theme.positive_verbatims],
        }
        for theme in v.themes[:4]
        if theme.negative_verbatims or theme.positive_verbatims
    ]
    notes = [
        t("vc_texts_note").format(
            texts=number(v.texts, la),
            left=number(v.texts_left_out, la),
            detected=number(v.detected_languages, la),
            rated=number(v.rated_sentiments, la),
        ),
        v.method,
        *(m.definition for m in v.scores.metrics),
    ]
    return analysis_page(
        request,
        state,
        "voice_page.html",
        "voice",
        la,
        sl,
        filters=("period",),
        empty=None,
        tiles=tiles,
        charts=[{"id": "nps", "title": t("vc_nps"), "spec": _nps_chart(v)}],
        sections=sections,
        quotes=quotes,
        notes=notes,
    )


def _score_text(value: ScoreValue, la: Lang, decimals: int, as_percent: bool = False) -> str:
    if as_percent:
        return percent(value.value, la, decimals)
    return number(value.value, la, decimals)


def _interval_text(value: ScoreValue, la: Lang, decimals: int, as_percent: bool = False) -> str:
    if value.low is None or value.high is None:
        return "–"
    fmt = percent if as_percent else number
    return f"{fmt(value.low, la, decimals)} – {fmt(value.high, la, decimals)}"


def _score_tile(
    label: str, value: ScoreValue, la: Lang, decimals: int, as_percent: bool = False
) -> dict[str, Any]:
    return {
        "label": label,
        "value": _score_text(value, la, decimals, as_percent),
        "note": f"{_interval_text(value, la, decimals, as_percent)} · "
        f"n = {number(value.responses, la)}",
    }


def _scores_section(
    title: str, key_label: str, rows: list[ScoreRow], la: Lang, t: Words
) -> dict[str, Any]:
    return section(
        title,
        [
            column(key_label),
            column(t("vc_nps")),
            column(t("vc_interval")),
            column(t("vc_answers")),
            column(t("vc_csat")),
            column(t("vc_interval")),
            column(t("vc_ces")),
            column(t("vc_interval")),
        ],
        [
            [
                text_cell(r.key),
                _num(r.nps.value, la, 0),
                text_cell(_interval_text(r.nps, la, 0)),
                count_cell(r.nps.responses, la),
                _pct(r.csat.value, la),
                text_cell(_interval_text(r.csat, la, 1, as_percent=True)),
                _num(r.ces.value, la, 2),
                text_cell(_interval_text(r.ces, la, 2)),
            ]
            for r in rows
        ],
    )


def _nps_chart(v: VoiceResult) -> dict[str, Any]:
    values = [
        {"period": r.key, "nps": r.nps.value, "low": r.nps.low, "high": r.nps.high}
        for r in v.scores.over_time
        if r.nps.value is not None and r.nps.low is not None
    ]
    x = {"field": "period", "type": "ordinal", "title": None}
    return {
        "$schema": SCHEMA,
        "width": "container",
        "height": 220,
        "data": {"values": values},
        "layer": [
            {
                "mark": {"type": "area", "opacity": 0.2},
                "encoding": {
                    "x": x,
                    "y": {"field": "low", "type": "quantitative", "title": "NPS"},
                    "y2": {"field": "high"},
                },
            },
            {
                "mark": {"type": "line", "point": True, "tooltip": True},
                "encoding": {"x": x, "y": {"field": "nps", "type": "quantitative"}},
            },
        ],
    }


def _themes_section(v: VoiceResult, la: Lang, t: Words) -> dict[str, Any]:
    return section(
        t("vc_themes"),
        [
            column(t("vc_theme")),
            column(t("vc_mentions")),
            column(t("vc_positive")),
            column(t("vc_neutral")),
            column(t("vc_negative")),
            column(t("vc_net")),
            column(t("vc_nps_when")),
        ],
        [
            [
                text_cell(x.label),
                count_cell(x.mentions, la),
                count_cell(x.positive, la),
                count_cell(x.neutral, la),
                count_cell(x.negative, la),
                _pct(x.net_sentiment, la, 0),
                _num(x.nps_when_mentioned, la, 0),
            ]
            for x in v.themes
        ],
    )


def _stages_section(v: VoiceResult, la: Lang, t: Words) -> dict[str, Any]:
    return section(
        t("vc_stages"),
        [
            column(t("vc_by_journey_stage")),
            column(t("vc_texts")),
            column(t("vc_negative_share")),
            column(t("vc_top_complaints")),
        ],
        [
            [
                text_cell(s.journey_stage),
                count_cell(s.texts, la),
                _pct(s.negative_share, la),
                text_cell(", ".join(f"{x.label} ({x.negative})" for x in s.themes[:3])),
            ]
            for s in v.stages
        ],
    )


def _churn_section(v: VoiceResult, la: Lang, t: Words) -> dict[str, Any]:
    return section(
        t("vc_churn_link"),
        [
            column(t("vc_theme")),
            column(t("vc_prevalence_churned")),
            column(t("vc_prevalence_retained")),
            column(t("vc_churn_with")),
            column(t("vc_churn_without")),
            column(t("vc_lift")),
            column(t("vc_interval")),
            column(t("vc_q_value")),
        ],
        [
            [
                text_cell(c.label),
                _pct(c.prevalence_churned, la),
                _pct(c.prevalence_retained, la),
                _pct(c.churn_rate_with, la),
                _pct(c.churn_rate_without, la),
                _num(c.lift, la, 2),
                text_cell(f"{number(c.lift_low, la, 2)} – {number(c.lift_high, la, 2)}"),
                _cell(f"{c.q_value:.2g}", c.q_value),
            ]
            for c in v.churn
        ],
        note=t("vc_churn_note").format(
            accounts=number(v.churn_accounts, la), days=v.churn_window_days
        )
        + " "
        + v.caution,
    )


def _topics_section(v: VoiceResult, la: Lang, t: Words) -> dict[str, Any]:
    return section(
        t("vc_topics"),
        [
            column(t("vc_language")),
            column(t("vc_terms")),
            column(t("vc_texts")),
            column(t("vc_dictionary_theme")),
            column(t("vc_negative_share")),
        ],
        [
            [
                text_cell(x.language),
                text_cell(", ".join(x.terms)),
                count_cell(x.texts, la),
                text_cell(x.dictionary_theme),
                _pct(x.negative_share, la),
            ]
            for x in v.topics
        ],
    )


def _sentiment_section(v: VoiceResult, la: Lang, t: Words) -> dict[str, Any]:
    return section(
        t("vc_sentiment"),
        [
            column(t("vc_source")),
            column(t("vc_texts")),
            column(t("vc_positive")),
            column(t("vc_neutral")),
            column(t("vc_negative")),
            column(t("vc_negative_share")),
        ],
        [
            [
                text_cell(s.key),
                count_cell(s.texts, la),
                count_cell(s.positive, la),
                count_cell(s.neutral, la),
                count_cell(s.negative, la),
                _pct(s.negative_share, la),
            ]
            for s in v.sentiment_by_source
        ],
    )


def _quote(q: Verbatim, la: Lang) -> dict[str, Any]:
    meta = [q.source, q.posted.isoformat(), q.language or ""]
    if q.survey_type and q.score is not None:
        meta.append(f"{q.survey_type.upper()} {number(q.score, la, 0)}")
    if q.journey_stage:
        meta.append(q.journey_stage)
    return {"text": q.text, "sentiment": q.sentiment, "meta": " · ".join(m for m in meta if m)}


# -- journey map --------------------------------------------------------------------------


@router.get("/journey-map", response_class=HTMLResponse, dependencies=READING)
def journey_map_page(
    request: Request, state: State, sl: SliceQuery, lang: LangQuery = None
) -> HTMLResponse:
    la = check_lang(lang)
    t = wording.words(la)
    m = state.computed(
        journey_map,
        start=sl.start,
        end=sl.end,
        themes_from=state.workspace.root / SETTINGS_FILE,
        lang=la,
    )
    stages = [_stage_card(s, m, la, t) for s in m.stages]
    points = [p for s in m.stages for p in s.friction_points]
    unique = {(p.kind, p.step, p.slice, p.period): p for p in points}
    ranked = sorted(unique.values(), key=lambda p: -p.revenue_lost)
    notes = [t("vc_source_funnel") if m.conversion_source == "funnel" else t("vc_source_engine")]
    return analysis_page(
        request,
        state,
        "journey_map.html",
        "journey_map",
        la,
        sl,
        filters=("period",),
        stages=stages,
        notes=notes + m.notes,
        sections=[_friction_section(ranked, m.currency, la, t)],
    )


def _stage_card(s: MapStage, m: JourneyMap, la: Lang, t: Words) -> dict[str, Any]:
    facts: list[tuple[str, str]] = []
    if s.reached is not None:
        facts.append((t("vc_reached"), number(s.reached, la)))
    if s.conversion is not None:
        band = ""
        if s.conversion_low is not None and s.conversion_high is not None:
            band = f" ({percent(s.conversion_low, la, 0)}–{percent(s.conversion_high, la, 0)})"
        facts.append((t("vc_conversion"), percent(s.conversion, la, 1) + band))
    if s.median_delay_days is not None:
        facts.append((t("vc_delay"), t("vc_days").format(n=number(s.median_delay_days, la, 0))))
    if s.measure == "stickiness":
        facts.append((t("vc_stickiness_measure"), percent(s.measure_value, la, 1)))
    elif s.measure is not None:
        facts.append((t("vc_retention_measure"), percent(s.measure_value, la, 1)))
    scores = [
        f"{r.key}: "
        + " · ".join(
            f"{name} {text}"
            for name, value, text in (
                ("NPS", r.nps, number(r.nps.value, la, 0)),
                ("CSAT", r.csat, percent(r.csat.value, la, 0)),
                ("CES", r.ces, number(r.ces.value, la, 1)),
            )
            if value.responses
        )
        for r in s.scores
    ]
    says = ""
    if s.voice_texts:
        share = percent(s.negative_share, la, 0)
        says = f"{number(s.voice_texts, la)} · {t('vc_negative_share').lower()} {share}"
    return {
        "label": s.label,
        "facts": facts,
        "friction": t("vc_friction_badge").format(
            lost=money(s.friction_revenue_lost, m.currency, la, 0)
        )
        if s.friction
        else None,
        "friction_lines": [_point_line(p, la) for p in s.friction_points[:2]],
        "scores": scores,
        "says": says,
        "themes": [f"{x.label}: {x.negative}/{x.mentions}" for x in s.themes[:3]],
        "quotes": [q.text for q in s.verbatims[:2]],
    }


def _point_line(p: FrictionPoint, la: Lang) -> str:
    where = p.step if p.slice == "all" else f"{p.step} · {p.slice}"
    return f"{where} {p.period}: {percent(p.drop_off, la, 0)} vs {percent(p.baseline, la, 0)}"


def _friction_section(
    points: list[FrictionPoint], currency: str, la: Lang, t: Words
) -> dict[str, Any]:
    return section(
        t("vc_friction_points"),
        [
            column(t("vc_kind")),
            column(t("vc_step")),
            column(t("vc_slice")),
            column(t("vc_period")),
            column(t("vc_entrants")),
            column(t("vc_drop_off")),
            column(t("vc_baseline")),
            column(t("vc_z_history")),
            column(t("vc_z_peers")),
            column(t("vc_delay")),
            column(t("vc_revenue_lost")),
        ],
        [
            [
                text_cell(p.kind),
                text_cell(p.step),
                text_cell(p.slice),
                text_cell(p.period),
                _num(p.entrants, la, 0),
                _pct(p.drop_off, la),
                _pct(p.baseline, la),
                _num(p.history_z, la, 1),
                _num(p.peer_z, la, 1),
                _num(p.delay_days, la, 1),
                _cell(money(p.revenue_lost, currency, la, 0), p.revenue_lost),
            ]
            for p in points
        ],
    )
