"""Data-quality checks: counts of rows that a figure would silently mishandle."""

from __future__ import annotations

from pilotage.core.metrics.metric import Metric, additive

QUALITY_METRICS: tuple[Metric, ...] = (
    additive(
        "dq_spend_unknown_campaign",
        ("Spend rows with an unknown campaign", "Dépenses sur une campagne inconnue"),
        "count",
        "count(spend where campaign_id not in campaigns)",
        ("spend", "campaigns"),
        (
            "Spend rows whose campaign_id is missing from the campaigns table: their cost "
            "counts, but they have no budget, program or initiative.",
            "Lignes de dépense dont le campaign_id manque dans la table des campagnes : leur "
            "coût compte, mais sans budget, programme ni initiative.",
        ),
    ),
    additive(
        "dq_unassigned_touches",
        ("Touches with channel 'unassigned'", "Contacts au canal « unassigned »"),
        "count",
        "count(touchpoints where channel = 'unassigned')",
        ("touchpoints",),
        (
            "Touchpoints the channel rules could not classify: the revenue they win is "
            "credited to no real channel. Add a rule for their source and medium.",
            "Points de contact que les règles de canal n'ont pas classés : le chiffre "
            "d'affaires qu'ils remportent ne va à aucun canal réel. Ajoutez une règle.",
        ),
    ),
    additive(
        "dq_orders_without_buyer",
        ("Orders with no person nor account", "Commandes sans personne ni compte"),
        "count",
        "count(orders where person_id is null and account_id is null)",
        ("orders",),
        (
            "Orders that can never be attributed because nobody placed them.",
            "Commandes impossibles à attribuer car sans acheteur.",
        ),
    ),
    additive(
        "dq_future_rows",
        ("Rows dated in the future", "Lignes datées dans le futur"),
        "count",
        "count(rows where time column > today)",
        ("spend", "people", "touchpoints", "orders", "opportunities"),
        (
            "Rows whose date (the table's time column) is after today in the workspace's "
            "time zone: usually a time-zone or date-format error.",
            "Lignes dont la date (colonne de temps de la table) est après aujourd'hui dans le "
            "fuseau de l'espace : souvent une erreur de fuseau ou de format de date.",
        ),
    ),
)
