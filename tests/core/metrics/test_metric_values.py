"""Metric.value: ratios from summed parts, derived metrics, nulls rather than infinity."""

from __future__ import annotations

import math

import pytest

from pilotage.core.metrics.metric import safe_ratio
from pilotage.core.metrics.registry import METRICS
from pilotage.services.kpis import KPI_METRICS


def value(metric: str, **parts: float | None) -> float | None:
    return METRICS[metric].value(parts)


def test_ratios_are_recomputed_from_their_parts() -> None:
    assert value("roi", attributed_revenue=1550, cost=400) == (1550 - 400) / 400
    assert value("cpm", cost=400, impressions=6000) == 400 * 1000 / 6000
    assert value("nps", promoters=2, detractors=1, nps_responses=4) == 25.0
    assert value("win_rate", won_deals=2, lost_deals=1) == 2 / 3
    assert value("cac_fully_loaded", cost=400, overhead_cost=1160, new_customers=4) == 390.0
    assert value("ltv_cac", cohort_margin=680, cost=400) == 1.7
    assert value("nrr", mrr_end_of_start=400, mrr_start=600) == 400 / 600
    # a refund-only slice: negative revenue gives a negative ROAS, not an error
    assert value("roas", attributed_revenue=-100, cost=50) == -2.0


def test_derived_metrics() -> None:
    velocity = {
        "opportunities_created": 4,
        "won_amount": 13_000,
        "won_deals": 2,
        "lost_deals": 1,
        "cycle_days_won": 60,
    }
    assert value("pipeline_velocity", **velocity) == pytest.approx(4 * 6500 * (2 / 3) / 30)
    assert value("pipeline_velocity", **(velocity | {"won_deals": 0, "won_amount": 0})) is None
    assert value("pipeline_velocity", **(velocity | {"cycle_days_won": 0})) is None
    gap = {
        "pipeline_sourced_field": 7000,
        "pipeline_sourced_first_touch": 18_000,
        "pipeline_sourced_pre_sales": 15_000,
    }
    assert value("sourced_definition_gap", **gap) == 11_000
    payback = {"cost": 400, "new_customers": 4, "cohort_margin": 680, "customer_months": 6.8}
    assert value("cac_payback_months", **payback) == pytest.approx(100 / (680 / 6.8))
    assert value("cac_payback_months", **(payback | {"cohort_margin": 0})) is None
    assert value("cac_payback_months", **(payback | {"new_customers": 0})) is None
    assert value("cac_payback_months", **(payback | {"customer_months": 0})) is None


def test_a_missing_part_makes_the_metric_unknown() -> None:
    assert value("roas", attributed_revenue=100, cost=None) is None
    assert value("cost", cost=None) is None
    assert value("sourced_definition_gap", pipeline_sourced_field=1) is None
    # a ratio the engine does not compute has no parts: never a number
    assert METRICS["revenue_share"].value({"revenue": 1.0}) is None


@pytest.mark.parametrize("metric", KPI_METRICS)
def test_zero_parts_give_zero_or_null_never_infinity(metric: str) -> None:
    got = METRICS[metric].value(dict.fromkeys(METRICS[metric].parts, 0.0))
    assert got is None or got == 0.0
    if METRICS[metric].kind in ("ratio", "derived") and metric != "sourced_definition_gap":
        assert got is None


@pytest.mark.parametrize("metric", [m for m in KPI_METRICS if METRICS[m].kind == "ratio"])
def test_every_ratio_divides_its_numerator_by_its_denominator(metric: str) -> None:
    m = METRICS[metric]
    parts = {p: float(i + 2) for i, p in enumerate(m.parts)}
    num = sum(c * parts[p] for p, c in m.num)
    den = sum(c * parts[p] for p, c in m.den)
    got = m.value(parts)
    assert got is not None and math.isclose(got, num / den)


def test_safe_ratio() -> None:
    assert safe_ratio(1.0, 0.0) is None
    assert safe_ratio(None, 1.0) is None
    assert safe_ratio(0.0, 2.0) == 0.0
