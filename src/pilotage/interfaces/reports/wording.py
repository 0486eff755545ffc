"""Every sentence a report says, in French and English, apart from the code that picks it."""

from __future__ import annotations

from datetime import date

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


# -- committee packs ---------------------------------------------------------------------

PACK_LABELS: dict[str, dict[Lang, str]] = {
    "weekly": {"fr": "Performance de la semaine", "en": "Weekly performance"},
    "monthly": {"fr": "Dossier du comité mensuel", "en": "Monthly committee pack"},
    "quarterly": {"fr": "Revue stratégique trimestrielle", "en": "Quarterly strategy pack"},
    "key_figures": {"fr": "Chiffres clés par canal", "en": "Key figures by channel"},
    "trend": {"fr": "Tendance des six dernières périodes", "en": "Trend over six periods"},
    "narrative": {"fr": "Ce qui a changé", "en": "What changed"},
    "actions": {"fr": "Décisions à prendre", "en": "Decisions to take"},
    "open_items": {
        "fr": "Initiatives et décisions en cours",
        "en": "Open initiatives and decisions",
    },
    "coverage": {"fr": "Couverture des données", "en": "Data coverage"},
    "agenda": {"fr": "Ordre du jour", "en": "Agenda"},
    "metric": {"fr": "Indicateur", "en": "Metric"},
    "this_period": {"fr": "Période", "en": "Period"},
    "previous": {"fr": "Précédente", "en": "Previous"},
    "year_ago": {"fr": "Un an avant", "en": "Year before"},
    "delta": {"fr": "Écart", "en": "Change"},
    "delta_pct": {"fr": "Écart %", "en": "Change %"},
    "table": {"fr": "Table", "en": "Table"},
    "rows": {"fr": "Lignes", "en": "Rows"},
    "first_day": {"fr": "Premier jour", "en": "First day"},
    "last_day": {"fr": "Dernier jour", "en": "Last day"},
    "page": {"fr": "Page", "en": "Page"},
    "points": {"fr": "pts", "en": "pts"},
    "unattributed": {"fr": "non attribué", "en": "unattributed"},
    "no_data": {"fr": "aucune donnée", "en": "no data"},
}
_MONTHS: dict[Lang, tuple[str, ...]] = {
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}
_STATUS_FR = {"proposed": "proposée", "approved": "approuvée", "launched": "lancée"}


def pack_label(key: str, lang: Lang) -> str:
    return PACK_LABELS[key][lang]


def period_name(kind: str, start: date, end: date, lang: Lang) -> str:
    """How people say the period: octobre 2026, T3 2026, semaine 43 (19 – 25/10/2026)."""
    if kind == "monthly":
        month = _MONTHS[lang][start.month - 1]
        return f"{month} {start.year}"
    if kind == "quarterly":
        quarter = (start.month - 1) // 3 + 1
        return f"T{quarter} {start.year}" if lang == "fr" else f"Q{quarter} {start.year}"
    week = start.isocalendar()[1]
    if lang == "fr":
        return f"semaine {week} ({start:%d/%m} – {end:%d/%m/%Y})"
    return f"week {week} ({start.isoformat()} – {end.isoformat()})"


def dates_line(start: date, end: date, lang: Lang) -> str:
    if lang == "fr":
        return f"Du {start:%d/%m/%Y} au {end:%d/%m/%Y}"
    return f"From {start.isoformat()} to {end.isoformat()}"


def no_activity(lang: Lang) -> str:
    if lang == "fr":
        return "Aucun coût ni chiffre d'affaires sur la période."
    return "No cost and no revenue in the period."


def moved(cost_change: str, revenue_change: str, previous: str, lang: Lang) -> str:
    if lang == "fr":
        return (
            f"Par rapport à {previous}, le coût évolue de {cost_change} et le chiffre "
            f"d'affaires attribué de {revenue_change}."
        )
    return (
        f"Compared with {previous}, cost changed by {cost_change} and attributed revenue "
        f"by {revenue_change}."
    )


def year_on_year(revenue_change: str, year_ago: str, lang: Lang) -> str:
    if lang == "fr":
        return (
            f"Sur un an (par rapport à {year_ago}), le chiffre d'affaires attribué évolue "
            f"de {revenue_change}."
        )
    return f"Year on year (against {year_ago}), attributed revenue changed by {revenue_change}."


def biggest_mover(channel: str, revenue_change: str, lang: Lang) -> str:
    if lang == "fr":
        return (
            f"Le canal qui a le plus bougé est {channel} : {revenue_change} de chiffre "
            "d'affaires attribué."
        )
    return f"The channel that moved most is {channel}: {revenue_change} of attributed revenue."


def best_return(channel: str, roi: str, lang: Lang) -> str:
    if lang == "fr":
        return f"Meilleur retour : {channel}, avec un ROI de {roi}."
    return f"Best return: {channel}, with an ROI of {roi}."


def worst_return(channel: str, roi: str, lang: Lang) -> str:
    if lang == "fr":
        return f"Moins bon retour : {channel}, avec un ROI de {roi}."
    return f"Worst return: {channel}, with an ROI of {roi}."


def spending_without_revenue(names: list[str], lang: Lang) -> str:
    joined = ", ".join(names)
    if lang == "fr":
        return f"Canaux qui dépensent sans chiffre d'affaires attribué : {joined}."
    return f"Channels spending with no attributed revenue: {joined}."


def action(code: str, channel: str, value: str, lang: Lang) -> str:
    """The sentence of one decision the numbers call for (see services.reports.Action)."""
    texts: dict[str, dict[Lang, str]] = {
        "review_budget": {
            "fr": f"Revoir le budget de {channel} : ROI de {value} sur la période.",
            "en": f"Review the budget of {channel}: ROI of {value} over the period.",
        },
        "no_revenue": {
            "fr": f"Vérifier le suivi de {channel} ou suspendre ses dépenses : {value} "
            "dépensés sans chiffre d'affaires attribué.",
            "en": f"Check the tracking of {channel} or pause its spend: {value} spent with "
            "no attributed revenue.",
        },
        "improve_tracking": {
            "fr": f"Améliorer le suivi des conversions : {value} du chiffre d'affaires "
            "n'est attribué à aucun canal.",
            "en": f"Improve conversion tracking: {value} of revenue is attributed to no channel.",
        },
        "scale_best": {
            "fr": f"Étudier un renforcement de {channel}, meilleur ROI de la période ({value}).",
            "en": f"Consider moving budget to {channel}, the best ROI of the period ({value}).",
        },
    }
    return texts[code][lang]


def no_action(lang: Lang) -> str:
    if lang == "fr":
        return "Les chiffres de la période n'appellent aucune décision particulière."
    return "The period's numbers call for no particular decision."


def open_initiative(title: str, status: str, owner: str, lang: Lang) -> str:
    if lang == "fr":
        return f"Initiative « {title} » ({_STATUS_FR.get(status, status)}, {owner}) : à suivre."
    return f"Initiative “{title}” ({status}, {owner}): to follow up."


def period_decision(title: str, committee: str, day: date, lang: Lang) -> str:
    if lang == "fr":
        return f"Décision du comité {committee} du {day:%d/%m/%Y} : « {title} »."
    return f"Decision of the {committee} committee on {day.isoformat()}: “{title}”."
