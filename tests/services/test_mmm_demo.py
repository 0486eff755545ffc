"""The mix model recovers the demo company's ground truth, through ``pilotage mmm fit``.

The demo simulates weekly new demand (leads and sign-ups) as an organic baseline (trend,
seasons, an algorithm change) plus, per paid channel, ``beta * hill(adstock(spend))``; its
``ground_truth.json`` gives each channel's expected incremental identifications and cost per
incremental identification. Tolerances: every true CPA inside its 90 % interval, the median
CPA error within 35 %, paid media's total contribution within 20 %.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from pilotage.data.demo.config import DemoConfig
from pilotage.interfaces.cli.main import main

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from pilotage.services.demo import build_demo

    root = tmp_path_factory.mktemp("mmm-demo")
    build_demo(root, DemoConfig())
    return root


@pytest.fixture(scope="module")
def fitted(demo: Path) -> dict[str, Any]:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["mmm", "fit", "--workspace", str(demo), "--format", "json"]) == 0
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


def test_fit_on_new_demand_is_converged_and_saved(demo: Path, fitted: dict[str, Any]) -> None:
    assert fitted["kpi"] == "conversions" and fitted["settings"]["target"] == "leads"
    assert fitted["settings"]["holidays"] == "FR"  # from the workspace's Europe/Paris
    assert fitted["diagnostics"]["status"] == "good", fitted["diagnostics"]
    assert fitted["fit"]["r2"] > 0.6 and fitted["fit"]["coverage"] > 0.8
    assert (demo / "models" / "mmm.json").is_file()


def test_every_true_cpa_is_inside_its_interval(demo: Path, fitted: dict[str, Any]) -> None:
    truth = json.loads((demo / "ground_truth.json").read_text(encoding="utf-8"))["channels"]
    errors = []
    for c in fitted["channels"]:
        true_cpa = truth[c["channel"]]["cost_per_incremental_identification_eur"]
        assert c["cpa_ci_low"] <= true_cpa <= c["cpa_ci_high"], (c["channel"], c, true_cpa)
        errors.append(abs(c["cpa"] / true_cpa - 1))
    assert {c["channel"] for c in fitted["channels"]} == {
        "display",
        "events",
        "paid_search",
        "paid_social",
        "video",
        "webinars",
    }
    assert float(np.median(errors)) <= 0.35, errors
    # the cheapest channel (webinars) is found the cheapest
    cheapest = min(fitted["channels"], key=lambda c: c["cpa"])
    assert cheapest["channel"] == "webinars"


def test_paid_media_contribution_is_recovered(demo: Path, fitted: dict[str, Any]) -> None:
    weekly = json.loads((demo / "ground_truth.json").read_text(encoding="utf-8"))["weekly"]
    starts = weekly["week_start"]
    first = starts.index(fitted["first_week"])
    last = starts.index(fitted["last_week"]) + 1
    true_total = sum(
        float(np.sum(v[first:last])) for v in weekly["expected_media_identifications"].values()
    )
    est_total = sum(c["contribution"] for c in fitted["channels"])
    assert abs(est_total / true_total - 1) <= 0.2, (est_total, true_total)
