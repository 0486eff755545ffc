"""The attribution use case: path file -> every model -> result objects."""

from __future__ import annotations

from pathlib import Path

import pytest

from pilotage.core.attribution.options import ModelOptions
from pilotage.core.attribution.registry import ALL_MODELS
from pilotage.services.attribution import read_paths, run_all, run_model

FIXTURES = Path(__file__).parents[1] / "fixtures" / "attribution"


def test_every_model_sums_to_the_attributable_totals():
    paths = read_paths(FIXTURES / "paths.csv")
    comparison = run_all(paths, ModelOptions())
    ran = [m.model for m in comparison.models]
    assert ran == [m for m in ALL_MODELS if m != "time_decay"]
    for result in comparison.models:
        # direct alone (4 + 1 conversions, value 300 + 100) is unattributed.
        assert (result.unattributed.conversions, result.unattributed.value) == (5.0, 400.0)
        assert result.total_conversions == pytest.approx(28.5)
        assert sum(c.conversions for c in result.channels) == pytest.approx(28.5, rel=1e-9)
        assert sum(c.value for c in result.channels) == pytest.approx(11530.0, rel=1e-9)
        assert sum(c.share or 0 for c in result.channels) == pytest.approx(1.0)
        assert all(c.ci_low is None for c in result.channels)
    assert any(w.startswith("time_decay not run") for w in comparison.warnings)


def test_milestone_models_run_on_tagged_paths_and_warn_about_untagged():
    result = run_model(read_paths(FIXTURES / "paths.csv"), "w_shaped", ModelOptions())
    assert any("[lead]" in w for w in result.warnings)


def test_bootstrap_fills_intervals():
    paths = read_paths(FIXTURES / "paths.csv")
    result = run_model(paths, "linear", ModelOptions(), draws=100, seed=3)
    for c in result.channels:
        assert c.ci_low is not None and c.ci_high is not None
        assert c.ci_low <= c.conversions <= c.ci_high
