"""The governance pages' words in French and English (merged into wording)."""

from __future__ import annotations

from pilotage.interfaces.formatting import Lang

TEXT: dict[str, dict[Lang, str]] = {
    "alerts": {"fr": "Alertes", "en": "Alerts"},
    "gov_active_alerts": {"fr": "Alertes actives", "en": "Active alerts"},
    "gov_resolved_alerts": {"fr": "Alertes résolues", "en": "Resolved alerts"},
    "gov_no_alert": {
        "fr": "Aucune alerte active : lancez une analyse pour surveiller les indicateurs.",
        "en": "No active alert: run the monitoring to watch the KPIs.",
    },
    "gov_severity": {"fr": "Gravité", "en": "Severity"},
    "gov_what": {"fr": "Ce qui a bougé", "en": "What moved"},
    "gov_since": {"fr": "Depuis", "en": "Since"},
    "gov_state": {"fr": "État", "en": "State"},
    "gov_cause": {"fr": "Cause probable", "en": "Likely cause"},
    "gov_suggestion": {"fr": "Réallocation suggérée", "en": "Suggested reallocation"},
    "gov_ack": {"fr": "Prendre en charge", "en": "Acknowledge"},
    "gov_resolve": {"fr": "Résoudre", "en": "Resolve"},
    "gov_reopen": {"fr": "Rouvrir", "en": "Reopen"},
    "gov_run": {"fr": "Lancer la surveillance", "en": "Run the monitoring"},
    "gov_run_note": {
        "fr": "Analyse chaque indicateur semaine par semaine (saisonnalité comprise), le "
        "rythme des dépenses du mois et la dérive des CPA ; les nouvelles alertes partent "
        "vers les webhooks.",
        "en": "Scores every KPI week by week (seasonality included), the month's spend "
        "pacing and CPA drift; new alerts go to the webhooks.",
    },
    "gov_run_done": {
        "fr": "{opened} nouvelle(s) alerte(s), {updated} toujours active(s), {resolved} "
        "résolue(s) ; {scored} séries analysées.",
        "en": "{opened} new alert(s), {updated} still active, {resolved} resolved; "
        "{scored} series scored.",
    },
    "gov_pacing": {"fr": "Rythme des dépenses du mois", "en": "Spend pacing this month"},
    "gov_planned": {"fr": "Prévu à date", "en": "Planned to date"},
    "gov_spent": {"fr": "Dépensé", "en": "Spent"},
    "gov_projected": {"fr": "Projection fin de mois", "en": "Month-end projection"},
    "gov_pace": {"fr": "Rythme", "en": "Pace"},
    "gov_no_pacing": {
        "fr": "Aucune campagne avec budget et dates de vol ce mois-ci.",
        "en": "No campaign with a budget and flight dates this month.",
    },
    "gov_deliveries": {"fr": "Envois par webhook", "en": "Webhook deliveries"},
    "gov_no_delivery": {"fr": "Aucun envoi.", "en": "No delivery."},
    "gov_retry": {"fr": "Renvoyer les envois en attente", "en": "Send pending deliveries"},
    "gov_attempts": {"fr": "Tentatives", "en": "Attempts"},
    "gov_error": {"fr": "Erreur", "en": "Error"},
    "gov_webhooks": {"fr": "Webhooks", "en": "Webhooks"},
    "gov_method": {"fr": "Méthode", "en": "Method"},
    "gov_committees": {"fr": "Comités et membres", "en": "Committees and members"},
    "gov_no_committee": {
        "fr": "Aucun comité : créez la cadence standard (hebdomadaire, mensuelle, trimestrielle).",
        "en": "No committee yet: create the standard cadence (weekly, monthly, quarterly).",
    },
    "gov_create_standard": {"fr": "Créer la cadence standard", "en": "Create the cadence"},
    "gov_cadence": {"fr": "Cadence", "en": "Cadence"},
    "gov_members": {"fr": "Membres", "en": "Members"},
    "gov_role": {"fr": "Rôle", "en": "Role"},
    "gov_agenda": {"fr": "Ordre du jour", "en": "Agenda"},
    "gov_agenda_of": {"fr": "Ordre du jour – {period}", "en": "Agenda – {period}"},
    "gov_decision_log": {"fr": "Journal des décisions", "en": "Decision log"},
    "gov_record": {"fr": "Enregistrer une décision", "en": "Record a decision"},
    "gov_decision_title": {"fr": "Décision", "en": "Decision"},
    "gov_details": {"fr": "Détails", "en": "Details"},
    "gov_action": {"fr": "Action", "en": "Action"},
    "gov_owner": {"fr": "Responsable", "en": "Owner"},
    "gov_due": {"fr": "Échéance", "en": "Due"},
    "gov_actions": {"fr": "Actions en cours", "en": "Open action items"},
    "gov_no_action": {"fr": "Aucune action ouverte.", "en": "No open action item."},
    "gov_mark_done": {"fr": "Fait", "en": "Done"},
    "gov_overdue": {"fr": "en retard", "en": "overdue"},
    "gov_raci": {"fr": "Qui répond de quoi (RACI)", "en": "Who answers for what (RACI)"},
    "gov_domain": {"fr": "Domaine", "en": "Domain"},
    "gov_raci_gaps": {
        "fr": "Sans responsable ni garant : {domains}",
        "en": "No accountable and responsible person: {domains}",
    },
    "gov_health": {"fr": "Bilan de santé de la stratégie", "en": "Strategy health check"},
    "gov_overall": {"fr": "Score global", "en": "Overall"},
    "gov_area": {"fr": "Axe", "en": "Area"},
    "gov_criterion": {"fr": "Critère", "en": "Criterion"},
    "gov_score": {"fr": "Score", "en": "Score"},
    "gov_source": {"fr": "Source", "en": "Source"},
    "gov_source_data": {"fr": "données", "en": "data"},
    "gov_source_answer": {"fr": "réponse", "en": "answer"},
    "gov_source_missing": {"fr": "à renseigner", "en": "to answer"},
    "gov_answer": {"fr": "Répondre", "en": "Answer"},
    "gov_answer_scale": {
        "fr": "0 = pas du tout … 4 = pleinement",
        "en": "0 = not at all … 4 = fully",
    },
    "gov_saved": {"fr": "Enregistré.", "en": "Saved."},
    "gov_refused": {"fr": "Refusé :", "en": "Refused:"},
    "gov_committee": {"fr": "Comité", "en": "Committee"},
    "gov_add": {"fr": "Ajouter", "en": "Add"},
}
