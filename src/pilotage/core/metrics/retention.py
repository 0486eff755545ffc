"""Subscription retention (logo churn, GRR, NRR), survey scores and web audience."""

from __future__ import annotations

from pilotage.core.metrics.metric import Metric, Unit, additive, ratio

_SUBS = ("subscriptions", "accounts")
_SURVEYS = ("surveys", "people", "accounts")


def _stock(metric_id: str, names: tuple[str, str], unit: Unit, en: str, fr: str) -> Metric:
    return additive(
        metric_id,
        names,
        unit,
        metric_id,
        _SUBS,
        (en, fr),
        kind="stock",
    )


RETENTION_METRICS: tuple[Metric, ...] = (
    _stock(
        "mrr_start",
        ("MRR at start", "MRR au début"),
        "currency",
        "Monthly recurring revenue of the subscriptions active on the first day of the period.",
        "Revenu mensuel récurrent des abonnements actifs le premier jour de la période.",
    ),
    _stock(
        "mrr_end",
        ("MRR at end", "MRR à la fin"),
        "currency",
        "Monthly recurring revenue active at the end of the period (new customers included).",
        "Revenu mensuel récurrent actif à la fin de la période (nouveaux clients compris).",
    ),
    _stock(
        "mrr_retained",
        ("MRR retained (gross)", "MRR conservé (brut)"),
        "currency",
        "For the customers of the start, their end MRR capped at their start MRR "
        "(expansion left out).",
        "Pour les clients du début, leur MRR de fin plafonné à celui du début (hors expansion).",
    ),
    _stock(
        "mrr_end_of_start",
        ("MRR at end of start customers", "MRR final des clients du début"),
        "currency",
        "End MRR of the customers active at the start (expansion in, churn out).",
        "MRR de fin des clients actifs au début (expansion comprise, churn déduit).",
    ),
    _stock(
        "customers_start",
        ("Customers at start", "Clients au début"),
        "count",
        "Accounts with MRR on the first day of the period.",
        "Comptes ayant du MRR le premier jour de la période.",
    ),
    _stock(
        "customers_churned",
        ("Customers lost", "Clients perdus"),
        "count",
        "Accounts with MRR at the start and none at the end of the period.",
        "Comptes ayant du MRR au début et plus aucun à la fin de la période.",
    ),
    ratio(
        "logo_churn",
        ("Logo churn", "Attrition des clients"),
        "percent",
        ("customers_churned", "customers_start"),
        _SUBS,
        (
            "Customers lost during the period divided by customers at its start.",
            "Clients perdus sur la période divisés par les clients du début.",
        ),
        num=(("customers_churned", 1.0),),
        den=(("customers_start", 1.0),),
    ),
    ratio(
        "grr",
        ("Gross revenue retention", "Rétention brute du revenu"),
        "percent",
        ("start MRR - churn - contraction", "start MRR"),
        _SUBS,
        (
            "(Start MRR − churned − contraction) / start MRR, for the customers of the start.",
            "(MRR début − perdu − contraction) / MRR début, pour les clients du début.",
        ),
        num=(("mrr_retained", 1.0),),
        den=(("mrr_start", 1.0),),
    ),
    ratio(
        "nrr",
        ("Net revenue retention", "Rétention nette du revenu"),
        "percent",
        ("start MRR - churn - contraction + expansion", "start MRR"),
        _SUBS,
        (
            "(Start MRR − churned − contraction + expansion) / start MRR, for the customers "
            "of the start.",
            "(MRR début − perdu − contraction + expansion) / MRR début, pour les clients du début.",
        ),
        num=(("mrr_end_of_start", 1.0),),
        den=(("mrr_start", 1.0),),
    ),
    additive(
        "nps_responses",
        ("NPS answers", "Réponses NPS"),
        "count",
        "count(surveys where survey_type = 'nps')",
        _SURVEYS,
        ("NPS answers in the period.", "Réponses NPS sur la période."),
    ),
    additive(
        "promoters",
        ("Promoters", "Promoteurs"),
        "count",
        "count(nps answers scoring 9-10)",
        _SURVEYS,
        ("NPS answers scoring 9 or 10.", "Réponses NPS notées 9 ou 10."),
    ),
    additive(
        "detractors",
        ("Detractors", "Détracteurs"),
        "count",
        "count(nps answers scoring 0-6)",
        _SURVEYS,
        ("NPS answers scoring 0 to 6.", "Réponses NPS notées de 0 à 6."),
    ),
    ratio(
        "nps",
        ("NPS", "NPS"),
        "score",
        ("100 × (promoters - detractors)", "nps_responses"),
        _SURVEYS,
        (
            "Net promoter score: % promoters (9–10) minus % detractors (0–6), from −100 to "
            "100. Null without answers.",
            "Net promoter score : % de promoteurs (9–10) moins % de détracteurs (0–6), de "
            "−100 à 100. Vide sans réponse.",
        ),
        num=(("promoters", 100.0), ("detractors", -100.0)),
        den=(("nps_responses", 1.0),),
    ),
    additive(
        "csat_responses",
        ("CSAT answers", "Réponses CSAT"),
        "count",
        "count(surveys where survey_type = 'csat')",
        _SURVEYS,
        ("CSAT answers in the period.", "Réponses CSAT sur la période."),
    ),
    additive(
        "csat_satisfied",
        ("Satisfied answers", "Réponses satisfaites"),
        "count",
        "count(csat answers scoring 4-5)",
        _SURVEYS,
        (
            "CSAT answers scoring 4 or 5 on the 5-point scale.",
            "Réponses CSAT notées 4 ou 5 sur l'échelle en 5 points.",
        ),
    ),
    ratio(
        "csat",
        ("CSAT", "CSAT"),
        "percent",
        ("csat_satisfied", "csat_responses"),
        _SURVEYS,
        (
            "Share of CSAT answers scoring 4 or 5 out of 5. Null without answers.",
            "Part des réponses CSAT notées 4 ou 5 sur 5. Vide sans réponse.",
        ),
        num=(("csat_satisfied", 1.0),),
        den=(("csat_responses", 1.0),),
    ),
    additive(
        "ces_responses",
        ("CES answers", "Réponses CES"),
        "count",
        "count(surveys where survey_type = 'ces')",
        _SURVEYS,
        ("Customer effort score answers.", "Réponses à l'indice d'effort client."),
    ),
    additive(
        "ces_total",
        ("CES points", "Points CES"),
        "score",
        "sum(ces scores)",
        _SURVEYS,
        ("Sum of CES scores (the mean's numerator).", "Somme des notes CES (numérateur)."),
    ),
    ratio(
        "ces",
        ("CES", "CES"),
        "score",
        ("ces_total", "ces_responses"),
        _SURVEYS,
        (
            "Customer effort score: mean answer. Null without answers.",
            "Indice d'effort client : note moyenne. Vide sans réponse.",
        ),
        num=(("ces_total", 1.0),),
        den=(("ces_responses", 1.0),),
    ),
    additive(
        "touches",
        ("Touches", "Contacts"),
        "count",
        "count(touchpoints)",
        ("touchpoints",),
        ("Touchpoints in the period.", "Points de contact sur la période."),
    ),
    additive(
        "sessions",
        ("Sessions", "Sessions"),
        "count",
        "count(distinct touchpoints.session_id)",
        ("touchpoints",),
        (
            "Distinct web sessions (touches with a session id); counted per slice, so "
            "totals are not the sum of rows when a session spans two channels or days.",
            "Sessions web distinctes (contacts avec identifiant de session) ; comptées par "
            "tranche, le total n'est donc pas la somme des lignes.",
        ),
        kind="distinct",
    ),
    additive(
        "visitors",
        ("Visitors", "Visiteurs"),
        "count",
        "count(distinct person, anonymous id or account of touches)",
        ("touchpoints",),
        (
            "Distinct people or anonymous visitors with a touch in the slice; not additive "
            "(one visitor may come through several channels).",
            "Personnes ou visiteurs anonymes distincts ayant un contact dans la tranche ; "
            "non additif (un visiteur peut venir par plusieurs canaux).",
        ),
        kind="distinct",
    ),
)
