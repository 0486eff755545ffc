"""The theme dictionary (bundled, merged with a workspace's, its errors), theme mentions
with their own sentences' sentiment, and the rating fallback of survey comments."""

from __future__ import annotations

import pytest

from pilotage.core.voice import bundled
from pilotage.core.voice.analysis import Resources, analyse, rating_label
from pilotage.core.voice.text import tokens
from pilotage.core.voice.themes import ThemeDictionary, ThemeError

RES = Resources(bundled.stopwords(), bundled.lexicons(), bundled.themes())


def test_bundled_themes_cover_the_usual_subjects() -> None:
    assert {"pricing", "onboarding", "support", "integrations", "performance"} <= set(
        bundled.themes().ids()
    )


def test_workspace_themes_add_replace_and_remove() -> None:
    merged = bundled.themes().merged(
        {
            "security": {"en": ["sso", "password*"], "fr": ["mot de passe"], "en_label": "Sec"},
            "pricing": {"en": ["quote"]},
            "documentation": {"enabled": False},
        }
    )
    assert "security" in merged.ids() and "documentation" not in merged.ids()
    assert merged.find(tokens("We use SSO"), "en") == ["security"]
    assert merged.find(tokens("mot de passe oublié"), "fr") == ["security"]
    assert merged.find(tokens("too expensive"), "en") == []  # pricing now only knows "quote"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"Bad Id": {"en": ["x"]}}, "lower-case"),
        ({"t": {"en": "x"}}, "list of keywords"),
        ({"t": {}}, "give keywords"),
        ({"t": {"en": ["x"], "colour": "red"}}, "unknown key"),
        ({"t": "x"}, "table of keys"),
    ],
)
def test_bad_theme_tables_name_the_problem(raw: dict[str, object], message: str) -> None:
    with pytest.raises(ThemeError, match=message):
        ThemeDictionary(()).merged(raw)


def test_the_longest_match_wins_across_themes() -> None:
    found = bundled.themes().find(tokens("Bon rapport qualité-prix"), "fr")
    assert "pricing" in found and "reporting" not in found


def test_each_theme_takes_its_own_sentences_sentiment() -> None:
    a = analyse("Support answers fast and is excellent. The price is too expensive.", RES)
    by = {m.theme: m.label for m in a.themes}
    assert by["support"] == "positive" and by["pricing"] == "negative"
    assert a.language == "en" and a.detected


def test_a_comment_without_sentiment_words_takes_the_ratings_sign() -> None:
    text = "Onboarding took three months."
    plain = analyse(text, RES, "en")
    rated = analyse(text, RES, "en", rating_label("nps", 3))
    assert plain.sentiment.label == "neutral" and not plain.rated
    assert rated.sentiment.label == "negative" and rated.rated
    assert {m.theme: m.label for m in rated.themes}["onboarding"] == "negative"
    assert not analyse(text, RES, "en").detected


def test_rating_labels() -> None:
    assert [rating_label("nps", s) for s in (6, 7, 8, 9)] == [
        "negative",
        "neutral",
        "neutral",
        "positive",
    ]
    assert [rating_label("csat", s) for s in (2, 3, 4)] == ["negative", "neutral", "positive"]
    assert rating_label("ces", 1) is None and rating_label("nps", None) is None
