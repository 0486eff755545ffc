"""A small workspace with spend, touches and orders, shared by the interface tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from pilotage.interfaces.cli.main import main

SPEND = """date,channel,campaign_id,cost
2026-03-01,paid_search,gs1,100
2026-03-15,paid_search,gs1,100
2026-04-02,email,nl1,50
2026-04-03,display,dp1,80
"""
TOUCHES = """touched_at,person_id,channel,campaign_id
2026-03-02 10:00,p1,paid_search,gs1
2026-03-20 10:00,p2,email,nl1
2026-04-05 10:00,p3,paid_search,gs1
"""
ORDERS = """order_id,ordered_at,amount,person_id
o1,2026-03-03 12:00,500,p1
o2,2026-03-21 12:00,120,p2
o3,2026-04-06 12:00,300,p3
o4,2026-04-07 12:00,80,nobody
"""


def run(*args: str) -> int:
    return main(list(args))


@pytest.fixture(scope="session")
def small_workspace(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("ws") / "acme"
    assert run("init", str(root)) == 0
    files = root.parent
    for table, text in (("spend", SPEND), ("touchpoints", TOUCHES), ("orders", ORDERS)):
        path = files / f"{table}.csv"
        path.write_text(text, encoding="utf-8")
        assert run("load", table, str(path), "--workspace", str(root)) == 0
    return root
