"""The journey services on a small literal workspace: the funnel result object (counts,
in-progress, Wilson intervals, breakdown, trend), unknown names with close matches, a
user's restriction, paths and retention; requests refused with the field named."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pilotage.data.workspace import Workspace, open_workspace
from pilotage.errors import UsageError
from pilotage.interfaces.cli.main import main
from pilotage.services.funnels import funnel, funnel_request, lifecycle_spec, restrict
from pilotage.services.paths import event_catalogue, paths, paths_request
from pilotage.services.retention import retention, retention_request
from pilotage.services.workspaces import analytics

PEOPLE = """person_id,account_id,created_at,mql_at,country,segment,acquisition_channel
p1,A1,2026-01-01 09:00,2026-01-03 09:00,FR,SMB,paid_search
p2,A1,2026-01-02 09:00,,FR,SMB,email
p3,A2,2026-01-05 09:00,2026-01-20 09:00,DE,enterprise,paid_search
p4,,2026-03-28 09:00,,DE,enterprise,email
"""
ACCOUNTS = """account_id,name,tier,country
A1,Acme,tier 1,FR
A2,Beta,tier 2,DE
"""
TOUCHES = """touched_at,person_id,channel,touch_type
2026-01-01 08:00,p1,paid_search,ad_click
2026-01-02 08:00,p2,email,email_click
2026-01-05 08:00,p3,paid_search,ad_click
2026-03-28 08:00,p4,email,email_click
"""
CONVERSIONS = """converted_at,person_id,conversion_type
2026-01-01 09:00,p1,signup
2026-01-02 09:00,p2,signup
2026-01-05 09:00,p3,signup
2026-03-28 09:00,p4,signup
2026-01-10 09:00,p1,purchase
2026-02-20 09:00,p3,purchase
"""
PRODUCT = """occurred_at,person_id,event
2026-01-02 10:00,p1,login
2026-02-02 10:00,p1,login
2026-01-03 10:00,p2,login
2026-03-30 10:00,p4,login
"""


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    root = tmp_path_factory.mktemp("journey") / "ws"
    assert main(["init", str(root)]) == 0
    for table, text in (
        ("accounts", ACCOUNTS),
        ("people", PEOPLE),
        ("touchpoints", TOUCHES),
        ("conversions", CONVERSIONS),
        ("product_events", PRODUCT),
    ):
        path = root.parent / f"{table}.csv"
        path.write_text(text, encoding="utf-8")
        assert main(["load", table, str(path), "--workspace", str(root)]) == 0
    return open_workspace(root)


@pytest.fixture()
def store(workspace: Workspace) -> Iterator[object]:
    with analytics(workspace) as s:
        yield s


def test_funnel_result_counts_in_progress_and_intervals(
    workspace: Workspace, store: object
) -> None:
    spec = funnel_request(
        ["conversion:signup", "conversion:purchase"], window="30d", breakdown="channel"
    ).spec()
    r = funnel(store, workspace.settings, spec)  # type: ignore[arg-type]
    # Signups p1..p4; p1 buys in 9 days, p3 in 46 (outside 30 days); the data ends on
    # 30 March, so p4 (signed up on 28 March) is still in progress.
    assert (r.total.entered, r.total.converted, r.total.in_progress) == (4, 1, 1)
    assert r.total.conversion.trials == 3 and r.total.conversion.successes == 1
    assert r.total.conversion.low is not None and r.total.conversion.low < 1 / 3
    assert r.total.steps[0].dropped == 2
    assert r.total.time_to_convert is not None
    assert r.total.time_to_convert.quantiles["p50"] == 9 * 86_400
    assert {g.value: (g.entered, g.converted) for g in r.groups} == {
        "paid_search": (2, 1),
        "email": (2, 0),
    }
    assert [(p.period, p.entered) for p in r.trend] == [("2026-01", 3), ("2026-03", 1)]
    assert sum(b.converters for b in r.histogram) == 1
    assert "in progress" in r.rule


def test_lifecycle_and_restriction(workspace: Workspace, store: object) -> None:
    spec = lifecycle_spec()
    r = funnel(store, workspace.settings, spec)  # type: ignore[arg-type]
    assert [s.reached for s in r.total.steps][:2] == [4, 2]
    french = funnel(store, workspace.settings, restrict(spec, ("FR",), None))  # type: ignore[arg-type]
    assert french.total.entered == 2
    nobody = funnel(store, workspace.settings, restrict(spec, (), None))  # type: ignore[arg-type]
    assert nobody.total.entered == 0


def test_unknown_event_names_come_with_close_matches(workspace: Workspace, store: object) -> None:
    spec = funnel_request(["conversion:signpu", "product:logn"]).spec()
    with pytest.raises(UsageError) as caught:
        funnel(store, workspace.settings, spec)  # type: ignore[arg-type]
    message = caught.value.message
    assert "conversion.conversion_type 'signpu' is in no event (did you mean 'signup'" in message
    assert "product.event 'logn'" in message and "'login'" in message


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"order": "sideways"}, "order"),
        ({"level": "team"}, "level"),
        ({"within": ["1=2d"]}, "names step 1"),
        ({"within": ["2:2d"]}, "is not STEP=DURATION"),
        ({"exclude": ["product:x@2"]}, "is not EVENT@A-B"),
        ({"window": "soon"}, "window 'soon' is not a duration"),
    ],
)
def test_bad_funnel_requests_name_the_field(options: dict[str, object], message: str) -> None:
    with pytest.raises(UsageError) as caught:
        funnel_request(["product:a", "product:b"], **options).spec()  # type: ignore[arg-type]
    assert message in str(caught.value)


def test_paths_and_catalogue(workspace: Workspace, store: object) -> None:
    request = paths_request(target="conversion:purchase", around=["conversion:signup"])
    r = paths(store, workspace.settings, request.spec(), around=request.events_around())  # type: ignore[arg-type]
    assert r.converters == 2 and r.dropped == 2
    assert r.to_conversion[0].events == ["touch.channel:paid_search", "conversion:signup"]
    assert r.to_conversion[0].share == 1.0
    after = next(v for v in r.views if v.direction == "next")
    assert {s.event: s.occurrences for s in after.steps} == {
        "conversion:purchase": 2,
        "(end)": 2,
    }
    events = event_catalogue(store, workspace.settings).events  # type: ignore[arg-type]
    assert events["product"] == ["product:login"]
    assert "stage:mql" in events["stage"]
    with pytest.raises(UsageError, match="steps"):
        paths_request(steps=40)


def test_retention_table(workspace: Workspace, store: object) -> None:
    request = retention_request(unit="week", periods=4, return_event="product:login")
    r = retention(store, workspace.settings, request.spec())  # type: ignore[arg-type]
    assert r.columns == ["0", "1", "2", "3", "4"]
    january = r.rows[0]
    assert january.key == "2026-01" and january.members == 3
    # The signup counts as activity in week 0; nobody logs in during week 1.
    assert january.cells[0].rate == 1.0
    assert january.cells[1].eligible == 3 and january.cells[1].value == 0
    assert r.average.members == 4
    assert r.curve is None  # too few members left to fit a curve
    with pytest.raises(UsageError, match="mode"):
        retention_request(mode="forever")
