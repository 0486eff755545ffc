"""Customer journey commands: ``engagement`` (active users, adoption, what goes before a
purchase or a churn), ``friction`` (abnormal drop-offs and delays, revenue lost),
``voice`` (scores, sentiment and themes of what customers say) and ``journey-map``."""

from __future__ import annotations

import sys
from typing import Annotated, Any, Literal

import typer

from pilotage.core.engagement.activity import Unit
from pilotage.core.friction.robust import THRESHOLD
from pilotage.data.settings import SETTINGS_FILE
from pilotage.interfaces.cli.commands_kpis import EndOption, LangOption, StartOption
from pilotage.interfaces.cli.options import FormatOption, WorkspaceOption, emit, workspace_of
from pilotage.services.engagement import EngagementPeriod, EngagementResult, engagement
from pilotage.services.friction import FrictionBy, FrictionPeriod, FrictionResult, friction
from pilotage.services.journey_map import journey_map
from pilotage.services.voice import VoicePeriod, VoiceResult, theme_list, voice
from pilotage.services.workspaces import analytics

EngagementView = Literal["series", "adoption", "purchase", "churn"]
FrictionView = Literal["points", "stages"]
VoiceView = Literal["themes", "scores", "sentiment", "topics", "stages", "churn", "dictionary"]


def register(app: typer.Typer) -> None:
    app.command("engagement")(engagement_command)
    app.command("friction")(friction_command)
    app.command("voice")(voice_command)
    app.command("journey-map")(journey_map_command)


def note(text: str) -> None:
    """A reading note under a table, on stderr: stdout holds the table (or CSV) alone."""
    print(f"note: {text}", file=sys.stderr)


def _day(value: Any) -> Any:
    return value.date() if value is not None else None


def engagement_command(
    unit: Annotated[Unit, typer.Option(help="Count persons or accounts as users.")] = "person",
    period: Annotated[EngagementPeriod, typer.Option(help="week, month or quarter.")] = "month",
    start: StartOption = None,
    end: EndOption = None,
    feature: Annotated[
        str, typer.Option(help="Column of product_events naming the feature (e.g. feature).")
    ] = "event",
    purchase_horizon: Annotated[
        int, typer.Option(help="Days after the first event in which a purchase counts.")
    ] = 30,
    churn_horizon: Annotated[int, typer.Option(help="Days of usage before a churn.")] = 90,
    view: Annotated[
        EngagementView, typer.Option(help="Table shown: series, adoption, purchase, churn.")
    ] = "series",
    lang: LangOption = "en",
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """DAU / WAU / MAU and stickiness, feature adoption, and the usage most associated with
    a purchase or a churn (association, not cause)."""
    ws = workspace_of(workspace)
    with analytics(ws) as store:
        result = engagement(
            store,
            ws.settings,
            unit=unit,
            period=period,
            start=_day(start),
            end=_day(end),
            feature=feature,
            purchase_horizon_days=purchase_horizon,
            churn_horizon_days=churn_horizon,
            lang=lang,
        )
    rows, columns = _engagement_rows(result, view)
    emit(result, fmt, rows, columns)
    analysis = {"purchase": result.purchase, "churn": result.churn}.get(view)
    if analysis is not None and fmt != "json":
        note(analysis.caution)


def _engagement_rows(
    result: EngagementResult, view: EngagementView
) -> tuple[list[dict[str, Any]], list[str]]:
    if view == "series":
        cols = ["period", "dau", "wau", "mau", "stickiness", "actives", "events", "partial"]
        return [p.model_dump() for p in result.series], cols
    if view == "adoption":
        return (
            [a.model_dump(exclude={"trend"}) for a in result.adoption],
            ["feature", "users", "adoption", "events", "events_per_user"],
        )
    analysis = result.purchase if view == "purchase" else result.churn
    columns = [
        "feature",
        "users_with",
        "rate_with",
        "rate_without",
        "lift",
        "lift_low",
        "lift_high",
        "q_value",
        "direction",
    ]
    return [t.model_dump() for t in (analysis.triggers if analysis else [])], columns


def friction_command(
    period: Annotated[FrictionPeriod, typer.Option(help="week, month or quarter.")] = "month",
    start: StartOption = None,
    end: EndOption = None,
    by: Annotated[FrictionBy, typer.Option(help="Peers of a funnel step.")] = "segment",
    window: Annotated[
        int, typer.Option(help="Days after a touch in which a conversion counts.")
    ] = 30,
    threshold: Annotated[
        float, typer.Option(help="Modified z-score above which a value is abnormal.")
    ] = THRESHOLD,
    min_entrants: Annotated[float, typer.Option(help="Smallest group judged.")] = 30,
    top: Annotated[int, typer.Option(help="Friction points listed.")] = 50,
    view: Annotated[FrictionView, typer.Option(help="points or stages.")] = "points",
    lang: LangOption = "en",
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Funnel steps and touchpoints whose drop-off or delay is abnormal against their own
    history or their peers, ranked by revenue lost."""
    ws = workspace_of(workspace)
    with analytics(ws) as store:
        result = friction(
            store,
            ws.settings,
            period=period,
            start=_day(start),
            end=_day(end),
            by=by,
            window_days=window,
            threshold=threshold,
            min_entrants=min_entrants,
            top=top,
            lang=lang,
        )
    rows, columns = _friction_rows(result, view)
    emit(result, fmt, rows, columns)


def _friction_rows(
    result: FrictionResult, view: FrictionView
) -> tuple[list[dict[str, Any]], list[str]]:
    if view == "stages":
        columns = [
            "step",
            "entrants",
            "conversion",
            "median_delay_days",
            "friction",
            "abnormal_periods",
            "revenue_lost",
        ]
        return [s.model_dump() for s in result.stages], columns
    columns = [
        "kind",
        "step",
        "slice",
        "period",
        "entrants",
        "drop_off",
        "baseline",
        "history_z",
        "peer_z",
        "delay_days",
        "delay_z",
        "revenue_lost",
    ]
    return [p.model_dump() for p in result.points], columns


def voice_command(
    period: Annotated[VoicePeriod, typer.Option(help="week, month or quarter.")] = "month",
    start: StartOption = None,
    end: EndOption = None,
    topics: Annotated[int, typer.Option(help="Themes discovered per language.")] = 8,
    churn_window: Annotated[
        int, typer.Option(help="Days before a churn in which mentions count.")
    ] = 180,
    view: Annotated[
        VoiceView,
        typer.Option(help="themes, scores, sentiment, topics, stages, churn or dictionary."),
    ] = "themes",
    lang: LangOption = "en",
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """NPS, CSAT and CES with intervals; sentiment and themes of survey comments and
    conversations (French and English, offline); themes by journey stage and against
    churn. ``--view dictionary`` lists the themes in effect ([voice.themes] in
    pilotage.toml adds or replaces them)."""
    ws = workspace_of(workspace)
    settings_file = ws.root / SETTINGS_FILE
    if view == "dictionary":
        listed = theme_list(settings_file)
        rows = [
            {**t.model_dump(), "en": ", ".join(t.en), "fr": ", ".join(t.fr)} for t in listed.themes
        ]
        emit(listed, fmt, rows, ["theme", "label_en", "label_fr", "en", "fr"])
        return
    with analytics(ws) as store:
        result = voice(
            store,
            ws.settings,
            start=_day(start),
            end=_day(end),
            period=period,
            themes_from=settings_file,
            topics_per_language=topics,
            churn_window_days=churn_window,
            lang=lang,
        )
    rows, columns = _voice_rows(result, view)
    emit(result, fmt, rows, columns)
    if view == "churn" and fmt != "json":
        note(result.caution)


def _voice_rows(result: VoiceResult, view: VoiceView) -> tuple[list[dict[str, Any]], list[str]]:
    if view == "scores":
        rows = []
        for dimension, score_rows in [
            ("total", [result.scores.total]),
            ("period", result.scores.over_time),
            *((b.dimension, b.rows) for b in result.scores.breakdowns),
        ]:
            for r in score_rows:
                rows.append(
                    {
                        "dimension": dimension,
                        "key": r.key,
                        "nps": r.nps.value,
                        "nps_low": r.nps.low,
                        "nps_high": r.nps.high,
                        "nps_n": r.nps.responses,
                        "csat": r.csat.value,
                        "csat_n": r.csat.responses,
                        "ces": r.ces.value,
                        "ces_n": r.ces.responses,
                    }
                )
        columns = ["dimension", "key", "nps", "nps_low", "nps_high", "nps_n", "csat"]
        return rows, [*columns, "csat_n", "ces", "ces_n"]
    if view == "sentiment":
        rows = [{"by": "source", **s.model_dump()} for s in result.sentiment_by_source]
        rows += [{"by": "period", **s.model_dump()} for s in result.sentiment_by_period]
        return rows, ["by", "key", "texts", "positive", "neutral", "negative", "mean_score"]
    if view == "topics":
        rows = [
            {**t.model_dump(exclude={"example"}), "terms": ", ".join(t.terms)}
            for t in result.topics
        ]
        return rows, ["language", "terms", "texts", "dictionary_theme", "negative_share"]
    if view == "stages":
        rows = [
            {
                "journey_stage": s.journey_stage,
                "texts": s.texts,
                "negative_share": s.negative_share,
                "top_complaints": ", ".join(f"{t.label} ({t.negative})" for t in s.themes[:3]),
            }
            for s in result.stages
        ]
        return rows, ["journey_stage", "texts", "negative_share", "top_complaints"]
    if view == "churn":
        columns = [
            "theme",
            "churned_mentioning",
            "retained_mentioning",
            "prevalence_churned",
            "prevalence_retained",
            "lift",
            "lift_low",
            "lift_high",
            "q_value",
        ]
        return [c.model_dump() for c in result.churn], columns
    columns = ["theme", "label", "mentions", "positive", "neutral", "negative", "net_sentiment"]
    rows = [
        t.model_dump(exclude={"trend", "negative_verbatims", "positive_verbatims"})
        for t in result.themes
    ]
    return rows, [*columns, "nps_when_mentioned"]


def journey_map_command(
    start: StartOption = None,
    end: EndOption = None,
    lang: LangOption = "en",
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Every stage of the journey on one view: conversion, delay, friction, scores and what
    customers say."""
    ws = workspace_of(workspace)
    with analytics(ws) as store:
        result = journey_map(
            store,
            ws.settings,
            start=_day(start),
            end=_day(end),
            themes_from=ws.root / SETTINGS_FILE,
            lang=lang,
        )
    rows = [
        {
            "stage": s.label,
            "reached": s.reached,
            "conversion": s.conversion,
            "median_delay_days": s.median_delay_days,
            "friction": s.friction,
            "revenue_lost": s.friction_revenue_lost,
            "texts": s.voice_texts,
            "negative_share": s.negative_share,
            "top_complaints": ", ".join(f"{t.label} ({t.negative})" for t in s.themes[:3]),
        }
        for s in result.stages
    ]
    emit(result, fmt, rows, list(rows[0]) if rows else ["stage"])
    if fmt != "json":
        for line in result.notes:
            note(line)
