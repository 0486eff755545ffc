"""Every model, run on the demo company's journeys, ranks its ground truth's strongest
channels first (the truth: incremental identifications, i.e. lead and signup conversions)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pilotage.core.attribution.options import ModelOptions
from pilotage.data.workspace import open_workspace
from pilotage.interfaces.cli.main import main
from pilotage.services.attribution import (
    AttributionComparison,
    journey_paths,
    journey_spec,
    run_all,
)
from pilotage.services.workspaces import analytics

#: The exact Shapley game values a channel set by its journeys' conversion RATE, so channels
#: seen in few, high-converting journeys (content, direct, referral) lead it, whatever their
#: volume; the truth counts incremental identifications (volume). Checked on its own below.
RATE_GAME = "shapley"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    main(["demo", "--no-serve", "--scale", "0.1", "--months", "12", "--workspace", str(folder)])
    return folder


@pytest.fixture(scope="module")
def comparison(demo: Path) -> AttributionComparison:
    ws = open_workspace(demo)
    with analytics(ws) as store:
        spec = journey_spec(store, ws.settings, conversion_type="lead,signup")
        paths, _ = journey_paths(store, spec)
    return run_all(paths, ModelOptions())


def truth_top(demo: Path, n: int) -> list[str]:
    truth = json.loads((demo / "ground_truth.json").read_text())["channels"]
    return sorted(truth, key=lambda c: -truth[c]["expected_incremental_identifications"])[:n]


def test_every_model_ranks_the_truths_strongest_channels_first(
    demo: Path, comparison: AttributionComparison
) -> None:
    strongest = truth_top(demo, 5)
    assert strongest[0] == "organic_search"
    # Every model runs on the workspace journeys: they carry ages, milestone tags and
    # non-converting journeys, so no model is skipped.
    assert comparison.warnings == []
    checked = [m for m in comparison.models if m.model != RATE_GAME]
    assert len(checked) == len(comparison.models) - 1
    for result in checked:
        leaders = [c.channel for c in result.channels[:3]]
        assert set(leaders) <= set(strongest), (result.model, leaders, strongest)
        assert "organic_search" in leaders, (result.model, leaders)


@pytest.mark.xfail(
    strict=True,
    reason="exact Shapley of the conversion-rate game ranks content, direct, referral first: "
    "it rewards channels whose journeys convert often, not channels that bring many "
    "conversions, so it does not rank the truth's volume leaders first",
)
def test_exact_shapley_ranks_the_truths_strongest_channels_first(
    demo: Path, comparison: AttributionComparison
) -> None:
    result = next(m for m in comparison.models if m.model == RATE_GAME)
    leaders = [c.channel for c in result.channels[:3]]
    assert set(leaders) <= set(truth_top(demo, 5))
    assert "organic_search" in leaders
