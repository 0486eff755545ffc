"""Which language a text is in, from its function words: the language whose own stopwords
(those not shared with the other language) it uses most. French accents count as one more
French word. Too little evidence (no such word) gives None."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pilotage.core.voice.text import fold, tokens

_FRENCH_LETTERS = frozenset("éèêàùâîôûçëïœ")


def detect(
    text: str, stopwords: Mapping[str, frozenset[str]], toks: Sequence[str] | None = None
) -> str | None:
    words = tokens(text) if toks is None else toks
    shared = frozenset.intersection(*stopwords.values()) if stopwords else frozenset()
    hits = {
        lang: sum(1 for t in words if t in listed and t not in shared)
        for lang, listed in stopwords.items()
    }
    if "fr" in hits and any(c in _FRENCH_LETTERS for c in text.casefold()):
        hits["fr"] += 1
    ranked = sorted(hits.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] == 0 or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def folded_words(words: Sequence[str]) -> frozenset[str]:
    return frozenset(t for w in words for t in tokens(fold(w)))
