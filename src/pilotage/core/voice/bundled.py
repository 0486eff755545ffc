"""The word lists shipped with the package (``data/*.toml``), read once. They are part of
the code, like a module: nothing is downloaded, and a workspace adds its own themes on top
(:meth:`ThemeDictionary.merged`)."""

from __future__ import annotations

import functools
import tomllib
from importlib.resources import files
from typing import Any

from pilotage.core.voice.language import folded_words
from pilotage.core.voice.lexicon import SentimentLexicon
from pilotage.core.voice.themes import ThemeDictionary

_DATA = files("pilotage.core.voice") / "data"


def _toml(name: str) -> dict[str, Any]:
    return tomllib.loads((_DATA / name).read_text(encoding="utf-8"))


@functools.cache
def stopwords() -> dict[str, frozenset[str]]:
    return {lang: folded_words(words) for lang, words in _toml("stopwords.toml").items()}


@functools.cache
def lexicons() -> dict[str, SentimentLexicon]:
    return {lang: SentimentLexicon.of(_toml(f"sentiment_{lang}.toml")) for lang in ("en", "fr")}


@functools.cache
def themes() -> ThemeDictionary:
    return ThemeDictionary.of(_toml("themes.toml"))
