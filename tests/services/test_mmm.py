"""Mix model inputs: the weekly file (weekly or daily), business priors, lift files, saved
experiment lifts and the workspace KPI (no sampling here)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from pilotage.core.mmm.design import WeeklyData
from pilotage.core.mmm.spec import RoasPrior
from pilotage.data.metadata.experiments import add_lift_results
from pilotage.data.metadata.models import LiftResult
from pilotage.data.metadata.store import MetadataStore
from pilotage.errors import InputError, UsageError
from pilotage.services.mmm import (
    business_priors,
    read_lift_file,
    read_weekly_file,
    saved_lifts,
    target_kind,
    with_events,
)

D = dt.date
WEEKS = tuple(D(2024, 1, 1) + dt.timedelta(weeks=i) for i in range(30))


def _data() -> WeeklyData:
    spend = np.column_stack([np.full(30, 1000.0), np.full(30, 500.0)])
    return WeeklyData(WEEKS, np.full(30, 9000.0), ("search", "social"), spend)


def test_daily_file_is_summed_into_weeks(tmp_path: Path) -> None:
    path = tmp_path / "daily.csv"
    lines = ["day,leads,search,price"]
    for i in range(21):  # Monday 1 January to Sunday 21 January
        lines.append(f"{D(2024, 1, 1) + dt.timedelta(days=i)},{i},10,{100 + i}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = read_weekly_file(path, "day", "leads", ["search"], ["price"])
    assert data.weeks == (D(2024, 1, 1), D(2024, 1, 8), D(2024, 1, 15))
    np.testing.assert_allclose(data.target, [21, 70, 119])
    np.testing.assert_allclose(data.spend[:, 0], [70, 70, 70])
    assert data.controls is not None and data.controls[0, 0] == pytest.approx(103)


def test_irregular_dates_are_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("week,kpi,a\n2024-01-01,1,1\n2024-01-08,1,1\n2024-01-10,1,1\n")
    with pytest.raises(InputError, match="one per week"):
        read_weekly_file(path, "week", "kpi", ["a"])
    with pytest.raises(UsageError, match="does not exist"):
        read_weekly_file(tmp_path / "none.csv", "week", "kpi", ["a"])


def test_business_priors_in_roas_roi_or_cpa() -> None:
    priors = business_priors("revenue", roas={"a": (1, 4)}, roi={"b": (-0.5, 3.0)})
    assert priors == {"a": RoasPrior(1, 4), "b": RoasPrior(0.5, 4.0)}
    assert business_priors("conversions", cpa={"a": (50, 200)}) == {"a": RoasPrior(0.005, 0.02)}
    with pytest.raises(UsageError, match="ROI range needs a revenue KPI"):
        business_priors("conversions", roi={"a": (0, 1)})
    with pytest.raises(UsageError, match="CPA range needs a conversions KPI"):
        business_priors("revenue", cpa={"a": (10, 20)})
    with pytest.raises(UsageError, match="two ranges for a"):
        business_priors("revenue", roas={"a": (1, 2)}, roi={"a": (0, 1)})
    with pytest.raises(UsageError, match="a: a ROAS range needs 0 < low < high"):
        business_priors("revenue", roas={"a": (4, 1)})
    with pytest.raises(UsageError, match="a: an ROI range needs -1 < low < high"):
        business_priors("revenue", roi={"a": (-1, 1)})


def test_lift_file_rows_become_roas_observations(tmp_path: Path) -> None:
    path = tmp_path / "lifts.csv"
    path.write_text(
        "channel,start,end,lift,std_error,spend\n"
        "search,2024-01-08,2024-01-21,6000,1500,\n"
        "social,2024-02-05,2024-02-11,900,300,300\n",
        encoding="utf-8",
    )
    search, social = read_lift_file(path, _data())
    assert (search.roas, search.std_error, search.start) == (3.0, 0.75, D(2024, 1, 8))
    assert (social.roas, social.std_error) == (3.0, 1.0)  # on the spend the file gives
    assert search.source == "lifts.csv line 2"


def test_lift_file_errors_name_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "lifts.csv"
    path.write_text(
        "channel,start,end,lift,std_error\n"
        "tv,2024-01-08,2024-01-21,6000,1500\n"
        "search,2024-13-01,2024-01-21,6000,1500\n"
        "search,2024-01-08,2024-01-21,lots,1500\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        read_lift_file(path, _data())
    text = str(err.value)
    assert "line 2, column 'channel'" in text and "not one of" in text
    assert "line 3, column 'start'" in text and "line 4, column 'lift'" in text
    (tmp_path / "short.csv").write_text("channel,lift\nsearch,1\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing column"):
        read_lift_file(tmp_path / "short.csv", _data())


def _lift(experiment: str, **kw: object) -> LiftResult:
    row = {
        "experiment_id": experiment,
        "variant": "B",
        "control": "A",
        "metric": "conversion",
        "method": "frequentist",
        "difference": "absolute",
        "alpha": 0.05,
        "units": 1000,
        "control_units": 1000,
        "control_mean": 0.05,
        "variant_mean": 0.08,
        "lift_abs": 0.03,
        "lift_rel": 0.6,
        "ci_low": 0.03 - 1.959963984540054 * 0.01,
        "ci_high": 0.03 + 1.959963984540054 * 0.01,
        "p_value": 0.01,
        "chance_to_win": None,
        "srm_p_value": 0.5,
        "decision": "ship",
        "initiative_id": None,
        "channel": "search",
        "started_at": dt.datetime(2024, 1, 8, tzinfo=dt.UTC),
        "ended_at": dt.datetime(2024, 1, 21, tzinfo=dt.UTC),
    }
    return LiftResult(**{**row, **kw})


def test_saved_experiment_lifts_calibrate_their_channel(tmp_path: Path) -> None:
    with MetadataStore.open(f"sqlite:///{tmp_path / 'meta.db'}") as meta:
        meta.upgrade()
        with meta.session() as session:
            add_lift_results(session, [_lift("GEO", lift_abs=0.01)], "test")
        with meta.session() as session:
            add_lift_results(session, [_lift("GEO")], "test")  # a later analysis wins
            add_lift_results(session, [_lift("PAGE", channel=None)], "test")  # not a channel
            add_lift_results(session, [_lift("TV", channel="tv")], "test")  # not in the table
            add_lift_results(session, [_lift("RATIO", metric="ratio")], "test")
            add_lift_results(session, [_lift("OPEN", started_at=None)], "test")
        lifts, skipped = saved_lifts(meta, _data(), "conversions")
    assert len(lifts) == 1
    assert lifts[0].source == "GEO B" and lifts[0].channel == "search"
    assert lifts[0].roas == pytest.approx(0.03 * 1000 / 2000)
    assert lifts[0].std_error == pytest.approx(0.01 * 1000 / 2000)
    assert sorted(s.split(":")[0] for s in skipped) == ["OPEN B", "RATIO B"]


def test_workspace_kpi_must_be_an_additive_metric() -> None:
    assert target_kind("leads") == "conversions"
    assert target_kind("revenue") == "revenue"
    with pytest.raises(UsageError, match="unknown metric 'sales'"):
        target_kind("sales")
    with pytest.raises(UsageError, match="needs an additive KPI") as err:
        target_kind("roas")
    assert err.value.fix is not None and "leads" in err.value.fix


def test_events_become_controls_for_their_weeks_or_from_their_start() -> None:
    data = with_events(
        _data(), {"promo": (D(2024, 1, 10), D(2024, 1, 16)), "algo": (D(2024, 7, 1), None)}
    )
    assert data.control_names == ("event:promo", "event:algo")
    assert data.controls is not None
    np.testing.assert_array_equal(np.flatnonzero(data.controls[:, 0]), [1, 2])
    assert data.controls[:, 1].sum() == 4 and data.controls[-1, 1] == 1  # 1 Jul 2024 on
    assert with_events(_data(), {}) is not None
    with pytest.raises(UsageError, match="already used"):
        with_events(data, {"promo": (D(2024, 1, 1), None)})
