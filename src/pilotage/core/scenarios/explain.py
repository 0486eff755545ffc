"""What each estimate rests on, in English and French: the basis of a proposal's estimate,
its warnings, and the comparison's notes. Pairs are (English, French)."""

from __future__ import annotations

import math
from collections.abc import Collection

from pilotage.core.scenarios.compare import money
from pilotage.core.scenarios.pooling import ProgramPool

Text = tuple[str, str]
#: A proposal this many times larger than the type's largest past program gets a warning.
SCALE_WARNING = 2.0
_METRIC_FR = {"revenue": "revenu", "margin": "marge brute", "pipeline": "pipeline"}

STATED_BASIS: Text = (
    "stated case (low / base / high as 10th / 50th / 90th percentiles)",
    "cas déclaré (bas / central / haut comme 10e / 50e / 90e centiles)",
)


def dec(x: float, lang: str, digits: int = 2) -> str:
    text = f"{x:.{digits}f}"
    return text.replace(".", ",") if lang == "fr" else text


def mix_model_basis(channel: str, cost: float, weeks: int, currency: str) -> Text:
    return (
        f"mix model: extra revenue of {money(cost, currency, 'en')} more on {channel} "
        f"over {weeks} weeks",
        f"modèle de mix : revenu additionnel de {money(cost, currency, 'fr')} de plus sur "
        f"{channel} sur {weeks} semaines",
    )


def history_basis(
    program: str, cost: float, units: int, pool: ProgramPool, currency: str
) -> tuple[Text, list[Text]]:
    """The basis of an estimate from past programs, and a warning when the proposal is far
    larger than any past program of its type."""
    t = pool.type_estimate(program)
    more = (f", {units} programs", f", {units} programmes") if units > 1 else ("", "")
    if t is None:
        ratio = math.exp(pool.pooling.mu)
        return (
            f"no past '{program}' program with a cost: estimated from all {pool.programs} "
            f"programs ({dec(ratio, 'en')} per euro){more[0]}",
            f"aucun programme '{program}' passé avec un coût : estimé sur l'ensemble des "
            f"{pool.programs} programmes ({dec(ratio, 'fr')} par euro){more[1]}",
        ), []
    weight = f"{t.own_weight * 100:.0f} %"
    basis = (
        f"{t.programs} past '{program}' programs: {dec(t.ratio, 'en')} per euro observed, "
        f"{dec(t.pooled_ratio, 'en')} pooled ({weight} weight on their own history){more[0]}",
        f"{t.programs} programmes '{program}' passés : {dec(t.ratio, 'fr')} par euro "
        f"observé, {dec(t.pooled_ratio, 'fr')} après mutualisation (poids de leur propre "
        f"historique {weight}){more[1]}",
    )
    per_unit = cost / units
    if per_unit <= SCALE_WARNING * t.largest_cost:
        return basis, []
    times = per_unit / t.largest_cost
    largest = t.largest_cost
    return basis, [
        (
            f"{money(per_unit, currency, 'en')} per program is {dec(times, 'en', 1)}x the "
            f"largest past '{program}' program ({money(largest, currency, 'en')}): the "
            "estimate assumes the same return per euro at that size",
            f"{money(per_unit, currency, 'fr')} par programme, c'est {dec(times, 'fr', 1)} fois "
            f"le plus grand programme '{program}' passé ({money(largest, currency, 'fr')}) : "
            "l'estimation suppose le même retour par euro à cette taille",
        )
    ]


def comparison_notes(
    metric: str,
    credit: str,
    pool: ProgramPool | None,
    sources: Collection[str],
    model_status: str | None,
) -> list[Text]:
    """How the history was read, what was assumed, and what not to compare blindly."""
    notes: list[Text] = []
    if pool is not None:
        notes.append(
            (
                f"history: {metric} credited to campaigns by the '{credit}' model, "
                f"{pool.programs} past programs; types are pooled toward the mean of all types "
                "(empirical Bayes), more when they have few programs",
                f"historique : {_METRIC_FR.get(metric, metric)} attribué aux campagnes par le "
                f"modèle '{credit}', {pool.programs} programmes passés ; chaque type est "
                "rapproché de la moyenne de tous (Bayes empirique), d'autant plus qu'il a peu "
                "de programmes",
            )
        )
        if not pool.cv2_measured:
            notes.append(
                (
                    "no program type has two past programs: the program-to-program spread is "
                    "assumed (coefficient of variation 1), not measured",
                    "aucun type n'a deux programmes passés : la dispersion d'un programme à "
                    "l'autre est supposée (coefficient de variation 1), pas mesurée",
                )
            )
    if "mix_model" in sources and "history" in sources:
        notes.append(
            (
                "the mix model estimates incremental revenue, the history attributed "
                "revenue: the two measures differ, compare them with care",
                "le modèle de mix estime le revenu incrémental, l'historique le revenu "
                "attribué : les deux mesures diffèrent, à comparer avec prudence",
            )
        )
    if "mix_model" in sources and model_status not in (None, "good"):
        notes.append(
            (
                f"the mix model's convergence is '{model_status}': read its estimates with care",
                f"la convergence du modèle de mix est '{model_status}' : lire ses estimations "
                "avec prudence",
            )
        )
    return notes
