"""The plain-language readout of an experiment, in French and English: what each variant
did to the metric, with its interval, the decision, and every warning a CMO must hear
(broken split, pre-period imbalance, peeking). Wording only; every number comes from the
analysis."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from pilotage.core.experiments.analysis import Analysis, Comparison
from pilotage.core.experiments.options import MetricKind

Lang = Literal["fr", "en"]
_NBSP = "\u00a0"

_METRIC: dict[MetricKind, dict[Lang, str]] = {
    "conversion": {"fr": "le taux de conversion", "en": "the conversion rate"},
    "mean": {"fr": "la valeur par unité", "en": "the value per unit"},
    "ratio": {"fr": "la valeur par conversion", "en": "the value per conversion"},
    "count": {"fr": "le nombre de conversions par unité", "en": "conversions per unit"},
}
_INTERVAL: dict[str, dict[Lang, str]] = {
    "frequentist": {"fr": "IC {level}", "en": "{level} CI"},
    "bayesian": {"fr": "intervalle crédible {level}", "en": "{level} credible interval"},
    "sequential": {"fr": "séquence de confiance {level}", "en": "{level} confidence sequence"},
}
_TEXT: dict[str, dict[Lang, str]] = {
    "up": {
        "fr": "La variante {v} augmente {m} de {lift}",
        "en": "Variant {v} increases {m} by {lift}",
    },
    "down": {
        "fr": "La variante {v} baisse {m} de {lift}",
        "en": "Variant {v} decreases {m} by {lift}",
    },
    "flat": {"fr": "La variante {v} ne change pas {m}", "en": "Variant {v} leaves {m} unchanged"},
    "versus": {"fr": "face à {c}", "en": "against {c}"},
    "to": {"fr": "à", "en": "to"},
    "i_e": {"fr": "soit {rel}", "en": "i.e. {rel}"},
    "chance": {"fr": "chance de battre {c} : {x}", "en": "chance to beat {c}: {x}"},
    "ship": {
        "fr": "Décision : déployer {v}.",
        "en": "Decision: ship {v}.",
    },
    "keep_control": {
        "fr": "Décision : garder {c} ; aucune variante ne fait mieux.",
        "en": "Decision: keep {c}; no variant does better.",
    },
    "inconclusive": {
        "fr": "Décision : pas de conclusion ; l'écart peut être dû au hasard. Gardez {c}, ou "
        "poursuivez jusqu'à la taille prévue.",
        "en": "Decision: inconclusive; the difference may be chance. Keep {c}, or run on to "
        "the planned sample size.",
    },
    "check_data": {
        "fr": "Décision : aucune ; vérifiez d'abord la répartition des unités.",
        "en": "Decision: none; check how units were assigned first.",
    },
    "srm": {
        "fr": "Attention : la répartition des unités ({observed}) ne correspond pas au plan "
        "({expected}), p = {p} ; un biais d'affectation (robots filtrés, redirection) fausse "
        "le résultat tant que la cause n'est pas trouvée.",
        "en": "Warning: the split of units ({observed}) does not match the plan ({expected}), "
        "p = {p}; an assignment bias (filtered bots, redirects) makes the result untrustworthy "
        "until the cause is found.",
    },
    "equal_split": {
        "fr": "Aucune répartition prévue (planned_share) : une répartition égale est supposée.",
        "en": "No planned split (planned_share): an equal split is assumed.",
    },
    "cuped": {
        "fr": "Ajusté sur la période précédente (CUPED) : variance réduite de {x}.",
        "en": "Adjusted for the pre-period (CUPED): variance reduced by {x}.",
    },
    "cuped_missing": {
        "fr": "{n} unités sans valeur de pré-période ont reçu la moyenne commune.",
        "en": "{n} units without a pre-period value were given the common mean.",
    },
    "imbalance": {
        "fr": "Attention : la pré-période diffère déjà entre variantes (p = {p}) ; vérifiez la "
        "randomisation.",
        "en": "Warning: the pre-period already differs between variants (p = {p}); check the "
        "randomisation.",
    },
    "corrected": {
        "fr": "p-valeurs ajustées ({method}) sur {n} comparaisons ; intervalles non ajustés.",
        "en": "p-values adjusted ({method}) across {n} comparisons; intervals unadjusted.",
    },
    "peeking": {
        "fr": "Ne concluez qu'à la taille d'échantillon prévue : s'arrêter dès que p < {a} "
        "multiplie les fausses victoires (utilisez --method sequential pour suivre chaque jour).",
        "en": "Decide only at the planned sample size: stopping as soon as p < {a} inflates false "
        "wins (use --method sequential to follow it daily).",
    },
    "always_valid": {
        "fr": "Séquence de confiance : valable à chaque consultation, même quotidienne.",
        "en": "Confidence sequence: valid at every look, even daily.",
    },
}
_CORRECTION = {"holm": "Holm", "bh": "Benjamini-Hochberg"}


def _num(value: float, lang: Lang, decimals: int) -> str:
    rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{rounded:,.{decimals}f}"
    return text.replace(",", "\u202f").replace(".", ",") if lang == "fr" else text


def pct(value: float, lang: Lang, decimals: int = 1, *, signed: bool = False) -> str:
    sign = "+" if signed and value > 0 else ""
    body = _num(value * 100, lang, decimals)
    return f"{sign}{body}{_NBSP}%" if lang == "fr" else f"{sign}{body}%"


def chance_text(chance: float, lang: Lang) -> str:
    """A probability that never reads as certain: '> 99.9%' rather than '100.0%'."""
    if chance > 0.999:
        return "> " + pct(0.999, lang)
    if chance < 0.001:
        return "< " + pct(0.001, lang)
    return pct(chance, lang)


def p_text(p: float, lang: Lang) -> str:
    if p < 0.0001:
        return "< 0,0001" if lang == "fr" else "< 0.0001"
    return _num(p, lang, 4)


def _amount(value: float, kind: MetricKind, lang: Lang, *, signed: bool = False) -> str:
    """An absolute lift: percentage points for a rate, a plain number otherwise."""
    sign = "+" if signed and value > 0 else ""
    if kind == "conversion":
        points = abs(value * 100)
        plural = points >= 2 if lang == "fr" else points != 1
        unit = "points" if plural else "point"
        return f"{sign}{_num(value * 100, lang, 2)}{_NBSP}{unit}"
    return f"{sign}{_num(value, lang, 2)}"


def _bound(value: float | None, relative: bool, kind: MetricKind, lang: Lang) -> str:
    if value is None:
        return "∞"
    return pct(value, lang, signed=True) if relative else _amount(value, kind, lang, signed=True)


def variant_sentence(a: Analysis, c: Comparison, lang: Lang) -> str:
    relative = a.settings.difference == "relative"
    metric = _METRIC[a.kind][lang]
    if c.lift_abs == 0:
        head = _TEXT["flat"][lang].format(v=c.variant, m=metric)
    else:
        size = abs(c.lift_rel) if relative and c.lift_rel is not None else abs(c.lift_abs)
        lift = pct(size, lang) if relative else _amount(size, a.kind, lang)
        head = _TEXT["up" if c.lift_abs > 0 else "down"][lang].format(
            v=c.variant, m=metric, lift=lift
        )
    level = pct(a.settings.level, lang, 0)
    name = _INTERVAL[a.settings.method][lang].format(level=level)
    colon = f"{_NBSP}:" if lang == "fr" else ":"
    low = _bound(c.low, relative, a.kind, lang)
    high = _bound(c.high, relative, a.kind, lang)
    interval = f"({name}{colon} {low} {_TEXT['to'][lang]} {high})"
    extra = ""
    if not relative and c.lift_rel is not None and c.lift_abs != 0:
        extra = ", " + _TEXT["i_e"][lang].format(rel=pct(c.lift_rel, lang, signed=True))
    versus = _TEXT["versus"][lang].format(c=a.control)
    chance = _TEXT["chance"][lang].format(c=a.control, x=chance_text(c.chance_to_win, lang))
    stats = f"p = {p_text(c.adjusted_p, lang)}, {chance}"
    if lang == "fr":
        stats = stats.replace(", ", " ; ")
    return f"{head} {interval} {versus}{extra} — {stats}."


def readout(a: Analysis, lang: Lang) -> str:
    """Every variant's sentence, the decision, then the warnings."""
    parts = [variant_sentence(a, c, lang) for c in a.comparisons]
    winner = a.winner
    parts.append(_TEXT[a.decision][lang].format(v=winner.variant if winner else "", c=a.control))
    parts += warnings(a, lang)
    return " ".join(parts)


def warnings(a: Analysis, lang: Lang) -> list[str]:
    out = []
    split = a.srm
    if a.srm_broken:
        names = [v.variant for v in a.variants]
        observed = " / ".join(
            f"{n} {pct(s, lang)}" for n, s in zip(names, split.observed, strict=True)
        )
        expected = " / ".join(
            f"{n} {pct(s, lang)}" for n, s in zip(names, split.expected, strict=True)
        )
        out.append(
            _TEXT["srm"][lang].format(
                observed=observed, expected=expected, p=p_text(split.p_value, lang)
            )
        )
    if not split.planned:
        out.append(_TEXT["equal_split"][lang])
    if a.cuped is not None:
        out.append(_TEXT["cuped"][lang].format(x=pct(max(a.cuped.reduction, 0.0), lang, 0)))
        missing = sum(v.pre_missing for v in a.variants)
        if missing > 0:
            out.append(_TEXT["cuped_missing"][lang].format(n=_num(missing, lang, 0)))
    if a.imbalanced and a.imbalance_p is not None:
        out.append(_TEXT["imbalance"][lang].format(p=p_text(a.imbalance_p, lang)))
    return out


def family_notes(analyses: list[Analysis], lang: Lang) -> list[str]:
    """What applies to the whole family: the correction and how to read p over time."""
    if not analyses:
        return []
    settings = analyses[0].settings
    n = sum(len(a.comparisons) for a in analyses)
    notes = []
    if n > 1 and settings.correction != "none" and settings.method != "bayesian":
        notes.append(_TEXT["corrected"][lang].format(method=_CORRECTION[settings.correction], n=n))
    if settings.method == "sequential":
        notes.append(_TEXT["always_valid"][lang])
    else:
        notes.append(_TEXT["peeking"][lang].format(a=_num(settings.alpha, lang, 2)))
    return notes
