"""Committee pack: ReportData (numbers) -> PackView (formatted text, frozen).

Everything here formats; the numbers and the rules that pick findings are in
``services/reports.py`` and the sentences in ``wording.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from markupsafe import Markup

from pilotage.core.kpis.credit import UNATTRIBUTED
from pilotage.interfaces.formatting import Lang, metric_value, money, number, percent, ratio
from pilotage.interfaces.reports import wording
from pilotage.interfaces.reports.agenda_view import AgendaBlock, agenda_blocks
from pilotage.interfaces.reports.charts import trend_columns
from pilotage.interfaces.reports.kpi_report import COST_COLOUR, REVENUE_COLOUR
from pilotage.services.reports import Change, ChannelLine, ReportData


@dataclass(frozen=True)
class CompareGroup:
    """One channel (or the total): a row per metric, cells already formatted."""

    title: str
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class PackView:
    lang: Lang
    title: str
    cover: str
    dates: str
    generated: str
    page_label: str
    headings: dict[str, str]
    compare_headers: tuple[str, ...]
    groups: tuple[CompareGroup, ...]
    trend_svg: Markup
    narrative: tuple[str, ...]
    actions: tuple[str, ...]
    open_items: tuple[str, ...]
    definitions: tuple[tuple[str, str, str], ...]
    attribution_note: str
    coverage_headers: tuple[str, ...]
    coverage: tuple[tuple[str, ...], ...]
    agenda: tuple[AgendaBlock, ...] = ()


_SECTIONS = ("key_figures", "trend", "narrative", "actions", "open_items", "coverage", "agenda")


def build_pack_view(data: ReportData, lang: Lang, generated_on: date) -> PackView:
    period_name = wording.period_name(data.kind, data.start, data.end, lang)
    label = wording.pack_label
    return PackView(
        lang=lang,
        title=label(data.kind, lang),
        cover=f"{data.company} · {period_name}",
        dates=wording.dates_line(data.start, data.end, lang),
        generated=f"{wording.label('generated', lang)} {generated_on.isoformat()}",
        page_label=label("page", lang),
        headings={key: label(key, lang) for key in _SECTIONS}
        | {"definitions": wording.label("definitions", lang)},
        compare_headers=(
            label("metric", lang),
            data.period,
            data.previous_period,
            label("delta", lang),
            label("delta_pct", lang),
            data.year_ago_period,
            label("delta", lang),
            label("delta_pct", lang),
        ),
        groups=tuple(_group(line, data, lang) for line in [data.total, *data.channels]),
        trend_svg=Markup(  # built from escaped parts in charts.trend_columns
            trend_columns(
                [p.period for p in data.trend],
                [
                    (data.metrics[0].name, [p.cost for p in data.trend], COST_COLOUR),
                    (data.metrics[1].name, [p.revenue for p in data.trend], REVENUE_COLOUR),
                ],
                data.currency,
                lang,
            )
        ),
        narrative=tuple(_narrative(data, lang)),
        actions=tuple(_actions(data, lang)),
        open_items=tuple(_open_items(data, lang)),
        definitions=tuple((m.name, m.formula, m.definition) for m in data.metrics),
        attribution_note=wording.label("attribution", lang).format(days=data.lookback_days),
        coverage_headers=tuple(label(k, lang) for k in ("table", "rows", "first_day", "last_day")),
        coverage=tuple(
            (
                c.table,
                number(c.rows, lang),
                c.min_date or label("no_data", lang),
                c.max_date or label("no_data", lang),
            )
            for c in data.coverage
        ),
        agenda=agenda_blocks(data.agenda, lang, data.currency) if data.agenda else (),
    )


def channel_name(channel: str, lang: Lang) -> str:
    if channel == UNATTRIBUTED:
        return wording.pack_label("unattributed", lang)
    if channel == "total":
        return wording.label("total", lang)
    return channel


def _value(metric: str, value: float | None, data: ReportData, lang: Lang) -> str:
    unit = next(m.unit for m in data.metrics if m.id == metric)
    return metric_value(value, unit, data.currency, lang, metric)


def _signed(text: str, value: float | None) -> str:
    if value is None:
        return text
    return f"+{text}" if value > 0 else text


def _delta(metric: str, change: Change, data: ReportData, lang: Lang) -> str:
    """The absolute change: money for amounts, points for ROI, a multiple for ROAS."""
    value = change.absolute
    if value is None:
        return "–"
    if metric == "roi":
        points = number(value * 100, lang)
        return _signed(f"{points}\u00a0{wording.pack_label('points', lang)}", value)
    if metric == "roas":
        return _signed(ratio(value, lang), value)
    return _signed(money(value, data.currency, lang), value)


def _pct(change: Change, lang: Lang) -> str:
    return _signed(percent(change.relative, lang), change.relative)


def _group(line: ChannelLine, data: ReportData, lang: Lang) -> CompareGroup:
    rows = []
    for metric in data.metrics:
        m = metric.id
        rows.append(
            (
                metric.name,
                _value(m, line.current[m], data, lang),
                _value(m, line.previous[m], data, lang),
                _delta(m, line.vs_previous[m], data, lang),
                _pct(line.vs_previous[m], lang),
                _value(m, line.year_ago[m], data, lang),
                _delta(m, line.vs_year_ago[m], data, lang),
                _pct(line.vs_year_ago[m], lang),
            )
        )
    return CompareGroup(title=channel_name(line.channel, lang), rows=tuple(rows))


def _narrative(data: ReportData, lang: Lang) -> list[str]:
    total = data.total
    cost, revenue = total.current["cost"] or 0.0, total.current["revenue"] or 0.0
    if not cost and not revenue:
        return [wording.no_activity(lang)]
    attributed = total.current["attributed_revenue"] or 0.0
    points = [wording.overall(cost, attributed, total.current["roi"], data.currency, lang)]
    points.append(
        wording.moved(
            _pct(total.vs_previous["cost"], lang),
            _pct(total.vs_previous["attributed_revenue"], lang),
            data.previous_period,
            lang,
        )
    )
    if total.vs_year_ago["attributed_revenue"].relative is not None:
        yoy = _pct(total.vs_year_ago["attributed_revenue"], lang)
        points.append(wording.year_on_year(yoy, data.year_ago_period, lang))
    lines = {line.channel: line for line in data.channels}
    if data.biggest_mover:
        change = lines[data.biggest_mover].vs_previous["revenue"]
        points.append(
            wording.biggest_mover(data.biggest_mover, _delta("revenue", change, data, lang), lang)
        )
    if data.best_channel:
        roi = _value("roi", lines[data.best_channel].current["roi"], data, lang)
        points.append(wording.best_return(data.best_channel, roi, lang))
    if data.worst_channel:
        roi = _value("roi", lines[data.worst_channel].current["roi"], data, lang)
        points.append(wording.worst_return(data.worst_channel, roi, lang))
    if data.unattributed_share:
        points.append(wording.unattributed(data.unattributed_share, lang))
    if data.spending_without_revenue:
        points.append(wording.spending_without_revenue(data.spending_without_revenue, lang))
    return points


def _actions(data: ReportData, lang: Lang) -> list[str]:
    sentences = []
    for action in data.actions:
        if action.code in ("review_budget", "scale_best", "improve_tracking"):
            value = percent(action.value, lang)
        else:
            value = money(action.value, data.currency, lang)
        sentences.append(wording.action(action.code, action.channel or "", value, lang))
    return sentences or [wording.no_action(lang)]


def _open_items(data: ReportData, lang: Lang) -> list[str]:
    return [
        wording.open_initiative(item.title, item.status, item.owner, lang)
        if item.kind == "initiative"
        else wording.period_decision(item.title, item.status, item.date, lang)
        for item in data.open_items
    ]
