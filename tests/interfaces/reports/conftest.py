"""A workspace with a year of history, a hostile campaign name and open committee items."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from pilotage.data.metadata.models import Decision, Initiative
from pilotage.data.workspace import open_workspace
from pilotage.interfaces.cli.main import main
from pilotage.services.workspaces import metadata

HOSTILE = '=HYPERLINK("http://evil.example","x")'
SPEND = f"""date,channel,campaign_id,cost
2025-04-10,paid_search,gs1,100
2026-03-01,paid_search,gs1,100
2026-03-15,paid_search,gs1,100
2026-04-02,email,nl1,50
2026-04-03,display,"{HOSTILE.replace('"', '""')}",80
2026-04-04,paid_search,gs1,40
"""
TOUCHES = """touched_at,person_id,channel,campaign_id
2025-04-11 10:00,p0,paid_search,gs1
2026-03-02 10:00,p1,paid_search,gs1
2026-03-20 10:00,p2,email,nl1
2026-04-05 10:00,p3,paid_search,gs1
"""
ORDERS = """order_id,ordered_at,amount,person_id
o0,2025-04-12 12:00,200,p0
o1,2026-03-03 12:00,500,p1
o2,2026-03-21 12:00,120,p2
o3,2026-04-06 12:00,300,p3
o4,2026-04-07 12:00,80,nobody
"""
UTC = datetime.UTC


@pytest.fixture(scope="session")
def pack_workspace(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("packs") / "acme"
    assert main(["init", str(root)]) == 0
    for table, text in (("spend", SPEND), ("touchpoints", TOUCHES), ("orders", ORDERS)):
        path = root.parent / f"{table}.csv"
        path.write_text(text, encoding="utf-8")
        assert main(["load", table, str(path), "--workspace", str(root)]) == 0
    with metadata(open_workspace(root)) as meta, meta.session() as session:
        session.add(
            Initiative(
                name="Webinar series",
                kind="webinar",
                status="launched",
                owner="cmo@acme.example",
                created_at=datetime.datetime(2026, 2, 1, tzinfo=UTC),
            )
        )
        session.add(
            Decision(
                committee="monthly",
                decided_at=datetime.datetime(2026, 4, 20, 9, tzinfo=UTC),
                title="Cut display by half",
                text="Display returns nothing measurable.",
                decided_by="cmo@acme.example",
            )
        )
    return root


@pytest.fixture(scope="session")
def hostile() -> str:
    """The campaign name that a spreadsheet would run as a formula if left unescaped."""
    return HOSTILE
