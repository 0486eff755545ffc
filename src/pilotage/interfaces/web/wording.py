"""The pages' words in French and English."""

from __future__ import annotations

from collections.abc import Callable

from pilotage.interfaces.formatting import Lang
from pilotage.interfaces.web import (
    wording_allbound,
    wording_budget,
    wording_clv,
    wording_governance,
    wording_journey,
    wording_plan,
    wording_voice,
)

_BASE: dict[str, dict[Lang, str]] = {
    "overview": {"fr": "Vue d'ensemble", "en": "Overview"},
    "data": {"fr": "Données", "en": "Data"},
    "definitions": {"fr": "Définitions", "en": "Definitions"},
    "login": {"fr": "Connexion", "en": "Sign in"},
    "account": {"fr": "Mon compte", "en": "My account"},
    "error": {"fr": "Erreur", "en": "Error"},
    "email": {"fr": "E-mail", "en": "Email"},
    "password": {"fr": "Mot de passe", "en": "Password"},
    "sign_in": {"fr": "Se connecter", "en": "Sign in"},
    "sign_out": {"fr": "Se déconnecter", "en": "Sign out"},
    "wrong_login": {
        "fr": "E-mail ou mot de passe incorrect.",
        "en": "Wrong email or password.",
    },
    "too_many": {
        "fr": "Trop d'essais infructueux : la connexion est suspendue 15 minutes pour ce compte.",
        "en": "Too many failed attempts: signing in is paused for 15 minutes for this account.",
    },
    "demo_note": {
        "fr": "Démonstration : une connexion par rôle, mots de passe publics (données fictives).",
        "en": "Demo: one login per role, public passwords (fictional data).",
    },
    "role": {"fr": "Rôle", "en": "Role"},
    "permissions": {"fr": "Droits", "en": "Permissions"},
    "restrictions": {"fr": "Périmètre visible", "en": "Visible scope"},
    "no_restriction": {"fr": "Toutes les données", "en": "All data"},
    "tokens": {"fr": "Jetons d'API", "en": "API tokens"},
    "token_howto": {
        "fr": "Créez un jeton avec POST /api/v1/tokens ou « pilotage token create » ; "
        "son secret n'est affiché qu'une fois.",
        "en": "Create a token with POST /api/v1/tokens or 'pilotage token create'; "
        "its secret is shown once.",
    },
    "name": {"fr": "Nom", "en": "Name"},
    "scope": {"fr": "Portée", "en": "Scope"},
    "prefix": {"fr": "Début", "en": "Starts with"},
    "created": {"fr": "Créé le", "en": "Created"},
    "last_used": {"fr": "Dernier usage", "en": "Last used"},
    "revoked": {"fr": "Révoqué", "en": "Revoked"},
    "active": {"fr": "Actif", "en": "Active"},
    "upload": {"fr": "Importer un fichier", "en": "Upload a file"},
    "source": {"fr": "Format d'export", "en": "Export format"},
    "canonical": {"fr": "Colonnes Pilotage", "en": "Pilotage columns"},
    "send": {"fr": "Importer", "en": "Upload"},
    "upload_done": {
        "fr": "{file} → {table} : {rows} lignes ({inserted} insérées, {updated} modifiées, "
        "{unchanged} inchangées).",
        "en": "{file} → {table}: {rows} rows ({inserted} inserted, {updated} updated, "
        "{unchanged} unchanged).",
    },
    "upload_refused": {
        "fr": "Fichier refusé, rien n'a été chargé :",
        "en": "File refused, nothing was loaded:",
    },
    "channels": {"fr": "Canaux et campagnes", "en": "Channels and campaigns"},
    "attribution": {"fr": "Attribution", "en": "Attribution"},
    "journey": {"fr": "Parcours", "en": "Journey"},
    "accounts": {"fr": "Comptes (allbound)", "en": "Accounts (allbound)"},
    "budget": {"fr": "Budget", "en": "Budget"},
    "clv": {"fr": "Valeur client (CLV)", "en": "Customer value (CLV)"},
    "clv_ranking": {"fr": "Segments les plus rentables", "en": "Most profitable segments"},
    "clv_rfm": {"fr": "Segments RFM", "en": "RFM segments"},
    "clv_dimension": {"fr": "Axe", "en": "Dimension"},
    "clv_customers": {"fr": "Clients", "en": "Customers"},
    "clv_ltv_mean": {"fr": "LTV moyenne", "en": "Mean LTV"},
    "clv_cac": {"fr": "CAC", "en": "CAC"},
    "clv_ltv_cac": {"fr": "LTV:CAC", "en": "LTV:CAC"},
    "clv_revenue_share": {"fr": "Part du CA", "en": "Revenue share"},
    "clv_rule": {"fr": "Règle (scores R et F)", "en": "Rule (R and F scores)"},
    "clv_note": {
        "fr": "LTV sur {horizon} {unit} : modèle {model} (achats) et Gamma-Gamma (panier), "
        "ajustés sur les commandes jusqu'au {end}. CAC : dépense payante du canal / nouveaux "
        "clients du canal.",
        "en": "LTV over {horizon} {unit}: {model} (purchases) and Gamma-Gamma (spend) models, "
        "fitted on orders up to {end}. CAC: the channel's paid spend / its new customers.",
    },
    "clv_empty": {
        "fr": "Aucune commande : chargez la table orders ou lancez la démo.",
        "en": "No orders yet: load the orders table or build the demo.",
    },
    "experiments": {"fr": "Expériences", "en": "Experiments"},
    "initiatives": {"fr": "Initiatives et objectifs", "en": "Initiatives and objectives"},
    "committee": {"fr": "Comité", "en": "Committee"},
    "segment": {"fr": "Segment", "en": "Segment"},
    "grain": {"fr": "Granularité", "en": "Granularity"},
    "week": {"fr": "Semaine", "en": "Week"},
    "month": {"fr": "Mois", "en": "Month"},
    "quarter": {"fr": "Trimestre", "en": "Quarter"},
    "trend": {"fr": "Tendance : coût et chiffre d'affaires", "en": "Trend: cost and revenue"},
    "vs_previous": {"fr": "vs période précédente :", "en": "vs previous period:"},
    "period_shown": {
        "fr": "Du {start} au {end}, comparé au {pstart} – {pend} (même durée).",
        "en": "From {start} to {end}, compared with {pstart} – {pend} (same length).",
    },
    "segment_hides_cost": {
        "fr": "Filtre de segment : les dépenses n'ont pas de segment, donc coût, ROI et ROAS "
        "ne sont pas affichés.",
        "en": "Segment filter: spend has no segment, so cost, ROI and ROAS are not shown.",
    },
    "all_channels": {"fr": "Tous les canaux", "en": "All channels"},
    "campaigns_of": {"fr": "Campagnes du canal {channel}", "en": "Campaigns of {channel}"},
    "campaign": {"fr": "Campagne", "en": "Campaign"},
    "drill_hint": {
        "fr": "Cliquez un canal pour voir ses campagnes ; cliquez un en-tête pour trier.",
        "en": "Click a channel to see its campaigns; click a header to sort.",
    },
    "model_last": {"fr": "Dernier contact", "en": "Last touch"},
    "model_first": {"fr": "Premier contact", "en": "First touch"},
    "model_last_non_direct": {"fr": "Dernier non direct", "en": "Last non-direct"},
    "model_linear": {"fr": "Linéaire", "en": "Linear"},
    "model_position": {"fr": "En U (40/20/40)", "en": "Position (40/20/40)"},
    "model_time_decay": {"fr": "Décroissance (7 j)", "en": "Time decay (7 d)"},
    "model_markov": {"fr": "Markov (ordre 1)", "en": "Markov (order 1)"},
    "model_shapley": {"fr": "Shapley", "en": "Shapley"},
    "models_side_by_side": {
        "fr": "Chiffre d'affaires attribué selon chaque modèle",
        "en": "Attributed revenue under each model",
    },
    "roi_by_model": {"fr": "ROI selon chaque modèle", "en": "ROI under each model"},
    "spread": {"fr": "Écart entre modèles", "en": "Spread between models"},
    "models_note": {
        "fr": "Les modèles à règles viennent du moteur d'indicateurs (mêmes chiffres que "
        "« pilotage kpis --model ») ; Markov et Shapley créditent les parcours de tout "
        "l'historique, et leur part de valeur par canal est appliquée au chiffre d'affaires "
        "attribué de la période. ⚠ : le modèle le plus généreux accorde au canal plus de "
        "1,5 fois ce que lui accorde le moins généreux.",
        "en": "Rule models come from the KPI engine (the same figures as `pilotage kpis "
        "--model`); Markov and Shapley credit the journeys of all history, and their share "
        "of value per channel is applied to the period's attributed revenue. ⚠: the most "
        "generous model credits the channel over 1.5 times what the least generous does.",
    },
    "rule_last_touch": {
        "fr": "Règle : dernier contact. Chaque commande est attribuée en entier au dernier point "
        "de contact de la même personne (ou du même compte) dans les {days} jours qui la "
        "précèdent ; sinon elle est « unattributed ».",
        "en": "Rule: last touch. Each order is credited in full to the last touchpoint of the "
        "same person (or account) in the {days} days before it; otherwise it is "
        "'unattributed'.",
    },
    "stage": {"fr": "Étape", "en": "Stage"},
    "people": {"fr": "Personnes", "en": "People"},
    "journey_note": {
        "fr": "Cohorte : personnes créées sur la période (canal = canal d'acquisition). "
        "Conversion = personnes de l'étape / personnes de l'étape précédente.",
        "en": "Cohort: people created in the period (channel = acquisition channel). "
        "Conversion = people at the stage / people at the previous stage.",
    },
    "account_name": {"fr": "Compte", "en": "Account"},
    "tier": {"fr": "Tier", "en": "Tier"},
    "sales_owner": {"fr": "Responsable ventes", "en": "Sales owner"},
    "marketing_owner": {"fr": "Responsable marketing", "en": "Marketing owner"},
    "accounts_note": {
        "fr": "Comptes cibles (is_target). Pipeline ouvert à ce jour ; gagné : clôturé sur la "
        "période.",
        "en": "Target accounts (is_target). Open pipeline as of today; won: closed in the period.",
    },
    "no_targets": {
        "fr": "Aucun compte cible : chargez la table accounts avec la colonne is_target.",
        "en": "No target account: load the accounts table with an is_target column.",
    },
    "budget_by_channel": {"fr": "Dépense et budget par canal", "en": "Spend and budget by channel"},
    "budget_note": {
        "fr": "Budget = somme des budgets déclarés par les campagnes (sur toute leur durée) ; "
        "consommé = dépense de ces campagnes sur la période / budget.",
        "en": "Budget = sum of the budgets campaigns declare (whole flight); used = those "
        "campaigns' spend in the period / budget.",
    },
    "spend_by_month": {"fr": "Dépense par mois", "en": "Spend by month"},
    "experiment": {"fr": "Expérience", "en": "Experiment"},
    "variant": {"fr": "Variante", "en": "Variant"},
    "units": {"fr": "Unités", "en": "Units"},
    "first_exposure": {"fr": "Première exposition", "en": "First exposure"},
    "last_exposure": {"fr": "Dernière exposition", "en": "Last exposure"},
    "experiments_note": {
        "fr": "Les expériences chargées, leurs effectifs et leurs dates d'exposition.",
        "en": "The experiments loaded, their sizes and exposure dates.",
    },
    "exposure": {"fr": "Effectifs et exposition", "en": "Sizes and exposure"},
    "lift": {"fr": "Écart absolu", "en": "Absolute lift"},
    "lift_rel": {"fr": "Écart relatif", "en": "Relative lift"},
    "interval": {"fr": "IC 95 % (écart absolu)", "en": "95% CI (absolute lift)"},
    "p_value": {"fr": "p (ajustée)", "en": "p (adjusted)"},
    "chance_to_win": {"fr": "Chance de battre le témoin", "en": "Chance to beat control"},
    "risk": {"fr": "Risque (perte attendue)", "en": "Risk (expected loss)"},
    "metric_value": {"fr": "Valeur", "en": "Value"},
    "metric_conversion": {"fr": "taux de conversion", "en": "conversion rate"},
    "metric_mean": {"fr": "valeur par unité", "en": "value per unit"},
    "metric_ratio": {"fr": "valeur par conversion", "en": "value per conversion"},
    "metric_count": {"fr": "conversions par unité", "en": "conversions per unit"},
    "control": {"fr": "témoin", "en": "control"},
    "decision_rule": {
        "fr": "Règle de décision : une variante gagne quand tout son intervalle à 95 % est "
        "au-dessus de zéro (p ajustée < 0,05, soit une chance de battre le témoin > 97,5 %).",
        "en": "Decision rule: a variant wins when its whole 95% interval is above zero "
        "(adjusted p < 0.05, i.e. a chance to beat control > 97.5%).",
    },
    "initiative_link": {"fr": "initiative n° {id}", "en": "initiative #{id}"},
    "experiment_problem": {"fr": "Analyse impossible", "en": "Cannot analyse"},
    "no_experiments": {
        "fr": "Aucune expérience : chargez la table experiments.",
        "en": "No experiment: load the experiments table.",
    },
    "kind": {"fr": "Type", "en": "Kind"},
    "owner": {"fr": "Responsable", "en": "Owner"},
    "measurement_plan": {"fr": "Plan de mesure", "en": "Measurement plan"},
    "yes": {"fr": "oui", "en": "yes"},
    "no": {"fr": "non", "en": "no"},
    "objectives": {"fr": "Objectifs", "en": "Objectives"},
    "metric": {"fr": "Indicateur", "en": "Metric"},
    "target": {"fr": "Cible", "en": "Target"},
    "deadline": {"fr": "Échéance", "en": "Deadline"},
    "no_initiatives": {
        "fr": "Aucune initiative enregistrée. Elles seront créées dans Pilotage (CLI, API et "
        "cette page) avec leur plan de mesure, lorsque la planification sera livrée.",
        "en": "No initiative recorded. They will be created in Pilotage (CLI, API and this "
        "page), each with its measurement plan, when planning ships.",
    },
    "no_objectives": {
        "fr": "Aucun objectif enregistré ; ils seront créés de la même façon que les initiatives.",
        "en": "No objective recorded; they will be created the same way as initiatives.",
    },
    "packs": {"fr": "Dossiers du comité", "en": "Committee packs"},
    "weekly": {"fr": "Hebdomadaire", "en": "Weekly"},
    "monthly": {"fr": "Mensuel", "en": "Monthly"},
    "quarterly": {"fr": "Trimestriel", "en": "Quarterly"},
    "period": {"fr": "Période", "en": "Period"},
    "decisions": {"fr": "Journal des décisions", "en": "Decision log"},
    "title": {"fr": "Intitulé", "en": "Title"},
    "no_decisions": {"fr": "Aucune décision enregistrée.", "en": "No decision recorded."},
    "quality": {"fr": "Qualité des données", "en": "Data quality"},
    "check": {"fr": "Contrôle", "en": "Check"},
    "trust": {"fr": "Confiance", "en": "Trust"},
    "why": {"fr": "Pourquoi", "en": "Why"},
    "share": {"fr": "Part touchée", "en": "Affected share"},
    "weight": {"fr": "Poids", "en": "Weight"},
    "points": {"fr": "Points perdus", "en": "Points lost"},
    "severity": {"fr": "Gravité", "en": "Severity"},
    "fix": {"fr": "Correction", "en": "Fix"},
    "examples": {"fr": "Exemples :", "en": "Examples:"},
    "findings": {"fr": "Problèmes trouvés", "en": "Findings"},
    "no_findings": {"fr": "Aucun problème trouvé.", "en": "No problem found."},
    "passed_checks": {"fr": "Contrôles sans anomalie", "en": "Checks that found nothing"},
    "trust_note": {
        "fr": "Score de confiance de 0 à 100 : chaque table part de 100 et perd poids × part "
        "touchée × 100 points par contrôle (part en lignes, ou en montant pour les coûts, "
        "commandes et opportunités). « – » : table vide. Un indicateur vaut le score le plus "
        "bas des tables qu'il utilise.",
        "en": "Trust score from 0 to 100: each table starts at 100 and loses weight × "
        "affected share × 100 points per check (share of rows, or of money for costs, orders "
        "and opportunities). '–': empty table. A KPI scores the lowest of the tables it uses.",
    },
    "examples_hidden": {
        "fr": "Exemples masqués : votre accès est limité à une partie des données.",
        "en": "Examples hidden: your access is limited to part of the data.",
    },
    "severity_ok": {"fr": "ok", "en": "ok"},
    "severity_low": {"fr": "faible", "en": "low"},
    "severity_medium": {"fr": "moyenne", "en": "medium"},
    "severity_high": {"fr": "élevée", "en": "high"},
    "kpi_trust": {"fr": "Confiance par indicateur", "en": "Trust by KPI"},
    "by_channel": {"fr": "Par canal", "en": "By channel"},
    "channel": {"fr": "Canal", "en": "Channel"},
    "start": {"fr": "Du", "en": "From"},
    "end": {"fr": "Au", "en": "To"},
    "apply": {"fr": "Appliquer", "en": "Apply"},
    "total": {"fr": "Total", "en": "Total"},
    "download": {"fr": "Télécharger :", "en": "Download:"},
    "table": {"fr": "Table", "en": "Table"},
    "rows": {"fr": "Lignes", "en": "Rows"},
    "first": {"fr": "Première date", "en": "First date"},
    "last": {"fr": "Dernière date", "en": "Last date"},
    "imports": {"fr": "Derniers imports", "en": "Latest imports"},
    "file": {"fr": "Fichier", "en": "File"},
    "status": {"fr": "Statut", "en": "Status"},
    "when": {"fr": "Quand", "en": "When"},
    "by": {"fr": "Par", "en": "By"},
    "inserted": {"fr": "Insérées", "en": "Inserted"},
    "updated": {"fr": "Modifiées", "en": "Updated"},
    "unchanged": {"fr": "Inchangées", "en": "Unchanged"},
    "no_chart": {
        "fr": "Graphique indisponible : lancez « make setup » pour installer les bibliothèques.",
        "en": "Chart unavailable: run 'make setup' to install the chart libraries.",
    },
    "attribution_note": {
        "fr": "Chiffre d'affaires attribué au dernier contact, fenêtre de {days} jours, en {cur}.",
        "en": "Revenue attributed to the last touch, {days}-day window, in {cur}.",
    },
    "empty": {
        "fr": "Aucune donnée : chargez des fichiers avec « pilotage load » ou lancez la démo.",
        "en": "No data yet: load files with 'pilotage load' or build the demo.",
    },
}


def _merged(*parts: dict[str, dict[Lang, str]]) -> dict[str, dict[Lang, str]]:
    """One table from the pages' tables; a key defined twice is a bug, caught at import."""
    merged: dict[str, dict[Lang, str]] = {}
    for part in parts:
        twice = merged.keys() & part.keys()
        if twice:
            raise ValueError(f"wording keys defined twice: {sorted(twice)}")
        merged.update(part)
    return merged


_TEXT = _merged(
    _BASE,
    wording_allbound.TEXT,
    wording_budget.TEXT,
    wording_clv.TEXT,
    wording_governance.TEXT,
    wording_journey.TEXT,
    wording_plan.TEXT,
    wording_voice.TEXT,
)


def text(key: str, lang: Lang) -> str:
    return _TEXT[key][lang]


def words(lang: Lang) -> Callable[[str], str]:
    """``text`` bound to one language, as the templates' ``t``."""
    return lambda key: text(key, lang)
