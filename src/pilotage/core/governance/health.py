"""The strategy health check: criteria grouped in areas (alignment with business objectives,
skills and resources per domain, cross-team collaboration, performance tracking, readiness
to experiment), each scored 0-100 from the workspace's data where it has some, else from
the team's answer to the criterion's question (0-4, times 25), else left unscored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from pilotage.core.governance.vocabulary import DOMAINS

Area = Literal["alignment", "skills", "resources", "collaboration", "tracking", "experimentation"]
Source = Literal["data", "answer", "missing"]
AREAS: tuple[Area, ...] = (
    "alignment",
    "skills",
    "resources",
    "collaboration",
    "tracking",
    "experimentation",
)
#: Answers go from 0 (not at all) to 4 (fully); a point is worth 25.
ANSWER_MAX = 4

_DOMAIN_FR = {
    "seo": "le référencement naturel (SEO)",
    "sea": "le référencement payant (SEA)",
    "social": "les réseaux sociaux",
    "email": "l'e-mailing",
    "content": "le contenu",
    "events": "les événements et webinaires",
    "data": "la data et l'analytics",
    "budget": "le pilotage budgétaire",
}
_DOMAIN_EN = {
    "seo": "SEO",
    "sea": "paid search (SEA)",
    "social": "social media",
    "email": "email",
    "content": "content",
    "events": "events and webinars",
    "data": "data and analytics",
    "budget": "budget steering",
}


@dataclass(frozen=True)
class Criterion:
    id: str
    area: Area
    question_fr: str
    question_en: str
    #: How the data scores it (empty: answers only).
    data_rule_en: str = ""

    def question(self, lang: str) -> str:
        return self.question_fr if lang == "fr" else self.question_en


def _criteria() -> tuple[Criterion, ...]:
    out = [
        Criterion(
            "alignment.cascade",
            "alignment",
            "Les objectifs marketing découlent-ils d'objectifs business chiffrés ?",
            "Do marketing objectives cascade from quantified business objectives?",
            "share of marketing objectives linked to a business objective",
        ),
        Criterion(
            "alignment.on_track",
            "alignment",
            "Les objectifs de l'année sont-ils en bonne voie ?",
            "Are this year's objectives on track?",
            "share of open objectives on track or met (forecast to the deadline)",
        ),
    ]
    for d in DOMAINS:
        out.append(
            Criterion(
                f"skills.{d}",
                "skills",
                f"L'équipe maîtrise-t-elle {_DOMAIN_FR[d]} ?",
                f"Does the team master {_DOMAIN_EN[d]}?",
            )
        )
        out.append(
            Criterion(
                f"resources.{d}",
                "resources",
                f"Quelqu'un répond-il de {_DOMAIN_FR[d]}, avec le temps nécessaire ?",
                f"Does someone answer for {_DOMAIN_EN[d]}, with the time it needs?",
                "an accountable and a responsible person named (RACI)",
            )
        )
    out += [
        Criterion(
            "collaboration.committee",
            "collaboration",
            "Marketing, ventes, DSI/data et service client se réunissent-ils régulièrement ?",
            "Do marketing, sales, IT/data and customer service meet regularly?",
            "share of the four functions sitting on a committee",
        ),
        Criterion(
            "collaboration.follow_through",
            "collaboration",
            "Les décisions prises en comité sont-elles suivies d'effet à temps ?",
            "Are committee decisions carried out on time?",
            "share of action items due so far that were done",
        ),
        Criterion(
            "tracking.data_trust",
            "tracking",
            "Les chiffres de performance sont-ils fiables et partagés ?",
            "Are performance figures reliable and shared?",
            "mean trust score of the KPI tables (data audit)",
        ),
        Criterion(
            "tracking.alerts_handled",
            "tracking",
            "Les écarts de performance sont-ils repérés et traités rapidement ?",
            "Are performance gaps spotted and handled quickly?",
            "share of alerts older than a week that were acknowledged or resolved",
        ),
        Criterion(
            "experimentation.tests_run",
            "experimentation",
            "L'équipe mène-t-elle des tests A/B régulièrement ?",
            "Does the team run A/B tests regularly?",
            "experiments with exposures in the last 12 months (6 or more: 100)",
        ),
        Criterion(
            "experimentation.measured_initiatives",
            "experimentation",
            "Chaque initiative a-t-elle un plan de mesure de son impact ?",
            "Does every initiative have a plan to measure its impact?",
            "share of initiatives with a measurement plan",
        ),
    ]
    return tuple(out)


CRITERIA: tuple[Criterion, ...] = _criteria()
CRITERIA_BY_ID = {c.id: c for c in CRITERIA}


@dataclass(frozen=True)
class Scored:
    criterion: Criterion
    score: float | None
    source: Source


def score_criteria(data: Mapping[str, float | None], answers: Mapping[str, int]) -> list[Scored]:
    """Each criterion from its data score (0-100) when known, else its answer (0-4)."""
    out = []
    for c in CRITERIA:
        from_data = data.get(c.id)
        if from_data is not None:
            out.append(Scored(c, max(0.0, min(100.0, from_data)), "data"))
        elif c.id in answers:
            out.append(Scored(c, 100.0 * answers[c.id] / ANSWER_MAX, "answer"))
        else:
            out.append(Scored(c, None, "missing"))
    return out


def area_scores(scored: list[Scored]) -> dict[Area, float | None]:
    """Mean of each area's scored criteria (None: none scored)."""
    out: dict[Area, float | None] = {}
    for area in AREAS:
        values = [s.score for s in scored if s.criterion.area == area and s.score is not None]
        out[area] = sum(values) / len(values) if values else None
    return out


def overall(areas: Mapping[Area, float | None]) -> float | None:
    values = [v for v in areas.values() if v is not None]
    return sum(values) / len(values) if values else None


def experiments_score(experiments_last_year: int) -> float:
    """0 tests: 0; then 100 * n / 6, capped at 100."""
    return min(100.0, 100.0 * experiments_last_year / 6)


def share_score(part: int, whole: int) -> float | None:
    return None if whole <= 0 else 100.0 * part / whole
