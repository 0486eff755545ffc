"""Which slice explains a change: each slice's effect on the total is the total's change if
that slice alone had stayed as it was (a one-at-a-time counterfactual, exact for additive
metrics, where effects sum to the change; for ratios it also counts mix effects)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pilotage.core.metrics.metric import Metric

#: measure id -> value (summed over the window, per week).
Parts = Mapping[str, float]


@dataclass(frozen=True)
class SliceEffect:
    value: str
    before: float | None
    after: float | None
    #: Change of the total's metric this slice accounts for (metric unit, per week).
    effect: float
    #: effect / total change (None when the total did not move).
    share: float | None


def total_parts(slices: Mapping[str, Parts], measures: tuple[str, ...]) -> dict[str, float]:
    return {m: sum(float(p.get(m, 0.0)) for p in slices.values()) for m in measures}


def decompose(
    metric: Metric, before: Mapping[str, Parts], after: Mapping[str, Parts]
) -> list[SliceEffect]:
    """Slices by decreasing absolute effect. ``before`` and ``after`` hold each slice's
    parts (the metric's measures) per week of their window; a slice missing from one
    window had nothing there."""
    measures = metric.parts
    total_before = total_parts(before, measures)
    total_after = total_parts(after, measures)
    now = metric.value(total_after)
    then = metric.value(total_before)
    moved = now - then if now is not None and then is not None else None
    zero = dict.fromkeys(measures, 0.0)
    effects = []
    for value in sorted(set(before) | set(after)):
        b, a = before.get(value, zero), after.get(value, zero)
        kept = {m: total_after[m] - float(a.get(m, 0.0)) + float(b.get(m, 0.0)) for m in measures}
        without = metric.value(kept)
        effect = now - without if now is not None and without is not None else 0.0
        effects.append(
            SliceEffect(
                value=value,
                before=metric.value(b),
                after=metric.value(a),
                effect=effect,
                share=effect / moved if moved else None,
            )
        )
    return sorted(effects, key=lambda e: (-abs(e.effect), e.value))
