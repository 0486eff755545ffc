"""Lexicon sentiment: polarity, negation (English and French ne ... pas), intensity,
contrast and the normalisation of the sum."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pilotage.core.voice import bundled
from pilotage.core.voice.lexicon import SentimentLexicon, Terms
from pilotage.core.voice.sentiment import normalise, sentiment

LEX = SentimentLexicon.of(
    {
        "negators": ["not", "pas", "sans"],
        "intensifiers": ["very", "très"],
        "diminishers": ["slightly"],
        "contrast": ["but", "mais"],
        "words": {"good": 2, "slow": -2, "frustrat*": -2, "clair": 1, "bon": 2},
        "phrases": {"value for money": 2, "bonne journée": 0},
    }
)


def test_normalisation_is_vaders() -> None:
    assert normalise(2.0) == pytest.approx(2 / math.sqrt(4 + 15))
    assert normalise(0.0) == 0.0


def test_polarity_prefixes_and_phrases() -> None:
    s = sentiment("Frustrating, but good value for money", LEX)
    # frustrating -2 x 0.5 (before "but") ; good 2 x 1.5 ; phrase 2 x 1.5
    assert s.raw == pytest.approx(-1 + 3 + 3)
    assert s.negative == ("frustrating",) and s.positive == ("good", "value for money")
    assert s.label == "positive"


def test_english_and_french_negation() -> None:
    assert sentiment("not good", LEX).raw == pytest.approx(-1.5)
    assert sentiment("not slow", LEX).raw == pytest.approx(1.0)
    # ne ... pas around the word, and pas right before it.
    assert sentiment("Ce n'est pas clair", LEX).raw == pytest.approx(-0.75)
    assert sentiment("ça ne semble vraiment bon", LEX).raw == pytest.approx(-1.5)
    assert sentiment("bon", LEX).label == "positive"


def test_intensity_and_politeness() -> None:
    assert sentiment("very slow", LEX).raw == pytest.approx(-3.0)
    assert sentiment("slightly slow", LEX).raw == pytest.approx(-1.0)
    assert sentiment("Bonne journée", LEX).label == "neutral"


def test_bundled_lexicons_read_both_languages() -> None:
    lex = bundled.lexicons()
    assert sentiment("The app keeps crashing, very frustrating", lex["en"]).label == "negative"
    assert sentiment("Support rapide et efficace, bravo", lex["fr"]).label == "positive"
    assert sentiment("L'interface n'est pas intuitive", lex["fr"]).label == "negative"
    assert sentiment("Pas mal du tout", lex["fr"]).label != "negative"


def test_bad_lexicons_are_refused() -> None:
    with pytest.raises(ValueError, match="from -3 to 3"):
        SentimentLexicon.of({"words": {"great": 9}})
    with pytest.raises(ValueError, match="no word"):
        Terms.of({"***": 1})


@given(st.text(max_size=200))
def test_any_text_scores_between_minus_one_and_one(text: str) -> None:
    s = sentiment(text, bundled.lexicons()["en"])
    assert -1.0 <= s.score <= 1.0
