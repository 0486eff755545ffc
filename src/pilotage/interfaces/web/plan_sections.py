"""What the initiatives and objectives pages show, as table cells and form values: formatting
only, every number comes from the planning services."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from typing import Any

from pilotage.core.metrics.registry import METRICS
from pilotage.errors import UsageError
from pilotage.interfaces.formatting import Lang, metric_value, number, percent
from pilotage.interfaces.web.cells import text_cell
from pilotage.interfaces.web.page_kit import column, section
from pilotage.services.initiative_evaluation import InitiativeEvaluation
from pilotage.services.initiatives import InitiativeDetail, InitiativeSummary
from pilotage.services.objectives import ObjectiveInfo, ObjectiveStatus

Words = Callable[[str], str]
_DAY = "%Y-%m-%d"


def value_text(
    value: float | None, unit: str, currency: str, lang: Lang, metric_id: str = ""
) -> str:
    if unit == "percent":
        return percent(value, lang, 1)
    if unit == "months":
        return number(value, lang, 1)
    if metric_id == "roi" or unit == "roi":
        return percent(value, lang)
    return metric_value(value, unit, currency, lang, metric_id)


def num_cell(text: str, value: float | None, negative: bool = False) -> dict[str, Any]:
    return {"text": text, "sort": "" if value is None else value, "negative": negative}


def scope_text(scope: Mapping[str, list[str]]) -> str:
    return "; ".join(f"{k}={','.join(v)}" for k, v in scope.items())


def parse_scope_text(text: str, label: str) -> dict[str, list[str]] | None:
    """``"country=FR,BE; channel=events"`` -> {"country": ["FR", "BE"], "channel": [...]}."""
    if not text.strip():
        return None
    scope: dict[str, list[str]] = {}
    for part in text.split(";"):
        if not part.strip():
            continue
        key, sep, values = part.partition("=")
        kept = [v.strip() for v in values.split(",") if v.strip()]
        if not sep or not key.strip() or not kept:
            raise UsageError(
                f"{label}: cannot read {part.strip()!r}",
                fix="write dimension=value, values separated by commas, pairs by ';'",
            )
        scope.setdefault(key.strip(), []).extend(kept)
    return scope


def initiatives_section(
    items: list[InitiativeSummary], t: Words, lang: Lang, currency: str
) -> dict[str, Any]:
    rows = []
    for i in items:
        missing = [*i.plan_missing, *i.case_missing]
        status = t(f"plan_status_{i.status}") + (f" · {t('plan_due')}" if i.evaluation_due else "")
        last = i.last_move
        rows.append(
            [
                text_cell(i.name, link=f"/initiatives/{i.id}?lang={lang}"),
                text_cell(t(f"plan_kind_{i.kind}") if i.kind else None),
                text_cell(status),
                text_cell(i.owner),
                text_cell(i.kpi, link=f"/definitions?lang={lang}#{i.kpi}" if i.kpi else None),
                text_cell(i.evaluation_date.isoformat() if i.evaluation_date else None),
                num_cell(value_text(i.cost, "currency", currency, lang), i.cost),
                num_cell(
                    value_text(i.expected_return, "currency", currency, lang), i.expected_return
                ),
                num_cell(
                    value_text(i.expected_roi, "roi", currency, lang),
                    i.expected_roi,
                    negative=(i.expected_roi or 0) < 0,
                ),
                num_cell(percent(i.probability_roi_positive, lang), i.probability_roi_positive),
                text_cell(", ".join(missing) if missing else t("plan_ready")),
                text_cell(t(f"plan_verdict_{i.verdict}") if i.verdict else None),
                text_cell(_move(last.to_status, last.at, last.by, t) if last else None),
            ]
        )
    columns = [
        column(t("name")),
        column(t("kind")),
        column(t("status")),
        column(t("owner")),
        column(t("plan_kpi")),
        column(t("plan_evaluation_date")),
        column(t("plan_cost")),
        column(t("plan_expected_return")),
        column(t("plan_expected_roi")),
        column(t("plan_p_roi")),
        column(t("plan_missing")),
        column(t("plan_verdict")),
        column(t("plan_last_move")),
    ]
    return section(None, columns, rows, note=t("plan_rule_zero"), empty=t("plan_no_initiatives"))


def _move(status: str, at: datetime.datetime, by: str, t: Words) -> str:
    return f"{t(f'plan_status_{status}')} {at:{_DAY}} {t('plan_by')} {by}"


def objectives_summary(items: list[ObjectiveInfo], t: Words, lang: Lang) -> dict[str, Any]:
    rows = [
        [
            text_cell(o.name, link=f"/objectives/{o.id}?lang={lang}"),
            text_cell(t(f"plan_kind_{o.kind}")),
            text_cell(o.metric_id, link=f"/definitions?lang={lang}#{o.metric_id}"),
            text_cell(number(o.target, lang, 2)),
            text_cell(o.deadline.isoformat()),
        ]
        for o in items
    ]
    columns = [
        column(t("name")),
        column(t("kind")),
        column(t("metric")),
        column(t("target")),
        column(t("deadline")),
    ]
    return section(t("plan_objectives_summary"), columns, rows, empty=t("plan_no_objectives"))


def evaluation_rows(e: InitiativeEvaluation, t: Words, lang: Lang) -> list[list[dict[str, Any]]]:
    rows = []
    for r in e.rows:
        unit = "roi" if r.item == "roi" else r.unit
        metric = e.kpi if r.item in ("kpi", "impact") else ""

        def show(value: float | None, unit: str = unit, metric: str = metric) -> str:
            return value_text(value, unit, e.currency, lang, metric)

        rows.append(
            [
                text_cell(t(f"plan_item_{r.item}")),
                num_cell(show(r.expected), r.expected),
                num_cell(show(r.actual), r.actual),
                num_cell(show(r.difference), r.difference, negative=(r.difference or 0) < 0),
            ]
        )
    return rows


def plan_facts(d: InitiativeDetail, t: Words, lang: Lang, currency: str) -> list[tuple[str, str]]:
    p = d.plan
    unit = METRICS[p.kpi].unit if p.kpi else "count"

    def kpi(value: float | None) -> str:
        return value_text(value, unit, currency, lang, p.kpi or "")

    method = t(f"plan_method_{p.method}") if p.method else "–"
    if p.method == "experiment" and p.experiment_id:
        method += f" ({p.experiment_id})"
    if p.method == "pre_post_control" and p.control_scope:
        method += f" ({t('plan_control')}: {scope_text(p.control_scope)})"
    if p.method == "mmm" and p.channel:
        method += f" ({p.channel})"
    return [
        (t("plan_kpi"), p.kpi or "–"),
        (t("plan_scope"), scope_text(p.scope) or "–"),
        (
            t("plan_baseline"),
            kpi(p.baseline) + (f" ({p.baseline_source})" if p.baseline_source else ""),
        ),
        (t("target"), kpi(p.target)),
        (t("plan_start"), p.start.isoformat() if p.start else "–"),
        (t("plan_evaluation_date"), p.evaluation_date.isoformat() if p.evaluation_date else "–"),
        (t("plan_cost"), value_text(p.cost, "currency", currency, lang)),
        (t("plan_method"), method),
        (t("plan_attribution_model"), p.attribution_model),
        (t("plan_notes"), p.notes or "–"),
    ]


def case_facts(d: InitiativeDetail, t: Words, lang: Lang, currency: str) -> list[tuple[str, str]]:
    c, e = d.case, d.economics

    def money(value: float | None) -> str:
        return value_text(value, "currency", currency, lang)

    facts = [
        (t("plan_return_metric"), c.return_metric or "–"),
        (
            f"{t('plan_low')} / {t('plan_base')} / {t('plan_high')}",
            f"{money(c.low)} / {money(c.base)} / {money(c.high)}",
        ),
        (t("plan_margin"), percent(c.margin, lang)),
        (t("plan_months"), str(c.months)),
        (t("plan_rationale"), c.rationale or "–"),
    ]
    if e is not None:
        facts += [
            (
                t("plan_roi_range"),
                " / ".join(
                    value_text(v, "roi", currency, lang) for v in (e.roi_low, e.roi, e.roi_high)
                ),
            ),
            (t("plan_p_roi"), percent(e.probability_roi_positive, lang)),
            (t("plan_break_even"), money(e.break_even_return)),
            (t("plan_payback"), number(e.payback_months, lang, 1)),
        ]
    return facts


def objective_row(o: ObjectiveStatus, t: Words, lang: Lang) -> list[dict[str, Any]]:
    def show(value: float | None) -> str:
        return value_text(value, o.unit, o.currency, lang, o.metric_id)

    fc = o.forecast
    indent = "↳ " if o.parent_id is not None else ""
    smart = " ".join(
        (s.letter if s.passed else f"✗{s.letter}" if s.passed is False else f"?{s.letter}")
        for s in o.smart
    )
    return [
        text_cell(indent + o.name, link=f"/objectives/{o.id}?lang={lang}" if o.id else None),
        text_cell(t(f"plan_kind_{o.kind}")),
        text_cell(o.metric_name, link=f"/definitions?lang={lang}#{o.metric_id}"),
        text_cell(scope_text(o.scope) or None),
        num_cell(("≥ " if o.direction == "at_least" else "≤ ") + show(o.target), o.target),
        text_cell(o.deadline.isoformat()),
        num_cell(show(o.value_to_date), o.value_to_date),
        num_cell(percent(o.progress, lang), o.progress),
        num_cell(
            f"{show(fc.value)} [{show(fc.low)} ; {show(fc.high)}]" if fc else "–",
            fc.value if fc else None,
        ),
        num_cell(percent(o.probability, lang), o.probability),
        num_cell(t(f"plan_ostatus_{o.status}"), None, negative=o.status in ("off_track", "missed")),
        {**text_cell(smart), "title": " · ".join(f"{s.letter}: {s.reason}" for s in o.smart)},
    ]


def objective_columns(t: Words) -> list[dict[str, Any]]:
    return [
        column(t("name")),
        column(t("kind")),
        column(t("metric")),
        column(t("plan_scope")),
        column(t("target")),
        column(t("deadline")),
        column(t("plan_to_date")),
        column(t("plan_progress")),
        column(t("plan_forecast")),
        column(t("plan_probability")),
        column(t("status")),
        column(t("plan_smart")),
    ]
