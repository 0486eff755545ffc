import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pilotage.core.metrics.registry import METRICS, Metric, get_metric, safe_ratio
from pilotage.data.schema import TABLES
from pilotage.errors import UsageError


@pytest.mark.parametrize("metric", METRICS.values(), ids=lambda m: m.id)
def test_every_metric_is_fully_defined(metric: Metric):
    assert metric.name_en and metric.name_fr
    assert metric.definition_en and metric.definition_fr
    assert metric.formula
    assert set(metric.tables) <= set(TABLES)
    if metric.kind == "ratio":
        assert metric.numerator and metric.denominator


def test_ratio_without_denominator_is_refused():
    with pytest.raises(ValueError, match="needs a denominator"):
        Metric("x", "X", "X", "ratio", "ratio", "a / b", "a", None, (), "d", "d")


def test_unknown_metric_lists_the_known_ones():
    with pytest.raises(UsageError) as info:
        get_metric("roaz")
    assert "roas" in str(info.value)


@pytest.mark.parametrize(("num", "den"), [(1.0, 0.0), (0.0, 0.0), (None, 1.0), (1.0, None)])
def test_safe_ratio_is_null_when_undefined(num, den):
    assert safe_ratio(num, den) is None


@given(
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.floats(allow_nan=False, allow_infinity=False, width=32).filter(lambda d: d != 0),
)
def test_safe_ratio_is_plain_division_otherwise(num, den):
    result = safe_ratio(num, den)
    assert result is not None and math.isfinite(result)
    assert result == num / den
