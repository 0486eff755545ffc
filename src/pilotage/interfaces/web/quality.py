"""The data page's audit section: the audit result as cells to print (formatting only)."""

from __future__ import annotations

from dataclasses import dataclass

from pilotage.core.metrics.registry import METRICS
from pilotage.core.quality.trust import percent
from pilotage.interfaces.formatting import Lang, number
from pilotage.interfaces.web import wording
from pilotage.services.audit import AuditCheck, DataAuditResult

#: A table or KPI scoring below this is shown as a warning.
WARN_BELOW = 80.0


@dataclass(frozen=True)
class ScoreRow:
    name: str
    rows: str
    score: str
    #: The raw score for the page's data attribute ("" when there is none).
    value: str
    warn: bool
    why: str


@dataclass(frozen=True)
class FindingRow:
    id: str
    title: str
    explanation: str
    table: str
    count: str
    share: str
    weight: str
    points: str
    severity: str
    severity_label: str
    fix: str
    examples: tuple[str, ...]


@dataclass(frozen=True)
class AuditView:
    tables: tuple[ScoreRow, ...]
    findings: tuple[FindingRow, ...]
    passed: tuple[FindingRow, ...]
    kpis: tuple[ScoreRow, ...]
    today: str


def metric_names(lang: Lang) -> dict[str, str]:
    return {m.id: m.name(lang) for m in METRICS.values()}


def audit_view(result: DataAuditResult, lang: Lang, names: dict[str, str]) -> AuditView:
    checks = sorted(
        (c for c in result.checks if c.applicable), key=lambda c: (-c.points, c.table, c.id)
    )
    return AuditView(
        tables=tuple(
            _score_row(t.table, number(t.rows, lang), t.score, "; ".join(t.reasons), lang)
            for t in result.tables
        ),
        findings=tuple(_finding(c, lang) for c in checks if c.count > 0),
        passed=tuple(_finding(c, lang) for c in checks if c.count == 0),
        kpis=tuple(
            _score_row(names.get(metric_id, metric_id), "", score, "", lang)
            for metric_id, score in result.kpi_trust.items()
        ),
        today=result.today.isoformat(),
    )


def _score_row(name: str, rows: str, score: float | None, why: str, lang: Lang) -> ScoreRow:
    return ScoreRow(
        name=name,
        rows=rows,
        score=number(score, lang),
        value="" if score is None else f"{score:g}",
        warn=score is not None and score < WARN_BELOW,
        why=why,
    )


def _finding(check: AuditCheck, lang: Lang) -> FindingRow:
    return FindingRow(
        id=check.id,
        title=check.title,
        explanation=check.explanation,
        table=check.table,
        count=number(check.count, lang),
        share=f"{percent(check.affected_share, lang)} ({check.measure})",
        weight=number(check.weight, lang, 1),
        points=number(check.points, lang, 1),
        severity=check.severity,
        severity_label=wording.text(f"severity_{check.severity}", lang),
        fix=check.fix,
        examples=tuple(check.examples),
    )
