"""Lexicon sentiment with negation, intensity and contrast, per sentence.

A sentence's raw score is the sum of its terms' polarities (-3..3), each
- turned around when a negator precedes it within three words (or, in French, when it sits
  between "ne"/"n'" and its "pas"/"plus"/"jamais"/...): a negated positive counts -0.75 x,
  a negated negative -0.5 x ("pas mauvais" is only mildly good);
- multiplied by 1.5 after an intensifier ("very", "très", "trop") or 0.5 after a softener;
- multiplied by 0.5 before a contrast word ("but", "mais") and 1.5 after it.
A text's score is S / sqrt(S^2 + 15) over the sum S of its sentences, in [-1, 1] (the
normalisation of Hutto & Gilbert's VADER, 2014); |score| < 0.05 reads neutral.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from pilotage.core.voice.lexicon import SentimentLexicon
from pilotage.core.voice.text import sentences, tokens

Label = Literal["positive", "neutral", "negative"]
NORMALISER = 15.0
NEUTRAL_BAND = 0.05
NEGATION_SCOPE = 3
#: French negation: "ne"/"n'" opens it, one of these closes it.
_NE = frozenset({"ne", "n"})
_NE_CLOSE = frozenset({"pas", "plus", "jamais", "rien", "guere", "point", "aucun", "aucune"})


@dataclass(frozen=True)
class Sentiment:
    score: float
    label: Label
    #: The raw sum of the polarities, before normalisation.
    raw: float
    positive: tuple[str, ...]
    negative: tuple[str, ...]


def label_of(score: float) -> Label:
    if score >= NEUTRAL_BAND:
        return "positive"
    if score <= -NEUTRAL_BAND:
        return "negative"
    return "neutral"


def normalise(raw: float) -> float:
    return raw / math.sqrt(raw * raw + NORMALISER)


def _negated(toks: Sequence[str], lex: SentimentLexicon) -> list[bool]:
    out = [False] * len(toks)
    for i, tok in enumerate(toks):
        if tok in _NE:
            close = next(
                (j for j in range(i + 1, min(len(toks), i + 6)) if toks[j] in _NE_CLOSE), None
            )
            stop = close if close is not None else min(len(toks), i + 1 + NEGATION_SCOPE)
            for j in range(i + 1, stop):
                out[j] = True
            if close is not None:
                for j in range(close + 1, min(len(toks), close + 3)):
                    out[j] = True
        elif tok in lex.negators:
            for j in range(i + 1, min(len(toks), i + 1 + NEGATION_SCOPE)):
                if toks[j] in lex.contrast:
                    break
                out[j] = True
    return out


def sentence_raw(toks: Sequence[str], lex: SentimentLexicon) -> tuple[float, list[str], list[str]]:
    """(raw score, positive terms, negative terms) of one sentence's tokens."""
    negated = _negated(toks, lex)
    contrast = max((i for i, t in enumerate(toks) if t in lex.contrast), default=None)
    total = 0.0
    pos: list[str] = []
    neg: list[str] = []
    for start, end, value in lex.polarity.matches(toks):
        if value == 0:
            continue
        if negated[start]:
            value = -0.75 * value if value > 0 else -0.5 * value
        before = toks[start - 1] if start > 0 else ""
        if before in lex.intensifiers:
            value *= 1.5
        elif before in lex.diminishers:
            value *= 0.5
        if contrast is not None:
            value *= 0.5 if start < contrast else 1.5
        total += value
        (pos if value > 0 else neg).append(" ".join(toks[start:end]))
    return total, pos, neg


def sentiment(text: str, lex: SentimentLexicon) -> Sentiment:
    raw, pos, neg = 0.0, [], []
    for sentence in sentences(text):
        s, p, n = sentence_raw(tokens(sentence), lex)
        raw += s
        pos += p
        neg += n
    score = normalise(raw)
    return Sentiment(score, label_of(score), raw, tuple(pos), tuple(neg))
