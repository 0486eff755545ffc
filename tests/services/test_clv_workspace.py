"""CLV from a workspace: sBG on the subscriptions table (literal rows: censoring, left
truncation, Fader and Hardie's published example), holdout validation with its tracking
series on the orders, and the fit of each model."""

from __future__ import annotations

import datetime
import itertools
from pathlib import Path

import pytest

from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.data.workspace import open_workspace
from pilotage.errors import UsageError
from pilotage.interfaces.cli.main import main
from pilotage.services.clv_segments import (
    workspace_fit,
    workspace_retention,
    workspace_validation,
)
from pilotage.services.workspaces import analytics

REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241]


def fader_hardie_csv() -> str:
    """Fader and Hardie (2007), regular segment: 1,000 accounts subscribed on 1 January
    2000, those lost in year k ending on 1 July of that year, 241 still subscribed."""
    lines = ["subscription_id,account_id,started_at,mrr,ended_at"]
    ends: list[str] = []
    for year, (before, after) in enumerate(itertools.pairwise(REGULAR)):
        ends += [f"{2000 + year}-07-01T00:00:00Z"] * (before - after)
    ends += [""] * REGULAR[-1]
    for i, end in enumerate(ends):
        lines.append(f"s{i},a{i},2000-01-01T00:00:00Z,100,{end}")
    return "\n".join(lines) + "\n"


#: Orders of four customers over 16 weeks: repeat buyers in calibration and holdout.
ORDERS = """order_id,ordered_at,amount,person_id
o1,2026-01-05T10:00:00Z,100,p1
o2,2026-01-19T10:00:00Z,60,p1
o3,2026-02-16T10:00:00Z,80,p1
o4,2026-03-30T10:00:00Z,90,p1
o5,2026-01-12T10:00:00Z,40,p2
o6,2026-03-16T10:00:00Z,45,p2
o7,2026-01-26T10:00:00Z,70,p3
o8,2026-02-02T10:00:00Z,75,p3
o9,2026-04-20T10:00:00Z,50,p3
o10,2026-02-09T10:00:00Z,30,p4
"""


@pytest.fixture(scope="module")
def fader_hardie(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sbg") / "ws"
    assert main(["init", str(root)]) == 0
    for table, text in (("subscriptions", fader_hardie_csv()), ("orders", ORDERS)):
        path = root.parent / f"{table}.csv"
        path.write_text(text, encoding="utf-8")
        assert main(["load", table, str(path), "--workspace", str(root)]) == 0
    return root


def test_sbg_from_the_subscriptions_table_matches_the_paper(fader_hardie: Path) -> None:
    workspace = open_workspace(fader_hardie)
    with analytics(workspace) as store:
        done = workspace_retention(
            store, workspace.settings, unit="years", calibration_end=datetime.date(2007, 1, 1)
        )
        fitted = workspace_fit(
            store,
            workspace.settings,
            model="sbg",
            unit="years",
            calibration_end=datetime.date(2007, 1, 1),
        )
    assert done.fit == fitted
    assert {k: round(v, 3) for k, v in done.fit.params.items()} == {
        "alpha": 0.704,
        "beta": 1.182,
    }
    assert round(done.fit.log_likelihood, 1) == -1680.3 and done.fit.n_customers == 1000
    assert (done.accounts, done.churned, done.censored, done.entered_late) == (1000, 759, 241, 0)
    (cohort,) = done.cohorts
    assert cohort.cohort == datetime.date(2000, 1, 1) and cohort.survivors == REGULAR
    observed = [p.observed for p in done.survival if p.observed is not None]
    assert observed == pytest.approx([v / 1000 for v in REGULAR[1:]])
    # Years 8 to 12 were held out in the paper: 223, 207, 194, 183, 173 survivors.
    projected = [p.fitted * 1000 for p in done.survival if p.period in (8, 9, 10, 11, 12)]
    assert all(
        abs(a - b) / b < 0.05 for a, b in zip(projected, [223, 207, 194, 183, 173], strict=True)
    )


def test_retention_of_the_literal_kpi_workspace(
    kpi_store: tuple[AnalyticsStore, WorkspaceSettings],
) -> None:
    """A1 (from 2025-06-01, two running subscriptions), A2 (2025-09-01 to 2026-01-20),
    A3 (2025-11-01, replaced on 2026-03-10 by a running one), A4 (from 2026-02-01). The data
    end on 2026-03-10; they begin with the first end, 2026-01-20."""
    store, settings = kpi_store
    done = workspace_retention(store, settings)
    assert done.calibration_end == datetime.date(2026, 3, 10)
    assert done.observed_from == datetime.date(2026, 1, 20)
    # A1 censored after 9 months (entered after 7), A2 churned in its 5th month (entered
    # after 4), A3 censored after 4 (entered after 2), A4 censored after 1.
    assert (done.accounts, done.churned, done.censored, done.entered_late) == (4, 1, 3, 3)
    at_risk = {p.period: p.at_risk for p in done.survival if p.at_risk is not None}
    assert at_risk == {1: 1, 2: 0, 3: 1, 4: 1, 5: 1, 6: 0, 7: 0, 8: 1, 9: 1}
    assert [c.cohort for c in done.cohorts] == [datetime.date(2026, 2, 1)]
    assert done.cohorts[0].survivors == [1, 1]


def test_retention_refuses_an_empty_table(fader_hardie: Path, tmp_path: Path) -> None:
    root = tmp_path / "empty"
    assert main(["init", str(root)]) == 0
    workspace = open_workspace(root)
    with analytics(workspace) as store, pytest.raises(UsageError, match="no subscriptions"):
        workspace_retention(store, workspace.settings)
    workspace = open_workspace(fader_hardie)
    with analytics(workspace) as store, pytest.raises(UsageError, match="whole year"):
        workspace_retention(
            store, workspace.settings, unit="years", calibration_end=datetime.date(2000, 6, 1)
        )


def test_validation_tracking_series_on_the_orders(fader_hardie: Path) -> None:
    workspace = open_workspace(fader_hardie)
    with analytics(workspace) as store:
        done = workspace_validation(
            store, workspace.settings, calibration_end=datetime.date(2026, 2, 15)
        )
    assert done.model == "bgnbd" and done.customers == 4
    # Weeks from 2026-01-05 (p1's first order) to the week of 2026-04-20.
    assert done.tracking[0].period == datetime.date(2026, 1, 5)
    assert done.tracking[-1].period == datetime.date(2026, 4, 20)
    assert len(done.tracking) == 16
    # Calibration ends with the week of 2026-02-09: o2 and o8 are its repeat purchases;
    # the holdout's are o3, o4, o6 and o9.
    calibration = [p for p in done.tracking if not p.holdout]
    assert calibration[-1].period == datetime.date(2026, 2, 9)
    assert sum(p.actual for p in calibration) == 2
    assert sum(p.actual for p in done.tracking if p.holdout) == done.total_actual == 4
    assert done.tracking[-1].cumulative_actual == 6
    assert done.tracking[-1].cumulative_predicted == pytest.approx(
        sum(p.predicted for p in done.tracking)
    )


def test_validation_defaults_to_half_way(fader_hardie: Path) -> None:
    workspace = open_workspace(fader_hardie)
    with analytics(workspace) as store:
        done = workspace_validation(store, workspace.settings)
    # 2026-01-05 to 2026-04-20 (105 days): half-way is 2026-02-26.
    assert done.calibration_end == datetime.date(2026, 2, 26)
