"""The metric registry: id, names in French and English, formula, unit, parts, tables.

Ratios are never averaged: each ratio names the additive metrics it is recomputed from at
every level of aggregation, and a zero denominator gives null, never infinity.
"""

from __future__ import annotations

from pilotage.core.metrics.economics import ECONOMICS_METRICS
from pilotage.core.metrics.funnel import FUNNEL_METRICS
from pilotage.core.metrics.media import MEDIA_METRICS
from pilotage.core.metrics.metric import Kind, Metric, Unit, ratio, safe_ratio
from pilotage.core.metrics.pipeline import PIPELINE_METRICS
from pilotage.core.metrics.quality import QUALITY_METRICS
from pilotage.core.metrics.retention import RETENTION_METRICS
from pilotage.core.metrics.sales import SALES_METRICS
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
            "Revenue",
            "Chiffre d'affaires",
            "currency",
            "additive",
            "sum(orders.amount)",
            None,
            None,
            ("orders", "touchpoints", "people", "accounts"),
            "Order revenue (refunds deducted) in the reporting currency. Sliced by channel or "
            "campaign, each order is credited to the touches of the same person (or account) "
            "before it, within the lookback window, under the chosen attribution model "
            "(default last touch); orders with no such touch show as unattributed.",
            "Chiffre d'affaires des commandes (remboursements déduits) en devise de reporting. "
            "Par canal ou campagne, chaque commande est attribuée aux contacts de la même "
            "personne (ou du même compte) qui la précèdent dans la fenêtre d'attribution, "
            "selon le modèle choisi (dernier contact par défaut) ; les commandes sans contact "
            "sont « non attribuées ».",
        ),
        ratio(
            "roi",
            ("Marketing ROI", "ROI marketing"),
            "ratio",
            ("attributed_revenue - cost", "cost"),
            ("spend", "orders", "touchpoints"),
            (
                "Return on investment on a revenue basis: attributed revenue minus cost, "
                "divided by cost (roi_margin uses gross margin). Null when there is no cost.",
                "Retour sur investissement sur la base du chiffre d'affaires : chiffre "
                "d'affaires attribué moins le coût, divisé par le coût (roi_margin utilise la "
                "marge brute). Vide quand le coût est nul.",
            ),
            num=(("attributed_revenue", 1.0), ("cost", -1.0)),
            den=(("cost", 1.0),),
        ),
        ratio(
            "roas",
            ("ROAS", "ROAS"),
            "ratio",
            ("attributed_revenue", "cost"),
            ("spend", "orders", "touchpoints"),
            (
                "Return on ad spend: attributed revenue per euro of cost. Null when there is "
                "no cost.",
                "Retour sur dépenses publicitaires : chiffre d'affaires attribué par euro de "
                "coût. Vide quand le coût est nul.",
            ),
            num=(("attributed_revenue", 1.0),),
            den=(("cost", 1.0),),
        ),
        *MEDIA_METRICS,
        *ECONOMICS_METRICS,
        *FUNNEL_METRICS,
        *SALES_METRICS,
        *RETENTION_METRICS,
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
