"""The pages' words in French and English."""

from __future__ import annotations

from pilotage.interfaces.formatting import Lang

_TEXT: dict[str, dict[Lang, str]] = {
    "overview": {"fr": "Vue d'ensemble", "en": "Overview"},
    "data": {"fr": "Données", "en": "Data"},
    "definitions": {"fr": "Définitions", "en": "Definitions"},
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
