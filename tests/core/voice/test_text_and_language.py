"""Tokens (accents folded, elisions and contractions split) and the language of a text."""

from __future__ import annotations

from pilotage.core.voice import bundled
from pilotage.core.voice.language import detect
from pilotage.core.voice.text import fold, sentences, tokens


def test_tokens_fold_accents_and_split_elisions_and_contractions() -> None:
    assert fold("Élevé, œuvre") == "eleve, oeuvre"
    assert tokens("L'interface n'est pas claire") == ["l", "interface", "n", "est", "pas", "claire"]
    assert tokens("It doesn't work, qualité-prix") == ["it", "does", "not", "work", "qualite-prix"]
    assert tokens("Version 2.0 !") == ["version"]


def test_sentences_end_at_punctuation_and_line_breaks() -> None:
    assert sentences("Bien. Mais lent !\nMerci") == ["Bien.", "Mais lent !", "Merci"]


def test_language_from_function_words() -> None:
    words = bundled.stopwords()
    assert detect("Le support ne répond pas à nos demandes", words) == "fr"
    assert detect("The support does not answer our tickets", words) == "en"
    assert detect("Dashboard CAC", words) is None
    # French letters tip a text with no function word.
    assert detect("Très lent", words) == "fr"
