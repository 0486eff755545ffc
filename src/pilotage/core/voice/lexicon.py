"""Word lists as matchers: exact words, prefixes (``frustrat*``) and phrases of several
words, all compared in folded form (:func:`pilotage.core.voice.text.fold`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pilotage.core.voice.text import tokens


@dataclass(frozen=True)
class Terms:
    """A value per term. ``lookup`` finds a word's value (exact first, then the longest
    prefix); ``phrases`` are token tuples of two words or more, matched first."""

    words: Mapping[str, float] = field(default_factory=dict)
    prefixes: tuple[tuple[str, float], ...] = ()
    phrases: Mapping[tuple[str, ...], float] = field(default_factory=dict)
    #: Words already looked up (prefix matching scans every prefix: remember the answer).
    _seen: dict[str, float | None] = field(default_factory=dict, compare=False, repr=False)
    #: Phrases by their first word, longest first.
    _starts: dict[str, list[tuple[tuple[str, ...], float]]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        for phrase, value in sorted(self.phrases.items(), key=lambda kv: -len(kv[0])):
            self._starts.setdefault(phrase[0], []).append((phrase, value))

    @classmethod
    def of(cls, entries: Mapping[str, float] | Iterable[str]) -> Terms:
        """From ``{term: value}`` (or terms, each valued 1). A term of several words is a
        phrase; a trailing ``*`` makes a prefix."""
        pairs = entries.items() if isinstance(entries, Mapping) else ((e, 1.0) for e in entries)
        words: dict[str, float] = {}
        prefixes: dict[str, float] = {}
        phrases: dict[tuple[str, ...], float] = {}
        for raw, value in pairs:
            star = raw.strip().endswith("*")
            parts = tokens(raw.strip().rstrip("*"))
            if not parts:
                raise ValueError(f"term {raw!r} has no word")
            if len(parts) > 1:
                phrases[tuple(parts)] = float(value)
            elif star:
                prefixes[parts[0]] = float(value)
            else:
                words[parts[0]] = float(value)
        ordered = tuple(sorted(prefixes.items(), key=lambda kv: (-len(kv[0]), kv[0])))
        return cls(words, ordered, phrases)

    def lookup(self, word: str) -> float | None:
        if word in self._seen:
            return self._seen[word]
        found: float | None = self.words.get(word)
        if found is None:
            found = next((v for prefix, v in self.prefixes if word.startswith(prefix)), None)
        self._seen[word] = found
        return found

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.lookup(word) is not None

    def matches(self, toks: Sequence[str]) -> list[tuple[int, int, float]]:
        """(start, end, value) of every term in ``toks``, phrases first and never
        overlapping a longer match, in order of position."""
        taken = [False] * len(toks)
        found: list[tuple[int, int, float]] = []
        candidates = [
            (len(phrase), i, phrase, value)
            for i, word in enumerate(toks)
            for phrase, value in self._starts.get(word, ())
        ]
        for n, i, phrase, value in sorted(candidates, key=lambda c: (-c[0], c[1])):
            if tuple(toks[i : i + n]) == phrase and not any(taken[i : i + n]):
                found.append((i, i + n, value))
                taken[i : i + n] = [True] * n
        for i, word in enumerate(toks):
            if not taken[i]:
                own = self.lookup(word)
                if own is not None:
                    found.append((i, i + 1, own))
        return sorted(found)


@dataclass(frozen=True)
class SentimentLexicon:
    """One language's polarities (-3..3) and the words that change them."""

    polarity: Terms
    negators: frozenset[str]
    intensifiers: frozenset[str]
    diminishers: frozenset[str]
    contrast: frozenset[str]

    @classmethod
    def of(cls, raw: Mapping[str, Any]) -> SentimentLexicon:
        """From the TOML layout of ``data/sentiment_*.toml``."""
        entries = {**raw.get("words", {}), **raw.get("phrases", {})}
        for term, value in entries.items():
            if not isinstance(value, int | float) or not -3 <= value <= 3:
                raise ValueError(f"polarity of {term!r} must be a number from -3 to 3")

        def folded(key: str) -> frozenset[str]:
            return frozenset(t for word in raw.get(key, []) for t in tokens(str(word)))

        return cls(
            Terms.of(entries),
            folded("negators"),
            folded("intensifiers"),
            folded("diminishers"),
            folded("contrast"),
        )
