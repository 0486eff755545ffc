"""The budget pages' words in French and English (merged into wording)."""

from __future__ import annotations

from pilotage.interfaces.formatting import Lang

TEXT: dict[str, dict[Lang, str]] = {
    "budget_model": {"fr": "Modèle de mix", "en": "Mix model"},
    "budget_model_note": {
        "fr": "Modèle de mix du {kpi} ({channels} canaux), convergence « {status} ». Courbes : "
        "{kpi} additionnel sur {weeks} semaines selon la dépense du canal sur la période, "
        "les autres inchangés ; bande = intervalle à 80 %, point = dépense actuelle.",
        "en": "Mix model of {kpi} ({channels} channels), convergence '{status}'. Curves: extra "
        "{kpi} over {weeks} weeks against the channel's spend over them, the others unchanged; "
        "band = 80 % interval, dot = current spend.",
    },
    "budget_no_model": {
        "fr": "Aucun modèle de mix enregistré : lancez « pilotage mmm fit --workspace DOSSIER » "
        "pour avoir les courbes de réponse et l'optimiseur.",
        "en": "No mix model saved yet: run 'pilotage mmm fit --workspace DIR' for the response "
        "curves and the optimizer.",
    },
    "budget_kpi_revenue": {"fr": "revenu", "en": "revenue"},
    "budget_kpi_conversions": {"fr": "conversions", "en": "conversions"},
    "budget_curves": {"fr": "Courbes de réponse", "en": "Response curves"},
    "budget_spend_axis": {"fr": "Dépense sur la période", "en": "Spend over the horizon"},
    "budget_outcome_axis": {"fr": "Effet attendu", "en": "Expected outcome"},
    "budget_optimizer": {"fr": "Optimiseur de budget", "en": "Budget optimizer"},
    "budget_total": {"fr": "Budget total (€)", "en": "Total budget (€)"},
    "budget_target_roi": {"fr": "ou ROI visé", "en": "or target ROI"},
    "budget_weeks": {"fr": "Semaines", "en": "Weeks"},
    "budget_run": {"fr": "Optimiser", "en": "Optimize"},
    "budget_current": {"fr": "Actuel", "en": "Current"},
    "budget_optimal": {"fr": "Optimal", "en": "Optimal"},
    "budget_change": {"fr": "Écart", "en": "Change"},
    "budget_bounds": {"fr": "Bornes", "en": "Bounds"},
    "budget_mroas": {"fr": "ROAS marginal", "en": "Marginal ROAS"},
    "budget_headline": {
        "fr": "Budget {total} sur {weeks} semaines : {kpi} attendu {expected} (intervalle à "
        "80 % {low} à {high}), contre {current} avec la répartition actuelle ({current_total}).",
        "en": "Budget {total} over {weeks} weeks: expected {kpi} {expected} (80 % interval "
        "{low} to {high}), against {current} with the current split ({current_total}).",
    },
    "budget_moves": {"fr": "Mouvements proposés", "en": "Proposed moves"},
    "budget_no_moves": {
        "fr": "La répartition actuelle est déjà la meilleure selon le modèle.",
        "en": "The current split is already the best under the model.",
    },
    "budget_bounds_hint": {
        "fr": "Bornes par canal (€ sur la période) : canal=min:max, séparées par des virgules.",
        "en": "Bounds by channel (€ over the horizon): channel=low:high, comma-separated.",
    },
    "mmm_title": {"fr": "Modèle de mix : résultats", "en": "Mix model: results"},
    "mmm_none": {
        "fr": "Pas de résultats de modèle de mix ({reason}). Pour en ajuster un : "
        "« pilotage mmm fit --workspace DOSSIER », ou POST /api/v1/mmm/fit avec le droit "
        "d'écriture (quelques minutes).",
        "en": "No mix model results ({reason}). To fit one: 'pilotage mmm fit --workspace "
        "DIR', or POST /api/v1/mmm/fit with write access (a few minutes).",
    },
    "mmm_spend": {"fr": "Dépense", "en": "Spend"},
    "mmm_roas": {"fr": "ROAS (intervalle à 90 %)", "en": "ROAS (90 % interval)"},
    "mmm_roi": {"fr": "ROI (intervalle à 90 %)", "en": "ROI (90 % interval)"},
    "mmm_cpa": {"fr": "CPA (intervalle à 90 %)", "en": "CPA (90 % interval)"},
    "mmm_share": {
        "fr": "Part de l'effet (intervalle à 90 %)",
        "en": "Contribution share (90 % interval)",
    },
    "mmm_mroas": {"fr": "ROAS marginal (90 %)", "en": "Marginal ROAS (90 %)"},
    "mmm_note": {
        "fr": "Ajusté le {fitted} sur « {target} » ({kpi}), {weeks} semaines du {first} au "
        "{last}. Qualité de l'ajustement ({on}) : MAPE {mape}, R² {r2}, {coverage} des "
        "semaines dans l'intervalle à 90 %. ROAS : {unit} additionnels par euro dépensé.",
        "en": "Fitted on {fitted} on '{target}' ({kpi}), {weeks} weeks from {first} to "
        "{last}. Fit quality ({on}): MAPE {mape}, R² {r2}, {coverage} of weeks inside the "
        "90 % interval. ROAS: extra {unit} per euro spent.",
    },
    "mmm_on_holdout": {"fr": "semaines mises de côté", "en": "held-out weeks"},
    "mmm_on_in_sample": {"fr": "semaines ajustées", "en": "fitted weeks"},
    "mmm_unit_revenue": {"fr": "euros de revenu", "en": "euros of revenue"},
    "mmm_unit_conversions": {"fr": "conversions", "en": "conversions"},
    "mmm_reliability": {"fr": "Fiabilité : {status}", "en": "Reliability: {status}"},
    "mmm_status_good": {"fr": "fiable", "en": "reliable"},
    "mmm_status_caution": {"fr": "à prendre avec prudence", "en": "use with caution"},
    "mmm_status_unreliable": {"fr": "non fiable", "en": "unreliable"},
    "mmm_meaning_good": {
        "fr": "Les chaînes concordent, les tirages effectifs suffisent et aucune divergence : "
        "les chiffres ci-dessus peuvent guider une décision, avec leurs intervalles.",
        "en": "The chains agree, there are enough effective draws and no divergence: the "
        "figures above can guide a decision, with their intervals.",
    },
    "mmm_meaning_caution": {
        "fr": "L'ajustement a des points faibles (ci-dessous) : lisez les intervalles plutôt "
        "que les moyennes et confirmez par un test avant de déplacer du budget.",
        "en": "The fit has weak points (below): read the intervals rather than the means and "
        "confirm with a test before moving budget.",
    },
    "mmm_meaning_unreliable": {
        "fr": "L'ajustement n'est pas fiable (ci-dessous) : ne décidez pas sur ces chiffres ; "
        "refaites l'ajustement avec plus de tirages ou un modèle plus simple.",
        "en": "The fit is not reliable (below): do not decide on these figures; refit with "
        "more draws or a simpler model.",
    },
    "mmm_sampler": {
        "fr": "Échantillonneur : R-hat max {rhat} (≤ {good} attendu), tirages effectifs min "
        "{ess}, {divergences} divergences.",
        "en": "Sampler: R-hat max {rhat} (≤ {good} expected), effective draws min {ess}, "
        "{divergences} divergences.",
    },
    "mmm_warning": {"fr": "Alerte", "en": "Warning"},
    "mmm_no_warning": {"fr": "Aucune alerte.", "en": "No warning."},
    "scenario_title": {"fr": "Comparer des scénarios", "en": "Compare scenarios"},
    "scenario_help": {
        "fr": "Une ligne par proposition : un type de programme (estimé sur l'historique des "
        "programmes du même type) ou « channel=canal » du modèle de mix ; le nombre de "
        "programmes réduit l'aléa propre à chacun.",
        "en": "One row per proposal: a program type (estimated from the history of programs "
        "of that type) or 'channel=name' of the mix model; the number of programs averages "
        "each one's own luck.",
    },
    "scenario_name": {"fr": "Proposition", "en": "Proposal"},
    "scenario_type": {"fr": "Type ou canal", "en": "Type or channel"},
    "scenario_cost": {"fr": "Coût (€)", "en": "Cost (€)"},
    "scenario_units": {"fr": "Programmes", "en": "Programs"},
    "scenario_metric": {"fr": "Retour mesuré", "en": "Return measured"},
    "scenario_metric_revenue": {"fr": "revenu", "en": "revenue"},
    "scenario_metric_margin": {"fr": "marge brute", "en": "gross margin"},
    "scenario_metric_pipeline": {"fr": "pipeline", "en": "pipeline"},
    "scenario_compare": {"fr": "Comparer", "en": "Compare"},
    "scenario_rank": {"fr": "Rang", "en": "Rank"},
    "scenario_source": {"fr": "Estimé par", "en": "Estimated from"},
    "scenario_source_history": {"fr": "historique", "en": "history"},
    "scenario_source_mix_model": {"fr": "modèle de mix", "en": "mix model"},
    "scenario_source_stated": {"fr": "cas déclaré", "en": "stated case"},
    "scenario_return": {"fr": "Retour attendu", "en": "Expected return"},
    "scenario_interval": {"fr": "Intervalle à 80 %", "en": "80 % interval"},
    "scenario_roi": {"fr": "ROI", "en": "ROI"},
    "scenario_break_even": {"fr": "Point mort", "en": "Break-even"},
    "scenario_payback": {"fr": "Retour (mois)", "en": "Payback (months)"},
    "scenario_p_positive": {"fr": "P(ROI > 0)", "en": "P(ROI > 0)"},
    "scenario_risk": {"fr": "Risque", "en": "Risk"},
    "scenario_risk_low": {"fr": "faible", "en": "low"},
    "scenario_risk_medium": {"fr": "moyen", "en": "medium"},
    "scenario_risk_high": {"fr": "élevé", "en": "high"},
    "scenario_types": {
        "fr": "Retour par euro des programmes passés, par type",
        "en": "Past programs' return per euro, by type",
    },
    "scenario_programs": {"fr": "Programmes", "en": "Programs"},
    "scenario_observed": {"fr": "Observé", "en": "Observed"},
    "scenario_pooled": {"fr": "Mutualisé", "en": "Pooled"},
    "scenario_own_weight": {"fr": "Poids propre", "en": "Own weight"},
    "scenario_none": {
        "fr": "Saisissez au moins une proposition (nom, type, coût).",
        "en": "Enter at least one proposal (name, type, cost).",
    },
}
