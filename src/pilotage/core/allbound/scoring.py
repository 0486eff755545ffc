"""The account engagement score: a weighted sum of an account's recent activity, each
activity fading with its age, every point traceable to a component.

    score(account, T) = sum over components c of  points[c] * sum over activities a of c
                        within the window before T of  2 ** (-age_days(a, T) / half_life)

An account's activity is its own and its people's (a row naming an account counts for that
account, else for its person's account). Components:

- one per touch type (ad_click ... sales_meeting), and ``other_touch`` for any other or
  missing touch type;
- ``product_event``: one product usage event; ``survey_response``: one survey answer;
- ``opportunity_created``: an opportunity created (dated by its creation);
- ``opportunity_open``: an opportunity open at T (a state, so it does not fade).

The default points rank intent from seeing an ad to meeting sales, the way ABM tools weigh
engagement (Demandbase's engagement points, 6sense's buying stages), but in the open:
passive touches (ad click, visit) 1, an email click 2, a content download 4, a form (a hand
raised) 8, a webinar 10, an event attended 12, a sales call 5 and a sales meeting 15; product
usage is frequent (logins), so 0.5 per event; a survey answer 5; an opportunity created 20
and one open 25. Activity fades with a 30-day half-life over a 180-day window. Every weight,
the half-life and the window are the workspace's to change (the change applies to every
score at once, and older settings stay in the history).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, get_args

from pilotage.errors import UsageError

Component = Literal[
    "ad_click",
    "visit",
    "email_click",
    "content_download",
    "form_submit",
    "webinar",
    "event",
    "sales_call",
    "sales_meeting",
    "other_touch",
    "product_event",
    "survey_response",
    "opportunity_created",
    "opportunity_open",
]
COMPONENTS: tuple[Component, ...] = get_args(Component)
#: Touch types scored as their own component; any other reads ``other_touch``.
TOUCH_TYPES: tuple[Component, ...] = COMPONENTS[:9]
#: Components that are states at T rather than dated activities (they do not fade).
STATES: frozenset[Component] = frozenset({"opportunity_open"})
DEFAULT_POINTS: dict[Component, float] = {
    "ad_click": 1.0,
    "visit": 1.0,
    "email_click": 2.0,
    "content_download": 4.0,
    "form_submit": 8.0,
    "webinar": 10.0,
    "event": 12.0,
    "sales_call": 5.0,
    "sales_meeting": 15.0,
    "other_touch": 1.0,
    "product_event": 0.5,
    "survey_response": 5.0,
    "opportunity_created": 20.0,
    "opportunity_open": 25.0,
}
#: (English, French) description of each component.
COMPONENT_NAMES: dict[Component, tuple[str, str]] = {
    "ad_click": ("Ad click", "Clic publicitaire"),
    "visit": ("Website visit", "Visite du site"),
    "email_click": ("Email click", "Clic dans un e-mail"),
    "content_download": ("Content download", "Téléchargement de contenu"),
    "form_submit": ("Form submitted", "Formulaire envoyé"),
    "webinar": ("Webinar attended", "Webinaire suivi"),
    "event": ("Event attended", "Événement"),
    "sales_call": ("Sales call", "Appel commercial"),
    "sales_meeting": ("Sales meeting", "Rendez-vous commercial"),
    "other_touch": ("Other touch", "Autre point de contact"),
    "product_event": ("Product usage event", "Usage du produit"),
    "survey_response": ("Survey answer", "Réponse à une enquête"),
    "opportunity_created": ("Opportunity created", "Opportunité créée"),
    "opportunity_open": ("Open opportunity (now)", "Opportunité ouverte (à date)"),
}
DEFAULT_HALF_LIFE_DAYS = 30.0
DEFAULT_WINDOW_DAYS = 180
#: The trend compares the score with the score this many days earlier.
TREND_DAYS = 30
MAX_POINTS = 1000.0
HALF_LIFE_RANGE = (1.0, 365.0)
WINDOW_RANGE = (7, 730)


def decay(age_days: float, half_life_days: float) -> float:
    """What one activity ``age_days`` old still weighs: 1 now, 1/2 after one half-life."""
    return float(2.0 ** (-age_days / half_life_days))


def component(value: str) -> Component:
    for known in COMPONENTS:
        if value == known:
            return known
    raise UsageError(
        f"unknown engagement component {value!r}", fix=f"use one of {', '.join(COMPONENTS)}"
    )


@dataclass(frozen=True)
class ScoringModel:
    """Points per component, half-life of the decay (days) and window read (days).
    ``version`` is the stored version's id (None: the defaults, never changed)."""

    points: tuple[tuple[Component, float], ...]
    half_life_days: float = DEFAULT_HALF_LIFE_DAYS
    window_days: int = DEFAULT_WINDOW_DAYS
    version: int | None = None

    def __post_init__(self) -> None:
        names = [c for c, _ in self.points]
        if sorted(names) != sorted(COMPONENTS):
            missing = sorted(set(COMPONENTS) - set(names))
            raise UsageError(
                f"engagement weights must name each component once (missing: {missing})",
                fix=f"give points for {', '.join(COMPONENTS)}",
            )
        for name, value in self.points:
            check_points(name, value)
        low, high = HALF_LIFE_RANGE
        if not low <= self.half_life_days <= high:  # NaN fails too
            raise UsageError(
                f"half-life of {self.half_life_days!r} days is not allowed",
                fix=f"give a half-life from {low:g} to {high:g} days",
            )
        if not WINDOW_RANGE[0] <= self.window_days <= WINDOW_RANGE[1]:
            raise UsageError(
                f"window of {self.window_days} days is not allowed",
                fix=f"give a window from {WINDOW_RANGE[0]} to {WINDOW_RANGE[1]} days",
            )

    @classmethod
    def default(cls) -> ScoringModel:
        return cls(tuple(DEFAULT_POINTS.items()))

    @classmethod
    def of(
        cls,
        points: Mapping[str, float],
        half_life_days: float,
        window_days: int,
        version: int | None = None,
    ) -> ScoringModel:
        """A model from stored points; a component added since they were stored takes its
        default, a component no longer known is dropped."""
        merged = {c: float(points.get(c, DEFAULT_POINTS[c])) for c in COMPONENTS}
        return cls(tuple(merged.items()), float(half_life_days), int(window_days), version)

    def weight(self, name: Component) -> float:
        return dict(self.points)[name]

    def changed(
        self,
        updates: Mapping[str, float],
        half_life_days: float | None = None,
        window_days: int | None = None,
    ) -> ScoringModel:
        """This model with some points, the half-life or the window changed (a new,
        unsaved version); unknown components are refused."""
        points = dict(self.points)
        for name, value in updates.items():
            points[component(name)] = value
        return ScoringModel(
            tuple(points.items()),
            self.half_life_days if half_life_days is None else half_life_days,
            self.window_days if window_days is None else window_days,
        )


def check_points(name: str, value: float) -> float:
    if not (math.isfinite(value) and 0.0 <= value <= MAX_POINTS):
        raise UsageError(
            f"the points of {name} ({value!r}) are not allowed",
            fix=f"give points from 0 to {MAX_POINTS:g} (0 leaves the component out)",
        )
    return value


@dataclass(frozen=True)
class Activity:
    """One account's activity in one component: ``count`` activities in the window before
    T, ``decayed`` their summed decay factors, ``decayed_before`` the same at T minus the
    trend days (for the trend)."""

    count: int
    decayed: float
    decayed_before: float


@dataclass(frozen=True)
class Contribution:
    """What one component adds to a score: ``points`` x ``decayed`` = ``value``."""

    component: Component
    count: int
    decayed: float
    points: float
    value: float


@dataclass(frozen=True)
class Score:
    """An account's score on T, the score ``TREND_DAYS`` earlier, and every component's
    contribution (they sum to ``score``), largest first."""

    score: float
    score_before: float
    contributions: tuple[Contribution, ...]

    @property
    def trend(self) -> float:
        return self.score - self.score_before


def score(activity: Mapping[Component, Activity], model: ScoringModel) -> Score:
    """The weighted sum of ``activity`` under ``model``, explained per component."""
    parts = []
    before = 0.0
    for name, points in model.points:
        found = activity.get(name)
        if found is None:
            continue
        parts.append(Contribution(name, found.count, found.decayed, points, points * found.decayed))
        before += points * found.decayed_before
    parts.sort(key=lambda c: (-c.value, -c.count, COMPONENTS.index(c.component)))
    return Score(math.fsum(c.value for c in parts), before, tuple(parts))
