"""Invariants of the sufficient statistics and of every comparison (hypothesis)."""

from __future__ import annotations

import ibis
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pilotage.core.experiments.aggregate import to_sums, variant_sums, with_optional_columns
from pilotage.core.experiments.analysis import analyze
from pilotage.core.experiments.options import AnalysisSettings
from pilotage.core.experiments.statistics import Moments, pool
from pilotage.errors import UsageError

outcomes = st.lists(st.sampled_from([0.0, 1.0]), min_size=5, max_size=60)
values = st.lists(st.floats(0, 500, allow_nan=False), min_size=5, max_size=40)


def test_moments_mean_and_variance() -> None:
    m = Moments(4, 10.0, 30.0)  # 1, 2, 3, 4
    assert m.mean == 2.5 and m.variance == pytest.approx(5 / 3)


#: The fixtures only hand out pure builder functions: safe to share across examples.
SHARED = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)


@SHARED
@given(outcomes, outcomes)
def test_merging_equals_computing_on_the_union(
    units, first: list[float], second: list[float]
) -> None:
    from_units = units
    merged = from_units("A", first) + from_units("A", second)
    union = from_units("A", first + second)
    assert merged == union


def test_pooling_refuses_two_variants(units) -> None:
    from_units = units

    with pytest.raises(UsageError, match="cannot pool"):
        _ = from_units("A", [1.0]) + from_units("B", [0.0])
    assert [s.variant for s in pool([from_units("B", [1.0], order=1), from_units("A", [0.0])])] == [
        "A",
        "B",
    ]


@settings(max_examples=15, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["A", "B"]), st.sampled_from([0.0, 1.0])), min_size=4))
def test_engine_sums_of_two_halves_pool_to_the_sums_of_the_union(rows) -> None:
    def sums(part):
        table = pa.table(
            {
                "experiment_id": ["E"] * len(part),
                "variant": [r[0] for r in part],
                "unit_id": [f"u{i}" for i in range(len(part))],
                "converted": [r[1] for r in part],
            }
        )
        con = ibis.duckdb.connect()
        got = con.to_pyarrow(variant_sums(with_optional_columns(ibis.memtable(table)))).to_pylist()
        return {r["variant"]: to_sums(r, 0) for r in got}

    half = len(rows) // 2
    left, right, whole = sums(rows[:half]), sums(rows[half:]), sums(rows)
    for variant, total in whole.items():
        parts = [p[variant] for p in (left, right) if variant in p]
        merged = parts[0] if len(parts) == 1 else parts[0] + parts[1]
        assert merged == total


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.integers(20, 5000),
    st.integers(20, 5000),
    st.floats(0.01, 0.99),
    st.floats(0.01, 0.99),
    st.sampled_from(["frequentist", "bayesian", "sequential"]),
    st.sampled_from(["absolute", "relative"]),
)
def test_p_in_0_1_interval_holds_the_estimate_and_swapping_flips_the_sign(
    agg, n_a: int, n_b: int, rate_a: float, rate_b: float, method: str, difference: str
) -> None:
    aggregate = agg
    conv_a, conv_b = round(n_a * rate_a), round(n_b * rate_b)
    # A relative lift over a control with no conversion is refused (test below).
    assume(difference == "absolute" or (conv_a > 0 and conv_b > 0))
    a, b = aggregate("A", n_a, conv_a), aggregate("B", n_b, conv_b)
    s = AnalysisSettings(method=method, difference=difference)  # type: ignore[arg-type]
    ab = analyze([a, b], ["conversion"], s)[0].comparisons[0]
    ba = analyze([a, b], ["conversion"], s, control="B")[0].comparisons[0]
    assert 0 <= ab.p_value <= 1 and 0 <= ab.chance_to_win <= 1 and ab.risk >= 0
    point = ab.lift_abs if difference == "absolute" else ab.lift_rel
    assert point is not None and ab.low is not None and ab.high is not None
    assert ab.low - 1e-12 <= point <= ab.high + 1e-12
    assert ba.lift_abs == pytest.approx(-ab.lift_abs)
    if difference == "absolute":
        assert ba.p_value == pytest.approx(ab.p_value)
        assert ba.chance_to_win == pytest.approx(1 - ab.chance_to_win)


def test_a_relative_lift_over_a_control_without_conversions_is_refused(agg) -> None:
    a, b = agg("A", 20, 0), agg("B", 20, 3)
    with pytest.raises(UsageError, match="relative lift is undefined"):
        analyze([a, b], ["conversion"], AnalysisSettings(difference="relative"))


def test_decimal_columns_of_a_warehouse_are_summed_as_numbers() -> None:
    con = ibis.duckdb.connect()
    con.raw_sql(
        "CREATE TABLE e AS SELECT 'E' AS experiment_id, 'A' AS variant, 'u' || i AS unit_id, "
        "CASE WHEN i % 4 = 0 THEN 1.0 ELSE 0.0 END AS converted FROM range(8) t(i)"
    )
    rows = con.to_pyarrow(variant_sums(with_optional_columns(con.table("e")))).to_pylist()
    sums = to_sums(rows[0], 0)
    assert sums.units == 8 and sums.conv == 2 and sums.conv_sq == 2
