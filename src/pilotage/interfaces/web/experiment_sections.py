"""The experiments page's readouts: one table per experiment and metric (each variant's
value, lift, interval, p-value, chance to win and risk) with the plain-language readout
under it. Formatting only; every number comes from the experiments service."""

from __future__ import annotations

from typing import Any

from pilotage.interfaces.formatting import Lang, number, percent
from pilotage.interfaces.web import wording
from pilotage.interfaces.web.cells import count_cell, text_cell
from pilotage.interfaces.web.page_kit import column, section
from pilotage.services.experiment_results import LinkInfo
from pilotage.services.experiments import ExperimentAnalysis, ExperimentReadouts, VariantDetail


def _value(a: ExperimentAnalysis, value: float | None, lang: Lang, *, lift: bool = False) -> str:
    if value is None:
        return "–"
    if a.metric == "conversion":
        # A rate reads in percent; its absolute lift in percentage points.
        text = number(value * 100, lang, 2) + (
            " pt" if lift else "\u00a0%" if lang == "fr" else "%"
        )
    else:
        text = number(value, lang, 2)
    return f"+{text}" if lift and value > 0 else text


def _cell(text: str, sort: float | None, negative: bool = False) -> dict[str, Any]:
    return {"text": text, "sort": "" if sort is None else sort, "negative": negative}


def _row(a: ExperimentAnalysis, v: VariantDetail, lang: Lang) -> list[dict[str, Any]]:
    t = wording.words(lang)
    name = f"{v.variant} ({t('control')})" if v.is_control else v.variant
    interval = "–"
    if not v.is_control:
        interval = (
            f"{_value(a, v.ci_low, lang, lift=True)} … {_value(a, v.ci_high, lang, lift=True)}"
        )
    loses = v.lift_abs is not None and v.lift_abs < 0
    return [
        text_cell(name),
        count_cell(v.units, lang),
        _cell(_value(a, v.mean, lang), v.mean),
        _cell(_value(a, v.lift_abs, lang, lift=True), v.lift_abs, loses),
        _cell(percent(v.lift_rel, lang, 1) if v.lift_rel is not None else "–", v.lift_rel, loses),
        _cell(interval, v.ci_low),
        _cell(number(v.p_value, lang, 4) if v.p_value is not None else "–", v.p_value),
        _cell(
            percent(v.chance_to_win, lang, 1) if v.chance_to_win is not None else "–",
            v.chance_to_win,
        ),
        _cell(_value(a, v.risk, lang, lift=False), v.risk),
    ]


def experiment_sections(
    readouts: ExperimentReadouts, links: dict[str, LinkInfo], lang: Lang
) -> list[dict[str, Any]]:
    t = wording.words(lang)
    cols = [
        column(t("variant")),
        column(t("units")),
        column(t("metric_value")),
        column(t("lift")),
        column(t("lift_rel")),
        column(t("interval")),
        column(t("p_value")),
        column(t("chance_to_win")),
        column(t("risk")),
    ]
    out = []
    for a in readouts.analyses:
        title = f"{a.experiment_id} — {t('metric_' + a.metric)}"
        link = links.get(a.experiment_id)
        if link is not None:
            title += " · " + t("initiative_link").format(id=link.initiative_id)
            if link.channel:
                title += f" ({link.channel})"
        note = f"{a.readout_fr if lang == 'fr' else a.readout_en} {t('decision_rule')}"
        out.append(section(title, cols, [_row(a, v, lang) for v in a.variants], note=note))
    for experiment_id, problem in sorted(readouts.problems.items()):
        out.append(
            section(
                f"{experiment_id} — {t('experiment_problem')}", [], [], empty=problem, note=None
            )
        )
    return out
