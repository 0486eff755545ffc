"""report, export and scheduler as a user types them: exit codes, messages, idempotence."""

from __future__ import annotations

import json

import pytest

from pilotage.interfaces.cli.main import main


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--kind", "monthly", "--period", "2026-13"], "write --period as YYYY-MM"),
        (["--kind", "weekly", "--period", "2026-10"], "write --period as YYYY-Www"),
        (["--kind", "quarterly", "--period", "2026-Q5"], "write --period as YYYY-Qn"),
        (["--period", "october"], "weekly: YYYY-Www, e.g. 2026-W43; monthly: YYYY-MM"),
        (["--kind", "monthly", "--by", "campaign"], "--by, --start and --end apply"),
    ],
)
def test_bad_period_exits_2_naming_the_option(small_workspace, tmp_path, capsys, args, expected):
    out = tmp_path / "r.html"
    assert main(["report", *args, "--out", str(out), "-w", str(small_workspace)]) == 2
    err = capsys.readouterr().err
    assert expected in err
    assert not out.exists()


def test_pack_kind_follows_the_period_form(small_workspace, tmp_path, capsys):
    out = tmp_path / "w.html"
    assert (
        main(["report", "--period", "2026-W14", "--out", str(out), "-w", str(small_workspace)]) == 0
    )
    assert "weekly report for 2026-W14" in capsys.readouterr().out
    assert "Performance de la semaine" in out.read_text(encoding="utf-8")


def test_legacy_report_as_pdf(small_workspace, tmp_path):
    out = tmp_path / "r.pdf"
    assert main(["report", "--format", "pdf", "--out", str(out), "-w", str(small_workspace)]) == 0
    assert out.read_bytes()[:4] == b"%PDF"


def test_scheduler_once_is_idempotent(small_workspace, tmp_path, capsys):
    out_dir = tmp_path / "reports"
    args = ["scheduler", "--once", "--out-dir", str(out_dir), "--format", "html"]
    args += ["--lang", "fr", "-w", str(small_workspace)]
    assert main(args) == 0
    first = sorted(p.name for p in out_dir.iterdir())
    # The data ends on 2026-04-07: the latest complete periods with data.
    assert first == [
        "monthly-2026-04-fr.html",
        "monthly-2026-04-fr.html.json",
        "quarterly-2026-Q2-fr.html",
        "quarterly-2026-Q2-fr.html.json",
        "weekly-2026-W15-fr.html",
        "weekly-2026-W15-fr.html.json",
    ]
    stamps = {p: p.stat().st_mtime_ns for p in out_dir.iterdir()}
    capsys.readouterr()
    assert main(args) == 0
    assert capsys.readouterr().out == ""  # nothing written
    assert {p: p.stat().st_mtime_ns for p in out_dir.iterdir()} == stamps
    manifest = out_dir / "monthly-2026-04-fr.html.json"
    record = json.loads(manifest.read_text(encoding="utf-8"))
    assert record["period"] == "2026-04" and len(record["inputs_sha256"]) == 64
    # Changed inputs (here: a different recorded hash) rewrite that document only.
    manifest.write_text(json.dumps({**record, "inputs_sha256": "0" * 64}), encoding="utf-8")
    assert main(args) == 0
    assert capsys.readouterr().out.strip().endswith("monthly-2026-04-fr.html")


def test_scheduler_rejects_unknown_choices(small_workspace, tmp_path, capsys):
    args = ["scheduler", "--once", "--out-dir", str(tmp_path), "--lang", "de"]
    assert main([*args, "-w", str(small_workspace)]) == 2
    assert "--lang 'de' is not allowed" in capsys.readouterr().err


def test_scheduler_help_mentions_cron(capsys):
    assert main(["scheduler", "--help"]) == 0
    assert "pilotage scheduler --once" in capsys.readouterr().out


def test_export_tables_csv(small_workspace, tmp_path):
    out = tmp_path / "tables.csv"
    assert main(["export", "tables", "--out", str(out), "-w", str(small_workspace)]) == 0
    assert out.read_text(encoding="utf-8-sig").splitlines()[0] == "table,rows,min_date,max_date"
