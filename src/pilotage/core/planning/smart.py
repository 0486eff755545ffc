"""The SMART check of an objective, one verdict and one reason per letter.

- Specific: one metric on one scope, and the metric's data can be cut by that scope.
- Measurable: a registry metric the engine computes, with data in the workspace.
- Achievable: the target lies inside the forecast's 80 % interval or on its easy side, i.e.
  history and trend give it at least a 10 % chance (after the deadline: it was met).
- Relevant: a business objective, or a marketing objective linked to one.
- Time-bound: a deadline after the start.

A verdict is True, False, or None when it cannot be judged yet (too little history).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Literal

from pilotage.core.metrics.registry import METRICS
from pilotage.core.planning.forecast import MIN_MONTHS, Forecast
from pilotage.core.planning.metrics import Direction, measurable, meets
from pilotage.core.planning.text import Lang, amount, share

Letter = Literal["S", "M", "A", "R", "T"]
ObjectiveKind = Literal["business", "marketing"]
#: Below this chance of reaching the target, history and trend call it implausible.
PLAUSIBLE = 0.10


@dataclass(frozen=True)
class SmartInput:
    metric_id: str
    scope: dict[str, list[str]]
    target: float
    direction: Direction
    start: datetime.date
    deadline: datetime.date
    kind: ObjectiveKind
    #: (name, kind) of the parent objective, None when there is none.
    parent: tuple[str, ObjectiveKind] | None
    #: Dimensions of the scope the metric's data cannot be cut by (from the KPI engine).
    not_sliced: tuple[str, ...]
    history_months: int
    #: Whether the workspace holds any data of the metric's tables.
    has_data: bool
    forecast: Forecast | None
    #: After the deadline: the final value (None before it, or when unknown).
    final: float | None
    today: datetime.date
    currency: str = "EUR"


@dataclass(frozen=True)
class SmartVerdict:
    letter: Letter
    passed: bool | None
    reason: str


def smart_check(spec: SmartInput, lang: Lang) -> tuple[SmartVerdict, ...]:
    return (
        SmartVerdict("S", *_specific(spec, lang)),
        SmartVerdict("M", *_measurable(spec, lang)),
        SmartVerdict("A", *_achievable(spec, lang)),
        SmartVerdict("R", *_relevant(spec, lang)),
        SmartVerdict("T", *_time_bound(spec, lang)),
    )


def is_smart(verdicts: tuple[SmartVerdict, ...]) -> bool:
    return all(v.passed for v in verdicts)


def _name(spec: SmartInput, lang: Lang) -> str:
    metric = METRICS.get(spec.metric_id)
    return metric.name(lang) if metric else spec.metric_id


def _scope_text(scope: dict[str, list[str]], lang: Lang) -> str:
    if not scope:
        return "toute l'entreprise" if lang == "fr" else "the whole company"
    return ", ".join(f"{k} = {' | '.join(vs)}" for k, vs in scope.items())


def _specific(spec: SmartInput, lang: Lang) -> tuple[bool, str]:
    name, scope = _name(spec, lang), _scope_text(spec.scope, lang)
    if spec.not_sliced:
        cut = ", ".join(spec.not_sliced)
        if lang == "fr":
            return False, f"Les données de {name} ne se découpent pas par {cut} : périmètre flou."
        return False, f"{name}'s data cannot be cut by {cut}: the scope is not measurable as set."
    if lang == "fr":
        return True, f"Une métrique ({name}) sur un périmètre ({scope})."
    return True, f"One metric ({name}) on one scope ({scope})."


def _measurable(spec: SmartInput, lang: Lang) -> tuple[bool, str]:
    metric = measurable(spec.metric_id)
    if metric is None:
        if lang == "fr":
            return False, f"« {spec.metric_id} » n'est pas une métrique calculée du registre."
        return False, f"'{spec.metric_id}' is not a computed metric of the registry."
    tables = ", ".join(metric.tables)
    if not spec.has_data:
        if lang == "fr":
            return False, f"Pas encore de données pour cette métrique (tables : {tables})."
        return False, f"No data for this metric yet (tables: {tables})."
    if lang == "fr":
        return True, (
            f"Métrique du registre calculée depuis les données ({tables}) ; "
            f"{spec.history_months} mois complets d'historique."
        )
    return True, (
        f"Registry metric computed from the data ({tables}); "
        f"{spec.history_months} complete months of history."
    )


def _achievable(spec: SmartInput, lang: Lang) -> tuple[bool | None, str]:
    metric = METRICS.get(spec.metric_id)
    unit = metric.unit if metric else "count"
    target = amount(spec.target, unit, lang, spec.currency)
    if spec.final is not None:
        met = meets(spec.final, spec.target, spec.direction)
        value = amount(spec.final, unit, lang, spec.currency)
        if lang == "fr":
            return met, f"Échéance passée : {value} pour une cible de {target}."
        return met, f"Deadline passed: {value} against a target of {target}."
    fc = spec.forecast
    if fc is None:
        if lang == "fr":
            return None, (
                f"Impossible à juger : {spec.history_months} mois d'historique, "
                f"il en faut {MIN_MONTHS}."
            )
        return None, (
            f"Cannot judge: {spec.history_months} months of history, {MIN_MONTHS} needed."
        )
    value, low, high = (amount(v, unit, lang, spec.currency) for v in (fc.value, fc.low, fc.high))
    chance = share(fc.probability, lang)
    ok = fc.probability >= PLAUSIBLE
    if lang == "fr":
        verdict = "plausible" if ok else "hors de portée de la tendance"
        return ok, (
            f"Prévision à l'échéance {value} [{low} ; {high}] ; cible {target} : "
            f"{chance} de chances, {verdict}."
        )
    verdict = "plausible" if ok else "beyond what history and trend make plausible"
    return ok, (
        f"Forecast at the deadline {value} [{low}; {high}]; target {target}: "
        f"{chance} chance, {verdict}."
    )


def _relevant(spec: SmartInput, lang: Lang) -> tuple[bool, str]:
    if spec.kind == "business":
        if lang == "fr":
            return True, "Objectif business : les objectifs marketing s'y rattachent."
        return True, "A business objective: marketing objectives cascade from it."
    if spec.parent is None:
        if lang == "fr":
            return False, "Rattaché à aucun objectif business : reliez-le à son objectif parent."
        return False, "Not linked to a business objective: give it its parent objective."
    name, kind = spec.parent
    if kind != "business":
        if lang == "fr":
            return False, f"Son parent « {name} » n'est pas un objectif business."
        return False, f"Its parent '{name}' is not a business objective."
    if lang == "fr":
        return True, f"Contribue à l'objectif business « {name} »."
    return True, f"Contributes to the business objective '{name}'."


def _time_bound(spec: SmartInput, lang: Lang) -> tuple[bool, str]:
    if spec.deadline <= spec.start:
        if lang == "fr":
            return False, f"L'échéance {spec.deadline} ne suit pas le début {spec.start}."
        return False, f"The deadline {spec.deadline} does not follow the start {spec.start}."
    days = (spec.deadline - spec.today).days
    if days < 0:
        if lang == "fr":
            return True, f"Échéance {spec.deadline}, passée depuis {-days} jours."
        return True, f"Deadline {spec.deadline}, passed {-days} days ago."
    if lang == "fr":
        return True, f"Du {spec.start} au {spec.deadline} ({days} jours restants)."
    return True, f"From {spec.start} to {spec.deadline} ({days} days left)."
