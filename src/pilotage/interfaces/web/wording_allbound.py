"""The allbound pages' words in French and English (merged into wording)."""

from __future__ import annotations

from pilotage.interfaces.formatting import Lang

TEXT: dict[str, dict[Lang, str]] = {
    "ab_lists": {"fr": "Listes de comptes cibles", "en": "Target account lists"},
    "ab_lists_note": {
        "fr": "Chaque liste a un responsable commercial et un responsable marketing qui en "
        "répondent ensemble, avec des objectifs communs par période.",
        "en": "Each list has a sales owner and a marketing owner who answer for it together, "
        "with shared goals per period.",
    },
    "ab_no_lists": {
        "fr": "Aucune liste : créez-en une ci-dessous (ou « pilotage accounts list-create »).",
        "en": "No list yet: create one below (or 'pilotage accounts list-create').",
    },
    "ab_list": {"fr": "Liste", "en": "List"},
    "ab_accounts": {"fr": "Comptes", "en": "Accounts"},
    "ab_goals": {"fr": "Objectifs communs", "en": "Shared goals"},
    "ab_details": {"fr": "Détail", "en": "Details"},
    "ab_sales_view": {"fr": "Vue commerciale", "en": "Sales view"},
    "ab_marketing_view": {"fr": "Vue marketing", "en": "Marketing view"},
    "ab_target_accounts": {"fr": "Comptes cibles (CRM)", "en": "Target accounts (CRM)"},
    "ab_weights": {"fr": "Poids du score d'engagement", "en": "Engagement score weights"},
    "ab_create_list": {"fr": "Créer une liste", "en": "Create a list"},
    "ab_list_name": {"fr": "Nom de la liste", "en": "List name"},
    "ab_description": {"fr": "Description", "en": "Description"},
    "ab_account_ids": {
        "fr": "Identifiants de comptes (séparés par des virgules ou des retours à la ligne)",
        "en": "Account ids (separated by commas or new lines)",
    },
    "ab_csv_file": {"fr": "ou fichier CSV (colonne account_id)", "en": "or CSV file (account_id)"},
    "ab_from_targets": {
        "fr": "ou les comptes marqués is_target",
        "en": "or the accounts flagged is_target",
    },
    "ab_any_tier": {"fr": "tous niveaux", "en": "any tier"},
    "ab_create": {"fr": "Créer", "en": "Create"},
    "ab_create_note": {
        "fr": "Chaque compte doit exister dans la table accounts : sinon rien n'est "
        "enregistré et la liste des comptes inconnus s'affiche.",
        "en": "Every account must exist in the accounts table: otherwise nothing is saved "
        "and the unknown accounts are listed.",
    },
    "ab_goal": {"fr": "Objectif", "en": "Goal"},
    "ab_period": {"fr": "Période", "en": "Period"},
    "ab_target": {"fr": "Cible", "en": "Target"},
    "ab_actual": {"fr": "Réalisé", "en": "Actual"},
    "ab_attainment": {"fr": "Atteinte", "en": "Attainment"},
    "ab_expected": {"fr": "Attendu à date", "en": "Expected by now"},
    "ab_status": {"fr": "État", "en": "Status"},
    "ab_status_not_started": {"fr": "pas commencé", "en": "not started"},
    "ab_status_on_track": {"fr": "dans les temps", "en": "on track"},
    "ab_status_behind": {"fr": "en retard", "en": "behind"},
    "ab_status_achieved": {"fr": "atteint", "en": "achieved"},
    "ab_status_missed": {"fr": "manqué", "en": "missed"},
    "ab_goals_note": {
        "fr": "Un volume est dans les temps s'il atteint la cible au prorata des jours écoulés ; "
        "une couverture est en retard tant qu'elle n'atteint pas sa cible.",
        "en": "A count or amount is on track when it reaches the target prorated by the days "
        "elapsed; a coverage is behind until it reaches its target.",
    },
    "ab_no_goals": {
        "fr": "Aucun objectif pour cette liste : fixez-en un ci-dessous.",
        "en": "No goal for this list yet: set one below.",
    },
    "ab_goals_withheld": {
        "fr": "Votre accès est restreint : les objectifs portent sur toute la liste et ne "
        "sont pas affichés.",
        "en": "Your access is restricted: the goals count the whole list and are not shown.",
    },
    "ab_set_goal": {"fr": "Fixer un objectif", "en": "Set a goal"},
    "ab_delete_goal": {"fr": "Supprimer un objectif", "en": "Delete a goal"},
    "ab_set_goal_note": {
        "fr": "Période : 2026-Q4, 2026-11 ou 2026-W45. Une couverture s'écrit en part "
        "(0,6 = 60 %).",
        "en": "Period: 2026-Q4, 2026-11 or 2026-W45. A coverage is a share (0.6 = 60%).",
    },
    "ab_next_best": {"fr": "Comptes à travailler en priorité", "en": "Next best accounts"},
    "ab_next_best_note": {
        "fr": "Comptes de la liste sans opportunité ouverte, par score décroissant : "
        "l'engagement est là, le pipeline pas encore.",
        "en": "List accounts with no open opportunity, highest score first: the engagement "
        "is there, the pipeline not yet.",
    },
    "ab_no_next_best": {
        "fr": "Tous les comptes engagés ont déjà une opportunité ouverte.",
        "en": "Every engaged account already has an open opportunity.",
    },
    "ab_why": {"fr": "Pourquoi", "en": "Why"},
    "ab_accounts_by_score": {"fr": "Comptes par score", "en": "Accounts by score"},
    "ab_score": {"fr": "Score", "en": "Score"},
    "ab_trend": {"fr": "Tendance (30 j)", "en": "Trend (30 d)"},
    "ab_open_opportunities": {"fr": "Opportunités ouvertes", "en": "Open opportunities"},
    "ab_open_pipeline": {"fr": "Pipeline ouvert", "en": "Open pipeline"},
    "ab_score_note": {
        "fr": "Score = somme, par composante, des points × activités récentes du compte et "
        "de ses personnes, chaque activité perdant la moitié de son poids à chaque "
        "demi-vie ; une opportunité ouverte compte tant qu'elle l'est. Poids modifiables.",
        "en": "Score = sum over components of points × the recent activities of the account "
        "and its people, each activity losing half its weight every half-life; an open "
        "opportunity counts while open. Weights are editable.",
    },
    "ab_no_accounts": {"fr": "Aucun compte visible.", "en": "No account to show."},
    "ab_hidden_accounts": {
        "fr": "Comptes hors de votre périmètre",
        "en": "Accounts outside your scope",
    },
    "ab_as_of": {"fr": "Données au", "en": "Data as of"},
    "ab_add_accounts": {"fr": "Ajouter des comptes", "en": "Add accounts"},
    "ab_add": {"fr": "Ajouter", "en": "Add"},
    "ab_remove_accounts": {"fr": "Retirer des comptes", "en": "Remove accounts"},
    "ab_remove": {"fr": "Retirer", "en": "Remove"},
    "ab_edit_list": {"fr": "Nom et responsables", "en": "Name and owners"},
    "ab_delete_list": {"fr": "Supprimer la liste", "en": "Delete the list"},
    "ab_delete_confirm": {
        "fr": "Je confirme : ses objectifs sont supprimés avec elle",
        "en": "I confirm: its goals are deleted with it",
    },
    "ab_delete": {"fr": "Supprimer", "en": "Delete"},
    "ab_save": {"fr": "Enregistrer", "en": "Save"},
    "ab_components": {"fr": "Composantes du score", "en": "Score components"},
    "ab_components_note": {
        "fr": "Ce que chaque composante apporte aux scores des comptes de la liste.",
        "en": "What each component adds to the scores of the list's accounts.",
    },
    "ab_component": {"fr": "Composante", "en": "Component"},
    "ab_points": {"fr": "Points", "en": "Points"},
    "ab_activities": {"fr": "Activités", "en": "Activities"},
    "ab_decayed": {"fr": "Poids après décroissance", "en": "Weight after decay"},
    "ab_value": {"fr": "Contribution", "en": "Contribution"},
    "ab_share": {"fr": "Part", "en": "Share"},
    "ab_channels": {"fr": "Pipeline crédité par canal", "en": "Pipeline credited per channel"},
    "ab_channels_note": {
        "fr": "Chaque opportunité répartie entre les canaux de ses points de contact et de "
        "ceux de ses personnes (modèle {model}, {days} jours avant) ; les crédits d'une "
        "opportunité font son montant. Pipeline créé {pipeline}, gagné {won}.",
        "en": "Each opportunity split over the channels of the touches of the account and its "
        "people (model {model}, {days} days before); a deal's credits add up to its amount. "
        "Pipeline created {pipeline}, won {won}.",
    },
    "ab_pipeline_credit": {"fr": "Pipeline créé", "en": "Pipeline created"},
    "ab_won_credit": {"fr": "Gagné", "en": "Won"},
    "ab_deals": {"fr": "Opportunités", "en": "Deals"},
    "ab_unattributed": {"fr": "Non attribué", "en": "Unattributed"},
    "ab_gaps": {"fr": "Manques de couverture", "en": "Coverage gaps"},
    "ab_gaps_note": {
        "fr": "Sur la fenêtre du score ; un compte peut avoir plusieurs manques.",
        "en": "Over the scoring window; an account may have several gaps.",
    },
    "ab_gap": {"fr": "Manque", "en": "Gap"},
    "ab_gap_no_contacts": {"fr": "Aucun contact", "en": "No contact"},
    "ab_gap_not_engaged": {"fr": "Aucune activité", "en": "No activity"},
    "ab_gap_no_marketing_touch": {"fr": "Aucun contact marketing", "en": "No marketing touch"},
    "ab_gap_no_sales_touch": {"fr": "Aucune suite commerciale", "en": "No sales follow-up"},
    "ab_gap_no_open_opportunity": {
        "fr": "Aucune opportunité ouverte",
        "en": "No open opportunity",
    },
    "ab_definition": {"fr": "Définition", "en": "Definition"},
    "ab_matrix": {"fr": "Scores par composante", "en": "Scores by component"},
    "ab_credit_model": {"fr": "Modèle d'attribution", "en": "Attribution model"},
    "ab_account_id": {"fr": "Identifiant", "en": "Account id"},
    "ab_country": {"fr": "Pays", "en": "Country"},
    "ab_industry": {"fr": "Secteur", "en": "Industry"},
    "ab_people": {"fr": "Personnes connues", "en": "Known people"},
    "ab_score_detail": {
        "fr": "Score d'engagement {score} (tendance {trend})",
        "en": "Engagement score {score} (trend {trend})",
    },
    "ab_no_activity": {
        "fr": "Aucune activité sur la fenêtre.",
        "en": "No activity in the window.",
    },
    "ab_no_deals": {"fr": "Aucune opportunité.", "en": "No deal."},
    "ab_opportunity": {"fr": "Opportunité", "en": "Opportunity"},
    "ab_amount": {"fr": "Montant", "en": "Amount"},
    "ab_won": {"fr": "Gagnée", "en": "Won"},
    "ab_top_channels": {"fr": "Principaux canaux", "en": "Top channels"},
    "ab_journey": {"fr": "Parcours du compte", "en": "Account journey"},
    "ab_journey_note": {
        "fr": "Les {shown} événements les plus récents sur {total} : {counts}.",
        "en": "The {shown} most recent events of {total}: {counts}.",
    },
    "ab_when": {"fr": "Quand", "en": "When"},
    "ab_kind": {"fr": "Type", "en": "Kind"},
    "ab_detail": {"fr": "Détail", "en": "Detail"},
    "ab_campaign": {"fr": "Campagne", "en": "Campaign"},
    "ab_person": {"fr": "Personne", "en": "Person"},
    "ab_kind_touch": {"fr": "contact", "en": "touch"},
    "ab_kind_conversion": {"fr": "conversion", "en": "conversion"},
    "ab_kind_opportunity_created": {"fr": "opportunité créée", "en": "opportunity created"},
    "ab_kind_opportunity_won": {"fr": "opportunité gagnée", "en": "opportunity won"},
    "ab_kind_opportunity_lost": {"fr": "opportunité perdue", "en": "opportunity lost"},
    "ab_kind_survey": {"fr": "enquête", "en": "survey"},
    "ab_kind_product": {"fr": "usage produit", "en": "product usage"},
    "ab_formula": {"fr": "Formule", "en": "Formula"},
    "ab_half_life": {"fr": "Demi-vie (jours)", "en": "Half-life (days)"},
    "ab_window": {"fr": "Fenêtre (jours)", "en": "Window (days)"},
    "ab_half_life_window": {"fr": "Demi-vie / fenêtre", "en": "Half-life / window"},
    "ab_version": {"fr": "Version", "en": "Version"},
    "ab_by": {"fr": "Par", "en": "By"},
    "ab_default": {"fr": "défaut", "en": "default"},
    "ab_defaults": {"fr": "valeurs par défaut", "en": "defaults"},
    "ab_id": {"fr": "Identifiant", "en": "Id"},
    "ab_weights_in_force": {"fr": "Poids en vigueur", "en": "Weights in force"},
    "ab_edit_weights": {"fr": "Modifier les poids", "en": "Change the weights"},
    "ab_weights_note": {
        "fr": "Chaque modification est une nouvelle version (historique ci-dessus) et "
        "s'applique aussitôt à tous les scores.",
        "en": "Each change is a new version (history above) and applies at once to every score.",
    },
    "ab_reset": {
        "fr": "Repartir des valeurs par défaut",
        "en": "Start again from the defaults",
    },
    "ab_history": {"fr": "Historique des poids", "en": "Weights history"},
    "ab_no_history": {
        "fr": "Jamais modifiés : les valeurs par défaut s'appliquent.",
        "en": "Never changed: the defaults apply.",
    },
    "ab_changed_from_defaults": {
        "fr": "Écarts aux valeurs par défaut",
        "en": "Changed from the defaults",
    },
    "ab_done_created": {"fr": "Liste créée.", "en": "List created."},
    "ab_done_added": {"fr": "Comptes ajoutés.", "en": "Accounts added."},
    "ab_done_removed": {"fr": "Comptes retirés.", "en": "Accounts removed."},
    "ab_done_goal": {"fr": "Objectif enregistré.", "en": "Goal saved."},
    "ab_done_goal_deleted": {"fr": "Objectif supprimé.", "en": "Goal deleted."},
    "ab_done_edited": {"fr": "Liste modifiée.", "en": "List changed."},
    "ab_done_deleted": {"fr": "Liste supprimée.", "en": "List deleted."},
    "ab_done_weights": {"fr": "Poids enregistrés.", "en": "Weights saved."},
    # The /account page's permissions line: each permission with what it allows.
    "permission_read": {
        "fr": "read (consulter les pages, rapports et l'API)",
        "en": "read (see pages, reports and the API)",
    },
    "permission_plan": {
        "fr": "plan (modifier les listes de comptes cibles, leurs objectifs et les poids "
        "d'engagement)",
        "en": "plan (edit target account lists, their goals and the engagement weights)",
    },
    "permission_write": {
        "fr": "write (charger des données ; modifier initiatives, budgets, expériences…)",
        "en": "write (load data; change initiatives, budgets, experiments…)",
    },
    "permission_admin": {
        "fr": "admin (gérer les utilisateurs et les webhooks, lire le journal d'audit)",
        "en": "admin (manage users and webhooks, read the audit log)",
    },
}
