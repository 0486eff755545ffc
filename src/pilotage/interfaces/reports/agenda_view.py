"""An agenda (services.governance_agenda) as headed lists of sentences, French or English:
the committee packs and the committee page show the same text."""

from __future__ import annotations

from dataclasses import dataclass

from pilotage.interfaces.formatting import Lang, metric_value, money, number, percent
from pilotage.services.governance_agenda_types import Agenda, AgendaItem, AgendaSection

SECTION_TITLES: dict[str, dict[Lang, str]] = {
    "objectives": {"fr": "Indicateurs et objectifs", "en": "KPIs against objectives"},
    "alerts": {"fr": "Alertes", "en": "Alerts"},
    "pacing": {"fr": "Rythme des dépenses du mois", "en": "Spend pacing this month"},
    "initiatives": {
        "fr": "Initiatives en attente de décision",
        "en": "Initiatives awaiting a decision",
    },
    "experiments": {"fr": "Expériences terminées", "en": "Finished experiments"},
    "reallocation": {"fr": "Proposition de réallocation", "en": "Reallocation proposal"},
    "health": {"fr": "Bilan de santé de la stratégie", "en": "Strategy health check"},
    "decisions": {"fr": "Décisions de la période", "en": "Decisions of the period"},
    "actions": {"fr": "Actions en cours", "en": "Open action items"},
}
STATUS: dict[str, dict[Lang, str]] = {
    "on_track": {"fr": "en bonne voie", "en": "on track"},
    "at_risk": {"fr": "à risque", "en": "at risk"},
    "off_track": {"fr": "hors trajectoire", "en": "off track"},
    "met": {"fr": "atteint", "en": "met"},
    "missed": {"fr": "manqué", "en": "missed"},
    "unknown": {"fr": "inconnu", "en": "unknown"},
    "critical": {"fr": "critique", "en": "critical"},
    "warning": {"fr": "attention", "en": "warning"},
    "info": {"fr": "info", "en": "info"},
    "overspend": {"fr": "au-dessus du plan", "en": "above plan"},
    "underspend": {"fr": "en dessous du plan", "en": "below plan"},
    "on_plan": {"fr": "conforme au plan", "en": "on plan"},
    "proposed": {"fr": "proposée", "en": "proposed"},
    "evaluation_due": {"fr": "à évaluer", "en": "evaluation due"},
    "not_analysed": {"fr": "non analysée", "en": "not analysed"},
    "ship": {"fr": "déployer la variante", "en": "ship the variant"},
    "keep_control": {"fr": "garder le contrôle", "en": "keep the control"},
    "inconclusive": {"fr": "non concluante", "en": "inconclusive"},
    "check_data": {"fr": "vérifier les données", "en": "check the data"},
    "open": {"fr": "ouverte", "en": "open"},
    "overdue": {"fr": "en retard", "en": "overdue"},
    "alignment": {"fr": "Alignement sur les objectifs business", "en": "Business alignment"},
    "skills": {"fr": "Compétences par domaine", "en": "Skills per domain"},
    "resources": {"fr": "Ressources par domaine", "en": "Resources per domain"},
    "collaboration": {"fr": "Collaboration entre équipes", "en": "Cross-team collaboration"},
    "tracking": {"fr": "Suivi de la performance", "en": "Performance tracking"},
    "experimentation": {"fr": "Capacité à expérimenter", "en": "Readiness to experiment"},
}
EMPTY: dict[Lang, str] = {"fr": "Rien à l'ordre du jour.", "en": "Nothing on the agenda."}
_BASIS: dict[str, dict[Lang, str]] = {
    "mix_model": {"fr": "modèle de mix", "en": "mix model"},
    "roi": {"fr": "ROI des 13 dernières semaines", "en": "ROI of the last 13 weeks"},
}


@dataclass(frozen=True)
class AgendaBlock:
    code: str
    title: str
    lines: tuple[str, ...]


def status_word(code: str | None, lang: Lang) -> str:
    if code is None:
        return ""
    return STATUS.get(code, {}).get(lang, code)


def agenda_blocks(agenda: Agenda, lang: Lang, currency: str) -> tuple[AgendaBlock, ...]:
    return tuple(
        AgendaBlock(
            code=s.code,
            title=SECTION_TITLES[s.code][lang],
            lines=tuple(_line(s, i, lang, currency) for i in s.items) or (EMPTY[lang],),
        )
        for s in agenda.sections
    )


def _amount(item: AgendaItem, value: float | None, lang: Lang, currency: str) -> str:
    unit = item.unit or "count"
    return metric_value(value, unit, currency, lang, "")


def _line(section: AgendaSection, item: AgendaItem, lang: Lang, currency: str) -> str:
    st = status_word(item.status, lang)
    due = item.due.isoformat() if item.due else "–"
    fr = lang == "fr"
    match section.code:
        case "objectives":
            progress = percent(item.value, lang)
            when = f"échéance {due}" if fr else f"due {due}"
            chance = ""
            if item.probability is not None:
                chance = f", {'probabilité' if fr else 'chance'} {percent(item.probability, lang)}"
            figures = f"{_amount(item, item.actual, lang, currency)} / " + _amount(
                item, item.target, lang, currency
            )
            return f"{item.title} — {item.detail} : {figures} ({progress}) — {st}{chance}, {when}"
        case "alerts":
            return f"[{st}] {item.title}"
        case "pacing":
            spent = _amount(item, item.actual, lang, currency)
            planned = _amount(item, item.target, lang, currency)
            return f"{item.title} : {spent} / {planned} ({percent(item.value, lang)}) — {st}"
        case "initiatives":
            lacks = f" — {item.detail}" if item.detail else ""
            return f"{item.title} ({st}, {item.owner}){lacks}"
        case "experiments":
            ended = "terminée le" if fr else "ended"
            return f"{item.title} : {ended} {due} — {st}"
        case "reallocation":
            amount = money(item.value, currency, lang)
            basis = _BASIS.get(item.detail or "", {}).get(lang, item.detail or "")
            if fr:
                return f"Déplacer {amount} par mois : {item.title} ({basis})"
            return f"Move {amount} a month: {item.title} ({basis})"
        case "health":
            score = "–" if item.value is None else f"{number(item.value, lang)}/100"
            return f"{status_word(item.title, lang)} : {score}"
        case "decisions":
            return f"{due} — {item.title} ({item.owner})"
        case _:
            when = f"pour le {due}" if fr else f"due {due}"
            return f"{item.title} — {item.owner}, {when} ({st})"
