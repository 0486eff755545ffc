"""Every sentence a report says, in French and English, apart from the code that picks it."""

from __future__ import annotations

from pilotage.interfaces.formatting import Lang, money, percent, ratio

LABELS: dict[str, dict[Lang, str]] = {
    "title": {"fr": "Rentabilité des canaux", "en": "Channel return"},
    "channel": {"fr": "Canal", "en": "Channel"},
    "campaign_id": {"fr": "Campagne", "en": "Campaign"},
    "period": {"fr": "Période", "en": "Period"},
    "total": {"fr": "Total", "en": "Total"},
    "definitions": {"fr": "Définitions", "en": "Definitions"},
    "summary": {"fr": "À retenir", "en": "Key points"},
    "all_time": {"fr": "toute la période", "en": "all data"},
    "generated": {"fr": "Généré le", "en": "Generated on"},
    "attribution": {
        "fr": "Attribution : dernier contact, fenêtre de {days} jours.",
        "en": "Attribution: last touch, {days}-day lookback window.",
    },
}


def label(key: str, lang: Lang) -> str:
    return LABELS[key][lang]


def best_channel(name: str, roas: float | None, lang: Lang) -> str:
    if lang == "fr":
        return f"Meilleur retour : {name}, avec un ROAS de {ratio(roas, lang)}."
    return f"Best return: {name}, with a ROAS of {ratio(roas, lang)}."


def losing_channels(names: list[str], lang: Lang) -> str:
    joined = ", ".join(names)
    if lang == "fr":
        return f"Canaux dont le chiffre d'affaires attribué ne couvre pas le coût : {joined}."
    return f"Channels whose attributed revenue does not cover their cost: {joined}."


def overall(cost: float, revenue: float, roi: float | None, currency: str, lang: Lang) -> str:
    c, r, p = money(cost, currency, lang), money(revenue, currency, lang), percent(roi, lang)
    if lang == "fr":
        return f"Coût total {c}, chiffre d'affaires attribué {r}, ROI {p}."
    return f"Total cost {c}, attributed revenue {r}, ROI {p}."


def unattributed(share: float, lang: Lang) -> str:
    p = percent(share, lang)
    if lang == "fr":
        return f"{p} du chiffre d'affaires n'a aucun point de contact dans la fenêtre."
    return f"{p} of revenue has no touchpoint within the window."
