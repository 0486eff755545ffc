"""`pilotage demo --no-serve` end to end: every table loaded, deterministic, KPIs reconcile."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb
import pytest

from pilotage.data.schema import TABLES
from pilotage.interfaces.cli.main import main

SMALL = ["--seed", "7", "--months", "6", "--scale", "0.02", "--no-serve"]


def build(root: Path, capsys) -> str:
    assert main(["demo", "--workspace", str(root), *SMALL]) == 0
    return capsys.readouterr().out


def table_digest(root: Path) -> dict[str, str]:
    """A hash of every table's rows in a fixed order: same seed, same data."""
    con = duckdb.connect(str(root / "analytics.duckdb"), read_only=True)
    con.execute("SET TimeZone = 'UTC'")
    digests = {}
    for name in TABLES:
        rows = con.execute(f'SELECT * EXCLUDE (_key, _row_hash) FROM "{name}" ORDER BY ALL')
        digests[name] = hashlib.sha256(repr(rows.to_arrow_table().to_pydict()).encode()).hexdigest()
    con.close()
    return digests


@pytest.fixture(scope="module")
def demo_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("demo") / "ws"


def test_demo_builds_every_table_and_prints_the_logins(demo_root, capsys):
    out = build(demo_root, capsys)
    assert "cmo@demo.pilotage.fr" in out and "pilotage-cmo" in out
    assert main(["tables", "-w", str(demo_root), "--format", "json"]) == 0
    tables = {t["table"]: t["rows"] for t in json.loads(capsys.readouterr().out)["tables"]}
    assert set(tables) == set(TABLES)
    assert all(rows > 0 for rows in tables.values()), tables
    truth = json.loads((demo_root / "ground_truth.json").read_text(encoding="utf-8"))
    assert {"channels", "media_response", "algorithm_change"} <= set(truth)


def test_kpis_on_the_demo_reconcile_with_the_tables(demo_root, capsys):
    if not (demo_root / "analytics.duckdb").exists():
        build(demo_root, capsys)
    assert main(["kpis", "-w", str(demo_root), "--by", "channel", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    con = duckdb.connect(str(demo_root / "analytics.duckdb"), read_only=True)
    cost, revenue = con.execute(
        "SELECT (SELECT sum(cost) FROM spend), (SELECT sum(amount) FROM orders)"
    ).fetchone()
    con.close()
    assert doc["totals"]["cost"] == pytest.approx(cost)
    assert doc["totals"]["revenue"] == pytest.approx(revenue)
    assert sum(r["revenue"] for r in doc["rows"]) == pytest.approx(revenue)
    paid = [r for r in doc["rows"] if r["cost"] > 0]
    assert paid and all(r["roas"] == pytest.approx(r["revenue"] / r["cost"]) for r in paid)


def test_same_seed_same_data(tmp_path, capsys):
    first, second = tmp_path / "a", tmp_path / "b"
    build(first, capsys)
    build(second, capsys)
    assert table_digest(first) == table_digest(second)
    truth = "ground_truth.json"
    assert (first / truth).read_bytes() == (second / truth).read_bytes()


def test_rebuilding_over_a_demo_replaces_it(tmp_path, capsys):
    root = tmp_path / "ws"
    build(root, capsys)
    before = table_digest(root)
    build(root, capsys)
    assert table_digest(root) == before


def test_the_demo_never_overwrites_a_real_workspace(tmp_path, capsys):
    root = tmp_path / "mine"
    assert main(["init", str(root)]) == 0
    assert main(["demo", "--workspace", str(root), *SMALL]) == 2
    assert "not a demo" in capsys.readouterr().err


def test_bad_demo_options_exit_2(tmp_path, capsys):
    assert main(["demo", "--workspace", str(tmp_path / "x"), "--months", "1", "--no-serve"]) == 2
    assert "months" in capsys.readouterr().err
