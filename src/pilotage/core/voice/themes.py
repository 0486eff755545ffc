"""The theme dictionary: named themes with French and English keywords, and finding them
in a text. The bundled dictionary (``data/themes.toml``) is merged with a workspace's own
``[voice.themes.<id>]`` tables: a table with the id of a bundled theme replaces it, a new id
adds a theme, ``enabled = false`` removes one."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pilotage.core.voice.lexicon import Terms

LANGUAGES = ("fr", "en")
_ID = re.compile(r"[a-z][a-z0-9_]{0,39}")
_KEYS = frozenset({"en_label", "fr_label", "en", "fr", "enabled"})


@dataclass(frozen=True)
class Theme:
    id: str
    label_en: str
    label_fr: str
    keywords: Mapping[str, tuple[str, ...]]
    terms: Mapping[str, Terms]

    def label(self, lang: str) -> str:
        return self.label_fr if lang == "fr" else self.label_en


class ThemeError(ValueError):
    """A theme table that cannot be used; the message names the theme and the key."""


def theme_of(theme_id: str, raw: Mapping[str, Any]) -> Theme:
    if not _ID.fullmatch(theme_id):
        raise ThemeError(
            f"theme id {theme_id!r}: use lower-case letters, digits and _ (at most 40)"
        )
    unknown = set(raw) - _KEYS
    if unknown:
        raise ThemeError(f"theme {theme_id!r}: unknown key(s) {sorted(unknown)}")
    keywords: dict[str, tuple[str, ...]] = {}
    for lang in LANGUAGES:
        words = raw.get(lang, [])
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            raise ThemeError(f"theme {theme_id!r}: {lang} must be a list of keywords")
        keywords[lang] = tuple(words)
    if not any(keywords.values()):
        raise ThemeError(f"theme {theme_id!r}: give keywords in en or fr")
    label_en = str(raw.get("en_label", theme_id))
    label_fr = str(raw.get("fr_label", label_en))
    terms = {lang: Terms.of(words) for lang, words in keywords.items()}
    return Theme(theme_id, label_en, label_fr, keywords, terms)


@dataclass(frozen=True)
class ThemeDictionary:
    themes: tuple[Theme, ...]

    @classmethod
    def of(cls, raw: Mapping[str, Any]) -> ThemeDictionary:
        return cls(()).merged(raw)

    def merged(self, raw: Mapping[str, Any]) -> ThemeDictionary:
        """This dictionary with ``raw``'s themes added, replaced or (``enabled = false``)
        removed."""
        themes = {t.id: t for t in self.themes}
        for theme_id, table in raw.items():
            if not isinstance(table, Mapping):
                raise ThemeError(f"theme {theme_id!r} must be a table of keys")
            if table.get("enabled", True) is False:
                themes.pop(theme_id, None)
                continue
            themes[theme_id] = theme_of(theme_id, table)
        return ThemeDictionary(tuple(themes.values()))

    def ids(self) -> list[str]:
        return [t.id for t in self.themes]

    def get(self, theme_id: str) -> Theme | None:
        return next((t for t in self.themes if t.id == theme_id), None)

    def find(self, toks: Sequence[str], lang: str | None) -> list[str]:
        """Ids of the themes whose keywords (of ``lang``, or of both languages when it is
        unknown) occur in ``toks``, in dictionary order."""
        langs = (lang,) if lang in LANGUAGES else LANGUAGES
        spans = {
            t.id: [(a, b) for la in langs for a, b, _ in t.terms[la].matches(toks)]
            for t in self.themes
        }
        # The longest match wins: "rapport" inside the phrase "rapport qualité-prix" of
        # another theme is not a mention of its own theme.
        phrases = [(theme, a, b) for theme, found in spans.items() for a, b in found if b - a > 1]
        return [
            t.id
            for t in self.themes
            if any(
                not any(
                    other != t.id and pa <= a and b <= pb and pb - pa > b - a
                    for other, pa, pb in phrases
                )
                for a, b in spans[t.id]
            )
        ]
