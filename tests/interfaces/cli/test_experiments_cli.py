"""pilotage experiment analyze / plan / link / results: the JSON shapes of the issue, exit
code 2 with the fix on stderr, and the workspace path with saved lifts."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from pilotage.data.metadata.models import Initiative
from pilotage.data.workspace import open_workspace
from pilotage.interfaces.cli.main import main
from pilotage.services.workspaces import metadata

AGG = "experiment_id,variant,units,conversions\nT,A,1000,200\nT,B,1000,250\n"
UNITS = "experiment_id,variant,unit_id,converted,value,pre_value\n" + "".join(
    f"W,{'AB'[i % 2]},u{i},{int(i % 7 == 0 or (i % 2 and i % 5 == 0))},{i % 13},{i % 11}\n"
    for i in range(400)
)
VARIANT_KEYS = [
    "variant",
    "units",
    "mean",
    "lift_abs",
    "lift_rel",
    "ci_low",
    "ci_high",
    "p_value",
    "chance_to_win",
    "risk",
]


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    assert main([*args, "--format", "json"]) == 0
    doc: dict[str, object] = json.loads(capsys.readouterr().out)
    return doc


def test_analyze_a_file_prints_the_issue_shape(tmp_path: Path, capsys) -> None:
    path = tmp_path / "t.csv"
    path.write_text(AGG, encoding="utf-8")
    doc = run_json(capsys, "experiment", "analyze", "--file", str(path))
    assert list(doc) == [
        "experiment_id",
        "metric",
        "srm_p_value",
        "decision",
        "readout",
        "variants",
    ]
    variants = doc["variants"]
    assert isinstance(variants, list) and [list(v) for v in variants] == [VARIANT_KEYS] * 2
    assert doc["decision"] == "ship" and doc["metric"] == "conversion"
    assert round(variants[1]["p_value"], 5) == 0.00731
    assert round(variants[1]["ci_low"], 5) == 0.01346  # absolute lift by default
    relative = run_json(capsys, "experiment", "analyze", "--file", str(path), "--relative")
    assert round(relative["variants"][1]["ci_low"], 3) == round(0.25 - 1.959964 * 0.1045825, 3)
    bayes = run_json(
        capsys,
        "experiment",
        "analyze",
        "--file",
        str(path),
        "--method",
        "bayesian",
        "--lang",
        "fr",
    )
    assert str(bayes["readout"]).startswith("La variante B augmente le taux de conversion")
    assert "intervalle crédible 95" in str(bayes["readout"])


def test_table_and_csv(tmp_path: Path, capsys) -> None:
    path = tmp_path / "t.csv"
    path.write_text(AGG, encoding="utf-8")
    assert main(["experiment", "analyze", "--file", str(path)]) == 0
    out = capsys.readouterr().out
    assert "chance_to_win" in out and "Variant B increases" in out
    assert main(["experiment", "analyze", "--file", str(path), "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == ",".join(VARIANT_KEYS)


def test_plan_prints_units_and_days(capsys) -> None:
    args = ["experiment", "plan", "--baseline", "0.20", "--mde", "0.05", "--daily-units", "100"]
    assert main([*args, "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out) == {"units_per_variant": 1031, "days": 21}
    assert "stopping as soon as p < alpha" in captured.err
    doc = run_json(capsys, "experiment", "plan", "--baseline", "0.2", "--mde", "0.1", "--relative")
    assert doc == {"units_per_variant": 6348, "days": None}
    mde = run_json(capsys, "experiment", "plan", "--baseline", "0.2", "--units-per-variant", "1031")
    assert round(mde["mde_abs"], 3) == 0.05


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["experiment", "analyze"], "give --file FILE or --experiment ID"),
        (["experiment", "analyze", "--file", "{f}", "--control", "Z"], "control 'Z' not found"),
        (["experiment", "analyze", "--file", "{f}", "--alpha", "0.7"], "alpha 0.7"),
        (["experiment", "analyze", "--file", "{f}", "--planned-share", "A=x"], "planned share"),
        (["experiment", "plan", "--baseline", "2", "--mde", "0.1"], "baseline rate"),
        (["experiment", "plan", "--baseline", "0.2"], "nothing to plan"),
    ],
)
def test_bad_input_exits_2_with_the_fix(tmp_path: Path, capsys, args: list[str], message: str):
    path = tmp_path / "t.csv"
    path.write_text(AGG, encoding="utf-8")
    assert main([a.replace("{f}", str(path)) for a in args]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and captured.out == ""


def test_workspace_analyze_link_save_and_results(tmp_path: Path, capsys) -> None:
    root = tmp_path / "ws"
    assert main(["init", str(root)]) == 0
    data = tmp_path / "units.csv"
    data.write_text(UNITS, encoding="utf-8")
    assert main(["load", "experiments", str(data), "--workspace", str(root)]) == 0
    capsys.readouterr()
    with metadata(open_workspace(root)) as meta, meta.session() as session:
        initiative = Initiative(
            name="Welcome email",
            kind="email",
            owner="cmo@acme.test",
            created_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
        )
        session.add(initiative)
        session.flush()
        initiative_id = initiative.id
    ws = ["--workspace", str(root)]
    linked = run_json(
        capsys,
        "experiment",
        "link",
        "W",
        "--initiative",
        str(initiative_id),
        "--channel",
        "email",
        *ws,
    )
    assert linked["initiative_id"] == initiative_id
    doc = run_json(
        capsys, "experiment", "analyze", "--experiment", "W", "--metric", "mean", "--save", *ws
    )
    assert doc["experiment_id"] == "W" and [v["variant"] for v in doc["variants"]] == ["A", "B"]
    saved = run_json(capsys, "experiment", "results", *ws)
    assert len(saved["results"]) == 1 and saved["results"][0]["channel"] == "email"
    assert main(["experiment", "analyze", "--experiment", "NOPE", *ws]) == 2
    assert "use one of: W" in capsys.readouterr().err
