"""The pages' words in French and English."""

from __future__ import annotations

from pilotage.interfaces.formatting import Lang

_TEXT: dict[str, dict[Lang, str]] = {
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
    "by_channel": {"fr": "Par canal", "en": "By channel"},
    "channel": {"fr": "Canal", "en": "Channel"},
    "start": {"fr": "Du", "en": "From"},
    "end": {"fr": "Au", "en": "To"},
    "apply": {"fr": "Appliquer", "en": "Apply"},
    "total": {"fr": "Total", "en": "Total"},
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
    "attribution": {
        "fr": "Chiffre d'affaires attribué au dernier contact, fenêtre de {days} jours, en {cur}.",
        "en": "Revenue attributed to the last touch, {days}-day window, in {cur}.",
    },
    "empty": {
        "fr": "Aucune donnée : chargez des fichiers avec « pilotage load » ou lancez la démo.",
        "en": "No data yet: load files with 'pilotage load' or build the demo.",
    },
}


def text(key: str, lang: Lang) -> str:
    return _TEXT[key][lang]
