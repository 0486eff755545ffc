"""The customer value page's words in French and English, beyond the base table's
``clv_*`` keys (merged into ``wording``)."""

from __future__ import annotations

from pilotage.interfaces.formatting import Lang

TEXT: dict[str, dict[Lang, str]] = {
    "clvx_model": {"fr": "Modèle d'achats", "en": "Purchase model"},
    "clvx_parameter": {"fr": "Paramètre", "en": "Parameter"},
    "clvx_value": {"fr": "Valeur", "en": "Value"},
    "clvx_std_error": {"fr": "Erreur type", "en": "Standard error"},
    "clvx_fit_note": {
        "fr": "{model} ajusté par maximum de vraisemblance sur {customers} clients "
        "(semaines) : log-vraisemblance {ll}, {converged}.",
        "en": "{model} fitted by maximum likelihood on {customers} customers (weeks): "
        "log-likelihood {ll}, {converged}.",
    },
    "clvx_converged": {"fr": "convergé", "en": "converged"},
    "clvx_not_converged": {"fr": "NON convergé", "en": "did NOT converge"},
    "clvx_validation": {
        "fr": "Validation sur la période de test (tracking)",
        "en": "Holdout validation (tracking)",
    },
    "clvx_measure": {"fr": "Mesure", "en": "Measure"},
    "clvx_mae": {
        "fr": "Erreur absolue moyenne par client",
        "en": "Mean absolute error per customer",
    },
    "clvx_tracking_error": {
        "fr": "Écart du total de la période de test (prévu - réel) / réel",
        "en": "Holdout total error (predicted - actual) / actual",
    },
    "clvx_holdout_total": {
        "fr": "Achats répétés de la période de test : réel / prévu",
        "en": "Holdout repeat purchases: actual / predicted",
    },
    "clvx_chi_square": {
        "fr": "χ² de l'histogramme des fréquences (ddl, p)",
        "en": "Frequency histogram χ² (dof, p)",
    },
    "clvx_validation_note": {
        "fr": "Calibration jusqu'au {end}, test sur les {periods} semaines suivantes. "
        "Courbe : achats répétés cumulés par semaine, réels et prévus (Fader et Hardie).",
        "en": "Calibration up to {end}, holdout over the next {periods} weeks. Chart: "
        "cumulative repeat purchases per week, actual and expected (Fader and Hardie).",
    },
    "clvx_actual": {"fr": "Réel", "en": "Actual"},
    "clvx_predicted": {"fr": "Prévu", "en": "Expected"},
    "clvx_cumulative": {"fr": "Achats répétés cumulés", "en": "Cumulative repeat purchases"},
    "clvx_conditional": {
        "fr": "Achats de la période de test selon la fréquence de calibration",
        "en": "Holdout purchases by calibration frequency",
    },
    "clvx_frequency": {"fr": "Fréquence (calibration)", "en": "Frequency (calibration)"},
    "clvx_mean_actual": {"fr": "Moyenne réelle", "en": "Actual mean"},
    "clvx_mean_predicted": {"fr": "Moyenne prévue", "en": "Expected mean"},
    "clvx_retention": {
        "fr": "Rétention des abonnements (sBG)",
        "en": "Subscription retention (sBG)",
    },
    "clvx_retention_note": {
        "fr": "Comptes abonnés par cohorte de début ({unit}), jusqu'au {end} : {accounts} "
        "comptes, {churned} partis, {censored} encore abonnés (censurés), {late} entrés "
        "dans les données après leur début ({since}). alpha = {alpha}, beta = {beta} "
        "(log-vraisemblance {ll}) : churn moyen par période {churn}. Courbe : part encore "
        "abonnée, observée (Kaplan-Meier) et ajustée.",
        "en": "Subscribed accounts by start cohort ({unit}), up to {end}: {accounts} "
        "accounts, {churned} churned, {censored} still subscribed (censored), {late} "
        "entering the data after their start ({since}). alpha = {alpha}, beta = {beta} "
        "(log-likelihood {ll}): mean churn per period {churn}. Chart: share still "
        "subscribed, observed (Kaplan-Meier) and fitted.",
    },
    "clvx_cohort": {"fr": "Cohorte", "en": "Cohort"},
    "clvx_accounts": {"fr": "Comptes", "en": "Accounts"},
    "clvx_after": {"fr": "Restants après {n}", "en": "Left after {n}"},
    "clvx_observed": {"fr": "Observé", "en": "Observed"},
    "clvx_fitted": {"fr": "Ajusté (sBG)", "en": "Fitted (sBG)"},
    "clvx_share": {"fr": "Part encore abonnée", "en": "Share still subscribed"},
    "clvx_no_subscriptions": {
        "fr": "Aucun abonnement : chargez la table subscriptions.",
        "en": "No subscriptions: load the subscriptions table.",
    },
    "clvx_no_holdout": {
        "fr": "Pas assez de commandes pour une période de test.",
        "en": "Not enough orders for a holdout period.",
    },
}
