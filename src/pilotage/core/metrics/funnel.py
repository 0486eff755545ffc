"""Funnel stages, stage-to-stage conversion, conversions by type, CPL and CPA."""

from __future__ import annotations

from pilotage.core.kpis.facts.people import STAGE_PAIRS, STAGES, cohort_measure
from pilotage.core.kpis.facts.revenue import CONVERSION_TYPES
from pilotage.core.metrics.metric import Metric, additive, ratio

_STAGE_NAMES: dict[str, tuple[str, str]] = {
    "lead": ("Lead", "Lead"),
    "mql": ("MQL", "MQL"),
    "sql": ("SQL", "SQL"),
    "opportunity": ("Opportunity", "Opportunité"),
    "customer": ("Customer", "Client"),
}
_COUNT_NAMES: dict[str, tuple[str, str]] = {
    "leads": ("Leads", "Leads"),
    "mqls": ("MQLs", "MQL"),
    "sqls": ("SQLs", "SQL"),
    "opportunity_people": ("People at opportunity", "Personnes en opportunité"),
    "customers": ("People who became customers", "Personnes devenues clientes"),
}
_CREDIT_EN = (
    "Sliced by channel or campaign, each person is credited to the touches before their "
    "creation under the chosen attribution model (their lead source)."
)
_CREDIT_FR = (
    "Par canal ou campagne, chaque personne est attribuée aux contacts précédant sa "
    "création selon le modèle d'attribution choisi (sa source de lead)."
)


def _stage_count(stage: str, column: str, measure: str) -> Metric:
    en, fr = _STAGE_NAMES[stage]
    return additive(
        measure,
        _COUNT_NAMES[measure],
        "count",
        f"count(people where {column} in the period)",
        ("people", "touchpoints"),
        (
            f"People who reached the {en} stage in the period (people.{column}); leads are "
            f"new contacts, not form fills. {_CREDIT_EN}",
            f"Personnes ayant atteint l'étape {fr} sur la période (people.{column}) ; les "
            f"leads sont les nouveaux contacts, pas les formulaires. {_CREDIT_FR}",
        ),
    )


def _cohort(a: str, b: str) -> Metric:
    (a_en, a_fr), (b_en, b_fr) = _STAGE_NAMES[a], _STAGE_NAMES[b]
    return additive(
        cohort_measure(a, b),
        (f"{a_en} cohort reaching {b_en}", f"Cohorte {a_fr} ayant atteint {b_fr}"),
        "count",
        f"count(people at {a} in the period who reached {b})",
        ("people",),
        (
            f"People who reached {a_en} in the period and have reached {b_en} since "
            "(so far: recent cohorts are still converting).",
            f"Personnes arrivées à l'étape {a_fr} sur la période et passées depuis à "
            f"l'étape {b_fr} (à ce jour : les cohortes récentes convertissent encore).",
        ),
    )


def _conversion(a: str, b: str) -> Metric:
    (a_en, a_fr), (b_en, b_fr) = _STAGE_NAMES[a], _STAGE_NAMES[b]
    count_a = next(m for s, _, m in STAGES if s == a)
    return ratio(
        f"conv_{a}_{b}",
        (f"{a_en} → {b_en} conversion", f"Conversion {a_fr} → {b_fr}"),
        "percent",
        (cohort_measure(a, b), count_a),
        ("people",),
        (
            f"Of the people who reached {a_en} in the period, the share who have reached "
            f"{b_en} since (cohort conversion). Null when no one reached {a_en}.",
            f"Parmi les personnes arrivées à l'étape {a_fr} sur la période, part de celles "
            f"passées depuis à l'étape {b_fr} (conversion de cohorte). Vide sans personne à "
            f"l'étape {a_fr}.",
        ),
        num=((cohort_measure(a, b), 1.0),),
        den=((count_a, 1.0),),
    )


def _conversions_of(kind: str) -> Metric:
    return additive(
        f"conversions_{kind}",
        (f"Conversions: {kind}", f"Conversions : {kind}"),
        "count",
        f"count(conversions where conversion_type = '{kind}')",
        ("conversions", "touchpoints"),
        (
            f"Conversions of type '{kind}' in the period, credited like orders.",
            f"Conversions de type « {kind} » sur la période, attribuées comme les commandes.",
        ),
    )


def _cpa_of(kind: str) -> Metric:
    return ratio(
        f"cpa_{kind}",
        (f"CPA ({kind})", f"CPA ({kind})"),
        "currency",
        ("cost", f"conversions_{kind}"),
        ("spend", "conversions", "touchpoints"),
        (
            f"Cost per '{kind}' conversion: summed cost divided by the conversions of that "
            "type credited to the same slice. Null without such conversions.",
            f"Coût par conversion « {kind} » : coût total divisé par les conversions de ce "
            "type attribuées à la même tranche. Vide sans conversion.",
        ),
        num=(("cost", 1.0),),
        den=((f"conversions_{kind}", 1.0),),
    )


FUNNEL_METRICS: tuple[Metric, ...] = (
    *(_stage_count(stage, column, measure) for stage, column, measure in STAGES),
    *(_cohort(a, b) for a, b in STAGE_PAIRS),
    *(_conversion(a, b) for a, b in STAGE_PAIRS),
    additive(
        "conversions",
        ("Conversions", "Conversions"),
        "count",
        "count(conversions)",
        ("conversions", "touchpoints"),
        (
            "Conversions of every type in the period (slice by conversion_type to separate "
            "them); by channel, credited to the touches before each under the chosen model.",
            "Conversions de tous types sur la période (découper par conversion_type pour les "
            "séparer) ; par canal, attribuées aux contacts précédents selon le modèle choisi.",
        ),
    ),
    additive(
        "conversion_value",
        ("Conversion value", "Valeur des conversions"),
        "currency",
        "sum(conversions.value)",
        ("conversions", "touchpoints"),
        (
            "Declared value of the conversions, in the reporting currency.",
            "Valeur déclarée des conversions, en devise de reporting.",
        ),
    ),
    *(_conversions_of(kind) for kind in CONVERSION_TYPES),
    *(_cpa_of(kind) for kind in CONVERSION_TYPES),
    ratio(
        "cpa",
        ("CPA", "CPA"),
        "currency",
        ("cost", "conversions_purchase"),
        ("spend", "conversions", "touchpoints"),
        (
            "Cost per acquisition: summed cost divided by purchase conversions credited to "
            "the same slice (cpa_<type> for other conversion types). Null without any.",
            "Coût par acquisition : coût total divisé par les conversions « purchase » "
            "attribuées à la même tranche (cpa_<type> pour les autres types). Vide sans "
            "conversion.",
        ),
        num=(("cost", 1.0),),
        den=(("conversions_purchase", 1.0),),
    ),
    ratio(
        "cpl",
        ("CPL", "CPL"),
        "currency",
        ("cost", "leads"),
        ("spend", "people", "touchpoints"),
        (
            "Cost per lead: summed cost divided by the new contacts (leads) credited to the "
            "same slice. Null without leads.",
            "Coût par lead : coût total divisé par les nouveaux contacts (leads) attribués à "
            "la même tranche. Vide sans lead.",
        ),
        num=(("cost", 1.0),),
        den=(("leads", 1.0),),
    ),
)
