"""The workspace's saved mix model, the optimizer's result object and its bad inputs."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import pytest

from pilotage.data.workspace import Workspace, open_workspace
from pilotage.errors import NotFoundError, UsageError
from pilotage.interfaces.cli.main import main
from pilotage.services.budget_plan import (
    curves,
    load_model,
    model_path,
    optimize_budget,
    parse_bounds,
    reallocation_proposal,
    require_model,
    save_model,
    saved_model,
)

_HERE = Path(__file__).parents[1] / "core" / "mmm" / "test_optimizer.py"
_spec = importlib.util.spec_from_file_location("mmm_optimizer_tests", _HERE)
assert _spec is not None and _spec.loader is not None
_mod = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_mod)
posterior = _mod.posterior


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    assert main(["init", str(tmp_path / "ws")]) == 0
    return open_workspace(tmp_path / "ws")


def test_the_model_is_saved_in_the_workspace_and_read_back(workspace: Workspace) -> None:
    assert saved_model(workspace) is None
    assert reallocation_proposal(workspace) is None
    with pytest.raises(NotFoundError, match="no mix model is saved") as caught:
        require_model(workspace)
    assert "pilotage mmm fit --workspace" in (caught.value.fix or "")
    path = save_model(workspace, posterior())
    assert path == model_path(workspace) == workspace.root / "models" / "mmm.json"
    assert [p.name for p in path.parent.iterdir()] == ["mmm.json"]  # no temporary left
    again = require_model(workspace)
    assert again.channels == posterior().channels
    save_model(workspace, posterior(seed=1))  # the latest fit replaces the previous one
    assert require_model(workspace).to_json() == posterior(seed=1).to_json()


def test_reallocation_splits_the_current_budget(workspace: Workspace) -> None:
    save_model(workspace, posterior())
    plan = reallocation_proposal(workspace, weeks=13)
    assert plan is not None
    current = float(posterior().recent_weekly_spend.sum() * 13)
    assert plan.total == pytest.approx(current, abs=0.01)
    assert plan.current_total == pytest.approx(current, abs=0.01)
    assert round(sum(c.optimal for c in plan.channels), 2) == round(plan.total, 2)
    assert plan.gain == pytest.approx(plan.expected - plan.current_expected)
    assert plan.gain >= 0
    assert plan.moves and plan.moves == [m.text for m in plan.move_details]
    assert plan.moves_fr == [m.text_fr for m in plan.move_details]
    assert all(m.gain_ci_low <= m.gain <= m.gain_ci_high for m in plan.move_details)
    assert plan.expected_roi == pytest.approx((plan.expected - plan.total) / plan.total)
    assert plan.status == "good" and plan.kpi == "revenue" and plan.interval == 0.8
    assert all(c.mroas_ci_low <= c.mroas <= c.mroas_ci_high for c in plan.channels)


def test_bounds_are_reported_with_the_split() -> None:
    plan = optimize_budget(posterior(), total=300_000, bounds={"video": (50_000, 60_000)})
    video = next(c for c in plan.channels if c.channel == "video")
    assert (video.low, video.high) == (50_000, 60_000)
    assert 50_000 <= video.optimal <= 60_000
    display = next(c for c in plan.channels if c.channel == "display")
    assert (display.low, display.high) == (0.0, 300_000)


def test_target_roi_reports_its_target() -> None:
    plan = optimize_budget(posterior(), target_roi=1.0)
    assert plan.target_roi == 1.0
    assert plan.expected_roi is not None and plan.expected_roi >= 1.0 - 1e-3


@pytest.mark.parametrize(
    ("options", "message", "fix"),
    [
        ({"total": 1000, "bounds": {"tv": (0, 1)}}, "unknown channels", "display, paid_search"),
        ({"total": -5}, "positive amount", "e.g. 300000"),
        ({"total": math.nan}, "positive amount", "e.g. 300000"),
        ({"total": 1000, "weeks": 0}, "at least one week", "weeks >= 1"),
        ({}, "a total budget or a target ROI", "--total"),
        ({"total": 1, "target_roi": 1}, "a total budget or a target ROI", "--total"),
        (
            {"total": 1000, "bounds": dict.fromkeys(("display", "paid_search", "video"), (0, 100))},
            "bounds allow 0 to 300 EUR; the budget is 1,000",
            "widen the bounds",
        ),
        ({"total": 1000, "bounds": {"video": (2000, 3000)}}, "bounds allow", "widen the bounds"),
        ({"total": 1000, "bounds": {"video": (500, 100)}}, "need 0 <= low <= high", "widen"),
        ({"target_roi": 50.0}, "no budget reaches an ROI of 50.00", "lower target ROI"),
        ({"target_roi": -2.0}, "above -1 and at most 1000", "+150 %"),
        ({"total": 1e13}, "up to 1e12", "e.g. 300000"),
    ],
)
def test_bad_budgets_name_the_problem_and_the_fix(
    options: dict[str, object], message: str, fix: str
) -> None:
    with pytest.raises(UsageError, match=message) as caught:
        optimize_budget(posterior(), **options)  # type: ignore[arg-type]
    assert fix in (caught.value.fix or "")


def test_bounds_syntax() -> None:
    assert parse_bounds(["video=10:20", "display=:5", "search=7:"]) == {
        "video": (10.0, 20.0),
        "display": (0.0, 5.0),
        "search": (7.0, math.inf),
    }
    for bad in ("video", "video=abc", "video=1", "=1:2"):
        with pytest.raises(UsageError, match="bad bound"):
            parse_bounds([bad])
    with pytest.raises(UsageError, match="bounded twice"):
        parse_bounds(["video=1:2", "video=3:4"])


def test_an_unreadable_model_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    path.write_text('{"format": "something else"}', encoding="utf-8")
    with pytest.raises(UsageError, match="cannot read model file"):
        load_model(path)
    with pytest.raises(UsageError, match="cannot read model file"):
        load_model(tmp_path / "missing.json")


def test_curves_result_object() -> None:
    c = curves(posterior(), weeks=4, points=5)
    assert c.weeks == 4 and len(c.channels) == 3 and len(c.channels[0].points) == 5
    with pytest.raises(UsageError, match="points >= 2"):
        curves(posterior(), points=1)


def test_a_model_that_cannot_be_saved_is_refused_cleanly(workspace: Workspace) -> None:
    from pilotage.errors import WorkspaceError

    (workspace.root / "models").write_text("not a folder", encoding="utf-8")
    with pytest.raises(WorkspaceError, match="cannot save the mix model") as caught:
        save_model(workspace, posterior())
    assert "writable" in (caught.value.fix or "")
    assert sorted(p.name for p in workspace.root.iterdir() if p.name.startswith(".")) == []
