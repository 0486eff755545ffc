"""Trust scores: 0–100 per table from the share of it each check flags, and per metric the
lowest score of the tables it needs. Pure functions of literal inputs.

A table starts at 100 and loses ``weight * share * 100`` points per check (never below 0),
so the explanation adds up: "spend: 82 — 18 % of cost has no campaign". A table with no
rows has no score (None, "no data"), and neither has a metric that needs it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from pilotage.core.quality.checks import CHECKS, Lang

Severity = Literal["ok", "low", "medium", "high"]

#: Points lost from which a finding is of medium, then high severity.
SEVERITY_POINTS: tuple[tuple[float, Severity], ...] = ((10.0, "high"), (2.0, "medium"))

_NO_DATA: dict[Lang, str] = {"en": "no data", "fr": "aucune donnée"}
_CLEAN: dict[Lang, str] = {"en": "no problem found", "fr": "aucun problème trouvé"}


@dataclass(frozen=True)
class Finding:
    """What one check found in a table: the ``share`` (0–1) of it affected, and the
    parameters its wording uses (e.g. ``days`` and ``limit`` for a stale table)."""

    check_id: str
    share: float
    weight: float
    params: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not 0 <= self.share <= 1:
            raise ValueError(f"{self.check_id}: share {self.share} is not between 0 and 1")
        if not 0 <= self.weight <= 1:
            raise ValueError(f"{self.check_id}: weight {self.weight} is not between 0 and 1")

    @property
    def points(self) -> float:
        """Points of trust this finding costs its table."""
        return 100.0 * self.weight * self.share


@dataclass(frozen=True)
class TableScore:
    table: str
    rows: int
    #: 0–100 (one decimal), None for a table with no rows.
    score: float | None
    #: One sentence per finding that costs points, the costliest first.
    reasons: tuple[str, ...]
    #: "spend: 82 — 18 % of cost has no campaign".
    summary: str


def affected_share(affected: float, total: float) -> float:
    """``affected / total`` within [0, 1]; 0 when the total is zero or less."""
    if total <= 0 or affected <= 0:
        return 0.0
    return min(1.0, affected / total)


def severity(count: int, points: float) -> Severity:
    if count <= 0:
        return "ok"
    for threshold, level in SEVERITY_POINTS:
        if points >= threshold:
            return level
    return "low"


def percent(share: float, lang: Lang) -> str:
    """18 % (French spacing) or 18% (English); one decimal under 10 %, '<0.1' below it."""
    value = 100.0 * share
    if 0 < value < 0.1:
        text = "<0.1" if lang == "en" else "<0,1"
    elif value < 10:
        text = f"{value:.1f}".rstrip("0").rstrip(".")
        text = text.replace(".", ",") if lang == "fr" else text
    else:
        text = f"{value:.0f}"
    return f"{text}\u00a0%" if lang == "fr" else f"{text}%"


def table_trust(
    table: str, rows: int, findings: Sequence[Finding], lang: Lang = "en"
) -> TableScore:
    """The trust score of one table and why: 100 minus the points each finding costs."""
    if rows <= 0:
        reason = _NO_DATA[lang]
        return TableScore(table, 0, None, (reason,), f"{table}: – — {reason}")
    # The reason text breaks ties (same check and points, other shares): any input order
    # gives the same summary.
    costly = sorted(
        (f for f in findings if f.points > 0),
        key=lambda f: (-f.points, f.check_id, _reason(f, lang)),
    )
    lost = sum(f.points for f in costly)
    score = round(max(0.0, 100.0 - lost), 1)
    reasons = tuple(_reason(f, lang) for f in costly)
    summary = "; ".join(reasons) if reasons else _CLEAN[lang]
    # Half up, as the pages round (Python's own format rounds 72.5 to 72).
    return TableScore(
        table, rows, score, reasons, f"{table}: {math.floor(score + 0.5)} — {summary}"
    )


def _reason(finding: Finding, lang: Lang) -> str:
    spec = CHECKS.get(finding.check_id)
    share = percent(finding.share, lang)
    if spec is None:
        return f"{finding.check_id}: {share}"
    return spec.text("affected", lang).format_map(_Params(finding.params, share=share))


class _Params(dict[str, object]):
    """Wording parameters; one the finding lacks reads '?' rather than failing."""

    def __init__(self, params: Mapping[str, int], share: str) -> None:
        super().__init__(params, share=share)

    def __missing__(self, key: str) -> str:
        return "?"


def metric_trust(
    metric_tables: Sequence[str], table_scores: Mapping[str, float | None]
) -> float | None:
    """A metric is as trustworthy as the least trustworthy table it reads: the minimum of
    their scores. A table with no score (empty, or not audited) lowers nothing: a metric
    reads some tables only to slice (people for segments); None when no table has one."""
    known = [s for t in metric_tables if (s := table_scores.get(t)) is not None]
    return min(known) if known else None
