"""Text as tokens: lower case, accents folded for matching, French elisions and English
contractions split, sentences cut at their punctuation."""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[.!?;…])\s+|\n+")
#: French elided words ("l'", "n'", "qu'") and the English "n't" of contractions.
_ELIDED = re.compile(r"^(c|d|j|l|m|n|s|t|qu|jusqu|lorsqu|puisqu)'(.+)$")


def fold(text: str) -> str:
    """Lower case without accents (é -> e, œ -> oe): the form every match is made on."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.replace("œ", "oe").replace("æ", "ae").replace("’", "'").replace("ʼ", "'")


def tokens(text: str) -> list[str]:
    """Folded words. ``l'interface`` -> ``l``, ``interface``; ``doesn't`` -> ``does``,
    ``not``; hyphenated words stay whole (``qualite-prix``)."""
    out: list[str] = []
    for word in _WORD.findall(fold(text)):
        while True:
            elided = _ELIDED.match(word)
            if elided is None:
                break
            out.append(elided.group(1))
            word = elided.group(2)
        if word.endswith("n't"):
            stem = word[:-3]
            out.extend([stem, "not"] if stem else ["not"])
        elif "'" in word:
            out.extend(part for part in word.split("'") if part)
        else:
            out.append(word)
    return out


def sentences(text: str) -> list[str]:
    """The sentences of a text (a line break also ends one); empty ones dropped."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]
