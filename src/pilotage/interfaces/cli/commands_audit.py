"""The data-quality audit: ``pilotage audit``. Findings are not errors: it exits with 0."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from pilotage.core.quality.trust import percent
from pilotage.interfaces.cli.options import FormatOption, WorkspaceOption, emit, workspace_of
from pilotage.interfaces.cli.output import to_table
from pilotage.interfaces.formatting import Lang
from pilotage.jobs.scheduler import today_in
from pilotage.services.audit import DataAuditResult, audit
from pilotage.services.workspaces import analytics

LangOption = Annotated[Lang, typer.Option("--lang", help="fr or en.")]

#: The CSV columns: one row per check, with its table's score.
CSV_COLUMNS = (
    "table",
    "table_score",
    "check",
    "title",
    "count",
    "affected_share",
    "measure",
    "weight",
    "points",
    "severity",
    "examples",
    "explanation",
    "fix",
)
_WORDS: dict[str, dict[Lang, str]] = {
    "trust": {"en": "Trust score by table", "fr": "Score de confiance par table"},
    "findings": {"en": "Findings", "fr": "Problèmes trouvés"},
    "none": {"en": "No problem found.", "fr": "Aucun problème trouvé."},
    "note": {
        "en": "Each table starts at 100 and loses weight x affected share x 100 points per "
        "check; --format json gives every check, its fix and the trust of every KPI.",
        "fr": "Chaque table part de 100 et perd poids x part touchée x 100 points par "
        "contrôle ; --format json donne chaque contrôle, sa correction et la confiance de "
        "chaque KPI.",
    },
}


def register(app: typer.Typer) -> None:
    app.command("audit")(audit_command)


def audit_command(
    lang: LangOption = "en",
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Data-quality audit: checks with counts, examples and fixes, a trust score (0-100)
    per table and per KPI."""
    ws = workspace_of(workspace)
    with analytics(ws) as store:
        result = audit(store, ws.settings, today_in(ws), lang)
    if fmt == "table":
        sys.stdout.write(as_text(result, lang) + "\n")
        return
    emit(result, fmt, check_rows(result), CSV_COLUMNS)


def check_rows(result: DataAuditResult) -> list[dict[str, Any]]:
    scores = {t.table: t.score for t in result.tables}
    return [
        {
            "table": c.table,
            "table_score": scores.get(c.table),
            "check": c.id,
            "title": c.title,
            "count": c.count,
            "affected_share": c.affected_share,
            "measure": c.measure,
            "weight": c.weight,
            "points": c.points,
            "severity": c.severity,
            "examples": " | ".join(c.examples),
            "explanation": c.explanation,
            "fix": c.fix,
        }
        for c in result.checks
        if c.applicable
    ]


def as_text(result: DataAuditResult, lang: Lang) -> str:
    """Scores, then what was found and where, for people at a terminal."""
    tables = [
        {"table": t.table, "rows": t.rows, "score": t.score, "why": "; ".join(t.reasons) or "-"}
        for t in result.tables
    ]
    found = [
        {
            "table": c.table,
            "check": c.title,
            "count": c.count,
            "share": f"{percent(c.affected_share, lang)} {c.measure}",
            "points": c.points,
            "severity": c.severity,
            "examples": ", ".join(c.examples[:3]) or "-",
        }
        for c in sorted(result.checks, key=lambda c: (-c.points, c.table, c.id))
        if c.count > 0
    ]
    out = [
        f"{_WORDS['trust'][lang]} ({result.today}, {result.currency})",
        to_table(tables, ["table", "rows", "score", "why"]),
        "",
        _WORDS["findings"][lang],
    ]
    if found:
        columns = ["table", "check", "count", "share", "points", "severity", "examples"]
        out.append(to_table(found, columns))
    else:
        out.append(_WORDS["none"][lang])
    out += ["", _WORDS["note"][lang]]
    return "\n".join(out)
