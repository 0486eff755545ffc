"""What a metric is: id, names in French and English, formula, unit, parts, tables.

Ratios are never averaged: each ratio names the additive metrics it is recomputed from at
every level of aggregation, and a zero denominator gives null, never infinity.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Unit = Literal["currency", "ratio", "count", "percent", "months", "days", "score"]
Kind = Literal["additive", "ratio"]


@dataclass(frozen=True)
class Metric:
    id: str
    name_en: str
    name_fr: str
    unit: Unit
    kind: Kind
    formula: str
    #: For ratios, the additive metric ids (or expression of them) above and below the bar.
    numerator: str | None
    denominator: str | None
    tables: tuple[str, ...]
    definition_en: str
    definition_fr: str

    def __post_init__(self) -> None:
        if (self.kind == "ratio") != (self.denominator is not None):
            raise ValueError(f"metric {self.id}: a ratio needs a denominator, and only a ratio")

    def name(self, lang: str) -> str:
        return self.name_fr if lang == "fr" else self.name_en

    def definition(self, lang: str) -> str:
        return self.definition_fr if lang == "fr" else self.definition_en


def additive(
    metric_id: str,
    names: tuple[str, str],
    unit: Unit,
    formula: str,
    tables: tuple[str, ...],
    definitions: tuple[str, str],
) -> Metric:
    """An additive metric; ``names`` and ``definitions`` are (English, French)."""
    return Metric(
        metric_id,
        names[0],
        names[1],
        unit,
        "additive",
        formula,
        None,
        None,
        tables,
        definitions[0],
        definitions[1],
    )


def ratio(
    metric_id: str,
    names: tuple[str, str],
    unit: Unit,
    parts: tuple[str, str],
    tables: tuple[str, ...],
    definitions: tuple[str, str],
) -> Metric:
    """A ratio recomputed from its summed ``parts`` (numerator, denominator)."""
    return Metric(
        metric_id,
        names[0],
        names[1],
        unit,
        "ratio",
        f"{parts[0]} / {parts[1]}",
        parts[0],
        parts[1],
        tables,
        definitions[0],
        definitions[1],
    )
