"""The data page's audit cells from a literal audit result: French numbers, the costliest
finding first, clean checks apart, a warning below 80."""

from __future__ import annotations

import datetime

from pilotage.interfaces.web.quality import audit_view
from pilotage.services.audit import AuditCheck, DataAuditResult, TableTrust


def _check(check_id: str, count: int, share: float, points: float) -> AuditCheck:
    return AuditCheck(
        id=check_id,
        table="spend",
        title=check_id,
        applicable=True,
        count=count,
        affected_share=share,
        measure="cost",
        weight=1.0,
        points=points,
        severity="high" if count else "ok",
        explanation="",
        fix="",
        examples=[],
    )


RESULT = DataAuditResult(
    today=datetime.date(2026, 4, 10),
    currency="EUR",
    freshness_days={"spend": 7},
    tables=[
        TableTrust(table="spend", rows=12345, score=72.5, reasons=["a"], summary="s"),
        TableTrust(table="orders", rows=0, score=None, reasons=["aucune donnée"], summary="o"),
    ],
    checks=[
        _check("small", 1, 0.05, 5.0),
        _check("clean", 0, 0.0, 0.0),
        _check("big", 3, 0.25, 25.0),
    ],
    kpi_trust={"cost": 72.5, "nowhere": None},
)


def test_cells_are_formatted_for_the_reader() -> None:
    view = audit_view(RESULT, "fr", {"cost": "Coût"})
    spend, orders = view.tables
    assert (spend.rows, spend.score, spend.value, spend.warn) == ("12\u202f345", "73", "72.5", True)
    assert (orders.score, orders.value, orders.warn) == ("–", "", False)
    assert [f.id for f in view.findings] == ["big", "small"]
    assert [f.id for f in view.passed] == ["clean"]
    assert view.findings[0].share == "25\u00a0% (cost)"
    assert view.findings[0].severity_label == "élevée"
    assert [(k.name, k.score) for k in view.kpis] == [("Coût", "73"), ("nowhere", "–")]
