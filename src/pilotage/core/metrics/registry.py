"""The metric registry: id, names in French and English, formula, unit, parts, tables.

Ratios are never averaged: each ratio names the additive metrics it is recomputed from at
every level of aggregation, and a zero denominator gives null, never infinity.
"""

from __future__ import annotations

from pilotage.core.metrics.media import MEDIA_METRICS
from pilotage.core.metrics.metric import Kind, Metric, Unit
from pilotage.core.metrics.pipeline import PIPELINE_METRICS
from pilotage.core.metrics.quality import QUALITY_METRICS
from pilotage.errors import UsageError

__all__ = ["METRICS", "Kind", "Metric", "Unit", "get_metric", "safe_ratio"]

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
            "(converted at the rate of the day). Spend has no people segment: under a segment "
            "filter cost, ROI and ROAS are not shown rather than set against a slice of revenue.",
            "Dépenses média payées aux plateformes et prestataires, en devise de reporting "
            "(converties au taux du jour). Les dépenses n'ont pas de segment : avec un filtre "
            "de segment, coût, ROI et ROAS ne sont pas affichés plutôt que comparés à une part "
            "du chiffre d'affaires.",
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
        *MEDIA_METRICS,
        *PIPELINE_METRICS,
        *QUALITY_METRICS,
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
