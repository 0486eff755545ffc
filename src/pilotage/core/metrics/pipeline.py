"""Journey funnel, account pipeline and experiment exposure metrics."""

from __future__ import annotations

from pilotage.core.metrics.metric import Metric, additive, ratio


def _stage(metric_id: str, names: tuple[str, str], column: str) -> Metric:
    return additive(
        metric_id,
        names,
        "count",
        f"count(people where {column} is set)",
        ("people",),
        (
            f"People whose {column} timestamp is set, among those created in the period.",
            f"Personnes dont l'horodatage {column} est renseigné, parmi celles créées sur la "
            "période.",
        ),
    )


PIPELINE_METRICS: tuple[Metric, ...] = (
    _stage("leads", ("Leads", "Leads"), "created_at"),
    _stage("mqls", ("MQLs", "MQL"), "mql_at"),
    _stage("sqls", ("SQLs", "SQL"), "sql_at"),
    _stage("opportunity_people", ("Opportunities", "Opportunités"), "opportunity_at"),
    _stage("customers", ("Customers", "Clients"), "customer_at"),
    ratio(
        "stage_conversion",
        ("Stage conversion", "Conversion d'étape"),
        "percent",
        ("people reaching the stage", "people reaching the previous stage"),
        ("people",),
        (
            "People who reached a stage divided by those who reached the stage before, both "
            "counted over the same cohort. Null when the previous stage is empty.",
            "Personnes ayant atteint une étape divisées par celles ayant atteint l'étape "
            "précédente, sur la même cohorte. Vide quand l'étape précédente est vide.",
        ),
    ),
    additive(
        "open_pipeline",
        ("Open pipeline", "Pipeline ouvert"),
        "currency",
        "sum(opportunities.amount where not is_closed)",
        ("opportunities",),
        (
            "Amount of the account's opportunities that are not closed today (no period: it "
            "is the pipeline as loaded).",
            "Montant des opportunités du compte non clôturées à ce jour (sans période : c'est "
            "le pipeline tel que chargé).",
        ),
    ),
    additive(
        "won_amount",
        ("Won", "Gagné"),
        "currency",
        "sum(opportunities.amount where is_won)",
        ("opportunities",),
        (
            "Amount of the account's won opportunities closed in the period.",
            "Montant des opportunités gagnées du compte, clôturées sur la période.",
        ),
    ),
    additive(
        "experiment_units",
        ("Units", "Unités"),
        "count",
        "count(experiments rows with unit_id) + sum(experiments.units)",
        ("experiments",),
        (
            "Units exposed to a variant: one per unit-level row, or the declared count of an "
            "aggregate row.",
            "Unités exposées à une variante : une par ligne unitaire, ou l'effectif déclaré "
            "d'une ligne agrégée.",
        ),
    ),
)
