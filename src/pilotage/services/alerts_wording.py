"""An alert in one sentence, French or English: what moved, by how much, since when, the
likely cause and the suggested move (the webhook payload and the pages carry it)."""

from __future__ import annotations

from pilotage.core.kpis.engine import DIMENSION_NAMES
from pilotage.core.metrics.registry import METRICS
from pilotage.services.alerts_types import Candidate, Cause, Move

_DIRECTION = {
    ("fr", "up"): "en hausse",
    ("fr", "down"): "en baisse",
    ("en", "up"): "up",
    ("en", "down"): "down",
}
_KIND = {
    "fr": {
        "shift": "durablement",
        "spike": "ponctuellement",
        "dip": "ponctuellement",
        "overspend": "au-dessus du plan",
        "underspend": "en dessous du plan",
        "drift": "en dérive",
    },
    "en": {
        "shift": "lastingly",
        "spike": "in the last weeks",
        "dip": "in the last weeks",
        "overspend": "above plan",
        "underspend": "below plan",
        "drift": "drifting",
    },
}


def _num(value: float | None, lang: str) -> str:
    if value is None:
        return "–"
    text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}"
    return text.replace(",", "\u202f").replace(".", ",") if lang == "fr" else text


def _pct(value: float | None, lang: str) -> str:
    if value is None:
        return "–"
    body = f"{round(abs(value) * 100):,}"
    if lang == "fr":
        body = body.replace(",", "\u202f")
    return f"{body}\u00a0%" if lang == "fr" else f"{body}%"


def _slice(dimension: str | None, value: str | None, lang: str) -> str:
    if dimension is None:
        return "total" if lang == "en" else "ensemble"
    names = DIMENSION_NAMES.get(dimension)
    name = names[1 if lang == "fr" else 0].lower() if names else dimension
    return f"{name} {value}"


def summary(c: Candidate, lang: str, currency: str) -> str:
    name = METRICS[c.metric_id].name(lang) if c.metric_id in METRICS else c.metric_id
    where = _slice(c.dimension, c.slice_value, lang)
    moved = _DIRECTION[(lang, c.direction)]
    how = _KIND[lang][c.kind]
    unit = (
        f" {currency}"
        if METRICS.get(c.metric_id) and METRICS[c.metric_id].unit == ("currency")
        else ""
    )
    if lang == "fr":
        text = (
            f"{name} ({where}) {moved} de {_pct(c.change_rel, lang)} {how} depuis le "
            f"{c.since.isoformat()} : {_num(c.observed, lang)}{unit} contre "
            f"{_num(c.expected, lang)}{unit} attendus."
        )
    else:
        text = (
            f"{name} ({where}) {moved} {_pct(c.change_rel, lang)} {how} since "
            f"{c.since.isoformat()}: {_num(c.observed, lang)}{unit} against "
            f"{_num(c.expected, lang)}{unit} expected."
        )
    if c.cause is not None:
        text += " " + _cause(c.cause, lang)
    if c.suggestion is not None:
        text += " " + _move(c.suggestion, lang)
    return text


def _cause(cause: Cause, lang: str) -> str:
    share = _pct(cause.share, lang) if cause.share is not None else "–"
    where = _slice(cause.dimension, cause.value, lang)
    if lang == "fr":
        return f"Cause probable : {where} ({share} de l'écart)."
    return f"Likely cause: {where} ({share} of the change)."


def _move(move: Move, lang: str) -> str:
    amount = _num(move.amount, lang)
    if lang == "fr":
        basis = "modèle de mix" if move.basis == "mix_model" else "ROI des 13 dernières semaines"
        return (
            f"Suggestion : déplacer {amount} {move.currency}/mois de {move.from_channel} vers "
            f"{move.to_channel} ({basis})."
        )
    basis = "mix model" if move.basis == "mix_model" else "ROI of the last 13 weeks"
    return (
        f"Suggestion: move {move.currency} {amount}/month from {move.from_channel} to "
        f"{move.to_channel} ({basis})."
    )
