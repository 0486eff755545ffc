"""The agenda's result objects, apart from the services that build them: the committee
packs (``services/reports.py``) carry an agenda, and the agenda reads services that read the
packs' module."""

from __future__ import annotations

import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from pilotage.core.governance.vocabulary import Cadence

SectionCode = Literal[
    "objectives",
    "alerts",
    "pacing",
    "initiatives",
    "experiments",
    "reallocation",
    "health",
    "decisions",
    "actions",
]


class AgendaItem(BaseModel):
    """One point to discuss; ``ref`` is the id of the object it is about (alert,
    initiative, action, objective) and ``status`` its state or verdict. ``actual`` and
    ``target`` (in ``unit``: a metric's unit, or "currency") are an objective's value to
    date and target, or a channel's spend to date and plan; ``value`` a share (progress,
    pace), a change or an amount."""

    model_config = ConfigDict(frozen=True)

    title: str
    detail: str | None = None
    status: str | None = None
    owner: str | None = None
    due: datetime.date | None = None
    value: float | None = None
    actual: float | None = None
    target: float | None = None
    unit: str | None = None
    probability: float | None = None
    ref: str | None = None


class AgendaSection(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: SectionCode
    items: list[AgendaItem]
    note: str | None = None


class Agenda(BaseModel):
    model_config = ConfigDict(frozen=True)

    cadence: Cadence
    period: str
    start: datetime.date
    end: datetime.date
    today: datetime.date
    sections: list[AgendaSection]
