"""The metric registry: id, names in French and English, formula, unit, parts, tables.

Ratios are never averaged: each ratio names the additive metrics it is recomputed from at
every level of aggregation, and a zero denominator gives null, never infinity.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pilotage.errors import UsageError

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


METRICS: dict[str, Metric] = {
    m.id: m
    for m in (
        Metric(
            "cost",
            "Cost",
            "Coût",
            "currency",
            "additive",
            "sum(spend.cost)",
            None,
            None,
            ("spend",),
            "Media spend paid to platforms and vendors, in the reporting currency "
            "(converted at the rate of the day).",
            "Dépenses média payées aux plateformes et prestataires, en devise de reporting "
            "(converties au taux du jour).",
        ),
        Metric(
            "revenue",
            "Revenue (last touch)",
            "Chiffre d'affaires (dernier contact)",
            "currency",
            "additive",
            "sum(orders.amount) credited to the last touch before each order",
            None,
            None,
            ("orders", "touchpoints"),
            "Order revenue credited in full to the last touchpoint of the same person (or "
            "account) at or before the order, within the lookback window; orders with no "
            "such touch are shown as unattributed.",
            "Chiffre d'affaires des commandes attribué en entier au dernier point de contact "
            "de la même personne (ou du même compte) avant la commande, dans la fenêtre "
            "d'attribution ; les commandes sans contact sont « non attribuées ».",
        ),
        Metric(
            "roi",
            "Marketing ROI",
            "ROI marketing",
            "ratio",
            "ratio",
            "(revenue - cost) / cost",
            "revenue - cost",
            "cost",
            ("spend", "orders", "touchpoints"),
            "Return on investment on a revenue basis: attributed revenue minus cost, divided "
            "by cost. Null when there is no cost.",
            "Retour sur investissement sur la base du chiffre d'affaires : chiffre d'affaires "
            "attribué moins le coût, divisé par le coût. Vide quand le coût est nul.",
        ),
        Metric(
            "roas",
            "ROAS",
            "ROAS",
            "ratio",
            "ratio",
            "revenue / cost",
            "revenue",
            "cost",
            ("spend", "orders", "touchpoints"),
            "Return on ad spend: attributed revenue per euro of cost. Null when there is no cost.",
            "Retour sur dépenses publicitaires : chiffre d'affaires attribué par euro de coût. "
            "Vide quand le coût est nul.",
        ),
    )
}


def get_metric(metric_id: str) -> Metric:
    metric = METRICS.get(metric_id)
    if metric is None:
        raise UsageError(
            f"unknown metric {metric_id!r}", fix=f"use one of: {', '.join(sorted(METRICS))}"
        )
    return metric


def safe_ratio(numerator: float | None, denominator: float | None) -> float | None:
    """numerator / denominator, or None when either is missing or the denominator is zero."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator
