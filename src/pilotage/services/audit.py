"""The data-quality audit: every check with its count, share, explanation, fix and examples,
a trust score per table and per KPI.

``table_trust_scores`` is the cheap half (one query, no examples, no wording) for whoever
shows trust beside a figure. Both depend only on the data, the settings and ``today``, so a
caller may memoise them per data version (the server does, through ``ServerState.computed``).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from pilotage.core.metrics.registry import METRICS
from pilotage.core.quality.checks import CHECKS, DEFAULT_AUDIT, MONEY_COLUMNS, AuditSettings, Lang
from pilotage.core.quality.trust import (
    Finding,
    Severity,
    TableScore,
    affected_share,
    metric_trust,
    severity,
    table_trust,
)
from pilotage.data.schema import TABLES
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.services.audit_queries import (
    STALE,
    Count,
    Example,
    Measured,
    Planned,
    Totals,
    examples,
    measure,
    plan,
)
from pilotage.services.tables import StoredTables


class AuditCheck(BaseModel):
    """One check on one table. ``count`` is the number of flagged rows (for a stale table:
    the days past its freshness limit); ``affected_share`` is their share of the table in
    ``measure`` (rows, or money such as spend's cost); the table's trust score loses
    ``points`` = ``weight`` x ``affected_share`` x 100."""

    model_config = ConfigDict(frozen=True)

    id: str
    table: str
    title: str
    applicable: bool
    count: int
    affected_share: float
    measure: str
    weight: float
    points: float
    severity: Severity
    explanation: str
    fix: str
    examples: list[str]


class TableTrust(BaseModel):
    model_config = ConfigDict(frozen=True)

    table: str
    rows: int
    #: 0–100; None when the table has no rows.
    score: float | None
    reasons: list[str]
    #: "spend: 82 — 18 % of cost has no campaign"
    summary: str


class DataAuditResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    today: datetime.date
    currency: str
    #: Days a table's latest date may be old before it is stale (None: never stale).
    freshness_days: dict[str, int | None]
    tables: list[TableTrust]
    checks: list[AuditCheck]
    #: Per metric id: the lowest trust score of the tables it needs (None: one has no data).
    kpi_trust: dict[str, float | None]


def audit(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    today: datetime.date,
    lang: Lang = "en",
    *,
    limits: AuditSettings = DEFAULT_AUDIT,
) -> DataAuditResult:
    """Run every check on the workspace: two queries (counts, then examples of what was
    found)."""
    tables = StoredTables(store)
    planned = plan(tables, settings, today, limits)
    measured = measure(tables, settings, planned)
    found = [p for p in planned if measured.counts.get((p.check_id, p.table), _NONE).n > 0]
    shown = examples(tables, found) if limits.examples else {}
    checks = [
        _check(p, measured, today, limits, settings.reporting_currency, shown, lang)
        for p in planned
    ]
    scores = _scores(checks, measured.totals, today, limits, lang)
    table_scores = {s.table: s.score for s in scores}
    return DataAuditResult(
        today=today,
        currency=settings.reporting_currency,
        freshness_days={name: limits.days(name) for name, s in TABLES.items() if s.time_column},
        tables=[
            TableTrust(
                table=s.table,
                rows=s.rows,
                score=s.score,
                reasons=list(s.reasons),
                summary=s.summary,
            )
            for s in scores
        ],
        checks=checks,
        kpi_trust={m.id: metric_trust(m.tables, table_scores) for m in METRICS.values()},
    )


def table_trust_scores(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    today: datetime.date,
    *,
    limits: AuditSettings = DEFAULT_AUDIT,
) -> dict[str, float | None]:
    """The trust score (0–100, None: no data) of every canonical table: the audit's counting
    query only. Feed it to :func:`pilotage.core.quality.trust.metric_trust` with a metric's
    tables to show trust beside a KPI."""
    tables = StoredTables(store)
    planned = plan(tables, settings, today, limits)
    measured = measure(tables, settings, planned)
    currency = settings.reporting_currency
    checks = [_check(p, measured, today, limits, currency, {}, "en") for p in planned]
    return {s.table: s.score for s in _scores(checks, measured.totals, today, limits, "en")}


_NONE = Count(0, 0.0)
NARROW_SPACE = "\u202f"


def _check(
    p: Planned,
    measured: Measured,
    today: datetime.date,
    limits: AuditSettings,
    currency: str,
    shown: dict[tuple[str, str], list[Example]],
    lang: Lang,
) -> AuditCheck:
    spec = CHECKS[p.check_id]
    totals = measured.totals[p.table]
    money = MONEY_COLUMNS.get(p.table) if spec.measure == "money" else None
    if p.check_id == STALE:
        count, share, example = _staleness(totals, p.table, today, limits, lang)
        texts = [example] if example else []
    else:
        found = measured.counts.get((p.check_id, p.table), _NONE)
        count = found.n
        if money and totals.money > 0:
            share = affected_share(found.money, totals.money)
        else:
            money = None
            share = affected_share(found.n, totals.rows)
        texts = [_example(e, currency, lang) for e in shown.get((p.check_id, p.table), [])]
    points = round(100.0 * spec.weight * share, 2)
    return AuditCheck(
        id=p.check_id,
        table=p.table,
        title=spec.text("title", lang),
        applicable=p.applicable,
        count=count,
        affected_share=round(share, 6),
        measure=money or "rows",
        weight=spec.weight,
        points=points,
        severity=severity(count, points),
        explanation=spec.text("explanation", lang),
        fix=spec.text("fix", lang),
        examples=texts,
    )


def _staleness(
    totals: Totals, table: str, today: datetime.date, limits: AuditSettings, lang: Lang
) -> tuple[int, float, str | None]:
    """(days past the limit, share 1 or 0, the example sentence) of a table's freshness."""
    limit = limits.days(table)
    if limit is None or totals.latest is None or totals.rows == 0:
        return 0, 0.0, None
    age = (today - totals.latest).days
    late = max(0, age - limit)
    if not late:
        return 0, 0.0, None
    if lang == "fr":
        text = f"dernière date {totals.latest} : {age} jours avant le {today} (limite {limit})"
    else:
        text = f"latest date {totals.latest}: {age} days before {today} (limit {limit})"
    return late, 1.0, text


def _scores(
    checks: Sequence[AuditCheck],
    totals: dict[str, Totals],
    today: datetime.date,
    limits: AuditSettings,
    lang: Lang,
) -> list[TableScore]:
    """The trust score of every table from the shares its checks flagged."""
    out = []
    for name in TABLES:
        latest, limit = totals[name].latest, limits.days(name)
        stale = {"days": (today - latest).days, "limit": limit} if latest and limit else {}
        findings = [
            Finding(c.id, c.affected_share, c.weight, stale if c.id == STALE else {})
            for c in checks
            if c.table == name and c.affected_share > 0
        ]
        out.append(table_trust(name, totals[name].rows, findings, lang))
    return out


def _example(e: Example, currency: str, lang: Lang) -> str:
    parts = []
    if e.n is not None:
        parts.append(f"{e.n} {'ligne' if lang == 'fr' else 'row'}{'s' if e.n != 1 else ''}")
    if e.w is not None:
        amount = f"{e.w:,.0f}"
        parts.append(f"{amount.replace(',', NARROW_SPACE) if lang == 'fr' else amount} {currency}")
    if not parts:
        return e.label
    return f"{e.label}{' :' if lang == 'fr' else ':'} {', '.join(parts)}"
