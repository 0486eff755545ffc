"""``mmm fit``: the documented JSON from a weekly file (priors, lifts, holdout), the same
result for the same data and seed, and bad input refused with a message."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from pilotage.core.mmm.design import window_mask
from pilotage.core.mmm.simulate import Simulated, simulate
from pilotage.interfaces.cli.main import main

CHANNEL_KEYS = {
    "channel", "roas", "roas_ci_low", "roas_ci_high", "roi", "contribution",
    "contribution_share", "contribution_share_ci_low", "contribution_share_ci_high", "mroas",
}  # fmt: skip


@pytest.fixture(scope="module")
def weekly_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Simulated]:
    sim = simulate(n_weeks=70, n_channels=2, seed=11, noise=0.02, media_share=0.4, max_lag=4)
    d = sim.data
    assert d.controls is not None
    path = tmp_path_factory.mktemp("mmm") / "weekly.csv"
    lines = ["week,revenue,search,social,price"]
    for t, week in enumerate(d.weeks):
        spend = f"{d.spend[t, 0]:.2f},{d.spend[t, 1]:.2f}"
        lines.append(f"{week},{d.target[t]:.2f},{spend},{d.controls[t, 0]:.3f}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, sim


def _args(path: Path) -> list[str]:
    return [
        "mmm", "fit", "--data", str(path), "--date-col", "week", "--target", "revenue",
        "--channels", "search,social", "--controls", "price", "--max-lag", "4",
        "--draws", "150", "--warmup", "150", "--chains", "2", "--seed", "3", "--format", "json",
    ]  # fmt: skip


def test_fit_prints_the_documented_json_and_is_reproducible(weekly_file, tmp_path, capsys):
    path, sim = weekly_file
    lifts = tmp_path / "lifts.csv"
    # a geo test that measured the true ROAS over 12 weeks, give or take 10 %
    weeks = window_mask(sim.data.weeks, dt.date(2023, 3, 6), dt.date(2023, 5, 28))
    lift = sim.true_roas[0] * float((weeks * sim.data.spend[:, 0]).sum())
    lifts.write_text(
        f"channel,start,end,lift,std_error\nsearch,2023-03-06,2023-05-28,{lift},{0.1 * lift}\n",
        encoding="utf-8",
    )
    extra = ["--roi-prior", "social=0:4", "--holdout-weeks", "8", "--lifts", str(lifts)]
    assert main([*_args(path), *extra, "--save", str(tmp_path / "model.json")]) == 0
    first = capsys.readouterr().out
    out = json.loads(first)
    assert {c["channel"] for c in out["channels"]} == {"search", "social"}
    for c in out["channels"]:
        assert set(c) >= CHANNEL_KEYS
        assert c["roas_ci_low"] <= c["roas"] <= c["roas_ci_high"]
        assert c["roi"] == pytest.approx(c["roas"] - 1)
        assert c["contribution_share_ci_low"] <= c["contribution_share"]
    social = next(c for c in out["channels"] if c["channel"] == "social")
    assert (social["prior_roas_low"], social["prior_roas_high"]) == (1.0, 5.0)
    search = next(c for c in out["channels"] if c["channel"] == "search")
    assert search["calibrated"] and out["lifts"][0]["source"] == "lifts.csv line 2"
    assert {"rhat_max", "ess_min", "divergences", "warnings"} <= set(out["diagnostics"])
    assert out["fit"]["on"] == "holdout" and out["fit"]["weeks"] == 8
    assert {"mape", "r2"} <= set(out["fit"]) and out["fit_in_sample"]["weeks"] == 62
    assert out["settings"]["controls"] == ["price"] and out["settings"]["holidays"] is None
    assert len(out["decomposition"]) == 70 and out["decomposition"][-1]["holdout"]
    assert len(out["response_curves"]) == 2
    assert (tmp_path / "model.json").read_text(encoding="utf-8").startswith('{"format"')
    assert main([*_args(path), *extra]) == 0
    assert capsys.readouterr().out == first  # same data, same seed: the same result


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--adstock", "square"], "--adstock 'square' is not known"),
        (["--saturation", "tanh"], "use hill, logistic"),
        (["--roas-prior", "search=high"], "bad --roas-prior"),
        (["--cpa-prior", "search=10:20"], "a CPA range needs a conversions KPI"),
        (["--roas-prior", "tv=1:2"], "unknown channels ['tv']"),
        (["--holdout-weeks", "60"], "60 holdout weeks leave 10 of 70 weeks to fit"),
        (["--holidays", "xx"], "--holidays 'XX' is not known"),
        (["--kpi", "leads"], "--kpi 'leads' is not known"),
        (["--draws", "5"], "draws and warmup must be >= 10"),
        (["--event", "promo=next week"], "bad --event 'promo=next week'"),
        (["--event", "a=2023-05-01", "--event", "a=2023-06-01"], "two --event named 'a'"),
    ],
)
def test_bad_options_exit_2_with_the_reason(weekly_file, capsys, extra, message):
    path, _ = weekly_file
    assert main([*_args(path), *extra]) == 2
    assert message in capsys.readouterr().err


def test_workspace_only_options_and_file_errors(tmp_path, capsys):
    assert main(["mmm", "fit", "--workspace", str(tmp_path), "--controls", "price"]) == 2
    assert "--controls and --kpi apply to --data only" in capsys.readouterr().err


def test_mmm_fit_names_the_bad_file_line_and_column(tmp_path, capsys):
    data = tmp_path / "weekly.csv"
    data.write_text("week,revenue,search\n2024-01-01,100,10\n2024-01-08,x,-3\n", encoding="utf-8")
    args = ["mmm", "fit", "--data", str(data), "--date-col", "week", "--target", "revenue"]
    assert main([*args, "--channels", "search,social"]) == 2
    assert "social" in capsys.readouterr().err
    assert main([*args, "--channels", "search"]) == 2
    err = capsys.readouterr().err
    assert "line 3, column 'revenue'" in err and "negative spend" in err
    assert main(["mmm", "fit", "--data", str(data)]) == 2
    assert "--date-col" in capsys.readouterr().err
