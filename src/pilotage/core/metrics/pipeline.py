"""Journey funnel, account pipeline and experiment exposure metrics."""

from __future__ import annotations

from pilotage.core.metrics.metric import Metric, additive, ratio

PIPELINE_METRICS: tuple[Metric, ...] = (
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
