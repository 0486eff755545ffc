"""What the objectives use cases take and return: the spec of a new objective, and each
objective as judged (progress, forecast, probability, SMART letters)."""

from __future__ import annotations

import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from pilotage.core.planning.forecast import Forecast
from pilotage.core.planning.metrics import Aggregation, Direction
from pilotage.core.planning.smart import ObjectiveKind
from pilotage.services.objective_numbers import MonthValue

Status = Literal["on_track", "at_risk", "off_track", "met", "missed", "unknown"]


class ObjectiveSpec(BaseModel):
    """A new objective as asked (CLI options, API body, page form)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    metric_id: str = Field(min_length=1, max_length=100)
    target: float
    deadline: datetime.date
    start: datetime.date | None = Field(default=None, description="Default: today.")
    scope: dict[str, list[str]] = Field(default_factory=dict)
    kind: ObjectiveKind = "marketing"
    parent_id: int | None = None
    owner: str | None = Field(default=None, max_length=320)
    direction: Direction | None = Field(default=None, description="Default: by the metric.")


class SmartLetterInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    letter: str
    passed: bool | None
    reason: str


class PathPointInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    month: datetime.date
    value: float
    low: float
    high: float


class ForecastInfo(BaseModel):
    """``model``: mean, trend or trend_seasonal (OLS on monthly values, chosen by AICc);
    ``value``/``low``/``high``: the objective's value at the deadline, 80 % interval;
    ``path``: month by month to the deadline (cumulative for a total)."""

    model_config = ConfigDict(frozen=True)

    model: str
    months_used: int
    value: float
    low: float
    high: float
    probability: float
    path: list[PathPointInfo]

    @classmethod
    def of(cls, f: Forecast) -> ForecastInfo:
        return cls(
            model=f.model,
            months_used=f.months_used,
            value=f.value,
            low=f.low,
            high=f.high,
            probability=f.probability,
            path=[
                PathPointInfo(month=p.month, value=p.value, low=p.low, high=p.high) for p in f.path
            ],
        )


class ObjectiveStatus(BaseModel):
    """One objective judged as of ``as_of`` (the data's last day).

    ``value_to_date``: a total from the start to ``as_of``, or a level over the last complete
    month. ``progress``: a total's share of the target reached; a level's share of the way
    from its value the month before the start to the target. ``elapsed``: share of the
    objective's days gone by ``as_of``. ``probability``: of meeting the target at the
    deadline (forecast), 1 or 0 once the deadline's data is in.
    """

    model_config = ConfigDict(frozen=True)

    id: int | None
    name: str
    kind: str
    owner: str | None
    metric_id: str
    metric_name: str
    unit: str
    scope: dict[str, list[str]]
    target: float
    direction: str
    aggregation: Aggregation
    start: datetime.date
    deadline: datetime.date
    parent_id: int | None
    parent_name: str | None
    children: list[int]
    created_at: datetime.datetime | None
    created_by: str | None
    as_of: datetime.date | None
    value_to_date: float | None
    progress: float | None
    elapsed: float | None
    final: float | None
    forecast: ForecastInfo | None
    probability: float | None
    status: Status
    smart: list[SmartLetterInfo]
    is_smart: bool
    history: list[MonthValue]
    not_sliced: list[str]
    currency: str


class ObjectivesResult(BaseModel):
    """Every objective, business ones first, each followed by its marketing children."""

    model_config = ConfigDict(frozen=True)

    today: datetime.date
    as_of: datetime.date | None
    objectives: list[ObjectiveStatus]


class ObjectiveInfo(BaseModel):
    """An objective as stored (the list without the numbers)."""

    model_config = ConfigDict(frozen=True)

    id: int
    name: str
    kind: str
    owner: str | None
    metric_id: str
    scope: dict[str, list[str]]
    target: float
    direction: str
    start: datetime.date
    deadline: datetime.date
    parent_id: int | None
    created_at: datetime.datetime
    created_by: str | None
