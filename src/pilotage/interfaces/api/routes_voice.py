"""Engagement, friction, voice of the customer and the journey map under /api/v1: the same
result objects as ``pilotage engagement|friction|voice|journey-map --format json``.

They only read. Their figures pool every account (active users, churn, comments), so a
user restricted to some countries or accounts is refused rather than shown others' data."""

from __future__ import annotations

import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from pilotage.core.engagement.activity import Unit
from pilotage.core.friction.robust import THRESHOLD
from pilotage.data.settings import SETTINGS_FILE
from pilotage.interfaces.api.auth import READ, guard
from pilotage.interfaces.api.state import ServerState, state_of
from pilotage.interfaces.formatting import Lang
from pilotage.interfaces.web.filters import check_dates, unrestricted
from pilotage.services.engagement import EngagementPeriod, EngagementResult, engagement
from pilotage.services.friction import FrictionBy, FrictionPeriod, FrictionResult, friction
from pilotage.services.journey_map import JourneyMap, journey_map
from pilotage.services.voice import ThemeList, VoicePeriod, VoiceResult, theme_list, voice

router = APIRouter(prefix="/api/v1", tags=["journey"])
#: The permission first: ``unrestricted`` reads the principal the guard leaves.
READING = [*guard(READ), Depends(unrestricted)]
State = Annotated[ServerState, Depends(state_of)]
Day = Annotated[datetime.date | None, Query(description="Local day, YYYY-MM-DD")]


@router.get(
    "/engagement",
    summary="DAU/WAU/MAU, stickiness, feature adoption, usage before a purchase or churn",
    dependencies=READING,
)
def engagement_route(
    state: State,
    unit: Unit = "person",
    period: EngagementPeriod = "month",
    start: Day = None,
    end: Day = None,
    feature: Annotated[str, Query(min_length=1, max_length=100)] = "event",
    purchase_horizon: Annotated[int, Query(ge=1, le=730)] = 30,
    churn_horizon: Annotated[int, Query(ge=1, le=730)] = 90,
    lang: Lang = "en",
) -> EngagementResult:
    check_dates(start, end)
    return state.computed(
        engagement,
        unit=unit,
        period=period,
        start=start,
        end=end,
        feature=feature,
        purchase_horizon_days=purchase_horizon,
        churn_horizon_days=churn_horizon,
        lang=lang,
    )


@router.get(
    "/friction",
    summary="Steps and touchpoints with abnormal drop-off or delay, ranked by revenue lost",
    dependencies=READING,
)
def friction_route(
    state: State,
    period: FrictionPeriod = "month",
    start: Day = None,
    end: Day = None,
    by: FrictionBy = "segment",
    window: Annotated[int, Query(ge=1, le=365)] = 30,
    threshold: Annotated[float, Query(gt=0, le=100)] = THRESHOLD,
    min_entrants: Annotated[float, Query(ge=1)] = 30,
    top: Annotated[int, Query(ge=1, le=1000)] = 50,
    lang: Lang = "en",
) -> FrictionResult:
    check_dates(start, end)
    return state.computed(
        friction,
        period=period,
        start=start,
        end=end,
        by=by,
        window_days=window,
        threshold=threshold,
        min_entrants=min_entrants,
        top=top,
        lang=lang,
    )


@router.get(
    "/voice",
    summary="NPS/CSAT/CES with intervals; sentiment, themes and topics of what customers say",
    dependencies=READING,
)
def voice_route(
    state: State,
    period: VoicePeriod = "month",
    start: Day = None,
    end: Day = None,
    topics: Annotated[int, Query(ge=1, le=30)] = 8,
    churn_window: Annotated[int, Query(ge=1, le=730)] = 180,
    lang: Lang = "en",
) -> VoiceResult:
    check_dates(start, end)
    return state.computed(
        voice,
        start=start,
        end=end,
        period=period,
        themes_from=state.workspace.root / SETTINGS_FILE,
        topics_per_language=topics,
        churn_window_days=churn_window,
        lang=lang,
    )


@router.get(
    "/voice/themes",
    summary="The theme dictionary in effect (bundled and [voice.themes] of pilotage.toml)",
    dependencies=READING,
)
def voice_themes_route(state: State) -> ThemeList:
    return theme_list(state.workspace.root / SETTINGS_FILE)


@router.get(
    "/journey-map",
    summary="Every journey stage: conversion, delay, friction, scores, what customers say",
    dependencies=READING,
)
def journey_map_route(
    state: State, start: Day = None, end: Day = None, lang: Lang = "en"
) -> JourneyMap:
    check_dates(start, end)
    return state.computed(
        journey_map,
        start=start,
        end=end,
        themes_from=state.workspace.root / SETTINGS_FILE,
        lang=lang,
    )
