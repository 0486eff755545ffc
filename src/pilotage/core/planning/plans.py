"""An initiative's measurement plan and business case, as typed drafts.

A draft may be filled in several steps; every value given is checked at once (the KPI is a
metric the workspace measures, the cost is >= 0, the evaluation comes after the start...)
and :meth:`missing` lists what launch still needs, so a refusal says exactly what to add.
"""

from __future__ import annotations

import datetime
import math
from typing import Any, Literal, TypeVar, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from pilotage.core.kpis.credit import CreditModel
from pilotage.core.metrics.registry import METRICS
from pilotage.core.planning.metrics import measurable, scope_problems
from pilotage.errors import UsageError

#: attribution: the KPI credited to the initiative's touches by an attribution model;
#: experiment: the lift of a linked A/B test; mmm: the mix model's ROAS of the channel times
#: the initiative's cost; pre_post_control: the change against a control group's change.
MeasurementMethod = Literal["attribution", "experiment", "mmm", "pre_post_control"]
METHODS: tuple[MeasurementMethod, ...] = get_args(MeasurementMethod)
InitiativeKind = Literal[
    "campaign",
    "program",
    "event",
    "webinar_series",
    "content",
    "tool",
    "hire",
    "partnership",
    "other",
]
INITIATIVE_KINDS: tuple[InitiativeKind, ...] = get_args(InitiativeKind)
BaselineSource = Literal["stated", "workspace"]
Scope = dict[str, list[str]]

_METRICS_FIX = "choose a metric listed by 'pilotage metrics' (e.g. mqls or pipeline_created)"


def _finite(value: float | None, name: str) -> float | None:
    if value is not None and not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number")
    return value


def _clean_scope(raw: Scope) -> Scope:
    problems = scope_problems(raw)
    if problems:
        raise ValueError("; ".join(problems))
    return {k: sorted({str(v).strip() for v in vs}) for k, vs in sorted(raw.items())}


class MeasurementPlan(BaseModel):
    """How the initiative's impact will be measured: the KPI it moves over ``scope``, from
    ``baseline`` to ``target`` between ``start`` and ``evaluation_date``, at ``cost``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kpi: str | None = Field(default=None, description="Registry metric the initiative moves.")
    scope: Scope = Field(default_factory=dict, description="Dimension -> values, e.g. country.")
    baseline: float | None = Field(default=None, description="KPI over the window without it.")
    baseline_source: BaselineSource | None = None
    target: float | None = Field(default=None, description="KPI over the window with it.")
    start: datetime.date | None = Field(default=None, description="Planned launch day.")
    evaluation_date: datetime.date | None = Field(
        default=None, description="Last day of the measured window; evaluation from then."
    )
    cost: float | None = Field(default=None, description="Total cost, reporting currency.")
    method: MeasurementMethod | None = None
    attribution_model: CreditModel = "last"
    experiment_id: str | None = Field(default=None, max_length=200)
    control_scope: Scope | None = Field(
        default=None, description="pre_post_control: the comparable group left untouched."
    )
    channel: str | None = Field(default=None, max_length=100, description="mmm: its channel.")
    notes: str | None = Field(default=None, max_length=2000)

    @field_validator("kpi")
    @classmethod
    def _kpi(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if value not in METRICS:
            raise ValueError(f"{value!r} is not a metric of the registry; {_METRICS_FIX}")
        if measurable(value) is None:
            raise ValueError(f"{value!r} is not computed from the workspace; {_METRICS_FIX}")
        return value

    @field_validator("scope")
    @classmethod
    def _scope(cls, value: Scope) -> Scope:
        return _clean_scope(value)

    @field_validator("control_scope")
    @classmethod
    def _control(cls, value: Scope | None) -> Scope | None:
        if value is None:
            return None
        if not value:
            raise ValueError("the control group needs at least one dimension, e.g. country=BE")
        return _clean_scope(value)

    @field_validator("baseline", "target")
    @classmethod
    def _number(cls, value: float | None) -> float | None:
        return _finite(value, "the value")

    @field_validator("cost")
    @classmethod
    def _cost(cls, value: float | None) -> float | None:
        if value is not None and (not math.isfinite(value) or value < 0):
            raise ValueError(f"the cost must be an amount >= 0 (got {value})")
        return value

    @field_validator("experiment_id", "channel", "notes")
    @classmethod
    def _text(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    @model_validator(mode="after")
    def _coherent(self) -> MeasurementPlan:
        if self.start and self.evaluation_date and self.evaluation_date <= self.start:
            raise ValueError(
                f"the evaluation date ({self.evaluation_date}) must come after the start "
                f"({self.start})"
            )
        if self.control_scope is not None and self.control_scope == self.scope:
            raise ValueError("the control group is the scope itself; choose another slice")
        return self

    def missing(self) -> list[str]:
        """Fields launch needs that are still empty, by name."""
        needed: dict[str, object] = {
            "kpi": self.kpi,
            "baseline": self.baseline,
            "target": self.target,
            "start": self.start,
            "evaluation_date": self.evaluation_date,
            "cost": self.cost,
            "method": self.method,
        }
        if self.method == "experiment":
            needed["experiment_id"] = self.experiment_id
        if self.method == "pre_post_control":
            needed["control_scope"] = self.control_scope
        if self.method == "mmm":
            needed["channel"] = self.channel
        return [name for name, value in needed.items() if value is None]


class BusinessCase(BaseModel):
    """What the initiative should return: ``return_metric`` (a money metric of the registry)
    in a low / base / high case, of which ``margin`` pays the cost back over ``months``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    return_metric: str | None = Field(
        default=None, description="Money metric it returns, e.g. pipeline_created or revenue."
    )
    low: float | None = Field(default=None, description="Pessimistic return (10th percentile).")
    base: float | None = Field(default=None, description="Expected return (median).")
    high: float | None = Field(default=None, description="Optimistic return (90th percentile).")
    margin: float = Field(
        default=1.0,
        gt=0,
        le=1,
        description="Share of the return that pays the cost back (win rate × gross margin "
        "for pipeline, gross margin for revenue).",
    )
    months: int = Field(default=12, ge=1, le=120, description="Months the return arrives over.")
    rationale: str | None = Field(default=None, max_length=2000)

    @field_validator("return_metric")
    @classmethod
    def _metric(cls, value: str | None) -> str | None:
        if value is None:
            return None
        metric = measurable(value) if value in METRICS else None
        if metric is None:
            raise ValueError(f"{value!r} is not a metric the workspace measures; {_METRICS_FIX}")
        if metric.unit != "currency" or metric.kind != "additive":
            raise ValueError(
                f"{value!r} is not an amount of money that adds up; "
                "choose e.g. pipeline_created, won_amount, revenue or attributed_revenue"
            )
        return value

    @field_validator("low", "base", "high")
    @classmethod
    def _amount(cls, value: float | None) -> float | None:
        if value is not None and (not math.isfinite(value) or value < 0):
            raise ValueError(f"a case must be an amount >= 0 (got {value})")
        return value

    @model_validator(mode="after")
    def _ordered(self) -> BusinessCase:
        cases = [v for v in (self.low, self.base, self.high) if v is not None]
        if cases != sorted(cases):
            raise ValueError(
                f"the cases must be ordered low <= base <= high (got low={self.low}, "
                f"base={self.base}, high={self.high})"
            )
        return self

    def missing(self) -> list[str]:
        needed = {
            "return_metric": self.return_metric,
            "low": self.low,
            "base": self.base,
            "high": self.high,
        }
        return [name for name, value in needed.items() if value is None]


Draft = TypeVar("Draft", MeasurementPlan, BusinessCase)


def merged(model: type[Draft], current: dict[str, Any] | None, changes: dict[str, Any]) -> Draft:
    """``current`` updated with the non-null ``changes``, checked as a whole; a UsageError
    names every problem (field: what is wrong) and nothing is kept."""
    data = {**(current or {}), **{k: v for k, v in changes.items() if v is not None}}
    return parse(model, data)


def parse(model: type[Draft], data: dict[str, Any]) -> Draft:
    what = "measurement plan" if model is MeasurementPlan else "business case"
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise UsageError(
            f"the {what} is not valid: {describe(exc)}",
            fix="correct the fields named above; nothing was saved",
        ) from None


def describe(exc: ValidationError) -> str:
    """One line per problem: ``field: message``."""
    parts = []
    for error in exc.errors():
        field = ".".join(str(p) for p in error["loc"]) or "value"
        message = str(error["msg"]).removeprefix("Value error, ")
        parts.append(f"{field}: {message}")
    return "; ".join(parts)
