"""The channel-return report: result object -> view model -> HTML string."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from importlib.resources import files

from jinja2 import Environment, select_autoescape
from markupsafe import Markup

from pilotage.core.kpis.credit import UNATTRIBUTED
from pilotage.interfaces.formatting import Lang, metric_value
from pilotage.interfaces.reports import wording
from pilotage.interfaces.reports.charts import grouped_bars
from pilotage.services.reports import unattributed_share
from pilotage.services.results import KpiTable

COST_COLOUR, REVENUE_COLOUR = "#c0392b", "#1f6f8b"


@dataclass(frozen=True)
class ReportView:
    lang: Lang
    title: str
    subtitle: str
    headers: list[str]
    rows: list[list[str]]
    totals: list[str]
    chart_svg: Markup
    summary: list[str]
    definitions: list[tuple[str, str, str]]
    attribution_note: str
    generated: str
    summary_title: str
    definitions_title: str


def build_view(result: KpiTable, lang: Lang, generated_on: date) -> ReportView:
    dims = list(result.dimensions)
    metric_ids = [m.id for m in result.metrics]
    units = {m.id: m.unit for m in result.metrics}

    def fmt(mid: str, value: float | None) -> str:
        return metric_value(value, units[mid], result.currency, lang, mid)

    rows = [
        [str(r.get(d, "")) for d in dims] + [fmt(m, r.get(m)) for m in metric_ids]
        for r in result.rows
    ]
    totals = [wording.label("total", lang)] + [""] * (len(dims) - 1)
    totals += [fmt(m, result.totals.get(m)) for m in metric_ids]
    chart_rows = [r for r in result.rows if r["channel"] != UNATTRIBUTED][:15]
    labels = [" · ".join(str(r.get(d, "")) for d in dims) for r in chart_rows]
    chart = grouped_bars(
        labels,
        [
            (result.metrics[0].name, [float(r["cost"]) for r in chart_rows], COST_COLOUR),
            (result.metrics[1].name, [float(r["revenue"]) for r in chart_rows], REVENUE_COLOUR),
        ],
        result.currency,
        lang,
    )
    window = (
        f"{result.start or '…'} – {result.end or '…'}"
        if result.start or result.end
        else wording.label("all_time", lang)
    )
    return ReportView(
        lang=lang,
        title=wording.label("title", lang),
        subtitle=window,
        headers=[wording.label(d, lang) for d in dims] + [m.name for m in result.metrics],
        rows=rows,
        totals=totals,
        chart_svg=Markup(chart),  # built from escaped parts in charts.grouped_bars
        summary=summary_points(result, lang),
        definitions=[(m.name, m.formula, m.definition) for m in result.metrics],
        attribution_note=wording.label("attribution", lang).format(days=result.lookback_days),
        generated=f"{wording.label('generated', lang)} {generated_on.isoformat()}",
        summary_title=wording.label("summary", lang),
        definitions_title=wording.label("definitions", lang),
    )


def summary_points(result: KpiTable, lang: Lang) -> list[str]:
    totals = result.totals
    cost = float(totals["cost"] or 0.0)
    revenue = float(totals.get("attributed_revenue", totals["revenue"]) or 0.0)
    points = [wording.overall(cost, revenue, totals.get("roi"), result.currency, lang)]
    if result.period is None:
        paid = [r for r in result.rows if r.get("roas") is not None]
        if paid:
            best = max(paid, key=lambda r: float(r["roas"]))
            points.append(wording.best_channel(str(best["channel"]), best["roas"], lang))
        losing = [str(r["channel"]) for r in paid if float(r["roi"]) < 0]
        if losing:
            points.append(wording.losing_channels(losing, lang))
    share = unattributed_share(result)
    if share:
        points.append(wording.unattributed(share, lang))
    return points


def render_html(view: ReportView) -> str:
    env = Environment(autoescape=select_autoescape(default=True))
    template_text = (
        files("pilotage.interfaces.reports") / "templates" / "kpi_report.html"
    ).read_text(encoding="utf-8")
    return env.from_string(template_text).render(v=view)
