"""What a metric is: id, names in French and English, formula, unit, parts, tables.

Ratios are never averaged: each ratio names the additive measures it is recomputed from at
every level of aggregation (as linear combinations above and below the bar), and a zero
denominator gives null, never infinity. A derived metric (payback, velocity) is a stated
function of summed measures.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

Unit = Literal["currency", "ratio", "count", "percent", "months", "days", "score"]
#: additive: summed over any slice; distinct: counted distinct per slice (not additive);
#: stock: measured per span (not additive over time); ratio and derived: from parts.
Kind = Literal["additive", "distinct", "stock", "ratio", "derived"]
#: measure id -> coefficient.
Combination = tuple[tuple[str, float], ...]
Parts = Mapping[str, float | None]


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
    #: Ratios the engine computes: the measures above and below the bar.
    num: Combination = ()
    den: Combination = ()
    #: Derived metrics: their measures and the function of their sums.
    inputs: tuple[str, ...] = ()
    derive: Callable[[Mapping[str, float]], float | None] | None = None

    def __post_init__(self) -> None:
        if (self.kind == "ratio") != (self.denominator is not None):
            raise ValueError(f"metric {self.id}: a ratio needs a denominator, and only a ratio")
        if (self.kind == "derived") != (self.derive is not None):
            raise ValueError(f"metric {self.id}: a derived metric needs its function")

    def name(self, lang: str) -> str:
        return self.name_fr if lang == "fr" else self.name_en

    def definition(self, lang: str) -> str:
        return self.definition_fr if lang == "fr" else self.definition_en

    @property
    def parts(self) -> tuple[str, ...]:
        """The measures this metric is computed from (empty: not computed by the engine)."""
        if self.kind in ("additive", "distinct", "stock"):
            return (self.id,)
        if self.kind == "ratio":
            return tuple(dict.fromkeys(m for m, _ in (*self.num, *self.den)))
        return self.inputs

    def value(self, parts: Parts) -> float | None:
        """This metric from the summed measures of one row or total (None: not known)."""
        values = [parts.get(m) for m in self.parts]
        if not self.parts or any(v is None for v in values):
            return None
        known = {m: float(v) for m, v in zip(self.parts, values, strict=True) if v is not None}
        if self.kind == "ratio":
            return safe_ratio(_combine(self.num, known), _combine(self.den, known))
        if self.derive is not None:
            return self.derive(known)
        return known[self.id]


def _combine(combination: Combination, values: Mapping[str, float]) -> float:
    return sum(coefficient * values[m] for m, coefficient in combination)


def safe_ratio(numerator: float | None, denominator: float | None) -> float | None:
    """numerator / denominator, or None when either is missing or the denominator is zero."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def additive(
    metric_id: str,
    names: tuple[str, str],
    unit: Unit,
    formula: str,
    tables: tuple[str, ...],
    definitions: tuple[str, str],
    kind: Kind = "additive",
) -> Metric:
    """An additive (or distinct, or stock) measure; ``names`` and ``definitions`` are
    (English, French)."""
    return Metric(
        metric_id,
        names[0],
        names[1],
        unit,
        kind,
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
    num: Combination = (),
    den: Combination = (),
) -> Metric:
    """A ratio recomputed from its summed ``parts`` (numerator, denominator, as text);
    ``num`` and ``den`` give them as measures when the engine computes it."""
    return Metric(
        metric_id,
        names[0],
        names[1],
        unit,
        "ratio",
        f"{_grouped(parts[0])} / {_grouped(parts[1])}",
        parts[0],
        parts[1],
        tables,
        definitions[0],
        definitions[1],
        num=num,
        den=den,
    )


def _grouped(expression: str) -> str:
    return f"({expression})" if " " in expression else expression


def derived(
    metric_id: str,
    names: tuple[str, str],
    unit: Unit,
    formula: str,
    inputs: tuple[str, ...],
    derive: Callable[[Mapping[str, float]], float | None],
    tables: tuple[str, ...],
    definitions: tuple[str, str],
) -> Metric:
    return Metric(
        metric_id,
        names[0],
        names[1],
        unit,
        "derived",
        formula,
        None,
        None,
        tables,
        definitions[0],
        definitions[1],
        inputs=inputs,
        derive=derive,
    )
