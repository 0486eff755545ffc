"""Voice of the customer: NPS / CSAT / CES over time and by segment, journey stage and
channel with their intervals; sentiment and themes of survey comments and conversations
(French and English, offline); themes discovered by TF-IDF + NMF; themes by journey stage
and their link with churn.

One result object for ``pilotage voice``, ``/api/v1/voice`` and the voice page."""

from __future__ import annotations

import datetime
import tomllib
from collections import Counter
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

import ibis
import ibis.expr.types as ir
from pydantic import BaseModel, ConfigDict

from pilotage.core.engagement.association import Table2x2, associations
from pilotage.core.engagement.triggers import churn_units
from pilotage.core.kpis.assemble import evaluate
from pilotage.core.kpis.facts.base import FactContext
from pilotage.core.kpis.periods import Period, local_date, period_label, period_start
from pilotage.core.metrics.registry import METRICS
from pilotage.core.voice import bundled
from pilotage.core.voice import surveys as sq
from pilotage.core.voice.analysis import Resources, analyse, rating_label
from pilotage.core.voice.scores import mean_interval, nps_interval, wilson_interval
from pilotage.core.voice.summary import (
    Analysed,
    Counts,
    Record,
    examples,
    sentiment_by,
    stage_themes,
    theme_counts,
)
from pilotage.core.voice.themes import ThemeDictionary, ThemeError
from pilotage.core.voice.topics import topics
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.errors import ConfigError, UsageError
from pilotage.services.engagement import outcome_end
from pilotage.services.kpis import Lang, check_window, kpi_table
from pilotage.services.results import MetricInfo
from pilotage.services.tables import StoredTables, as_float

VoicePeriod = Literal["week", "month", "quarter"]
PERIODS: tuple[VoicePeriod, ...] = ("week", "month", "quarter")
#: The scores and the parts their intervals need, all computed by the KPI engine.
SCORE_METRICS = (
    "nps",
    "nps_responses",
    "promoters",
    "detractors",
    "csat",
    "csat_responses",
    "csat_satisfied",
    "ces",
    "ces_responses",
    "ces_total",
)
#: Slices beyond the engine's dimensions, at most this many values each (largest first).
MAX_SLICE_VALUES = 30
CAUTION: dict[Lang, str] = {
    "en": "Association, not cause: accounts that complain about a theme differ from the "
    "others in other ways too; a lift says churn is more frequent among them, not that the "
    "theme caused it.",
    "fr": "Association, pas causalité : les comptes qui se plaignent d'un thème diffèrent "
    "aussi des autres ; un lift dit que l'attrition est plus fréquente chez eux, pas que le "
    "thème l'a causée.",
}
METHOD: dict[Lang, str] = {
    "en": "Offline text analysis, no model downloaded: language from function words (the "
    "data's language column when given); sentiment from French and English lexicons with "
    "negation, intensity and contrast, per sentence; themes from an editable keyword "
    "dictionary ([voice.themes] in pilotage.toml) and discovered by TF-IDF + NMF per "
    "language. A survey comment whose words carry no sentiment takes the sign of its NPS or "
    "CSAT rating.",
    "fr": "Analyse de texte hors ligne, sans modèle téléchargé : langue d'après les mots "
    "outils (colonne language des données si présente) ; sentiment d'après des lexiques "
    "français et anglais avec négation, intensité et contraste, phrase par phrase ; thèmes "
    "d'après un dictionnaire modifiable ([voice.themes] dans pilotage.toml) et découverts "
    "par TF-IDF + NMF par langue. Un commentaire d'enquête sans mot de sentiment prend le "
    "signe de sa note NPS ou CSAT.",
}


class ScoreValue(BaseModel):
    model_config = ConfigDict(frozen=True)

    value: float | None
    low: float | None
    high: float | None
    responses: int


class ScoreRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str
    nps: ScoreValue
    csat: ScoreValue
    ces: ScoreValue


class ScoreBreakdown(BaseModel):
    model_config = ConfigDict(frozen=True)

    dimension: str
    rows: list[ScoreRow]


class VoiceScores(BaseModel):
    """NPS (-100..100), CSAT (share 4-5 of 5) and CES (mean) with ``confidence`` intervals;
    ``metrics`` are the registry's definitions."""

    model_config = ConfigDict(frozen=True)

    confidence: float
    total: ScoreRow
    over_time: list[ScoreRow]
    breakdowns: list[ScoreBreakdown]
    metrics: list[MetricInfo]


class Verbatim(BaseModel):
    model_config = ConfigDict(frozen=True)

    text: str
    source: str
    language: str | None
    posted: datetime.date
    sentiment: str
    sentiment_score: float
    survey_type: str | None
    score: float | None
    journey_stage: str | None
    url: str | None
    themes: list[str]


class SentimentRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str
    texts: int
    positive: int
    neutral: int
    negative: int
    negative_share: float | None
    mean_score: float | None


class ThemePoint(BaseModel):
    model_config = ConfigDict(frozen=True)

    period: str
    mentions: int
    negative: int


class ThemeSummary(BaseModel):
    """A dictionary theme: mentions and their sentiment, the NPS of survey answers whose
    comment mentions it (registry formula), its trend and example verbatims."""

    model_config = ConfigDict(frozen=True)

    theme: str
    label: str
    mentions: int
    share: float
    positive: int
    neutral: int
    negative: int
    net_sentiment: float | None
    nps_when_mentioned: float | None
    nps_answers_when_mentioned: int
    trend: list[ThemePoint]
    negative_verbatims: list[Verbatim]
    positive_verbatims: list[Verbatim]


class TopicSummary(BaseModel):
    """A theme found by NMF in one language's texts: its heaviest terms, its texts, the
    dictionary theme most of them mention (if a majority does) and an example."""

    model_config = ConfigDict(frozen=True)

    language: str
    terms: list[str]
    texts: int
    dictionary_theme: str | None
    negative_share: float | None
    example: Verbatim | None


class StageThemeRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    theme: str
    label: str
    mentions: int
    negative: int
    negative_share: float
    lift: float | None


class StageVoice(BaseModel):
    """Survey comments of one journey stage: sentiment, themes and what they say."""

    model_config = ConfigDict(frozen=True)

    journey_stage: str
    texts: int
    negative_share: float | None
    themes: list[StageThemeRow]
    verbatims: list[Verbatim]


class ChurnLink(BaseModel):
    """A theme against churn, over subscribed accounts that wrote or answered something in
    the ``churn_window_days`` before their churn (or the window's end, for accounts still
    subscribed): exposure = a negative mention of the theme in that window."""

    model_config = ConfigDict(frozen=True)

    theme: str
    label: str
    churned_mentioning: int
    churned: int
    retained_mentioning: int
    retained: int
    prevalence_churned: float | None
    prevalence_retained: float | None
    prevalence_lift: float | None
    churn_rate_with: float | None
    churn_rate_without: float | None
    lift: float | None
    lift_low: float | None
    lift_high: float | None
    p_value: float
    q_value: float
    significant: bool


class VoiceResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    start: datetime.date | None
    end: datetime.date | None
    period: str
    texts: int
    texts_left_out: int
    languages: dict[str, int]
    detected_languages: int
    #: Survey comments whose sentiment sign came from the rating (no sentiment words).
    rated_sentiments: int
    scores: VoiceScores
    sentiment_by_source: list[SentimentRow]
    sentiment_by_period: list[SentimentRow]
    themes: list[ThemeSummary]
    topics: list[TopicSummary]
    stages: list[StageVoice]
    churn: list[ChurnLink]
    churn_accounts: int
    churn_window_days: int
    method: str
    caution: str


class ThemeInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    theme: str
    label_en: str
    label_fr: str
    en: list[str]
    fr: list[str]


class ThemeList(BaseModel):
    """The themes in effect: the bundled ones and the workspace's [voice.themes]."""

    model_config = ConfigDict(frozen=True)

    themes: list[ThemeInfo]


def theme_list(settings_file: Path | None) -> ThemeList:
    return ThemeList(
        themes=[
            ThemeInfo(
                theme=t.id,
                label_en=t.label_en,
                label_fr=t.label_fr,
                en=list(t.keywords.get("en", ())),
                fr=list(t.keywords.get("fr", ())),
            )
            for t in load_themes(settings_file).themes
        ]
    )


def load_themes(settings_file: Path | None) -> ThemeDictionary:
    """The bundled themes merged with ``[voice.themes]`` of a workspace's pilotage.toml."""
    base = bundled.themes()
    if settings_file is None or not settings_file.is_file():
        return base
    try:
        raw = tomllib.loads(settings_file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{settings_file} is not valid TOML: {exc}", fix="correct it") from exc
    own = raw.get("voice", {}).get("themes", {})
    if not isinstance(own, dict):
        raise ConfigError(f"{settings_file}: [voice.themes] must be tables of themes")
    try:
        return base.merged(own)
    except ThemeError as exc:
        raise ConfigError(
            f"{settings_file}: [voice.themes] {exc}",
            fix='write [voice.themes.ID] with en = ["keyword", ...] and/or fr = [...]',
        ) from exc


def voice(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    period: VoicePeriod = "month",
    themes_from: Path | None = None,
    topics_per_language: int = 8,
    max_texts: int = 20_000,
    churn_window_days: int = 180,
    confidence: float = 0.95,
    lang: Lang = "en",
) -> VoiceResult:
    """What customers say over [start, end] (local days; default: all)."""
    if period not in PERIODS:
        raise UsageError(f"period {period!r} is not allowed", fix="use week, month or quarter")
    if not 1 <= topics_per_language <= 30:
        raise UsageError("topics must be between 1 and 30", fix="e.g. --topics 8")
    if not 1 <= churn_window_days <= 730:
        raise UsageError(
            f"churn window {churn_window_days} days is out of range", fix="give 1 to 730 days"
        )
    if max_texts < 1:
        raise UsageError(f"max texts {max_texts} is not allowed", fix="give 1 or more")
    if not 0.5 <= confidence < 1:
        raise UsageError(f"confidence {confidence} is not allowed", fix="e.g. 0.95")
    check_window(start, end)
    dictionary = load_themes(themes_from)
    tables = StoredTables(store, settings.engine)
    records, left_out = _records(tables, settings, start, end, period, max_texts)
    res = Resources(bundled.stopwords(), bundled.lexicons(), dictionary)
    items = [
        Analysed(r, analyse(r.text, res, r.language, rating_label(r.survey_type, r.score)))
        for r in records
    ]
    ids = dictionary.ids()
    labels = {t.id: t.label(lang) for t in dictionary.themes}
    churn, churn_accounts = _churn_links(
        tables, settings, items, ids, labels, end, churn_window_days
    )
    return VoiceResult(
        start=start,
        end=end,
        period=period,
        texts=len(items),
        texts_left_out=left_out,
        languages=dict(Counter(a.analysis.language or "unknown" for a in items)),
        detected_languages=sum(1 for a in items if a.analysis.detected),
        rated_sentiments=sum(1 for a in items if a.analysis.rated),
        scores=_scores(store, settings, tables, start, end, period, confidence, lang),
        sentiment_by_source=_rows(sentiment_by(items, lambda a: a.record.source)),
        sentiment_by_period=_rows(sentiment_by(items, lambda a: a.record.period)),
        themes=_themes(items, ids, labels),
        topics=_topics(items, res, topics_per_language),
        stages=_stages(items, ids, labels),
        churn=churn,
        churn_accounts=churn_accounts,
        churn_window_days=churn_window_days,
        method=METHOD[lang],
        caution=CAUTION[lang],
    )


# -- texts ----------------------------------------------------------------------------


def _within(
    t: ir.Table, day: ir.DateValue, start: datetime.date | None, end: datetime.date | None
) -> ir.Table:
    if start is not None:
        t = t.filter(day >= start)
    if end is not None:
        t = t.filter(day <= end)
    return t


def _records(
    tables: StoredTables,
    settings: WorkspaceSettings,
    start: datetime.date | None,
    end: datetime.date | None,
    period: Period,
    max_texts: int,
) -> tuple[list[Record], int]:
    """Survey comments and conversations of the window, the most recent ``max_texts`` of
    each, and how many were left out."""
    zone, dialect = settings.timezone, tables.dialect
    people = tables["people"].select(o_person="person_id", o_account="account_id")
    s = tables["surveys"]
    s = s.filter(s.comment.notnull() & (s.comment.strip() != ""))
    s = s.left_join(people, s.person_id == people.o_person)
    s = _within(s, local_date(s.answered_at, zone, dialect), start, end)
    surveys = s.select(
        text=s.comment,
        source=ibis.literal("survey"),
        language=ibis.null("string"),
        at=s.answered_at,
        period_start=period_start(local_date(s.answered_at, zone, dialect), period),
        account_id=ibis.coalesce(s.account_id, s.o_account),
        survey_type=s.survey_type,
        score=s.score,
        journey_stage=s.journey_stage,
        url=ibis.null("string"),
    )
    c = tables["conversations"]
    c = c.filter(c.text.notnull() & (c.text.strip() != ""))
    c = c.left_join(people, c.author_id == people.o_person)
    c = _within(c, local_date(c.posted_at, zone, dialect), start, end)
    talks = c.select(
        text=c.text,
        source=c.source,
        language=c.language,
        at=c.posted_at,
        period_start=period_start(local_date(c.posted_at, zone, dialect), period),
        account_id=ibis.coalesce(c.account_id, c.o_account),
        survey_type=ibis.null("string"),
        score=ibis.null("float64"),
        journey_stage=ibis.null("string"),
        url=c.url,
    )
    out: list[Record] = []
    left = 0
    for expr in (surveys, talks):
        n = int(as_float(tables.rows(expr.aggregate(n=expr.count()))[0]["n"]))
        left += max(0, n - max_texts)
        for r in tables.rows(expr.order_by(ibis.desc("at")).limit(max_texts)):
            out.append(_record(r, period))
    out.sort(key=lambda r: r.posted_at)
    return out, left


def _record(r: dict[str, Any], period: Period) -> Record:
    score = r["score"]
    return Record(
        text=str(r["text"]),
        source=str(r["source"]),
        language=str(r["language"]) if r["language"] else None,
        posted_at=r["at"],
        period=period_label(r["period_start"], period),
        account_id=str(r["account_id"]) if r["account_id"] else None,
        survey_type=str(r["survey_type"]) if r["survey_type"] else None,
        score=float(score) if score is not None else None,
        journey_stage=str(r["journey_stage"]) if r["journey_stage"] else None,
        url=str(r["url"]) if r["url"] else None,
    )


def verbatim(a: Analysed, zone: str = "UTC") -> Verbatim:
    r = a.record
    return Verbatim(
        text=r.text,
        source=r.source,
        language=a.analysis.language,
        posted=r.posted_at.astimezone(ZoneInfo(zone)).date(),
        sentiment=a.analysis.sentiment.label,
        sentiment_score=a.analysis.sentiment.score,
        survey_type=r.survey_type,
        score=r.score,
        journey_stage=r.journey_stage,
        url=r.url,
        themes=[m.theme for m in a.analysis.themes],
    )


def _rows(groups: dict[str, Counts]) -> list[SentimentRow]:
    return [
        SentimentRow(
            key=k,
            texts=c.texts,
            positive=c.positive,
            neutral=c.neutral,
            negative=c.negative,
            negative_share=c.negative_share,
            mean_score=c.mean_score,
        )
        for k, c in groups.items()
    ]


# -- themes, topics, stages -------------------------------------------------------------


def _nps_of(items: list[Analysed]) -> tuple[float | None, int]:
    """NPS of the NPS answers among ``items``, by the registry's formula."""
    answers = [a.record.score for a in items if a.record.survey_type == "nps"]
    parts = {
        "nps_responses": float(len(answers)),
        "promoters": float(sum(1 for s in answers if s is not None and s >= 9)),
        "detractors": float(sum(1 for s in answers if s is not None and s <= 6)),
    }
    return evaluate([METRICS["nps"]], parts)["nps"], len(answers)


def _themes(items: list[Analysed], ids: list[str], labels: dict[str, str]) -> list[ThemeSummary]:
    out = []
    for theme in ids:
        c = theme_counts(items, theme)
        if not c.texts:
            continue
        mentioning = [a for a in items if a.mentions(theme)]
        nps, answers = _nps_of(mentioning)
        trend: dict[str, list[int]] = {}
        for a in mentioning:
            point = trend.setdefault(a.record.period, [0, 0])
            point[0] += 1
            point[1] += a.theme_label(theme) == "negative"
        out.append(
            ThemeSummary(
                theme=theme,
                label=labels[theme],
                mentions=c.texts,
                share=c.texts / len(items),
                positive=c.positive,
                neutral=c.neutral,
                negative=c.negative,
                net_sentiment=c.net,
                nps_when_mentioned=nps,
                nps_answers_when_mentioned=answers,
                trend=[
                    ThemePoint(period=p, mentions=m, negative=n)
                    for p, (m, n) in sorted(trend.items())
                ],
                negative_verbatims=[verbatim(a) for a in examples(items, "negative", 3, theme)],
                positive_verbatims=[verbatim(a) for a in examples(items, "positive", 2, theme)],
            )
        )
    return sorted(out, key=lambda t: (-t.negative, -t.mentions, t.theme))


def _topics(items: list[Analysed], res: Resources, k: int) -> list[TopicSummary]:
    out = []
    every_stopword = frozenset().union(*res.stopwords.values())
    for language in sorted({a.analysis.language for a in items if a.analysis.language}):
        group = [a for a in items if a.analysis.language == language]
        found, _ = topics([a.record.text for a in group], every_stopword, k)
        for topic in found:
            members = [group[i] for i in topic.members]
            themes = Counter(m.theme for a in members for m in a.analysis.themes)
            top = themes.most_common(1)
            majority = top[0][0] if top and top[0][1] > len(members) / 2 else None
            negative = sum(1 for a in members if a.analysis.sentiment.label == "negative")
            typical = sorted(members, key=lambda a: len(a.record.text))[len(members) // 2]
            out.append(
                TopicSummary(
                    language=language,
                    terms=list(topic.terms),
                    texts=len(members),
                    dictionary_theme=majority,
                    negative_share=negative / len(members),
                    example=verbatim(typical),
                )
            )
    return out


def _stages(items: list[Analysed], ids: list[str], labels: dict[str, str]) -> list[StageVoice]:
    def stage(a: Analysed) -> str | None:
        return a.record.journey_stage

    per_stage = stage_themes(items, stage, ids)
    sentiment = sentiment_by(items, stage)
    out = []
    for name, rows in per_stage.items():
        group = [a for a in items if a.record.journey_stage == name]
        out.append(
            StageVoice(
                journey_stage=name,
                texts=sentiment[name].texts,
                negative_share=sentiment[name].negative_share,
                themes=[
                    StageThemeRow(
                        theme=r.theme,
                        label=labels[r.theme],
                        mentions=r.mentions,
                        negative=r.negative,
                        negative_share=r.negative_share,
                        lift=r.lift,
                    )
                    for r in rows
                ],
                verbatims=[verbatim(a) for a in examples(group, "negative", 3)],
            )
        )
    return out


# -- churn ---------------------------------------------------------------------------


def _churn_links(
    tables: StoredTables,
    settings: WorkspaceSettings,
    items: list[Analysed],
    ids: list[str],
    labels: dict[str, str],
    end: datetime.date | None,
    window_days: int,
) -> tuple[list[ChurnLink], int]:
    if not items:
        return [], 0
    cap = None
    if end is not None:
        cap = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time())
        cap = cap.replace(tzinfo=ZoneInfo(settings.timezone)).astimezone(datetime.UTC)
    as_of = outcome_end(tables, cap)
    units = tables.rows(
        churn_units(tables["subscriptions"], window_days, as_of, whole_window=False)
    )
    spans = {str(u["unit_id"]): (u["start_at"], u["stop_at"], bool(u["reached"])) for u in units}
    said: dict[str, list[Analysed]] = {}
    for a in items:
        account = a.record.account_id
        if account is None or account not in spans:
            continue
        begin, stop, _ = spans[account]
        if begin <= a.record.posted_at < stop:  # type: ignore[operator]
            said.setdefault(account, []).append(a)
    churned = {acc for acc in said if spans[acc][2]}
    n, n_churned = len(said), len(churned)
    cells, exposed = [], []
    for theme in ids:
        complained = {
            acc
            for acc, group in said.items()
            if any(a.theme_label(theme) == "negative" for a in group)
        }
        hit = len(complained & churned)
        cells.append(Table2x2(len(complained), hit, n - len(complained), n_churned - hit))
        exposed.append(complained)
    out = []
    for theme, cell, found in zip(ids, cells, associations(cells), strict=True):
        if not cell.with_units:
            continue
        retained_with = cell.with_units - cell.with_outcome
        p_churned = cell.with_outcome / n_churned if n_churned else None
        p_retained = retained_with / (n - n_churned) if n - n_churned else None
        out.append(
            ChurnLink(
                theme=theme,
                label=labels[theme],
                churned_mentioning=cell.with_outcome,
                churned=n_churned,
                retained_mentioning=retained_with,
                retained=n - n_churned,
                prevalence_churned=p_churned,
                prevalence_retained=p_retained,
                prevalence_lift=p_churned / p_retained
                if p_churned is not None and p_retained
                else None,
                churn_rate_with=found.rate_with,
                churn_rate_without=found.rate_without,
                lift=found.lift,
                lift_low=found.lift_low,
                lift_high=found.lift_high,
                p_value=found.p_value,
                q_value=found.q_value,
                significant=found.significant,
            )
        )
    out.sort(key=lambda c: (not c.significant, -(c.lift or 0.0), c.theme))
    return out, n


# -- scores --------------------------------------------------------------------------


def _value(
    metric: str, parts: dict[str, float | None], squares: float | None, confidence: float
) -> ScoreValue:
    def part(name: str) -> float:
        return float(parts.get(name) or 0.0)

    value = evaluate([METRICS[metric]], parts)[metric]
    interval: tuple[float, float] | None
    if metric == "nps":
        n = part("nps_responses")
        interval = nps_interval(part("promoters"), part("detractors"), n, confidence)
    elif metric == "csat":
        n = part("csat_responses")
        interval = wilson_interval(part("csat_satisfied"), n, confidence)
    else:
        n = part("ces_responses")
        interval = (
            mean_interval(part("ces_total"), squares, n, confidence)
            if squares is not None
            else None
        )
    low, high = interval if interval is not None else (None, None)
    return ScoreValue(value=value, low=low, high=high, responses=int(n))


def _row(key: str, parts: dict[str, Any], squares: float | None, confidence: float) -> ScoreRow:
    return ScoreRow(
        key=key,
        nps=_value("nps", parts, None, confidence),
        csat=_value("csat", parts, None, confidence),
        ces=_value("ces", parts, squares, confidence),
    )


def _scores(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    tables: StoredTables,
    start: datetime.date | None,
    end: datetime.date | None,
    period: Period,
    confidence: float,
    lang: Lang,
) -> VoiceScores:
    ctx = FactContext(tables, settings.timezone, dialect=tables.dialect)

    def squares(by: str) -> dict[str, float]:
        rows = tables.rows(sq.ces_squares(ctx, by, start, end, period))
        if by == "period":
            return {
                period_label(datetime.date.fromisoformat(str(r["key"])[:10]), period): as_float(
                    r["ces_squares"]
                )
                for r in rows
            }
        return {str(r["key"]): as_float(r["ces_squares"]) for r in rows}

    over = kpi_table(
        store, settings, metrics=SCORE_METRICS, period=period, start=start, end=end, lang=lang
    )
    by_period = squares("period")
    total = _row("all", over.totals, squares("all").get("all"), confidence)
    over_time = [
        _row(str(r["period"]), r, by_period.get(str(r["period"])), confidence) for r in over.rows
    ]
    seg = kpi_table(
        store, settings, metrics=SCORE_METRICS, by=["segment"], start=start, end=end, lang=lang
    )
    by_segment = squares("segment")
    breakdowns = [
        ScoreBreakdown(
            dimension="segment",
            rows=[
                _row(str(r["segment"]), r, by_segment.get(r["segment"]), confidence)
                for r in seg.rows
            ],
        )
    ]
    for dimension in ("journey_stage", "channel"):
        sums = squares(dimension)
        values = tables.rows(sq.slice_values(tables["surveys"], tables["people"], dimension))
        values.sort(key=lambda r: -as_float(r["answers"]))
        rows = []
        for v in values[:MAX_SLICE_VALUES]:
            key = str(v["key"])
            keep = (
                sq.stage_keep(key)
                if dimension == "journey_stage"
                else sq.channel_keep(key, tables["people"])
            )
            parts = tables.rows(sq.slice_parts(ctx, keep, start, end))[0]
            rows.append(
                _row(key, {k: as_float(x) for k, x in parts.items()}, sums.get(key), confidence)
            )
        breakdowns.append(
            ScoreBreakdown(dimension=dimension, rows=[r for r in rows if _answered(r)])
        )
    return VoiceScores(
        confidence=confidence,
        total=total,
        over_time=over_time,
        breakdowns=breakdowns,
        metrics=[m for m in over.metrics if m.id in ("nps", "csat", "ces")],
    )


def _answered(row: ScoreRow) -> bool:
    return bool(row.nps.responses or row.csat.responses or row.ces.responses)
