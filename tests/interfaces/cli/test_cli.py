"""The command line as a user types it: exit codes, one JSON document, errors on stderr."""

from __future__ import annotations

import json

import pytest

from pilotage.interfaces.cli.main import main


def run_json(capsys, *args: str) -> dict:
    assert main([*args, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_kpis_by_channel_json(small_workspace, capsys):
    doc = run_json(capsys, "kpis", "--workspace", str(small_workspace), "--by", "channel")
    assert [m["id"] for m in doc["metrics"]] == ["cost", "revenue", "roi", "roas"]
    assert all(m["name"] and m["unit"] and m["definition"] for m in doc["metrics"])
    rows = {r["channel"]: r for r in doc["rows"]}
    assert rows["paid_search"] == {
        "channel": "paid_search",
        "cost": 200.0,
        "revenue": 800.0,
        "roi": 3.0,
        "roas": 4.0,
    }
    assert rows["display"]["revenue"] == 0.0 and rows["display"]["roi"] == -1.0
    assert rows["unattributed"]["cost"] == 0.0 and rows["unattributed"]["roas"] is None
    # ROI and ROAS rest on attributed revenue: the 80 with no touch count in revenue only.
    assert doc["totals"] == {
        "cost": 330.0,
        "revenue": 1000.0,
        "roi": pytest.approx((920 - 330) / 330),
        "roas": pytest.approx(920 / 330),
    }


def test_kpis_by_month(small_workspace, capsys):
    doc = run_json(capsys, "kpis", "-w", str(small_workspace), "--period", "month")
    got = {(r["period"], r["channel"]): r["cost"] for r in doc["rows"]}
    assert got[("2026-03", "paid_search")] == 200.0
    assert got[("2026-04", "display")] == 80.0
    assert doc["dimensions"] == ["channel", "period"]


def test_kpis_csv_and_table(small_workspace, capsys):
    assert main(["kpis", "-w", str(small_workspace), "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "channel,cost,revenue,roi,roas"
    assert main(["kpis", "-w", str(small_workspace)]) == 0
    assert "paid_search" in capsys.readouterr().out


def test_tables_json_shape(small_workspace, capsys):
    doc = run_json(capsys, "tables", "-w", str(small_workspace))
    tables = {t["table"]: t for t in doc["tables"]}
    assert tables["spend"] == {
        "table": "spend",
        "rows": 4,
        "min_date": "2026-03-01",
        "max_date": "2026-04-03",
    }
    assert tables["surveys"]["rows"] == 0


def test_loading_a_file_twice_leaves_tables_unchanged(small_workspace, capsys):
    before = run_json(capsys, "tables", "-w", str(small_workspace))
    spend = small_workspace.parent / "spend.csv"
    report = run_json(capsys, "load", "spend", str(spend), "-w", str(small_workspace))
    assert (report["inserted"], report["updated"], report["unchanged"]) == (0, 0, 4)
    assert run_json(capsys, "tables", "-w", str(small_workspace)) == before


def test_bad_input_exits_2_and_names_line_column_and_fix(small_workspace, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("date,channel,campaign_id,cost\n2026-03-01,email,c9,-3\n", encoding="utf-8")
    assert main(["load", "spend", str(bad), "-w", str(small_workspace)]) == 2
    err = capsys.readouterr()
    assert err.out == ""
    assert "bad.csv, line 2, column 'cost'" in err.err and "Fix:" in err.err


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["load", "invoices", "x.csv"], "unknown table 'invoices'"),
        (["kpis", "--workspace", "/nonexistent/ws"], "does not exist"),
        (["load", "spend", "/nonexistent/file.csv"], "does not exist"),
        (["load", "spend", "x.csv", "--source", "tiktok"], "tiktok"),
    ],
)
def test_usage_errors_exit_2(small_workspace, args, expected, capsys, monkeypatch):
    monkeypatch.setenv("PILOTAGE_WORKSPACE", str(small_workspace))
    (small_workspace.parent / "x.csv").write_text("a\n1\n", encoding="utf-8")
    monkeypatch.chdir(small_workspace.parent)
    assert main(args) == 2
    assert expected in capsys.readouterr().err


def test_unknown_option_value_exits_2(small_workspace, capsys):
    assert main(["kpis", "-w", str(small_workspace), "--by", "planet"]) == 2
    assert "planet" in capsys.readouterr().err


def test_init_under_a_file_is_refused(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    assert main(["init", str(blocker / "ws")]) == 2
    assert "cannot create a workspace" in capsys.readouterr().err


def test_report_html(small_workspace, tmp_path, capsys):
    out = tmp_path / "report.html"
    assert (
        main(
            [
                "report",
                "--format",
                "html",
                "--out",
                str(out),
                "-w",
                str(small_workspace),
                "--lang",
                "fr",
            ]
        )
        == 0
    )
    html = out.read_text(encoding="utf-8")
    assert "<svg" in html and "Rentabilité des canaux" in html
    assert "ROI marketing" in html and "(attributed_revenue - cost) / cost" in html
    assert "Meilleur retour : paid_search" in html


def test_kpis_with_metrics_dimensions_comparison_and_filter(small_workspace, capsys):
    doc = run_json(
        capsys,
        *("kpis", "-w", str(small_workspace), "--metrics", "cost,orders,new_customers,cac_blended"),
        *("--by", "campaign", "--from", "2026-04-01", "--to", "2026-04-30"),
        *("--compare", "previous", "--filter", "channel=paid_search,email"),
    )
    assert doc["dimensions"] == ["campaign"] and doc["compare_start"] == "2026-03-02"
    rows = {r["campaign"]: r for r in doc["rows"]}
    # April: nl1 spent 50 and won nothing; gs1 spent nothing and won o3 (p3, a new customer).
    assert rows["nl1"]["cost"] == 50.0 and rows["nl1"]["orders"] == 0.0
    assert rows["gs1"]["new_customers"] == 1.0 and rows["gs1"]["cac_blended"] == 0.0
    # The 30 days before (2 to 31 March): gs1 spent 100 (15 March) and won o1 (3 March).
    assert rows["gs1"]["cost_compare"] == 100.0 and rows["gs1"]["orders_compare"] == 1.0
    assert doc["totals"]["cost"] == 50.0 and doc["totals"]["cost_change"] == -0.5
    assert set(doc["trust"]) == {"cost", "orders", "new_customers", "cac_blended"}


def test_metrics_lists_the_registry(capsys):
    doc = run_json(capsys, "metrics", "--lang", "fr")
    ids = {m["id"] for m in doc["metrics"]}
    assert {"cac_fully_loaded", "pipeline_sourced_pre_sales", "grr", "csat"} <= ids
    assert set(doc["kpis"]) <= ids and "budget" not in doc["kpis"]
    assert main(["metrics", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "id,name,unit,kind,formula,parts"


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("--metrics", "roi,nope"), "metric 'nope'"),
        (("--by", "channel,channel"), "repeated"),
        (("--filter", "segment"), "is not DIM=VALUE"),
        (("--compare", "previous"), "closed window"),
        (("--from", "2026-05-01", "--to", "2026-04-01"), "after end"),
    ],
)
def test_kpis_bad_options_exit_2_with_the_fix(small_workspace, capsys, args, fragment):
    assert main(["kpis", "-w", str(small_workspace), *args]) == 2
    err = capsys.readouterr().err
    assert fragment in err and "fix" in err.lower()


def test_kpis_show_the_targets_of_objectives_on_their_metrics(small_workspace, capsys):
    import datetime

    from pilotage.data.metadata.models import Objective
    from pilotage.data.workspace import open_workspace
    from pilotage.services.workspaces import metadata

    now = datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
    with metadata(open_workspace(small_workspace)) as meta, meta.session() as session:
        for name, scope in (("Spend plan", None), ("SMB spend", {"segment": ["smb"]})):
            session.add(
                Objective(
                    name=name,
                    metric_id="cost",
                    scope=scope,
                    target=400.0,
                    deadline=datetime.date(2026, 6, 30),
                    created_at=now,
                )
            )
    doc = run_json(capsys, "kpis", "-w", str(small_workspace), "--metrics", "cost,revenue")
    targets = {t["objective"]: t for t in doc["targets"]}
    # The company-wide objective is set against the total (330 of 400); the SMB one is not.
    assert targets["Spend plan"]["actual"] == 330.0
    assert targets["Spend plan"]["attainment"] == pytest.approx(330 / 400)
    assert targets["SMB spend"]["actual"] is None and "scope" in targets["SMB spend"]["note"]
