"""The journey pages' words in French and English (merged into wording)."""

from __future__ import annotations

from pilotage.interfaces.formatting import Lang

TEXT: dict[str, dict[Lang, str]] = {
    "jr_lifecycle": {"fr": "Cycle de vie (moteur de KPI)", "en": "Lifecycle (KPI engine)"},
    "jr_builder": {"fr": "Construire l'analyse", "en": "Build the analysis"},
    "jr_funnel": {"fr": "Entonnoir", "en": "Funnel"},
    "jr_step": {"fr": "Étape {n}", "en": "Step {n}"},
    "jr_order": {"fr": "Ordre", "en": "Order"},
    "jr_order_ordered": {"fr": "dans l'ordre", "en": "in order"},
    "jr_order_strict": {"fr": "strict (à la suite)", "en": "strict (back to back)"},
    "jr_order_any": {"fr": "dans n'importe quel ordre", "en": "any order"},
    "jr_window": {"fr": "Fenêtre de conversion", "en": "Conversion window"},
    "jr_breakdown": {"fr": "Ventilation", "en": "Breakdown"},
    "jr_none": {"fr": "aucune", "en": "none"},
    "jr_by_channel": {"fr": "canal d'acquisition", "en": "acquisition channel"},
    "jr_by_segment": {"fr": "segment", "en": "segment"},
    "jr_by_tier": {"fr": "niveau de compte", "en": "account tier"},
    "jr_by_country": {"fr": "pays", "en": "country"},
    "jr_by_first_touch": {"fr": "premier contact", "en": "first touch"},
    "jr_by_last_touch": {"fr": "dernier contact", "en": "last touch"},
    "jr_level": {"fr": "Niveau", "en": "Level"},
    "jr_person": {"fr": "personne", "en": "person"},
    "jr_account": {"fr": "compte", "en": "account"},
    "jr_events_hint": {
        "fr": "Événements : SOURCE:NOM, par ex. conversion:signup, touch.channel:email, "
        "product:login, stage:mql.",
        "en": "Events: SOURCE:NAME, e.g. conversion:signup, touch.channel:email, "
        "product:login, stage:mql.",
    },
    "jr_reached": {"fr": "Atteint", "en": "Reached"},
    "jr_in_progress": {"fr": "En cours", "en": "In progress"},
    "jr_went_on": {"fr": "Étape suivante ou conversion", "en": "Went on or converted"},
    "jr_dropped": {"fr": "Abandon", "en": "Dropped"},
    "jr_conversion": {"fr": "Conversion (IC 95 %)", "en": "Conversion (95% CI)"},
    "jr_of_entered": {"fr": "Des entrants", "en": "Of entrants"},
    "jr_median_gap": {"fr": "Délai médian", "en": "Median time"},
    "jr_entered": {"fr": "Entrants", "en": "Entered"},
    "jr_converted": {"fr": "Convertis", "en": "Converted"},
    "jr_excluded": {"fr": "Exclus", "en": "Excluded"},
    "jr_median_ttc": {"fr": "Délai médian de conversion", "en": "Median time to convert"},
    "jr_groups": {"fr": "Par {by}", "en": "By {by}"},
    "jr_group": {"fr": "Valeur", "en": "Value"},
    "jr_time_to_convert": {"fr": "Délai de conversion", "en": "Time to convert"},
    "jr_quantiles": {
        "fr": "{n} convertis · p10 {p10} · p25 {p25} · médiane {p50} · p75 {p75} · p90 {p90}",
        "en": "{n} converters · p10 {p10} · p25 {p25} · median {p50} · p75 {p75} · p90 {p90}",
    },
    "jr_trend": {"fr": "Tendance par période d'entrée", "en": "Trend by entry period"},
    "jr_period": {"fr": "Période", "en": "Period"},
    "jr_converters": {"fr": "Convertis", "en": "Converters"},
    "jr_bucket": {"fr": "Délai", "en": "Time"},
    "jr_paths": {"fr": "Chemins", "en": "Paths"},
    "jr_target": {"fr": "Conversion visée", "en": "Target conversion"},
    "jr_around": {"fr": "Autour de l'événement", "en": "Around the event"},
    "jr_to_conversion": {"fr": "Chemins vers la conversion", "en": "Paths to conversion"},
    "jr_to_drop_off": {"fr": "Chemins vers l'abandon", "en": "Paths to drop-off"},
    "jr_path": {"fr": "Chemin", "en": "Path"},
    "jr_count": {"fr": "Nombre", "en": "Count"},
    "jr_share": {"fr": "Part", "en": "Share"},
    "jr_path_conversion": {"fr": "Taux de conversion du chemin", "en": "Path conversion rate"},
    "jr_lengths": {"fr": "Longueur des chemins", "en": "Path length"},
    "jr_length": {"fr": "Événements", "en": "Events"},
    "jr_next": {"fr": "Après {event}", "en": "After {event}"},
    "jr_previous": {"fr": "Avant {event}", "en": "Before {event}"},
    "jr_event": {"fr": "Événement", "en": "Event"},
    "jr_retention": {"fr": "Rétention", "en": "Retention"},
    "jr_start_event": {"fr": "Événement d'entrée", "en": "Start event"},
    "jr_return_event": {"fr": "Événement de retour", "en": "Return event"},
    "jr_mode": {"fr": "Mode", "en": "Mode"},
    "jr_mode_n_day": {"fr": "période N", "en": "N-day"},
    "jr_mode_unbounded": {"fr": "N ou après", "en": "unbounded"},
    "jr_mode_bracket": {"fr": "tranches", "en": "brackets"},
    "jr_brackets": {"fr": "Tranches", "en": "Brackets"},
    "jr_unit": {"fr": "Unité", "en": "Unit"},
    "jr_unit_day": {"fr": "jour", "en": "day"},
    "jr_unit_week": {"fr": "semaine (7 j)", "en": "week (7 d)"},
    "jr_unit_month": {"fr": "mois (30 j)", "en": "month (30 d)"},
    "jr_rows": {"fr": "Cohortes par", "en": "Cohorts by"},
    "jr_rows_period": {"fr": "période d'acquisition", "en": "acquisition period"},
    "jr_measure": {"fr": "Mesure", "en": "Measure"},
    "jr_measure_people": {"fr": "personnes", "en": "people"},
    "jr_measure_revenue": {"fr": "chiffre d'affaires", "en": "revenue"},
    "jr_cohort": {"fr": "Cohorte", "en": "Cohort"},
    "jr_members": {"fr": "Membres", "en": "Members"},
    "jr_average": {"fr": "Ensemble", "en": "All"},
    "jr_curve": {"fr": "Courbe de rétention (sBG)", "en": "Retention curve (sBG)"},
    "jr_observed": {"fr": "observée", "en": "observed"},
    "jr_fitted": {"fr": "ajustée", "en": "fitted"},
    "jr_curve_note": {
        "fr": "Bêta-géométrique décalée : alpha {alpha} [{alo} ; {ahi}], bêta {beta} "
        "[{blo} ; {bhi}], {members} membres. Rétention projetée à {horizon} périodes : "
        "{projected} (intervalle à {interval} : {low} – {high}).",
        "en": "Shifted-beta-geometric: alpha {alpha} [{alo}, {ahi}], beta {beta} "
        "[{blo}, {bhi}], {members} members. Projected retention at {horizon} periods: "
        "{projected} ({interval} interval {low} – {high}).",
    },
    "jr_not_converged": {
        "fr": "L'ajustement n'a pas convergé : la projection est indicative.",
        "en": "The fit did not converge: read the projection as indicative.",
    },
    "jr_no_curve": {
        "fr": "Trop peu de départs observés pour ajuster une courbe.",
        "en": "Too few members left to fit a curve.",
    },
    "jr_row_curves": {"fr": "Courbes par cohorte", "en": "Curves by cohort"},
    "jr_projected": {"fr": "Rétention projetée", "en": "Projected retention"},
    "jr_apply": {"fr": "Calculer", "en": "Compute"},
    "jr_bad_input": {"fr": "Demande refusée : {error}", "en": "Request refused: {error}"},
    "jr_funnel_rule": {
        "fr": "Entrée : le premier événement de l'étape 1 de chaque {level} sur la période ; "
        "{order}, dans les {window} suivant l'entrée. Les entrants dont la fenêtre de "
        "l'étape suivante est encore ouverte à la fin des données sont en cours, pas en "
        "abandon ; la conversion ne compte que les entrants dont le délai est écoulé "
        "(sinon les convertis rapides compteraient avant les abandons lents), avec des "
        "intervalles de Wilson à 95 %.",
        "en": "Entry: the first step-1 event of each {level} in the period; {order}, within "
        "{window} of the entry. Entrants whose window for the next step is still open when "
        "the data ends are in progress, not dropped; conversion counts only entrants whose "
        "time is over (else the fast converters would count before the slow droppers), "
        "with 95% Wilson intervals.",
    },
    "jr_rule_ordered": {
        "fr": "chaque étape après la précédente (d'autres événements entre les deux permis)",
        "en": "each step after the one before (other events in between allowed)",
    },
    "jr_rule_strict": {
        "fr": "chaque étape juste après la précédente parmi les événements des sources",
        "en": "each step the very next event of the funnel's sources",
    },
    "jr_rule_any": {"fr": "les étapes dans n'importe quel ordre", "en": "the steps in any order"},
    "jr_paths_rule": {
        "fr": "Événements {sources} par {level}, répétitions consécutives fusionnées. Un chemin "
        "vers la conversion ({target}) contient les événements avant la première conversion ; "
        "un chemin vers l'abandon, ceux jusqu'au dernier événement d'une personne jamais "
        "convertie. Seuls les {steps} derniers événements sur {days} jours sont montrés, "
        "après … s'il y en avait plus.",
        "en": "Events of {sources} per {level}, repeats in a row merged. A path to conversion "
        "({target}) holds the events before the first conversion; a path to drop-off those "
        "up to the last event of someone who never converted. Only the last {steps} events "
        "within {days} days are shown, after … when there were more.",
    },
    "jr_retention_rule": {
        "fr": "Cohorte : le premier {start} de chaque {level} ; retour : événements {returns}. "
        "Les périodes durent {days} jours depuis le premier événement ; une cellule ne compte "
        "que les membres dont la période est terminée.",
        "en": "Cohort: each {level}'s first {start}; return: {returns} events. Periods are "
        "{days}-day spans from the first event; a cell counts only members whose period "
        "is over.",
    },
    "jr_api": {
        "fr": "Les mêmes résultats en JSON : {urls}.",
        "en": "The same results as JSON: {urls}.",
    },
}
