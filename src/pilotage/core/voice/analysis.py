"""One text read as a whole: its language, its sentiment, and each theme it mentions with
the sentiment of the sentences that mention it (a meeting note praising support and
criticising pricing counts once for each, with its own sign).

A survey comment comes with the respondent's own rating. Where its words carry no
sentiment ("onboarding took three months"), the rating gives the sign: NPS 0-6 negative,
7-8 neutral, 9-10 positive; CSAT 1-2 negative, 3 neutral, 4-5 positive (CES scales run
either way, so CES answers give none). Such a text scores ±RATED_SCORE."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pilotage.core.voice.language import detect
from pilotage.core.voice.lexicon import SentimentLexicon
from pilotage.core.voice.sentiment import Label, Sentiment, label_of, normalise, sentence_raw
from pilotage.core.voice.text import sentences, tokens
from pilotage.core.voice.themes import ThemeDictionary

#: Score of a text (or theme mention) whose sign comes from the rating alone.
RATED_SCORE = 0.25


def rating_label(survey_type: str | None, score: float | None) -> Label | None:
    """The sign a survey answer gives its comment (None: no usable rating)."""
    if score is None:
        return None
    if survey_type == "nps":
        return "negative" if score <= 6 else "neutral" if score <= 8 else "positive"
    if survey_type == "csat":
        return "negative" if score <= 2 else "neutral" if score < 4 else "positive"
    return None


def _rated(raw: float, rating: Label | None) -> float:
    """The normalised score of ``raw``, or the rating's when the words said nothing."""
    if raw == 0 and rating is not None:
        return {"positive": RATED_SCORE, "negative": -RATED_SCORE, "neutral": 0.0}[rating]
    return normalise(raw)


@dataclass(frozen=True)
class Resources:
    stopwords: Mapping[str, frozenset[str]]
    lexicons: Mapping[str, SentimentLexicon]
    themes: ThemeDictionary


@dataclass(frozen=True)
class ThemeMention:
    theme: str
    score: float
    label: Label


@dataclass(frozen=True)
class TextAnalysis:
    #: "fr", "en", or None when neither the hint nor the words tell.
    language: str | None
    #: True when the language came from the words, not from the data.
    detected: bool
    #: True when the sentiment's sign came from the respondent's rating, not the words.
    rated: bool
    sentiment: Sentiment
    themes: tuple[ThemeMention, ...]


def analyse(
    text: str, res: Resources, language: str | None = None, rating: Label | None = None
) -> TextAnalysis:
    """``language`` is the data's own (kept when it is one of the lexicons'), else the
    language is detected; an undecided text is scored with the lexicon that finds the most
    terms in it."""
    all_tokens = tokens(text)
    hinted = language.strip().casefold()[:2] if language else None
    lang = hinted if hinted in res.lexicons else detect(text, res.stopwords, all_tokens)
    detected = hinted not in res.lexicons
    parts = [tokens(s) for s in sentences(text)]
    lexicon = res.lexicons.get(lang) if lang else _best(parts, res.lexicons)
    raw, pos, neg = 0.0, [], []
    per_theme: dict[str, float] = {}
    for toks in parts:
        s, p, n = sentence_raw(toks, lexicon) if lexicon else (0.0, [], [])
        raw += s
        pos += p
        neg += n
        for theme in res.themes.find(toks, lang):
            per_theme[theme] = per_theme.get(theme, 0.0) + s
    score = _rated(raw, rating)
    mentions = tuple(
        ThemeMention(t, _rated(v, rating), label_of(_rated(v, rating)))
        for t, v in per_theme.items()
    )
    sentiment = Sentiment(score, label_of(score), raw, tuple(pos), tuple(neg))
    return TextAnalysis(lang, detected, raw == 0 and rating is not None, sentiment, mentions)


def _best(
    parts: list[list[str]], lexicons: Mapping[str, SentimentLexicon]
) -> SentimentLexicon | None:
    def found(lex: SentimentLexicon) -> int:
        return sum(len(lex.polarity.matches(toks)) for toks in parts)

    return max(lexicons.values(), key=found, default=None)
