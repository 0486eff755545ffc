"""The journey map: every stage of the customer journey on one view, with its conversion
and delay (the lifecycle funnel), its friction (abnormal drop-offs and delays, revenue
lost), its scores and what customers say there (themes and verbatims of the survey
comments of the matching journey stages).

Survey journey stages are free labels; each is placed on the map by the keywords of
:data:`STAGE_WORDS` (``purchase`` / ``achat`` -> customer, ``onboarding`` -> onboarding,
...). A label no keyword places gets a column of its own after renewal: never dropped."""

from __future__ import annotations

import datetime
from collections import defaultdict
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

from pilotage.core.voice.text import tokens
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.errors import UsageError
from pilotage.services.engagement import EngagementSummary, engagement
from pilotage.services.friction import FrictionPoint, FrictionResult, friction
from pilotage.services.funnels import FunnelResult, funnel, lifecycle_spec
from pilotage.services.kpis import Lang, kpi_table
from pilotage.services.tables import StoredTables
from pilotage.services.voice import ScoreRow, StageThemeRow, Verbatim, VoiceResult, voice

#: The map's stages in order: the lifecycle funnel, then after the purchase.
FUNNEL_STAGES = ("lead", "mql", "sql", "opportunity", "customer")
AFTER_PURCHASE = ("onboarding", "adoption", "renewal")
STAGE_NAMES: dict[str, dict[Lang, str]] = {
    "lead": {"en": "Lead", "fr": "Lead"},
    "mql": {"en": "MQL", "fr": "MQL"},
    "sql": {"en": "SQL", "fr": "SQL"},
    "opportunity": {"en": "Opportunity", "fr": "Opportunité"},
    "customer": {"en": "Purchase", "fr": "Achat"},
    "onboarding": {"en": "Onboarding", "fr": "Mise en route"},
    "adoption": {"en": "Adoption and support", "fr": "Usage et support"},
    "renewal": {"en": "Renewal", "fr": "Renouvellement"},
}
#: Words of a survey journey stage label (folded) that place it on the map.
STAGE_WORDS: dict[str, tuple[str, ...]] = {
    "lead": ("lead", "awareness", "discovery", "decouverte", "visit", "visite", "prospect"),
    "opportunity": ("evaluation", "demo", "consideration", "proposal", "proposition", "devis"),
    "customer": ("purchase", "achat", "buy", "checkout", "signature", "closing", "trial", "essai"),
    "onboarding": (
        "onboarding",
        "integration",
        "setup",
        "implementation",
        "deploiement",
        "activation",
        "installation",
    ),
    "adoption": ("usage", "adoption", "support", "relationship", "relation", "utilisation"),
    "renewal": (
        "renewal",
        "renouvellement",
        "churn",
        "cancel",
        "cancellation",
        "resiliation",
        "expansion",
        "upsell",
    ),
}
#: Stages whose friction points are touchpoints (before anyone is a lead).
_TOUCH_STAGE = "lead"


class MapStage(BaseModel):
    model_config = ConfigDict(frozen=True)

    stage: str
    label: str
    #: People who reached the stage (lifecycle funnel); None after the purchase.
    reached: int | None
    #: Conversion from the stage before (funnel, with its interval).
    conversion: float | None
    conversion_low: float | None
    conversion_high: float | None
    median_delay_days: float | None
    #: A stage-level rate after the purchase: stickiness (adoption), retention (renewal).
    measure: str | None
    measure_value: float | None
    friction: bool
    friction_revenue_lost: float
    friction_points: list[FrictionPoint]
    journey_stages: list[str]
    scores: list[ScoreRow]
    voice_texts: int
    negative_share: float | None
    themes: list[StageThemeRow]
    verbatims: list[Verbatim]


class JourneyMap(BaseModel):
    model_config = ConfigDict(frozen=True)

    start: datetime.date | None
    end: datetime.date | None
    #: Where conversions come from: "funnel" (the lifecycle funnel) or "kpi_engine".
    conversion_source: str
    currency: str
    stages: list[MapStage]
    notes: list[str]


def place(label: str) -> str | None:
    """The map stage a survey journey stage label belongs to (None: none fits)."""
    words = set(tokens(label))
    for stage, keys in STAGE_WORDS.items():
        if words & set(keys):
            return stage
    return None


def journey_map(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    themes_from: Path | None = None,
    lang: Lang = "en",
) -> JourneyMap:
    notes: list[str] = []
    flow: FunnelResult | None = None
    try:
        flow = funnel(store, settings, lifecycle_spec(start, end))
    except UsageError as exc:
        notes.append(f"funnel: {exc.message}")
    frictions: FrictionResult | None = None
    try:
        frictions = friction(store, settings, start=start, end=end, lang=lang)
    except UsageError as exc:
        notes.append(f"friction: {exc.message}")
    heard: VoiceResult | None = None
    try:
        heard = voice(store, settings, start=start, end=end, themes_from=themes_from, lang=lang)
    except UsageError as exc:
        notes.append(f"voice: {exc.message}")
    usage: EngagementSummary | None = None
    try:
        usage = engagement(store, settings, unit="account", start=start, end=end, lang=lang).summary
    except UsageError as exc:
        notes.append(f"engagement: {exc.message}")
    retention = _retention(store, settings, end, lang)
    rows = _funnel_rows(flow, frictions)
    placed: dict[str, list[str]] = defaultdict(list)
    for s in heard.stages if heard else []:
        placed[place(s.journey_stage) or s.journey_stage].append(s.journey_stage)
    order = list(FUNNEL_STAGES + AFTER_PURCHASE)
    order += sorted(k for k in placed if k not in order)
    stages = []
    for stage in order:
        reached, conv, low, high, delay = rows.get(stage, (None, None, None, None, None))
        points = _points_of(stage, frictions)
        flagged, lost = _friction_of(stage, frictions, points)
        measure, value = _measure(stage, usage, retention)
        voiced = [s for s in (heard.stages if heard else []) if s.journey_stage in placed[stage]]
        texts = sum(s.texts for s in voiced)
        negative = sum((s.negative_share or 0.0) * s.texts for s in voiced)
        stages.append(
            MapStage(
                stage=stage,
                label=STAGE_NAMES.get(stage, {}).get(lang, stage),
                reached=reached,
                conversion=conv,
                conversion_low=low,
                conversion_high=high,
                median_delay_days=delay,
                measure=measure,
                measure_value=value,
                friction=flagged,
                friction_revenue_lost=lost,
                friction_points=points[:5],
                journey_stages=placed[stage],
                scores=_scores(heard, placed[stage]),
                voice_texts=texts,
                negative_share=negative / texts if texts else None,
                themes=_themes(voiced),
                verbatims=[v for s in voiced for v in s.verbatims][:3],
            )
        )
    if flow is None and frictions is not None:
        notes.append("conversions from the KPI engine's cohort conversion (no funnel)")
    return JourneyMap(
        start=start,
        end=end,
        conversion_source="funnel" if flow is not None else "kpi_engine",
        currency=settings.reporting_currency,
        stages=stages,
        notes=notes,
    )


Row = tuple[int | None, float | None, float | None, float | None, float | None]


def _funnel_rows(flow: FunnelResult | None, frictions: FrictionResult | None) -> dict[str, Row]:
    """Per funnel stage: (reached, conversion, low, high, median delay in days)."""
    out: dict[str, Row] = {}
    if flow is not None:
        for stage, step in zip(FUNNEL_STAGES, flow.total.steps, strict=False):
            c = step.conversion
            delay = step.median_seconds_from_previous
            out[stage] = (
                step.reached,
                c.rate if c else None,
                c.low if c else None,
                c.high if c else None,
                delay / 86_400 if delay is not None else None,
            )
        return out
    for s in frictions.stages if frictions else []:
        entrants = int(s.entrants) if s.entrants is not None else None
        out.setdefault(s.stage_from, (entrants, None, None, None, None))
        out[s.stage_to] = (None, s.conversion, None, None, s.median_delay_days)
    return out


def _points_of(stage: str, frictions: FrictionResult | None) -> list[FrictionPoint]:
    """Friction where the stage is entered: the transition into it, or, for the lead, the
    touchpoints before it."""
    if frictions is None:
        return []
    return [
        p
        for p in frictions.points
        if (p.kind == "stage" and p.step.endswith(f"→{stage}"))
        or (p.kind != "stage" and stage == _TOUCH_STAGE)
    ]


def _friction_of(
    stage: str, frictions: FrictionResult | None, points: list[FrictionPoint]
) -> tuple[bool, float]:
    """Whether the stage has friction and the revenue it loses: the transition into it
    (every abnormal period and slice), or the touchpoints' points for the lead."""
    if frictions is None:
        return False, 0.0
    into = next((s for s in frictions.stages if s.stage_to == stage), None)
    if into is not None:
        return into.friction, into.revenue_lost
    return bool(points), sum(p.revenue_lost for p in points)


def _retention(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    end: datetime.date | None,
    lang: Lang,
) -> float | None:
    """1 - logo churn over the twelve months up to ``end`` (default: the last subscription
    start or end); None without subscriptions."""
    tables = StoredTables(store, settings.engine)
    s = tables["subscriptions"]
    rec = tables.rows(s.aggregate(started=s.started_at.max(), ended=s.ended_at.max()))[0]
    instants = [v for v in rec.values() if isinstance(v, datetime.datetime)]
    if not instants:
        return None
    last = end or max(instants).astimezone(ZoneInfo(settings.timezone)).date()
    churn = kpi_table(
        store,
        settings,
        metrics=["logo_churn"],
        start=last - datetime.timedelta(days=364),
        end=last,
        lang=lang,
    )
    value = churn.totals.get("logo_churn")
    return 1 - value if value is not None else None


def _measure(
    stage: str, usage: EngagementSummary | None, retention: float | None
) -> tuple[str | None, float | None]:
    if stage == "adoption" and usage is not None:
        return "stickiness", usage.stickiness
    if stage == "renewal":
        return "logo_retention_12m", retention
    return None, None


def _scores(heard: VoiceResult | None, journey_stages: list[str]) -> list[ScoreRow]:
    if heard is None:
        return []
    rows = next((b.rows for b in heard.scores.breakdowns if b.dimension == "journey_stage"), [])
    return [r for r in rows if r.key in journey_stages]


def _themes(voiced: list) -> list[StageThemeRow]:  # type: ignore[type-arg]
    """The themes of the stage's journey stages, most complained about first."""
    merged: dict[str, StageThemeRow] = {}
    for s in voiced:
        for t in s.themes:
            seen = merged.get(t.theme)
            if seen is None:
                merged[t.theme] = t
            else:
                merged[t.theme] = seen.model_copy(
                    update={
                        "mentions": seen.mentions + t.mentions,
                        "negative": seen.negative + t.negative,
                    }
                )
    return sorted(merged.values(), key=lambda t: (-t.negative, -t.mentions))[:5]
