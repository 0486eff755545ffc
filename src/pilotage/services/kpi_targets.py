"""Targets beside KPIs: the objectives (metadata store) set on the metrics of a KPI table.

An objective's target is compared with the KPI's total only when the objective's scope is
the table's: the same filters (an objective on France is not met by the whole company's
number). Otherwise the target is listed with a null actual and says why.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select

from pilotage.core.metrics.registry import safe_ratio
from pilotage.data.metadata.models import Objective
from pilotage.data.metadata.store import MetadataStore
from pilotage.services.results import KpiTable, KpiTarget


def with_targets(
    result: KpiTable, meta: MetadataStore, filters: Mapping[str, Sequence[str]] | None = None
) -> KpiTable:
    """``result`` with the targets of the objectives set on its metrics."""
    ids = [m.id for m in result.metrics]
    with meta.reading() as session:
        objectives = session.scalars(
            select(Objective).where(Objective.metric_id.in_(ids)).order_by(Objective.deadline)
        ).all()
        asked = _scope(filters or {})
        targets = [_target(o, result, asked) for o in objectives]
    return result.model_copy(update={"targets": targets})


def _scope(raw: Mapping[str, Any]) -> dict[str, list[str]]:
    return {
        str(k): sorted(str(v) for v in (vs if isinstance(vs, list | tuple) else [vs]))
        for k, vs in raw.items()
    }


def _target(o: Objective, result: KpiTable, asked: dict[str, list[str]]) -> KpiTarget:
    scope = _scope(o.scope or {})
    same = scope == asked
    actual = result.totals.get(o.metric_id) if same else None
    return KpiTarget(
        objective_id=o.id,
        objective=o.name,
        metric=o.metric_id,
        target=o.target,
        deadline=o.deadline,
        scope=scope,
        actual=actual,
        attainment=safe_ratio(actual, o.target),
        note=None if same else "the objective's scope differs from this table's filters",
    )
