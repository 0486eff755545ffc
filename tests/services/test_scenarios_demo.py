"""The scenario planner against the demo company's ground truth: the regional event (Lyon)
and the targeted webinar series are the demo's two initiatives, with known incremental
pipeline. Their comparison from the history of programs must rank them as the truth does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pilotage.data.demo.config import DemoConfig
from pilotage.data.workspace import open_workspace
from pilotage.services.scenarios import Proposal, workspace_comparison
from pilotage.services.workspaces import analytics


@pytest.mark.slow
def test_the_webinar_series_beats_the_regional_event_as_in_the_ground_truth(
    tmp_path: Path,
) -> None:
    from pilotage.services.demo import build_demo

    root = tmp_path / "demo"
    build_demo(root, DemoConfig())
    truth = json.loads((root / "ground_truth.json").read_text(encoding="utf-8"))["initiatives"]
    lyon, series = truth["INIT-LYON"], truth["INIT-WEBINAR"]
    per_euro = {k: v["expected_incremental_pipeline_eur"] / v["cost_eur"] for k, v in truth.items()}
    assert per_euro["INIT-WEBINAR"] > per_euro["INIT-LYON"]  # the truth the planner must find
    ws = open_workspace(root)
    with analytics(ws) as store:
        result = workspace_comparison(
            store,
            ws.settings,
            [
                Proposal(name="Regional event", program="events", cost=lyon["cost_eur"]),
                Proposal(
                    name="Webinar series",
                    program="webinars",
                    cost=series["cost_eur"],
                    units=len(series["campaign_ids"]),
                ),
            ],
            metric="pipeline",
        )
    event, webinars = result.proposals
    assert result.recommendation == "Webinar series"
    assert webinars.roi > event.roi
    assert event.better_alternative == "Webinar series"
    types = {t.program: t for t in result.types}
    assert types["webinars"].pooled_return_per_euro > types["events"].pooled_return_per_euro
