"""The JSON twins of the pages under /api/v1/views: the same result objects the pages format.
Every route only reads and declares the ``read`` permission."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from pilotage.interfaces.api.auth import READ, guard
from pilotage.interfaces.api.state import ServerState, state_of
from pilotage.interfaces.formatting import Lang
from pilotage.interfaces.web.filters import SliceQuery, check_text
from pilotage.jobs.scheduler import today_in
from pilotage.services.accounts_view import AccountsView, accounts_view
from pilotage.services.attribution_view import AttributionView, attribution_view
from pilotage.services.channels_view import ChannelsView, channels_view
from pilotage.services.data_quality import QualityView, quality_checks
from pilotage.services.marketing_view import (
    JourneyView,
    journey_view,
)
from pilotage.services.overview import FilterOptions, Overview, filter_options, overview
from pilotage.services.planning_view import ExperimentsView, experiments_view

router = APIRouter(prefix="/api/v1/views", tags=["views"])
State = Annotated[ServerState, Depends(state_of)]


@router.get("/overview", response_model=Overview, dependencies=guard(READ))
def get_overview(state: State, sl: SliceQuery, lang: Lang = "en") -> Overview:
    """KPI tiles against the previous period of equal length, trend and channel table."""
    return state.computed(overview, sl, lang)


@router.get("/channels", response_model=ChannelsView, dependencies=guard(READ))
def get_channels(
    state: State,
    sl: SliceQuery,
    drill: Annotated[str | None, Query(max_length=100)] = None,
    lang: Lang = "en",
) -> ChannelsView:
    """Cost, revenue and delivery by channel, or by campaign of the ``drill`` channel."""
    check_text("drill", (drill,) if drill else ())
    return state.computed(channels_view, sl, drill, lang, today_in(state.workspace))


@router.get("/attribution", response_model=AttributionView, dependencies=guard(READ))
def get_attribution(state: State, sl: SliceQuery, lang: Lang = "en") -> AttributionView:
    return state.computed(attribution_view, sl, lang)


@router.get("/journey", response_model=JourneyView, dependencies=guard(READ))
def get_journey(state: State, sl: SliceQuery, lang: Lang = "en") -> JourneyView:
    return state.computed(journey_view, sl, lang)


@router.get("/accounts", response_model=AccountsView, dependencies=guard(READ))
def get_accounts(state: State, sl: SliceQuery, lang: Lang = "en") -> AccountsView:
    return state.computed(accounts_view, sl, lang)


@router.get("/experiments", response_model=ExperimentsView, dependencies=guard(READ))
def get_experiments(state: State) -> ExperimentsView:
    return state.computed(experiments_view)


@router.get("/data-quality", response_model=QualityView, dependencies=guard(READ))
def get_data_quality(state: State, lang: Lang = "en") -> QualityView:
    return state.computed(quality_checks, today_in(state.workspace), lang)


@router.get("/filters", response_model=FilterOptions, dependencies=guard(READ))
def get_filters(state: State) -> FilterOptions:
    """The channels and segments the filters can take."""
    return state.computed(filter_options)
